"""One monitoring cycle: crawl every selected source, then deliver pending alerts.

The crawl runs Scrapy's reactor, which can start only once per process: the
daemon therefore runs each cycle in a child process (see `crawler.daemon`).
Alert delivery runs after the crawl, outside the event loop.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import logs
from crawler.config import Config, ConfigError
from crawler.disk import check_free_space
from crawler.figures import source_blocked, source_figures
from crawler.vocabulary import (
    ALERTS_QUEUED,
    ARTICLES_NEW,
    FAILURE,
    FINISH_REASON,
    RUN_ID,
    STORIES_NEW,
)
from storage.errors import StorageError

logger = logging.getLogger("marsad.cycle")


@dataclass(frozen=True)
class SourceSummary:
    name: str
    fetched: int
    new: int
    errors: int
    last_error: str | None
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> pages or articles
    blocked_pages: int = 0  # pages the site refused: 403, 429, a bot challenge
    blocked: str | None = None  # the first of them and why, named once in the summary


@dataclass
class CycleReport:
    sources: list[SourceSummary]
    run_id: int | None = None
    finish_reason: str = ""
    articles_new: int = 0
    stories_new: int = 0
    alerts_queued: int = 0
    stats: dict[str, Any] = field(default_factory=dict)
    delivery: Any = None  # alerts.delivery.DeliveryReport
    failure: str | None = None  # why the cycle failed; what it lost is fetched again next time


def check_sources(config: Config, names: Sequence[str]) -> list[str]:
    """The sources a cycle crawls: those named (each must exist), else every one."""
    known = [s.name for s in config.sources]
    for name in names:
        if name not in known:
            raise ConfigError(f"no source named {name!r} (known: {', '.join(known) or 'none'})",
                              key="sources")
    return list(names) or known


def scrapy_settings(config: Config, *, progress: bool = False, log_level: str = "ERROR",
                    overrides: dict[str, Any] | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    # The news spider derives the rest (delays, concurrency, ...) from this, as it
    # does under `scrapy crawl news`.
    settings.set("MARSAD_CONFIG_OBJECT", config, priority="project")
    settings.set("MARSAD_PROGRESS", progress, priority="project")
    settings.set("LOG_LEVEL", log_level, priority="project")
    # The command line installs its own (text or JSON, secrets masked): not a second one.
    settings.set("LOG_INSTALL_ROOT_HANDLER", not logs.installed(), priority="project")
    settings.setdict(overrides or {}, priority="cmdline")
    return settings


def crawl(config: Config, sources: Sequence[str] = (), *, progress: bool = False,
          log_level: str = "ERROR", overrides: dict[str, Any] | None = None) -> CycleReport:
    """Run the crawl part of a cycle to its end and report per source."""
    from spiders.news import NewsSpider

    names = check_sources(config, sources)
    check_free_space(config)
    settings = scrapy_settings(config, progress=progress, log_level=log_level, overrides=overrides)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, sources=list(sources))
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return CycleReport(
        sources=[SourceSummary(name, **source_figures(stats, name), **source_blocked(stats, name))
                 for name in names],
        run_id=stats.get(RUN_ID),
        finish_reason=str(stats.get(FINISH_REASON, "")),
        articles_new=int(stats.get(ARTICLES_NEW, 0)),
        stories_new=int(stats.get(STORIES_NEW, 0)),
        alerts_queued=int(stats.get(ALERTS_QUEUED, 0)),
        stats=stats,
        failure=stats.get(FAILURE),
    )


def deliver(config: Config) -> Any:
    """Send every due alert, including those left pending by earlier cycles."""
    from alerts import build_channels, deliver_due
    from storage import Archive

    with Archive(config.database) as archive:
        return deliver_due(archive, build_channels(config.channels), config.alerts,
                           timezone=config.crawl.timezone)


def run_cycle(config: Config, sources: Sequence[str] = (), *, progress: bool = False,
              log_level: str = "ERROR", send_alerts: bool = True) -> CycleReport:
    """A crawl, then (unless the daemon's delivery job sends them) the due alerts."""
    report = crawl(config, sources, progress=progress, log_level=log_level)
    # A cycle fails only when the archive refused a write (figures.fail_cycle, from the
    # store pipeline): delivery could not record what it sends and would send it again,
    # so the alerts wait, pending, for a cycle whose archive works.
    if not send_alerts or report.failure:
        return report
    try:
        report.delivery = deliver(config)
    except (sqlite3.Error, StorageError) as error:
        # Alerts stay pending in the outbox (or were never claimed): nothing is lost.
        logger.error("Delivery stopped: %s", error)
        report.failure = report.failure or f"alert delivery: {error}"
    return report
