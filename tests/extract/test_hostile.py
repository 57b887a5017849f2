"""Hostile structure: JSON-LD nested 100,000 deep, feeds and pages nested as deep, a
headline of megabytes. Each page is still read, without the part it cannot be."""

from __future__ import annotations

import json

import pytest

from crawler import bounded_json
from crawler.extract import extract_article, feed_entries
from crawler.extract.metadata import TITLE_MAX, capped_title

URL = "https://www.hespress.com/politique/436105.html"
DEEP = 100_000


def page(head: str = "", body: str = "<article><p>Le Maroc et la France coopèrent.</p>"
                                       "</article>") -> bytes:
    return (f"<html><head><title>Titre de la page</title>{head}</head>"
            f"<body>{body}</body></html>").encode()


def json_ld(data: str) -> str:
    return f'<script type="application/ld+json">{data}</script>'


# ---- bounded JSON -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "depth"), [
    ("{}", 1),
    ('{"a": [1, {"b": []}]}', 4),
    ('"[[[[{{{{"', 0),                      # brackets inside a string do not count
    ('["a\\"[[[", [1]]', 2),                # nor after an escaped quote
    ('[1]]]] [[', 2),                       # past the end of the document: counted, safely
    ('["never closed [[[[', 1),             # an open string runs to the end
])
def test_nesting_depth_counts_brackets_outside_strings(text, depth):
    assert bounded_json.nesting_depth(text) == depth


def test_nesting_depth_stops_past_the_limit():
    assert bounded_json.nesting_depth("[" * DEEP, limit=64) == 65


def test_loads_refuses_deep_json_as_a_value_error():
    assert bounded_json.loads("[" * 64 + "]" * 64) == json.loads("[" * 64 + "]" * 64)
    with pytest.raises(ValueError, match="deeper than 64"):
        bounded_json.loads("[" * 65 + "]" * 65)
    with pytest.raises(bounded_json.TooDeep):
        bounded_json.loads("[" * DEEP + "]" * DEEP)


# ---- pages and feeds ----------------------------------------------------------------------

def article_ld(headline: str, extra: str = "1") -> str:
    return json_ld(json.dumps({"@type": "NewsArticle", "headline": headline,
                               "datePublished": "2024-07-25T10:30:00+01:00"})[:-1]
                   + f', "extra": {extra}}}')


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_json_ld_too_deep_is_left_out_and_the_page_still_read():
    shallow = extract_article(page(article_ld("Titre JSON-LD", nested(60))), URL)
    assert shallow.title == "Titre JSON-LD" and shallow.published is not None
    for levels in (70, DEEP):
        article = extract_article(page(article_ld("Titre JSON-LD", nested(levels))), URL)
        assert article.title == "Titre de la page" and article.published is None
        assert article.text == "Le Maroc et la France coopèrent."


def test_a_page_nested_100000_deep_is_extracted():
    body = ("<article><h1>Un titre</h1><p>Le Maroc et la France coopèrent.</p>"
            + "<div>" * DEEP + "profond" + "</div>" * DEEP + "</article>")
    article = extract_article(page(body=body), URL)
    assert article.title == "Un titre"
    assert article.text.startswith("Le Maroc et la France coopèrent.")


def test_a_feed_nested_100000_deep_keeps_the_entries_before_the_depth():
    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel>'
            b"<item><link>https://example.org/1.html</link><title>Un</title></item>"
            + b"<x>" * DEEP + b"</x>" * DEEP
            + b"<item><link>https://example.org/2.html</link></item></channel></rss>")
    entries = feed_entries(feed, "https://example.org/")
    assert entries and entries[0].url == "https://example.org/1.html"
    assert entries[0].title == "Un"


# ---- headlines ----------------------------------------------------------------------------

@pytest.mark.slow
def test_a_megabyte_headline_is_cut_at_a_word():
    headline = "Le Maroc et la France renforcent leur coopération " * 80_000  # 4 MB
    article = extract_article(page(json_ld(json.dumps(
        {"@type": "NewsArticle", "headline": headline}))), URL)
    title = article.title
    assert len(title) <= TITLE_MAX and title.endswith("…")
    kept = title[:-1]
    assert len(kept) > TITLE_MAX - 60
    assert headline.startswith(kept) and headline[len(kept)] == " "  # a whole word


def test_capped_title_leaves_real_titles_alone():
    title = "تعاون أمني جديد بين المغرب وفرنسا لمكافحة الإرهاب"
    assert capped_title(title) == title
    assert capped_title("x" * TITLE_MAX) == "x" * TITLE_MAX
    assert capped_title("x" * (TITLE_MAX + 1)) == "x" * (TITLE_MAX - 1) + "…"
