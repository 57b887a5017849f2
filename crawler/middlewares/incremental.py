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

from crawler.settings import marsad_config
from crawler.urls import url_key
from storage import Archive

_PAGE_TALLY = "article_links"  # response meta: [article links seen, new ones]


class KnownArticleMiddleware(BaseSpiderMiddleware):
    def __init__(self, crawler: Crawler, database: str):
        super().__init__(crawler)
        self.stats = crawler.stats
        self.database = database
        self.known: set[str] = set()
        self.requested: set[str] = set()
        # Article keys seen so far along each paginated listing, by its first page's URL.
        self.chains: dict[str, set[str]] = {}
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> KnownArticleMiddleware:
        config = marsad_config(crawler)
        return cls(crawler, str(config.database))

    def spider_opened(self) -> None:
        with Archive(self.database) as archive:
            self.known = archive.known_url_keys()

    def get_processed_request(self, request: Request, response: Response | None
                              ) -> Request | None:
        kind = request.meta.get("kind")
        if kind == "article":
            return self._article(request, response)
        if response is not None and kind == response.meta.get("kind") and kind != "feed":
            seen, new = response.meta.get(_PAGE_TALLY, (0, 0))
            if seen and not new:
                self.stats.inc_value("marsad/pagination_stopped")
                return None
        return request

    def _article(self, request: Request, response: Response | None) -> Request | None:
        key = url_key(request.url)
        if response is not None and response.meta.get("chain"):
            self._tally(response, key)
        if key in self.known:
            self.stats.inc_value("marsad/already_stored")
            return None
        if key in self.requested:
            self.stats.inc_value("marsad/duplicate_variant")
            return None
        self.requested.add(key)
        return request

    def _tally(self, response: Response, key: str) -> None:
        """Count a page's article links, and those neither stored nor on an earlier page
        of the same listing (a "latest news" box repeats new articles on every page)."""
        tally = response.meta.setdefault(_PAGE_TALLY, [0, 0])
        earlier = self.chains.setdefault(response.meta["chain"], set())
        tally[0] += 1
        if key not in self.known and key not in earlier:
            tally[1] += 1
        earlier.add(key)
