"""HTTP validators for conditional requests: the ETag and Last-Modified last seen for a
listing, feed or search page, keyed by its normalised URL."""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from crawler.urls import BadURL, normalize_url
from storage.database import transaction
from storage.errors import StorageError


def _validator_key(url: str) -> str:
    try:
        return normalize_url(url)
    except BadURL:
        raise StorageError(f"not an http(s) URL: {url!r}") from None


def validators(db: Database, url: str) -> tuple[str | None, str | None]:
    """(etag, last_modified) last seen for url; (None, None) when none was kept."""
    row = db.execute(
        "SELECT etag, last_modified FROM validators WHERE url = ?", (_validator_key(url),)
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def save_validators(
    db: Database, entries: Iterable[tuple[str, str | None, str | None]], *, now: str
) -> None:
    """Remember (url, etag, last_modified); an entry with neither forgets the URL."""
    rows = [(_validator_key(url), etag or None, modified or None)
            for url, etag, modified in entries]
    table = db.table("validators")
    with transaction(db):
        for key, etag, modified in rows:
            if etag is None and modified is None:
                table.delete_where("url = ?", [key])
            else:
                table.upsert({"url": key, "etag": etag, "last_modified": modified,
                              "updated_at": now}, pk="url")
