"""The near-copy index: LSH band hashes of every article's chunks, in the archive.

Finding the candidates of a new article is a fixed number of indexed point lookups
(its chunks times BANDS), each reading at most COMMON + 1 rows, so it costs the
same with a million articles stored as with ten thousand. A band found in more
than COMMON articles is boilerplate (a newsletter box, a cookie notice that
extraction missed): it names no story, is not used to find candidates, and is not
stored again.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from storage.story_text import StoryText

COMMON = 12  # a band in more articles than this is boilerplate
MAX_CHUNKS = 24  # chunks of a body looked up: its first ~700 words say enough
MAX_CANDIDATES = 4  # verified per new article, those sharing the most chunks first


@dataclass(frozen=True)
class Candidates:
    articles: tuple[int, ...]  # article ids, most shared chunks first
    boilerplate: frozenset[int]  # shingles of the new body's boilerplate chunks
    common_bands: frozenset[int]  # bands already in more than COMMON articles


def find(conn: sqlite3.Connection, text: StoryText, *, exclude: int | None = None
         ) -> Candidates:
    """The stored articles that share a chunk with `text` (but for boilerplate).

    Two grouped queries over the bands: a band never holds more than COMMON + 1 rows
    (`add` stops there), so the work is bounded whatever the size of the archive.
    """
    chunks = list(zip(text.bands[:MAX_CHUNKS], text.chunks[:MAX_CHUNKS], strict=True))
    wanted = sorted({band for bands, _ in chunks for band in bands})
    if not wanted:
        return Candidates((), frozenset(), frozenset())
    marks = ",".join("?" * len(wanted))  # at most MAX_CHUNKS * BANDS, under SQLite's limit
    common = {band for (band,) in conn.execute(
        f"SELECT band FROM story_bands WHERE band IN ({marks})"  # noqa: S608 (placeholders)
        " GROUP BY band HAVING COUNT(*) > ?", (*wanted, COMMON))}
    boilerplate: set[int] = set()
    for bands, (start, end) in chunks:
        if sum(band in common for band in bands) * 2 >= len(bands):
            boilerplate.update(text.sequence[start:end])
    useful = [band for band in wanted if band not in common]
    marks = ",".join("?" * len(useful))
    ranked = tuple(article for (article,) in conn.execute(
        f"SELECT article_id FROM story_bands WHERE band IN ({marks})"  # noqa: S608
        " AND article_id != ? GROUP BY article_id ORDER BY COUNT(*) DESC, article_id DESC"
        " LIMIT ?", (*useful, -1 if exclude is None else exclude, MAX_CANDIDATES)))
    return Candidates(ranked, frozenset(boilerplate), frozenset(common))


def add(conn: sqlite3.Connection, article_id: int, text: StoryText,
        found: Candidates) -> None:
    """Index the article's chunks, but for bands `find` saw already common."""
    conn.executemany(
        "INSERT OR IGNORE INTO story_bands (band, article_id) VALUES (?, ?)",
        [(band, article_id) for bands in text.bands[:MAX_CHUNKS] for band in bands
         if band not in found.common_bands])
