"""Never download again an article that is already stored.

The keys of every stored article URL (all its variants, see `crawler.urls.url_key`)
are loaded once when the spider opens; an article request whose key is known,
or was already requested this cycle under another variant, is dropped.
"""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request

from crawler.urls import url_key
from storage import Archive


class AlreadyStored(IgnoreRequest):
    """The article behind this URL is in the archive, or requested already this cycle."""


class KnownArticleMiddleware:
    def __init__(self, crawler: Crawler, database: str):
        self.stats = crawler.stats
        self.database = database
        self.known: set[str] = set()
        self.requested: set[str] = set()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> KnownArticleMiddleware:
        config = crawler.settings.get("MARSAD_CONFIG_OBJECT")
        if config is None:
            raise NotConfigured("no marsad configuration")
        return cls(crawler, str(config.database))

    def spider_opened(self) -> None:
        with Archive(self.database) as archive:
            self.known = archive.known_url_keys()

    def process_request(self, request: Request) -> None:
        if request.meta.get("kind") != "article":
            return
        key = url_key(request.url)
        if request.meta.get("checked_key") == key:
            return  # a retry of a request we already let through
        if key in self.known:
            self.stats.inc_value("marsad/already_stored")
            raise AlreadyStored(request.url)
        if key in self.requested:
            self.stats.inc_value("marsad/duplicate_variant")
            raise AlreadyStored(request.url)
        self.requested.add(key)
        request.meta["checked_key"] = key
