"""Storing articles: URL variants collapse onto one article; copies merge, never duplicate."""

from __future__ import annotations

import pytest

from crawler.urls import url_key
from storage import Archive, StorageError
from storage.records import ReadAlsoLink

CANONICAL = "https://www.hespress.com/politique/436105.html"


def test_new_article_is_stored_and_known_by_its_url(archive: Archive, make_article) -> None:
    result = archive.store_article(make_article())
    assert result.new_article and result.new_story
    assert result.article_id > 0
    assert archive.has_url(CANONICAL)
    assert archive.known_url_keys() == {url_key(CANONICAL)}
    stored = archive.article(CANONICAL)
    assert stored is not None
    assert stored["source"] == "hespress"
    assert stored["fetched_at"] == "2025-04-20T09:30:00+00:00"
    assert stored["published"] == "2025-04-20T10:06:00+01:00"


@pytest.mark.parametrize("variant", [
    "https://www.hespress.com/politique/436105.html?utm_source=facebook&fbclid=XYZ",
    "https://m.hespress.com/politique/436105.html",
    "http://hespress.com/politique/436105.html",
    "https://www.hespress.com/politique/436105.html/",
    "https://www.hespress.com/politique/436105.html/amp",
    "https://www.hespress.com/politique/436105.html#comments",
    "HTTPS://WWW.HESPRESS.COM:443/politique/436105.html",
])
def test_url_variants_collapse_onto_one_article(archive: Archive, make_article,
                                                variant: str) -> None:
    first = archive.store_article(make_article())
    assert archive.has_url(variant)
    again = archive.store_article(make_article(url=variant, fetched_at="2025-04-21T00:00:00Z"))
    assert not again.new_article and not again.new_story
    assert again.article_id == first.article_id
    assert again.story == first.story
    assert archive.db["articles"].count == 1
    assert archive.article(variant)["url"] == CANONICAL


def test_rel_canonical_alias_identifies_the_article(archive: Archive, make_article) -> None:
    # Fetched under a short link whose page declared the canonical URL.
    short = "https://www.hespress.com/?p=436105"
    archive.store_article(make_article(aliases=(short,)))
    assert archive.has_url(short)
    assert archive.known_url_keys() == {url_key(CANONICAL), url_key(short)}
    # A later copy known only by the alias merges into the same article.
    again = archive.store_article(make_article(url=short, aliases=()))
    assert not again.new_article
    assert archive.db["articles"].count == 1
    assert set(archive.article(short)["aliases"]) == {CANONICAL, short}


def test_alias_seen_later_is_added_to_the_existing_article(archive: Archive,
                                                           make_article) -> None:
    first = archive.store_article(make_article())
    later_alias = "https://www.hespress.com/436105"
    assert not archive.has_url(later_alias)
    again = archive.store_article(make_article(aliases=(later_alias,)))
    assert again.article_id == first.article_id
    assert archive.has_url(later_alias)


def test_unknown_url_is_not_known(archive: Archive, make_article) -> None:
    archive.store_article(make_article())
    assert not archive.has_url("https://www.hespress.com/politique/436106.html")
    assert not archive.has_url("not a url at all")
    assert archive.article("https://www.hespress.com/politique/436106.html") is None


def test_merge_fills_missing_fields_and_keeps_the_better_body(archive: Archive,
                                                              make_article, bodies) -> None:
    teaser = "أعلنت المديرية العامة للأمن الوطني..."
    archive.store_article(make_article(text=teaser, published=None, author=None))
    archive.store_article(make_article(text=bodies.ar, published="2025-04-20T10:06:00+01:00",
                                       author="هسبريس"))
    stored = archive.article(CANONICAL)
    assert stored["text"] == bodies.ar
    assert stored["published"] == "2025-04-20T10:06:00+01:00"
    assert stored["author"] == "هسبريس"
    # A worse copy (truncated body, other date) changes nothing already known.
    archive.store_article(make_article(text=teaser, published="2030-01-01T00:00:00+00:00",
                                       author="someone else"))
    stored = archive.article(CANONICAL)
    assert stored["text"] == bodies.ar
    assert stored["published"] == "2025-04-20T10:06:00+01:00"
    assert stored["author"] == "هسبريس"
    # The completed body is searchable.
    assert [hit["url"] for hit in archive.search("تتويجا")] == [CANONICAL]


def test_completed_body_joins_later_copies_to_the_same_story(archive: Archive, make_article,
                                                             bodies) -> None:
    teaser = archive.store_article(make_article(text="قصير"))
    archive.store_article(make_article(text=bodies.ar))
    copy = archive.store_article(make_article(url="https://alyaoum24.com/1234567.html",
                                              source="alyaoum24", text=bodies.ar))
    assert copy.new_article and not copy.new_story
    assert copy.story == teaser.story


@pytest.mark.parametrize(("fields", "message"), [
    ({"url": "ftp://example.org/x"}, r"not an http\(s\) URL"),
    ({"aliases": ("javascript:alert(1)",)}, "alias of"),
    ({"source": ""}, "source is empty"),
    ({"discovered_via": "magic"}, "discovered_via must be one of"),
    ({"fetched_at": "yesterday"}, "fetched_at"),
    ({"published": "25 يوليوز 2024"}, "published"),
])
def test_bad_input_is_a_clear_error_and_stores_nothing(archive: Archive, make_article,
                                                       fields: dict, message: str) -> None:
    with pytest.raises(StorageError, match=message) as raised:
        archive.store_article(make_article(**fields))
    assert "\n" not in str(raised.value)
    assert archive.db["articles"].count == 0
    assert archive.known_url_keys() == set()


def test_failed_store_rolls_back_everything(archive: Archive, make_article) -> None:
    article = make_article(read_also=(ReadAlsoLink("https://www.hespress.com/x-1.html", "x"),))
    with pytest.raises(StorageError):
        archive.store_article(article, alerts=[("morocco-france-security", "")])
    for table in ("articles", "aliases", "read_also", "alerts", "stories", "articles_fts"):
        assert archive.db[table].count == 0, table


def test_timestamps_are_normalised_to_utc(archive: Archive, make_article) -> None:
    archive.store_article(make_article(fetched_at="2025-04-20T11:30:00+02:00"))
    assert archive.article(CANONICAL)["fetched_at"] == "2025-04-20T09:30:00+00:00"
