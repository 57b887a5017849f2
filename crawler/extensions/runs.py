"""Record each crawl run and its per-source figures in the archive."""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler

from crawler import clock
from crawler.settings import marsad_config
from storage import Archive


def source_figures(stats: dict, source: str) -> dict:
    """fetched / new / errors / last_error of one source, from the crawl stats."""
    prefix = f"marsad/source/{source}/"
    return {
        "fetched": int(stats.get(prefix + "fetched", 0)),
        "new": int(stats.get(prefix + "new", 0)),
        "errors": int(stats.get(prefix + "errors", 0)),
        "last_error": stats.get(prefix + "last_error"),
    }


class RunRecorder:
    def __init__(self, crawler: Crawler, database: str):
        self.crawler = crawler
        self.database = database
        self.run_id: int | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        config = marsad_config(crawler)
        return cls(crawler, str(config.database))

    def spider_opened(self, spider: object) -> None:
        with Archive(self.database) as archive:
            self.run_id = archive.start_run(clock.now().isoformat())
        self.crawler.stats.set_value("marsad/run_id", self.run_id)

    def spider_closed(self, spider: object, reason: str) -> None:
        if self.run_id is None:
            return
        stats = self.crawler.stats.get_stats()
        with Archive(self.database) as archive:
            for source in spider.sources():  # type: ignore[attr-defined]
                figures = source_figures(stats, source.name)
                archive.record_source(self.run_id, source.name, **figures)
            archive.finish_run(self.run_id, clock.now().isoformat(), reason)
