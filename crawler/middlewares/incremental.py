"""Never download again an article that is already stored.

A spider middleware: requests for known articles are dropped as the spider
yields them, before they reach the scheduler, so a second cycle over a large
site costs almost nothing. The keys of every stored article URL (all its
variants, see `crawler.urls.url_key`) are loaded once when the spider opens;
an article already requested this cycle under another variant is dropped too.

Pagination stops early: when a listing or search page links only to articles
stored by earlier cycles, its next page (older still) is not requested.
"""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from crawler.extensions.archive import ArchiveExtension, archive_extension
from crawler.urls import url_key
from crawler.vocabulary import (
    ALREADY_STORED,
    ARTICLE_LINKS,
    CHAIN,
    DUPLICATE_VARIANT,
    KIND,
    PAGINATION_STOPPED,
)


class KnownArticleMiddleware(BaseSpiderMiddleware):
    def __init__(self, crawler: Crawler, shared: ArchiveExtension):
        super().__init__(crawler)
        self.stats = crawler.stats
        self.shared = shared
        self.known: set[str] = set()
        self.requested: set[str] = set()
        # Article keys seen so far along each paginated listing, by its first page's URL.
        self.chains: dict[str, set[str]] = {}
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> KnownArticleMiddleware:
        return cls(crawler, archive_extension(crawler))

    def spider_opened(self) -> None:
        self.known = self.shared.archive.known_url_keys()

    def get_processed_request(self, request: Request, response: Response | None
                              ) -> Request | None:
        kind = request.meta.get(KIND)
        if kind == "article":
            return self._article(request, response)
        if response is not None and kind == response.meta.get(KIND) and kind != "feed":
            seen, new = response.meta.get(ARTICLE_LINKS, (0, 0))
            if seen and not new:
                self.stats.inc_value(PAGINATION_STOPPED)
                return None
        return request

    def _article(self, request: Request, response: Response | None) -> Request | None:
        key = url_key(request.url)
        if response is not None and response.meta.get(CHAIN):
            self._tally(response, key)
        if key in self.known:
            self.stats.inc_value(ALREADY_STORED)
            return None
        if key in self.requested:
            self.stats.inc_value(DUPLICATE_VARIANT)
            return None
        self.requested.add(key)
        return request

    def _tally(self, response: Response, key: str) -> None:
        """Count a page's article links, and those neither stored nor on an earlier page
        of the same listing (a "latest news" box repeats new articles on every page)."""
        tally = response.meta.setdefault(ARTICLE_LINKS, [0, 0])
        earlier = self.chains.setdefault(response.meta[CHAIN], set())
        tally[0] += 1
        if key not in self.known and key not in earlier:
            tally[1] += 1
        earlier.add(key)
