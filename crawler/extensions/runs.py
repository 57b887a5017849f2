"""Record each crawl run and its per-source figures in the archive; count what fails.

Pages whose callback raised and articles that a pipeline step failed on are
counted here, as drops of their source, from Scrapy's error signals.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler import clock, figures
from crawler.settings import marsad_config
from storage import Archive, StorageError

log = logging.getLogger("marsad.runs")


class RunRecorder:
    def __init__(self, crawler: Crawler, database: str):
        self.crawler = crawler
        self.database = database
        self.run_id: int | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.spider_error, signal=signals.spider_error)
        crawler.signals.connect(self.item_error, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        config = marsad_config(crawler)
        return cls(crawler, str(config.database))

    def spider_opened(self, spider: object) -> None:
        with Archive(self.database) as archive:
            self.run_id = archive.start_run(clock.now().isoformat())
        self.crawler.stats.set_value("marsad/run_id", self.run_id)

    def spider_error(self, failure: Any, response: Response) -> None:
        source = response.meta.get("source")
        if source:
            figures.count_drop(self.crawler.stats, source, "parse")
            figures.note_error(self.crawler.stats, source,
                               f"could not read {response.url}: {failure.value!r}")

    def item_error(self, item: Any, failure: Any) -> None:
        source = getattr(item, "source", "")
        if source:
            figures.count_drop(self.crawler.stats, source, "pipeline")
            figures.note_error(self.crawler.stats, source,
                               f"article {getattr(item, 'url', '')} not stored: "
                               f"{failure.value!r}")

    def spider_closed(self, spider: object, reason: str) -> None:
        if self.run_id is None:
            return
        stats = self.crawler.stats.get_stats()
        failure = stats.get(figures.FAILURE)
        try:
            with Archive(self.database) as archive:
                for source in spider.sources():  # type: ignore[attr-defined]
                    archive.record_source(self.run_id, source.name,
                                          **figures.source_figures(stats, source.name))
                archive.finish_run(self.run_id, clock.now().isoformat(),
                                   f"failed: {failure}" if failure else reason)
        except (sqlite3.Error, StorageError) as error:
            # The run stays "running" in the archive; the cycle's own summary still tells.
            log.warning("Run %s not recorded: %s", self.run_id, error)
