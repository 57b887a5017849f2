"""A one-line progress display on a terminal while a crawl runs."""

from __future__ import annotations

import sys
from typing import TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.vocabulary import (
    ARTICLES_NEW,
    ERRORS,
    RESPONSES_RECEIVED,
    SCHEDULER_DEQUEUED,
    SCHEDULER_ENQUEUED,
    is_source_figure,
)


class TerminalProgress:
    def __init__(self, crawler: Crawler, stream: TextIO):
        self.stats = crawler.stats
        self.stream = stream
        self.loop: task.LoopingCall | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TerminalProgress:
        if not crawler.settings.getbool("MARSAD_PROGRESS"):
            raise NotConfigured
        return cls(crawler, sys.stderr)

    def spider_opened(self) -> None:
        self.loop = task.LoopingCall(self.show)
        self.loop.start(0.5, now=True)

    def spider_closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.stream.write("\r\033[K")
        self.stream.flush()

    def show(self) -> None:
        stats = self.stats.get_stats()
        responses = stats.get(RESPONSES_RECEIVED, 0)
        new = stats.get(ARTICLES_NEW, 0)
        queued = stats.get(SCHEDULER_ENQUEUED, 0) - stats.get(SCHEDULER_DEQUEUED, 0)
        errors = sum(v for k, v in stats.items() if is_source_figure(k, ERRORS))
        self.stream.write(
            f"\r\033[Kcrawling: {responses} pages fetched, {new} new articles, "
            f"{queued} queued, {errors} errors"
        )
        self.stream.flush()
