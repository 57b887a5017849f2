"""Record each crawl run and its per-source figures in the archive; count what fails;
judge each source's health once the run has finished.

Pages whose callback raised and articles that a pipeline step failed on are
counted here, as drops of their source, from Scrapy's error signals. A run that
finished judges its sources (crawler.health): a source that broke or works again
gets a notice queued in the outbox, which the cycle's delivery sends.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler import clock, figures
from crawler.config import Config, Source
from crawler.extensions.archive import ArchiveExtension, archive_extension
from crawler.settings import marsad_config
from crawler.text import squash_spaces
from crawler.vocabulary import DROP_PARSE, DROP_PIPELINE, FAILURE, HEALTH_NOTICES, RUN_ID, SOURCE
from storage import StorageError

log = logging.getLogger("marsad.runs")


class RunRecorder:
    def __init__(self, crawler: Crawler, config: Config, shared: ArchiveExtension):
        self.crawler = crawler
        self.config = config
        self.shared = shared
        self.run_id: int | None = None
        self.last_article = 0  # articles stored later are this run's new ones
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.spider_error, signal=signals.spider_error)
        crawler.signals.connect(self.item_error, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        return cls(crawler, marsad_config(crawler), archive_extension(crawler))

    def spider_opened(self, spider: object) -> None:
        archive = self.shared.archive
        self.run_id = archive.start_run(clock.now().isoformat())
        self.last_article = archive.last_article_id()
        self.crawler.stats.set_value(RUN_ID, self.run_id)

    def spider_error(self, failure: Any, response: Response) -> None:
        source = response.meta.get(SOURCE)
        if source:
            figures.count_drop(self.crawler.stats, source, DROP_PARSE)
            figures.note_error(self.crawler.stats, source,
                               f"could not read {response.url}: {failure.value!r}")

    def item_error(self, item: Any, failure: Any) -> None:
        source = getattr(item, "source", "")
        if source:
            figures.count_drop(self.crawler.stats, source, DROP_PIPELINE)
            figures.note_error(self.crawler.stats, source,
                               f"article {getattr(item, 'url', '')} not stored: "
                               f"{failure.value!r}")

    def spider_closed(self, spider: object, reason: str) -> None:
        if self.run_id is None:
            return
        stats = self.crawler.stats.get_stats()
        failure = stats.get(FAILURE)
        sources = spider.sources()  # type: ignore[attr-defined]
        try:
            archive = self.shared.archive
            quality = archive.new_article_quality(self.last_article)
            for source in sources:
                dated, bodied = quality.get(source.name, (0, 0))
                refused = figures.source_blocked(stats, source.name)
                archive.record_source(self.run_id, source.name,
                                      **figures.source_figures(stats, source.name),
                                      blocked=refused["blocked_pages"],
                                      refusal=refused["blocked"],
                                      dated=dated, with_text=bodied)
            archive.finish_run(self.run_id, clock.now().isoformat(),
                               f"failed: {failure}" if failure else reason)
        except (sqlite3.Error, StorageError) as error:
            # The run stays "running" in the archive; the cycle's own summary still tells.
            log.warning("Run %s not recorded: %s", self.run_id, error)
            return
        # A run stopped early, or one that could not store what it read, tells nothing
        # of its sources' health.
        if reason == "finished" and not failure:
            self.judge_health(sources)

    def judge_health(self, sources: list[Source]) -> None:
        health = self.config.health
        # A notice links to a page of the source, for the reader to look at.
        urls = {s.name: next(iter((*s.listing_urls, *s.feed_urls)), None) for s in sources}
        try:
            judged = self.shared.archive.judge_sources(
                self.run_id or 0, [s.name for s in sources],
                silent_cycles=health.silent_cycles, failed_cycles=health.failed_cycles,
                channels=tuple(self.config.channels), urls=urls,
                configured=[s.name for s in self.config.sources])
        except (sqlite3.Error, StorageError) as error:
            # Judged again after the next run: a notice due now is queued then.
            log.warning("Source health not judged after run %s: %s", self.run_id, error)
            return
        for outcome in judged:
            if outcome.notice:
                log.warning("Source %s: %s (notice queued)", outcome.source,
                            squash_spaces(outcome.verdict.line()),
                            extra={"source": outcome.source})
        self.crawler.stats.set_value(HEALTH_NOTICES,
                                     sum(1 for outcome in judged if outcome.notice))
