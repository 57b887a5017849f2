"""One archive connection per crawl, shared by every component that reads or writes it.

The store pipeline, the run recorder and the conditional, known-article and
read-also-retry middlewares all take the crawl's archive from here (each finds
the extension with `archive_extension(crawler)` when it is built, and reads its
`archive` when it first needs it), so their reads see each other's writes and no
order in which Scrapy closes them can leave one writing to a connection another
closed.

The archive is opened on first use (Scrapy sends spider_opened, where the first
users need it, before engine_started) and closed when Scrapy sends
engine_stopped: ExecutionEngine.stop_async sends that only after the spider has
closed, that is after the pipelines' close_spider (which commits or rolls back
the last batch) and after every spider_closed handler has run (which records
the run and saves the validators). A crawl whose engine never started sends no
engine_stopped; its connection, with nothing left uncommitted, goes with the
process.

Writes share one transaction discipline (storage.database): the store pipeline
groups articles in a batch, one open transaction; a unit of work written through
`transaction` while a batch is open becomes a savepoint of that batch, committed
with it, or rolled back with it when the archive fails. The run record and the
validators are written outside any batch (before the first article, after the
last commit), so that they do not share a failing batch's fate.
"""

from __future__ import annotations

import logging
import sqlite3

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.settings import marsad_config
from storage import Archive

log = logging.getLogger("marsad.archive")


class ArchiveExtension:
    def __init__(self, crawler: Crawler, database: str):
        self.database = database
        self._archive: Archive | None = None
        self.closed = False
        # Found there by the components built after it: RunRecorder, an extension
        # itself, is built before Scrapy's get_extension can answer.
        crawler.marsad_archive = self  # type: ignore[attr-defined]
        crawler.signals.connect(self.close, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveExtension:
        return cls(crawler, str(marsad_config(crawler).database))

    @property
    def archive(self) -> Archive:
        """The crawl's archive, opened on first use."""
        if self.closed:
            raise RuntimeError("the crawl's archive is closed: the crawl has ended")
        if self._archive is None:
            self._archive = Archive(self.database)
        return self._archive

    def close(self) -> None:
        self.closed = True
        if self._archive is None:
            return
        archive, self._archive = self._archive, None
        try:
            archive.close()
        except sqlite3.Error as error:  # what was not committed is fetched again next cycle
            log.warning("Could not close the archive: %s", error)


def archive_extension(crawler: Crawler) -> ArchiveExtension:
    """The crawl's ArchiveExtension. A component that needs the archive calls this from
    its from_crawler: without the extension the crawl must not start at all."""
    extension = getattr(crawler, "marsad_archive", None)
    if not isinstance(extension, ArchiveExtension):
        raise RuntimeError(f"{ArchiveExtension.__module__}.{ArchiveExtension.__name__} "
                           "is not enabled in EXTENSIONS, and the crawl's components "
                           "need the archive it opens")
    return extension
