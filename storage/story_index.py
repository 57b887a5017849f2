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
from collections import Counter
from dataclasses import dataclass

from storage.story_text import StoryText

COMMON = 12  # a band in more articles than this is boilerplate
MAX_CHUNKS = 40  # chunks of a body looked up: its first ~1,200 words say enough
MAX_CANDIDATES = 5  # verified per new article, those sharing the most chunks first


@dataclass(frozen=True)
class Candidates:
    articles: tuple[int, ...]  # article ids, most shared chunks first
    boilerplate: frozenset[int]  # shingles of the new body's boilerplate chunks
    common_bands: frozenset[int]  # bands already in more than COMMON articles


def find(conn: sqlite3.Connection, text: StoryText, *, exclude: int | None = None
         ) -> Candidates:
    """The stored articles that share a chunk with `text` (but for boilerplate)."""
    hits: Counter[int] = Counter()
    boilerplate: set[int] = set()
    common_bands: set[int] = set()
    for bands, shingles in zip(text.bands[:MAX_CHUNKS], text.chunk_shingles[:MAX_CHUNKS],
                               strict=True):
        found: set[int] = set()
        common = 0
        for band in bands:
            rows = conn.execute("SELECT article_id FROM story_bands WHERE band = ? LIMIT ?",
                                (band, COMMON + 1)).fetchall()
            if len(rows) > COMMON:
                common += 1
                common_bands.add(band)
            else:
                found.update(row[0] for row in rows)
        if common * 2 >= len(bands):
            boilerplate |= shingles
            continue
        hits.update(found - {exclude})
    ranked = tuple(article for article, _ in hits.most_common(MAX_CANDIDATES))
    return Candidates(ranked, frozenset(boilerplate), frozenset(common_bands))


def add(conn: sqlite3.Connection, article_id: int, text: StoryText,
        found: Candidates) -> None:
    """Index the article's chunks, but for bands `find` saw already common."""
    conn.executemany(
        "INSERT OR IGNORE INTO story_bands (band, article_id) VALUES (?, ?)",
        [(band, article_id) for bands in text.bands[:MAX_CHUNKS] for band in bands
         if band not in found.common_bands])
