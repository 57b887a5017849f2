"""Store each article, its read-also links, topic matches and alerts in one transaction."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler import clock
from crawler.items import ArticleItem
from crawler.settings import marsad_config
from storage import Archive
from storage.records import ArticleRecord, ReadAlsoLink


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
    )


class StorePipeline:
    # Articles are committed in batches: one commit per article costs more than storing it.
    BATCH_SIZE = 50
    BATCH_SECONDS = 2.0

    def __init__(self, crawler: Crawler, database: str):
        self.stats = crawler.stats
        self.database = database
        self.archive: Archive | None = None
        self.batched = 0
        self.batch_started = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        config = marsad_config(crawler)
        return cls(crawler, str(config.database))

    def open_spider(self) -> None:
        self.archive = Archive(self.database)

    def close_spider(self) -> None:
        if self.archive is not None:
            self.archive.close()  # commits the open batch
            self.archive = None

    def process_item(self, item: ArticleItem) -> ArticleItem:
        assert self.archive is not None
        if not self.batched:
            self.archive.begin_batch()
            self.batch_started = clock.monotonic()
        result = self.archive.store_article(
            article_record(item), matches=item.matches, alerts=item.alerts
        )
        self.batched += 1
        if (self.batched >= self.BATCH_SIZE
                or clock.monotonic() - self.batch_started >= self.BATCH_SECONDS):
            self.archive.commit_batch()
            self.batched = 0
        if result.new_article:
            self.stats.inc_value(f"marsad/source/{item.source}/new")
            self.stats.inc_value("marsad/articles_new")
        if result.new_story:
            self.stats.inc_value("marsad/stories_new")
        if result.alerts_created:
            self.stats.inc_value("marsad/alerts_queued", result.alerts_created)
        return item
