"""Crawl runs and their per-source figures."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping

from sqlite_utils import Database
from sqlite_utils.db import PrimaryKeyRequired

from storage.database import transaction
from storage.errors import StorageError
from storage.times import archive_time

BODY_MIN = 100  # characters: less is a caption or a teaser, not an article's body


def start_run(db: Database, started_at: str) -> int:
    started = archive_time(started_at, field="run start")
    with transaction(db):
        return int(db.table("runs").insert({"started_at": started, "status": "running"})
                   .last_rowid or 0)


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
    blocked: int = 0,
    refusal: str | None = None,
    dated: int | None = None,
    with_text: int | None = None,
) -> None:
    """Record (or replace) one source's figures for a run; `dropped` counts the pages
    and articles it lost, by reason; `blocked` the pages its site refused (`refusal`:
    the first, and why); `dated` and `with_text` its new articles with a publication
    date and with a body (see `new_article_quality`)."""
    if not source:
        raise StorageError("a source's figures need the source name")
    figures = {"fetched": fetched, "new": new, "errors": errors, "blocked": blocked,
               **(dropped or {})}
    if dated is not None:
        figures["dated"] = dated
    if with_text is not None:
        figures["with_text"] = with_text
    for name, value in figures.items():
        if not isinstance(value, int) or value < 0:
            raise StorageError(f"source {source}: {name} must be a count, not {value!r}")
    record = {"run_id": run_id, "source": source, "fetched": fetched, "new": new,
              "errors": errors, "last_error": last_error or None,
              "dropped": json.dumps(dict(dropped or {}), sort_keys=True), "blocked": blocked,
              "refusal": refusal or None, "dated": dated, "with_text": with_text}
    try:
        with transaction(db):
            db.table("run_sources").upsert(record, pk=("run_id", "source"))
    except (sqlite3.IntegrityError, PrimaryKeyRequired):
        raise StorageError(f"no crawl run {run_id!r}") from None


def last_article_id(db: Database) -> int:
    """The newest article's id: those stored later are the ones a crawl adds."""
    return db.execute("SELECT COALESCE(MAX(id), 0) FROM articles").fetchone()[0]


def new_article_quality(db: Database, after_id: int) -> dict[str, tuple[int, int]]:
    """Per source, of the articles stored after `after_id`: (with a publication date,
    with a body of at least BODY_MIN characters)."""
    rows = db.execute(
        "SELECT source, COUNT(published), SUM(length(text) >= ?) FROM articles"
        " WHERE id > ? GROUP BY source", (BODY_MIN, after_id))
    return {source: (dated, bodied) for source, dated, bodied in rows}


def finish_run(db: Database, run_id: int, finished_at: str, status: str) -> None:
    finished = archive_time(finished_at, field="run finish")
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
    UNION SELECT source FROM source_health
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
            ORDER BY started_at DESC, run_id DESC LIMIT 1) AS last_run_dropped,
       h.state AS health_state, h.reason AS health_reason, h.since AS health_since,
       h.figures AS health_figures
FROM names AS n LEFT JOIN source_health AS h ON h.source = n.source
ORDER BY n.source
"""


def source_stats(db: Database) -> list[dict]:
    """Per source: name, articles, last_success, last_error (+ last_error_at), last_run,
    last_run_dropped (what its last run dropped, by reason), and health: its verdict after
    its last cycle (state, reason, since, and the figures of crawler.health.Verdict), or
    None before its first judged cycle."""
    rows = list(db.query(_SOURCE_STATS))
    for row in rows:
        row["last_run_dropped"] = json.loads(row["last_run_dropped"] or "{}")
        state, reason, since, figures = (row.pop(f"health_{key}") for key in
                                         ("state", "reason", "since", "figures"))
        row["health"] = None if state is None else {
            "state": state, "reason": reason, "since": since, **json.loads(figures)}
    return rows

