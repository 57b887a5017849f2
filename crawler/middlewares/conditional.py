"""Conditional requests for listing, feed and search pages (ETag / Last-Modified).

Validators of a page are saved only when its source's cycle ended cleanly: if
articles found on a page failed to download (or to be parsed, or stored), or
the crawl was stopped before its end, the next cycle must get the full page
again instead of a 304, or those articles would be lost. Failures are watched
here, not only in the spider's error count, so that no way of reporting them
can make a source look clean.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import defaultdict
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

from crawler import figures
from crawler.extensions.archive import ArchiveExtension, archive_extension
from crawler.vocabulary import CONDITIONAL, ERRORS, NOT_MODIFIED, SOURCE, VALIDATORS_FOR
from storage import Archive

logger = logging.getLogger(__name__)

_VALIDATORS = (b"If-None-Match", b"If-Modified-Since")
_TRANSIENT = frozenset((408, 425, 429))  # and every 5xx: worth asking again next cycle


class ConditionalRequestMiddleware:
    def __init__(self, crawler: Crawler, shared: ArchiveExtension):
        self.crawler = crawler
        self.shared = shared
        self.archive: Archive | None = None
        self.seen: dict[str, list[tuple[str, str | None, str | None]]] = defaultdict(list)
        # Sources that failed somewhere this cycle: download, callback or pipeline.
        self.troubled: set[str] = set()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.spider_error, signal=signals.spider_error)
        crawler.signals.connect(self.item_error, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        return cls(crawler, archive_extension(crawler))

    def spider_opened(self) -> None:
        self.archive = self.shared.archive

    def spider_error(self, response: Response) -> None:
        """A callback failed: what the page led to may be lost."""
        self.troubled.add(response.meta.get(SOURCE, ""))

    def item_error(self, item: Any) -> None:
        """A pipeline failed: the article was not stored."""
        self.troubled.add(getattr(item, "source", ""))

    def spider_closed(self, reason: str = "finished") -> None:
        if self.archive is None:
            return
        # After an archive failure nothing is saved: the articles it lost are found
        # again only if their listing pages are fetched in full next cycle.
        try:
            if reason == "finished" and not self.crawler.stats.get_value(figures.FAILURE):
                self.archive.save_validators(self.clean_entries())
        except sqlite3.Error as error:  # unsaved validators cost full pages, nothing more
            logger.warning("Validators not saved: %s", error)
        self.archive = None

    def clean_entries(self) -> list[tuple[str, str | None, str | None]]:
        """Validators seen this cycle for sources that had no errors."""
        stats = self.crawler.stats
        return [
            entry
            for source, entries in self.seen.items()
            if source not in self.troubled
            and not stats.get_value(figures.source_key(source, ERRORS))
            for entry in entries
        ]

    def process_request(self, request: Request) -> None:
        if not request.meta.get(CONDITIONAL) or self.archive is None:
            return
        if request.meta.get(VALIDATORS_FOR) == request.url:
            return  # a retry: the headers are already those of this URL
        # A redirect copies the headers of the first URL; they say nothing about this one.
        for name in _VALIDATORS:
            request.headers.pop(name, None)
        request.meta[VALIDATORS_FOR] = request.url
        etag, last_modified = self.archive.validators(request.url)
        if etag:
            request.headers[b"If-None-Match"] = etag
        if last_modified:
            request.headers[b"If-Modified-Since"] = last_modified

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not isinstance(exception, IgnoreRequest):  # not a deliberate skip
            self.troubled.add(request.meta.get(SOURCE, ""))

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status >= 500 or response.status in _TRANSIENT:
            self.troubled.add(request.meta.get(SOURCE, ""))
        if not request.meta.get(CONDITIONAL):
            return response
        if response.status == 304:
            self.crawler.stats.inc_value(NOT_MODIFIED)
        elif response.status == 200:
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            if etag or modified:
                self.seen[request.meta.get(SOURCE, "")].append((
                    request.url,
                    etag.decode("latin-1") if etag else None,
                    modified.decode("latin-1") if modified else None,
                ))
        return response
