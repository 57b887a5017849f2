"""The store pipeline on its own, with a real crawler's stats and a real archive that
fills up: SQLite's own "database or disk is full", made by capping the file's pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import signals
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler import figures
from crawler.config import load_config
from crawler.extract.article import ExtractedArticle
from crawler.items import ArticleItem
from crawler.pipelines.store import StorePipeline
from spiders.news import NewsSpider
from storage import Archive


@pytest.fixture
def pipeline(tmp_path: Path):
    config = tmp_path / "marsad.toml"
    config.write_text('database = "archive.db"\n\n[[sources]]\nname = "a"\n'
                      'listing_urls = ["http://127.0.0.40/"]\n', encoding="utf-8")
    crawler = get_crawler(NewsSpider, {
        "MARSAD_CONFIG_OBJECT": load_config(config),
        "EXTENSIONS": {"crawler.extensions.archive.ArchiveExtension": 100}})
    crawler.stats.open_spider()
    store = StorePipeline.from_crawler(crawler)
    store.open_spider()
    yield store
    store.close_spider()
    crawler.signals.send_catch_log(signals.engine_stopped)  # the extension closes the archive


def item(n: int) -> ArticleItem:
    words = " ".join(f"mot{n}x{k}" for k in range(400))  # a distinct body per article
    article = ExtractedArticle(title=f"Article {n}", published=None, language="fr",
                               author=None, text=words, canonical_url=None, read_also=())
    url = f"http://127.0.0.40/news/{n}.html"
    return ArticleItem(source="a", request_url=url, response_url=url, article=article,
                       discovered_via="listing", fetched_at="2026-01-01T00:00:00+00:00",
                       url=url)


def stored_urls(tmp_path: Path) -> set[str]:
    with Archive(tmp_path / "archive.db") as archive:
        return {row["url"] for row in archive.export_articles()}


def test_articles_count_as_new_only_once_committed(pipeline, tmp_path) -> None:
    for n in range(3):
        pipeline.process_item(item(n))
    stats = pipeline.stats
    assert stats.get_value(figures.source_key("a", "new")) is None  # still in the batch
    pipeline.close_spider()
    assert stats.get_value(figures.source_key("a", "new")) == 3
    assert len(stored_urls(tmp_path)) == 3


def test_a_full_archive_fails_the_cycle_and_counts_the_batch_as_dropped(pipeline,
                                                                         tmp_path) -> None:
    pipeline.process_item(item(0))
    pipeline._commit()  # one article safely committed
    pages = pipeline.archive.db.conn.execute("PRAGMA page_count").fetchone()[0]
    pipeline.archive.db.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    dropped = 0
    with pytest.raises(DropItem):
        for n in range(1, 40):
            pipeline.process_item(item(n))
            dropped = n
    stats = pipeline.stats
    failure = stats.get_value(figures.FAILURE)
    assert failure is not None and "full" in failure
    assert stats.get_value(figures.source_key("a", "dropped/database")) == dropped + 1
    assert "full" in stats.get_value(figures.source_key("a", "last_error"))
    assert stats.get_value(figures.source_key("a", "new")) == 1
    with pytest.raises(DropItem):  # nothing more is taken in this cycle
        pipeline.process_item(item(99))
    pipeline.close_spider()
    assert stored_urls(tmp_path) == {"http://127.0.0.40/news/0.html"}
