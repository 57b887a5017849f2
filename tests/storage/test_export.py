"""Export: every stored article with the contract's fields."""

from __future__ import annotations

import json

import pytest

from storage import Archive
from storage.records import ReadAlsoLink, TopicMatchRecord

CONTRACT_FIELDS = {"url", "source", "title", "published", "language", "text", "story",
                   "topics", "discovered_via"}


def test_export_has_contract_fields_and_extras(archive: Archive, make_article, bodies) -> None:
    first = archive.store_article(
        make_article(author="هسبريس", read_also=(ReadAlsoLink("https://www.hespress.com/b.html",
                                                               "اقرأ أيضا"),)),
        matches=[TopicMatchRecord("morocco-france-security", 3.0, ("المغرب", "فرنسا", "الأمن")),
                 TopicMatchRecord("another-topic", 1.0, ("x",))],
    )
    copy = archive.store_article(make_article(
        url="https://alyaoum24.com/1234567.html", source="alyaoum24", discovered_via="read_also",
        published=None, author=None, depth=1))
    archive.store_article(make_article(url="https://fr.le360.ma/x_ABC/", source="le360",
                                       text=bodies.fr, language="fr", discovered_via="feed"))
    rows = list(archive.export_articles())
    assert len(rows) == 3
    for row in rows:
        assert CONTRACT_FIELDS <= set(row)
        assert {"author", "read_also", "fetched_at"} <= set(row)
        json.dumps(row, ensure_ascii=False)  # every value is plain JSON
    hespress, alyaoum, le360 = rows
    assert hespress["url"] == "https://www.hespress.com/politique/436105.html"
    assert hespress["topics"] == ["another-topic", "morocco-france-security"]
    assert hespress["read_also"] == [{"url": "https://www.hespress.com/b.html",
                                      "title": "اقرأ أيضا"}]
    assert hespress["author"] == "هسبريس"
    assert hespress["published"] == "2025-04-20T10:06:00+01:00"
    assert alyaoum["story"] == hespress["story"] == first.story == copy.story
    assert alyaoum["topics"] == [] and alyaoum["read_also"] == []
    assert alyaoum["discovered_via"] == "read_also" and alyaoum["published"] is None
    assert le360["story"] != hespress["story"]
    assert le360["language"] == "fr" and le360["text"] == bodies.fr


@pytest.mark.slow
def test_export_pages_through_many_articles(archive: Archive, make_article, bodies) -> None:
    for number in range(1203):
        archive.store_article(make_article(url=f"https://www.goud.ma/n-{number}/",
                                           text=f"{number} {bodies.fr}"))
    urls = [row["url"] for row in archive.export_articles()]
    assert len(urls) == len(set(urls)) == 1203
    assert urls[0] == "https://www.goud.ma/n-0/" and urls[-1] == "https://www.goud.ma/n-1202/"


def test_export_of_an_empty_archive(archive: Archive) -> None:
    assert list(archive.export_articles()) == []
