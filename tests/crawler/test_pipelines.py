"""The item pipelines, each on its own and then all of them in the order crawler/settings.py
gives them: a crawler from Scrapy's `get_crawler`, items as the news spider makes them and
a real archive file. tests/crawler/test_store_pipeline.py covers a failing archive."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from crawler import figures, settings, vocabulary
from crawler.config import load_config
from crawler.extract.article import ExtractedArticle
from crawler.items import ArticleItem
from crawler.pipelines.alert_plan import AlertPlanPipeline
from crawler.pipelines.canonical import CanonicalUrlPipeline
from spiders.news import NewsSpider
from storage import Archive
from storage.records import TopicMatchRecord

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CONFIG = """database = "archive.db"

[alerts]
max_age = "30d"

[[sources]]
name = "hespress"
allowed_domains = ["hespress.com"]
listing_urls = ["https://www.hespress.com/"]

[[sources]]
name = "le360"
allowed_domains = ["le360.ma"]
listing_urls = ["https://fr.le360.ma/"]

[[topics]]
name = "police"
all_of = [["police"]]
channels = ["desk"]

[[topics]]
name = "maroc-france"
all_of = [["Maroc"], ["France"]]

[channels.console]
type = "console"

[channels.desk]
type = "console"
"""


@pytest.fixture
def crawler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Crawler]:
    monkeypatch.setenv("MARSAD_NOW", NOW.isoformat())
    (tmp_path / "marsad.toml").write_text(CONFIG, encoding="utf-8")
    crawler = get_crawler(NewsSpider, {
        "MARSAD_CONFIG_OBJECT": load_config(tmp_path / "marsad.toml"),
        "EXTENSIONS": {"crawler.extensions.archive.ArchiveExtension": 100}})
    crawler.stats.open_spider()
    yield crawler
    crawler.signals.send_catch_log(signals.engine_stopped)  # the extension closes the archive


def item(url: str = "https://www.hespress.com/politique/1.html", *, source: str = "hespress",
         canonical: str | None = None, request_url: str | None = None,
         matches: tuple[str, ...] = (), published: datetime | None = NOW) -> ArticleItem:
    article = ExtractedArticle(
        title="La police du Maroc et de la France", published=published, language="fr",
        author=None, text=" ".join(f"mot{k}" for k in range(200)), canonical_url=canonical,
        read_also=())
    return ArticleItem(source=source, request_url=request_url or url, response_url=url,
                       article=article, discovered_via="listing",
                       fetched_at=NOW.isoformat(), depth=0,
                       matches=tuple(TopicMatchRecord(name, 6.0, ("police",))
                                     for name in matches))


# -- canonical URL --------------------------------------------------------------------------

def test_the_declared_canonical_url_of_the_source_names_the_article(crawler):
    canonical = CanonicalUrlPipeline.from_crawler(crawler)
    found = canonical.process_item(item(
        "https://www.hespress.com/politique/1.html?utm_source=facebook",
        request_url="https://hespress.com/amp/politique/1.html",
        canonical="https://www.hespress.com/politique/1.html"))
    assert found.url == "https://www.hespress.com/politique/1.html"
    assert found.aliases == ("https://hespress.com/amp/politique/1.html",)  # tracking dropped


def test_a_canonical_url_on_another_site_is_a_copy_not_this_article(crawler):
    canonical = CanonicalUrlPipeline.from_crawler(crawler)
    found = canonical.process_item(item(
        "https://fr.le360.ma/societe/2.html", source="le360",
        canonical="https://www.hespress.com/politique/1.html"))
    assert (found.url, found.aliases) == ("https://fr.le360.ma/societe/2.html", ())


def test_an_item_without_a_usable_url_is_dropped(crawler):
    canonical = CanonicalUrlPipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match="no usable URL"):
        canonical.process_item(item("javascript:void(0)", canonical="mailto:a@b.org"))


# -- alert plan -----------------------------------------------------------------------------

def test_each_matched_topic_is_alerted_on_its_channels(crawler):
    plan = AlertPlanPipeline.from_crawler(crawler)
    planned = plan.process_item(item(matches=("police", "maroc-france", "gone-topic")))
    assert planned.alerts == (("police", "desk"), ("maroc-france", "console"),
                              ("maroc-france", "desk"))
    assert plan.process_item(item()).alerts == ()  # nothing matched, nothing to alert


def test_a_story_older_than_max_age_is_stored_but_not_alerted(crawler):
    plan = AlertPlanPipeline.from_crawler(crawler)
    old = item(matches=("police",), published=NOW - timedelta(days=31))
    assert plan.process_item(old).alerts == ()
    recent = item(matches=("police",), published=NOW - timedelta(days=29))
    assert plan.process_item(recent).alerts == (("police", "desk"),)
    undated = item(matches=("police",), published=None)
    assert plan.process_item(undated).alerts == (("police", "desk"),)


# -- the three in order -----------------------------------------------------------------------

@pytest.fixture
def pipelines(crawler: Crawler) -> Iterator[list]:
    ordered = sorted(settings.ITEM_PIPELINES, key=settings.ITEM_PIPELINES.__getitem__)
    built = [load_object(path).from_crawler(crawler) for path in ordered]
    for pipeline in built:
        getattr(pipeline, "open_spider", lambda: None)()
    yield built
    for pipeline in built:
        getattr(pipeline, "close_spider", lambda: None)()


def through(pipelines: list, article: ArticleItem) -> ArticleItem:
    for pipeline in pipelines:
        article = pipeline.process_item(article)
    return article


def test_an_article_is_stored_under_its_canonical_url_with_its_alerts_queued(
        crawler, pipelines, tmp_path):
    stats = crawler.stats
    through(pipelines, item("https://www.hespress.com/politique/1.html?utm_medium=x",
                            matches=("police",)))
    # An alert is committed at once, not with the batch: the daemon sends what is committed.
    assert stats.get_value(vocabulary.ALERTS_QUEUED) == 1
    assert stats.get_value(figures.source_key("hespress", vocabulary.NEW)) == 1
    variant = item("https://hespress.com/politique/1.html/", matches=("police",))
    through(pipelines, replace(variant, article=replace(variant.article, title="Autre titre")))
    off_topic = through(pipelines, item("https://www.hespress.com/sport/3.html"))
    assert off_topic.alerts == ()
    for pipeline in pipelines:
        getattr(pipeline, "close_spider", lambda: None)()
    assert stats.get_value(vocabulary.ARTICLES_NEW) == 2  # the variant is the same article
    assert stats.get_value(vocabulary.ALERTS_QUEUED) == 1  # one alert per story and channel
    with Archive(tmp_path / "archive.db") as archive:
        assert sorted(row["url"] for row in archive.export_articles()) == [
            "https://www.hespress.com/politique/1.html", "https://www.hespress.com/sport/3.html"]
        [alert] = archive.list_alerts()
        assert (alert["channel"], alert["topic"], alert["status"]) == ("desk", "police",
                                                                       "pending")
