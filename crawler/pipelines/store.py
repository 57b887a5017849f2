"""Store each article, its read-also links, topic matches and alerts in one transaction."""

from __future__ import annotations

import logging
import sqlite3

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from crawler import clock, figures
from crawler.extensions.archive import ArchiveExtension, archive_extension
from crawler.items import ArticleItem
from crawler.vocabulary import ALERTS_QUEUED, ARTICLES_NEW, DROP_DATABASE, NEW, STORIES_NEW
from storage import Archive
from storage.database import is_storage_failure
from storage.records import ArticleRecord, ReadAlsoLink, StoreResult

log = logging.getLogger("marsad.store")


def article_record(item: ArticleItem) -> ArticleRecord:
    article = item.article
    return ArticleRecord(
        url=item.url,
        source=item.source,
        title=article.title,
        text=article.text,
        discovered_via=item.discovered_via,
        fetched_at=item.fetched_at,
        aliases=item.aliases,
        published=article.published.isoformat() if article.published else None,
        language=article.language,
        author=article.author,
        depth=item.depth if item.depth is not None else -1,
        read_also=tuple(ReadAlsoLink(link.url, link.title) for link in article.read_also),
        referrer=item.referrer,
        text_capped=item.text_capped,
        prepared=item.prepared,
    )


class StorePipeline:
    """Stores articles in batched commits; counts an article only once it is committed.

    A write or a commit that fails for the archive's own reasons (a full disk, an I/O
    error, a lock held past the busy timeout) fails the cycle: the batch is rolled back,
    its articles are counted as dropped, their sources get the error, and the crawl
    stops. No validator is then saved (see the conditional middleware), so the next
    cycle finds every article that was not committed.

    The archive is the crawl's (crawler.extensions.archive), which outlives this
    pipeline: close_spider commits or rolls back the last batch and leaves the
    connection to the extension.
    """

    # Articles are committed in batches: one commit per article costs more than storing it.
    BATCH_SIZE = 50
    BATCH_SECONDS = 2.0

    def __init__(self, crawler: Crawler, shared: ArchiveExtension):
        self.crawler = crawler
        self.stats = crawler.stats
        self.shared = shared
        self.archive: Archive | None = None
        self.batch: list[tuple[str, StoreResult]] = []  # stored, not yet committed
        self.batch_started = 0.0
        self.failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler, archive_extension(crawler))

    def open_spider(self) -> None:
        self.archive = self.shared.archive

    def close_spider(self) -> None:
        if self.archive is None:
            return
        if not self.failed:
            self._commit()
        try:
            self.archive.rollback_batch()  # a no-op unless a commit failed
        except sqlite3.Error as error:
            log.warning("Could not roll back the archive's last batch: %s", error)
        self.archive = None

    def process_item(self, item: ArticleItem) -> ArticleItem:
        assert self.archive is not None
        if self.failed:
            figures.count_drop(self.stats, item.source, DROP_DATABASE)
            raise DropItem("not stored: the archive failed earlier in this cycle")
        if not self.batch:
            self.archive.begin_batch()
            self.batch_started = clock.monotonic()
        try:
            result = self.archive.store_article(
                article_record(item), matches=item.matches, alerts=item.alerts
            )
        except sqlite3.Error as error:
            if not is_storage_failure(error):
                raise
            self._fail(error, [item.source])
            raise DropItem(f"not stored: {error}") from None
        self.batch.append((item.source, result))
        # An alert is committed at once: the daemon's delivery job sends what is
        # committed, and an alert should leave within seconds, not with the batch.
        if (result.alerts_created or len(self.batch) >= self.BATCH_SIZE
                or clock.monotonic() - self.batch_started >= self.BATCH_SECONDS):
            self._commit()
        return item

    def _commit(self) -> None:
        assert self.archive is not None
        try:
            self.archive.commit_batch()
        except sqlite3.Error as error:
            self._fail(error, [])
            return
        for source, result in self.batch:
            self._count_stored(source, result)
        self.batch.clear()

    def _count_stored(self, source: str, result: StoreResult) -> None:
        if result.new_article:
            figures.count(self.stats, source, NEW)
            self.stats.inc_value(ARTICLES_NEW)
        if result.new_story:
            self.stats.inc_value(STORIES_NEW)
        if result.alerts_created:
            self.stats.inc_value(ALERTS_QUEUED, result.alerts_created)

    def _fail(self, error: sqlite3.Error, sources: list[str]) -> None:
        """Roll the batch back, count what it held as dropped, and stop the crawl."""
        assert self.archive is not None
        reason = f"archive: {error}"
        try:
            self.archive.rollback_batch()
        except sqlite3.Error:
            pass  # SQLite has rolled it back itself, or the connection is gone
        lost = [source for source, _ in self.batch] + sources
        for source in lost:
            figures.count_drop(self.stats, source, DROP_DATABASE)
        for source in dict.fromkeys(lost):
            figures.note_error(self.stats, source, reason)
        self.batch.clear()
        self.failed = True
        figures.fail_cycle(self.stats, reason)
        log.error("Cycle failed: %s; the next cycle fetches again what was not stored", reason)
        if self.crawler.crawling:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="archive_failed"))
