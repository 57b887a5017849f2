"""Bounded work on any article: the text cap, and matching and excerpts that read a bounded
part of the text however many terms it holds. How long each takes on its worst input is a
benchmark's figure (benchmarks/bounds.py), not asserted here."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.extract import ExtractedArticle
from crawler.items import ArticleItem
from crawler.matching import EXCERPT_SCAN, capped_text, excerpt, match
from crawler.pipelines.store import article_record
from crawler.samples.texts import plain, term_heavy, utf8_size
from storage import Archive

# ---- capped_text --------------------------------------------------------------------------

SAMPLES = {
    "empty": "",
    "latin": "Le Maroc et la France renforcent leur coopération. " * 8,
    "arabic": "تعزيز التعاون الأمني بين المغرب وفرنسا\n\n" * 8,
    "four-byte": "😀" * 60 + " fin",
    "one-word": "x" * 300,
    "surrogate": "a\ud800b " * 40,  # JSON input can carry a lone surrogate
}


@pytest.mark.parametrize("text", SAMPLES.values(), ids=list(SAMPLES))
def test_capped_text_is_a_whole_character_prefix_within_the_limit(text):
    size = utf8_size(text)
    for limit in range(size + 3):
        piece, capped = capped_text(text, limit)
        assert text.startswith(piece), (limit, piece)  # never a split or replaced character
        assert utf8_size(piece) <= limit
        assert capped == (size > limit), limit
        if not capped:
            assert piece == text


def test_capped_text_cuts_at_a_paragraph_then_a_space_near_the_limit():
    paragraphs = "A" * 90 + "\n\n" + "B" * 50
    assert capped_text(paragraphs, 100) == ("A" * 90, True)
    words = "mot " * 100
    piece, capped = capped_text(words, 101)
    assert capped and piece == " ".join(["mot"] * 25)
    # No break near the limit: cut right at it, between characters.
    assert capped_text("م" * 100, 51) == ("م" * 25, True)
    assert capped_text("A" * 10 + " " + "B" * 200, 100) == ("A" * 10 + " " + "B" * 89, True)


def test_capped_text_of_a_huge_text_keeps_just_under_the_limit():
    huge = "مقال " * 4_000_000  # 36 MB of UTF-8
    piece, capped = capped_text(huge, 200 * 1024)
    assert capped and 190 * 1024 < utf8_size(piece) <= 200 * 1024


# ---- matching and excerpts on texts made of terms -----------------------------------------

@pytest.mark.slow
def test_a_megabyte_of_terms_matches_and_as_much_plain_text_does_not(security_topic):
    size = 1_200_000
    assert match(security_topic, title="", text=term_heavy(security_topic, size)) is not None
    assert match(security_topic, title="", text=plain(size)) is None


@pytest.mark.slow
def test_excerpt_of_five_megabytes_of_terms_is_one_short_marked_passage(security_topic):
    text = term_heavy(security_topic, 5_000_000)
    terms = [t for group in security_topic.all_of for t in group]
    segments = excerpt(text, terms, width=300)
    body = "".join(piece for piece, _ in segments)
    assert len(body) <= 302  # the width, and "…" at either end
    assert segments[-1] == ("…", False)
    marked = [piece for piece, hit in segments if hit]
    assert len(marked) >= 10 and all(piece.strip() for piece in marked)


def test_excerpt_reads_only_the_start_of_a_huge_text():
    filler = "Une phrase sans rapport avec le sujet. "
    text = filler * (EXCERPT_SCAN // len(filler) + 10) + "Le Maroc et la France."
    segments = excerpt(text, ["Maroc", "France"], width=200)
    assert not any(hit for _, hit in segments)  # the terms lie past what is read
    assert "".join(piece for piece, _ in segments).startswith(filler)
    assert segments[-1] == ("…", False)
    # Within what is read, the passage with the terms is found as before.
    near = filler * 100 + "Le Maroc et la France." + filler * (EXCERPT_SCAN // len(filler))
    assert [piece for piece, hit in excerpt(near, ["Maroc", "France"]) if hit] == [
        "Maroc", "France"]


# ---- the cap is noted on the article -------------------------------------------------------

def test_capped_text_travels_from_the_item_to_the_archive_and_export(tmp_path):
    article = ExtractedArticle(title="Titre", published=None, language="fr", author=None,
                               text="Texte complet. " * 100, canonical_url=None, read_also=())
    fetched = datetime(2025, 4, 20, 10, tzinfo=UTC).isoformat()

    def item(url: str, capped: bool) -> ArticleItem:
        return ArticleItem(source="hespress", request_url=url, response_url=url,
                           article=article, discovered_via="seed", fetched_at=fetched,
                           url=url, text_capped=capped)

    first, second = "https://example.ma/1.html", "https://example.ma/2.html"
    assert article_record(item(first, True)).text_capped is True
    with Archive(tmp_path / "archive.db") as archive:
        archive.store_article(article_record(item(first, True)))
        archive.store_article(article_record(item(second, False)))
        exported = {row["url"]: row for row in archive.export_articles()}
        assert archive.article(first)["text"] == article.text  # stored whole
    assert exported[first]["text_capped"] is True
    assert exported[second]["text_capped"] is False
