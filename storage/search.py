"""Full-text search over the archive (FTS5 on folded title and text)."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from crawler.matching import excerpt
from crawler.text import squash_spaces
from storage.errors import SearchSyntaxError, StorageError
from storage.fts_query import explain_fts_error, translate

SNIPPET_WIDTH = 200  # characters of the body around the searched words, on one line

# Title hits weigh double: a word in the headline says more than one in the body.
_SEARCH = """
SELECT a.id, a.url, a.title, a.source, a.published, a.language, a.story, a.text,
       bm25(articles_fts, 2.0, 1.0) AS rank
FROM articles_fts JOIN articles AS a ON a.id = articles_fts.rowid
WHERE articles_fts MATCH ?
ORDER BY rank, a.id
LIMIT ?
"""


def search(db: Database, query: str, *, limit: int = 20) -> list[dict]:
    """Best matches first: url, title, source, published, language, story, snippet, rank."""
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise StorageError(f"search limit must be a positive whole number, not {limit!r}")
    fts = translate(query)
    try:
        rows = list(db.query(_SEARCH, (fts.expression, limit)))
    except sqlite3.OperationalError as error:
        message = str(error)
        if "fts5" in message or "unterminated string" in message or "no such column" in message:
            raise SearchSyntaxError(explain_fts_error(query, message)) from None
        raise StorageError(f"search failed: {message}") from None
    results = []
    for row in rows:
        text = row.pop("text")
        row.pop("id")
        segments = excerpt(text, fts.terms, width=SNIPPET_WIDTH)
        row["snippet"] = squash_spaces("".join(piece for piece, _ in segments))
        results.append(row)
    return results
