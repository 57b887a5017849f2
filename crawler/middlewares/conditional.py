"""Conditional requests for listing, feed and search pages (ETag / Last-Modified).

Validators of a page are saved only when its source's cycle ended without
errors: if articles found on a page failed to download, the next cycle must
get the full page again instead of a 304, or those articles would be lost.
"""

from __future__ import annotations

from collections import defaultdict

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from storage import Archive


class ConditionalRequestMiddleware:
    def __init__(self, crawler: Crawler, database: str):
        self.crawler = crawler
        self.database = database
        self.archive: Archive | None = None
        self.seen: dict[str, list[tuple[str, str | None, str | None]]] = defaultdict(list)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        config = crawler.settings.get("MARSAD_CONFIG_OBJECT")
        if config is None:
            raise NotConfigured("no marsad configuration")
        return cls(crawler, str(config.database))

    def spider_opened(self) -> None:
        self.archive = Archive(self.database)

    def spider_closed(self) -> None:
        if self.archive is None:
            return
        stats = self.crawler.stats
        clean = [
            entry
            for source, entries in self.seen.items()
            if not stats.get_value(f"marsad/source/{source}/errors")
            for entry in entries
        ]
        self.archive.save_validators(clean)
        self.archive.close()
        self.archive = None

    def process_request(self, request: Request) -> None:
        if not request.meta.get("conditional") or self.archive is None:
            return
        if b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers:
            return
        etag, last_modified = self.archive.validators(request.url)
        if etag:
            request.headers[b"If-None-Match"] = etag
        if last_modified:
            request.headers[b"If-Modified-Since"] = last_modified

    def process_response(self, request: Request, response: Response) -> Response:
        if not request.meta.get("conditional"):
            return response
        if response.status == 304:
            self.crawler.stats.inc_value("marsad/not_modified")
        elif response.status == 200:
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            if etag or modified:
                self.seen[request.meta.get("source", "")].append((
                    request.url,
                    etag.decode("latin-1") if etag else None,
                    modified.decode("latin-1") if modified else None,
                ))
        return response
