"""`marsad probe`: check sources against the live web without storing anything.

For each source: its listing pages, feeds and one search (the topics' first query),
fetched politely (robots.txt obeyed, one request at a time to a site, the configured
User-Agent and delay), then up to three of the articles they link to, read by the
crawl's own extraction. `checks` turns what was seen into a verdict (ok, degraded,
broken, blocked) and one line per problem, with a hint; `report` prints them.
"""

from __future__ import annotations

from collections.abc import Sequence

from crawler.config import Config
from crawler.probe.checks import assess
from crawler.probe.model import VERDICTS, ArticleFacts, Page, SourceProbe

__all__ = ["VERDICTS", "ArticleFacts", "Page", "SourceProbe", "assess", "probe_sources"]


def probe_sources(config: Config, names: Sequence[str] = (), *,
                  log_level: str = "ERROR") -> list[SourceProbe]:
    """Probe the named sources (each must exist; none named: every one), in order.

    Runs Scrapy's reactor, which starts once per process: one probe per process."""
    from scrapy.crawler import CrawlerProcess

    from crawler.cycle import check_sources, scrapy_settings
    from crawler.probe.spider import ProbeSpider

    selected = check_sources(config, names)
    results: dict[str, SourceProbe] = {}
    process = CrawlerProcess(scrapy_settings(config, log_level=log_level))
    crawler = process.create_crawler(ProbeSpider)
    process.crawl(crawler, sources=selected, results=results)
    process.start()
    return [assess(results[name]) for name in selected]
