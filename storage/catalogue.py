"""Reading stored articles back: URL identity, one article, the read-also graph, export."""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlite_utils import Database

from crawler.urls import BadURL, url_key

_ARTICLE_SELECT = """
SELECT a.id, a.url, a.url_key, a.source, a.title, a.published, a.language, a.text,
       a.story, a.discovered_via, a.author, a.fetched_at, a.depth, a.referrer, a.text_capped,
       (SELECT follows FROM stories WHERE key = a.story) AS follows,
       (SELECT json_group_array(topic) FROM
            (SELECT topic FROM topic_matches WHERE article_id = a.id ORDER BY topic))
           AS topics,
       (SELECT json_group_array(json_object('url', to_url, 'title', title)) FROM
            (SELECT to_url, title FROM read_also WHERE from_id = a.id ORDER BY rowid))
           AS read_also
FROM articles AS a
"""
# Articles from id onwards: a page of the export, or (with limit 1) one article.
_FROM_ID = _ARTICLE_SELECT + "WHERE a.id >= ? ORDER BY a.id LIMIT ?"
_PAGE_SIZE = 500

# The contract's export fields, then the extras, in a stable order.
EXPORT_FIELDS = (
    "url", "source", "title", "published", "language", "text", "story", "follows", "topics",
    "discovered_via", "author", "read_also", "fetched_at", "text_capped",
)


def _key_or_none(url: str) -> str | None:
    try:
        return url_key(url)
    except BadURL:
        return None


def has_url(db: Database, url: str) -> bool:
    key = _key_or_none(url)
    if key is None:
        return False
    return db.conn.execute("SELECT 1 FROM aliases WHERE key = ?", (key,)).fetchone() is not None


def known_url_keys(db: Database) -> set[str]:
    return {row[0] for row in db.conn.execute("SELECT key FROM aliases")}


def _decoded(record: dict) -> dict:
    """The article row with its JSON columns read and its flag a bool."""
    record["topics"] = json.loads(record["topics"] or "[]")
    record["read_also"] = json.loads(record["read_also"] or "[]")
    record["text_capped"] = bool(record["text_capped"])
    return record


def article(db: Database, url: str) -> dict | None:
    """The stored article behind any of its URLs, with its aliases; None when unknown."""
    key = _key_or_none(url)
    if key is None:
        return None
    found = db.conn.execute("SELECT article_id FROM aliases WHERE key = ?", (key,)).fetchone()
    if found is None:
        return None
    record = _decoded(next(db.query(_FROM_ID, (found[0], 1))))
    record["aliases"] = [
        alias for (alias,) in db.conn.execute(
            "SELECT url FROM aliases WHERE article_id = ? ORDER BY rowid", (record["id"],)
        )
    ]
    return record


def export_articles(db: Database) -> Iterator[dict]:
    """Every stored article in storage order, with the export fields."""
    last_id = 0
    # Pages by id, so a long export holds no read cursor open between pages.
    while True:
        rows = list(db.query(_FROM_ID, (last_id + 1, _PAGE_SIZE)))
        if not rows:
            return
        for row in rows:
            record = _decoded(row)
            last_id = record["id"]
            yield {name: record[name] for name in EXPORT_FIELDS}


def read_also_graph(db: Database) -> list[tuple[str, str]]:
    return [
        (from_url, to_url)
        for from_url, to_url in db.conn.execute(
            """SELECT a.url, r.to_url FROM read_also AS r JOIN articles AS a ON a.id = r.from_id
               ORDER BY r.from_id, r.rowid"""
        )
    ]


def unfetched_read_also(db: Database, max_depth: int, since: str) -> list[tuple[str, int, str]]:
    """Read-also targets never stored although they were to be followed: linked from an
    article fetched since `since` that lay within `max_depth` hops. Each as (target URL,
    the linking article's depth, the linking article's URL), newest links first."""
    return [
        (to_url, depth, from_url)
        for to_url, depth, from_url in db.conn.execute(
            """SELECT r.to_url, a.depth, a.url FROM read_also AS r
               JOIN articles AS a ON a.id = r.from_id
               WHERE a.depth >= 0 AND a.depth + 1 <= ? AND a.fetched_at >= ?
                 AND NOT EXISTS (SELECT 1 FROM aliases AS k WHERE k.key = r.to_key)
               ORDER BY a.fetched_at DESC, r.rowid""",
            (max_depth, since),
        )
    ]
