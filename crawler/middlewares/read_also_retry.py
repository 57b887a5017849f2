"""Read-also targets that failed to download are asked for again in later cycles.

The article that links to them is stored and will not be fetched again, so
without this its failed links would be lost for good. Only links from
articles fetched in the last few days are retried: a target that stays dead
stops costing a request after that.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from scrapy.crawler import Crawler

from crawler import clock
from crawler.extensions.archive import ArchiveExtension, archive_extension
from crawler.settings import marsad_config
from crawler.vocabulary import READ_ALSO_RETRIED

RETRY_FOR = timedelta(days=3)


class ReadAlsoRetryMiddleware:
    def __init__(self, crawler: Crawler, shared: ArchiveExtension, max_depth: int):
        self.crawler = crawler
        self.shared = shared
        self.max_depth = max_depth

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReadAlsoRetryMiddleware:
        config = marsad_config(crawler)
        return cls(crawler, archive_extension(crawler), config.crawl.read_also_depth)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for request in start:
            yield request
        since = (clock.now() - RETRY_FOR).isoformat()
        links = self.shared.archive.unfetched_read_also(self.max_depth, since)
        spider = self.crawler.spider
        for url, depth, referrer in links:
            self.crawler.stats.inc_value(READ_ALSO_RETRIED)
            for request in spider.read_also_request(url, depth + 1, referrer):  # type: ignore[union-attr]
                yield request
