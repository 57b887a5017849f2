"""Crawl runs, per-source figures, and HTTP validators for conditional requests."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping

from sqlite_utils import Database

from crawler.urls import BadURL, normalize_url
from storage.database import transaction
from storage.errors import StorageError
from storage.times import utc_iso


def start_run(db: Database, started_at: str) -> int:
    started = utc_iso(started_at, field="run start")
    with transaction(db) as conn:
        cursor = conn.execute(
            "INSERT INTO runs (started_at, status) VALUES (?, 'running')", (started,)
        )
        return int(cursor.lastrowid or 0)


def record_source(
    db: Database,
    run_id: int,
    source: str,
    *,
    fetched: int,
    new: int,
    errors: int,
    last_error: str | None,
    dropped: Mapping[str, int] | None = None,
) -> None:
    """Record (or replace) one source's figures for a run; `dropped` counts the pages
    and articles it lost, by reason."""
    if not source:
        raise StorageError("a source's figures need the source name")
    figures = {"fetched": fetched, "new": new, "errors": errors, **(dropped or {})}
    for name, value in figures.items():
        if not isinstance(value, int) or value < 0:
            raise StorageError(f"source {source}: {name} must be a count, not {value!r}")
    try:
        with transaction(db) as conn:
            conn.execute(
                """INSERT INTO run_sources (run_id, source, fetched, new, errors, last_error,
                                           dropped)
                   VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (run_id, source) DO UPDATE SET fetched = excluded.fetched,
                       new = excluded.new, errors = excluded.errors,
                       last_error = excluded.last_error, dropped = excluded.dropped""",
                (run_id, source, fetched, new, errors, last_error or None,
                 json.dumps(dict(dropped or {}), sort_keys=True)),
            )
    except sqlite3.IntegrityError:
        raise StorageError(f"no crawl run {run_id!r}") from None


def finish_run(db: Database, run_id: int, finished_at: str, status: str) -> None:
    finished = utc_iso(finished_at, field="run finish")
    if not status:
        raise StorageError(f"run {run_id}: status is empty")
    with transaction(db) as conn:
        changed = conn.execute(
            "UPDATE runs SET finished_at = ?, status = ? WHERE id = ?", (finished, status, run_id)
        ).rowcount
    if not changed:
        raise StorageError(f"no crawl run {run_id!r}")


# A source "succeeded" in a run when it fetched something or reported no error.
_SOURCE_STATS = """
WITH names AS (
    SELECT source FROM articles UNION SELECT source FROM run_sources
),
seen AS (
    SELECT rs.source, r.started_at, rs.fetched, rs.errors, rs.last_error, rs.dropped,
           r.id AS run_id
    FROM run_sources AS rs JOIN runs AS r ON r.id = rs.run_id
)
SELECT n.source AS name,
       (SELECT COUNT(*) FROM articles WHERE source = n.source) AS articles,
       (SELECT MAX(started_at) FROM seen
            WHERE source = n.source AND (fetched > 0 OR errors = 0)) AS last_success,
       (SELECT last_error FROM seen WHERE source = n.source AND last_error IS NOT NULL
            ORDER BY started_at DESC, run_id DESC LIMIT 1) AS last_error,
       (SELECT started_at FROM seen WHERE source = n.source AND last_error IS NOT NULL
            ORDER BY started_at DESC, run_id DESC LIMIT 1) AS last_error_at,
       (SELECT MAX(started_at) FROM seen WHERE source = n.source) AS last_run,
       (SELECT dropped FROM seen WHERE source = n.source
            ORDER BY started_at DESC, run_id DESC LIMIT 1) AS last_run_dropped
FROM names AS n
ORDER BY n.source
"""


def source_stats(db: Database) -> list[dict]:
    """Per source: name, articles, last_success, last_error (+ last_error_at), last_run,
    and last_run_dropped (what its last run dropped, by reason)."""
    rows = list(db.query(_SOURCE_STATS))
    for row in rows:
        row["last_run_dropped"] = json.loads(row["last_run_dropped"] or "{}")
    return rows


def _validator_key(url: str) -> str:
    try:
        return normalize_url(url)
    except BadURL:
        raise StorageError(f"not an http(s) URL: {url!r}") from None


def validators(db: Database, url: str) -> tuple[str | None, str | None]:
    row = db.conn.execute(
        "SELECT etag, last_modified FROM validators WHERE url = ?", (_validator_key(url),)
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def save_validators(
    db: Database, entries: Iterable[tuple[str, str | None, str | None]], *, now: str
) -> None:
    """Remember (url, etag, last_modified); an entry with neither forgets the URL."""
    rows = [(_validator_key(url), etag or None, modified or None)
            for url, etag, modified in entries]
    with transaction(db) as conn:
        for key, etag, modified in rows:
            if etag is None and modified is None:
                conn.execute("DELETE FROM validators WHERE url = ?", (key,))
            else:
                conn.execute(
                    """INSERT INTO validators (url, etag, last_modified, updated_at)
                       VALUES (?, ?, ?, ?)
                       ON CONFLICT (url) DO UPDATE SET etag = excluded.etag,
                           last_modified = excluded.last_modified,
                           updated_at = excluded.updated_at""",
                    (key, etag, modified, now),
                )
