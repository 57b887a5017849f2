"""The alert outbox: rows born in store_article, delivered and retried by the alerts side."""

from __future__ import annotations

import json

from sqlite_utils import Database

from storage.database import transaction
from storage.errors import StorageError
from storage.records import AlertMessage

_DUE = """
SELECT al.id, al.story, al.channel, al.topic, al.attempts, al.created_at, al.article_id,
       a.title, a.url, a.source, a.published, a.language, a.text,
       (SELECT matched FROM topic_matches
            WHERE article_id = al.article_id AND topic = al.topic) AS matched,
       (SELECT json_group_array(source) FROM
            (SELECT DISTINCT source FROM articles
                 WHERE story = al.story AND id != al.article_id AND source != a.source
                 ORDER BY source)) AS other_sources
FROM alerts AS al JOIN articles AS a ON a.id = al.article_id
WHERE al.status = 'pending' AND al.next_attempt_at <= ?
ORDER BY al.created_at, al.id
LIMIT ?
"""

_LIST = """
SELECT al.id, al.story, al.channel, al.status, al.attempts, al.last_error, a.title, a.url,
       al.topic, al.created_at, al.next_attempt_at, al.sent_at, a.source
FROM alerts AS al JOIN articles AS a ON a.id = al.article_id
ORDER BY al.created_at, al.id
"""


def due_alerts(db: Database, now: str, *, limit: int) -> list[AlertMessage]:
    """Pending alerts whose next attempt is due, oldest first."""
    if not isinstance(limit, int) or limit < 1:
        raise StorageError(f"limit must be a positive whole number, not {limit!r}")
    cursor = db.conn.execute(_DUE, (now, limit))
    names = [d[0] for d in cursor.description]
    messages = []
    for row in cursor.fetchall():
        record = dict(zip(names, row, strict=True))
        messages.append(AlertMessage(
            alert_id=record["id"],
            story=record["story"],
            channel=record["channel"],
            topic=record["topic"],
            title=record["title"],
            url=record["url"],
            source=record["source"],
            published=record["published"],
            language=record["language"],
            text=record["text"],
            matched=tuple(json.loads(record["matched"] or "[]")),
            other_sources=tuple(json.loads(record["other_sources"] or "[]")),
            attempts=record["attempts"],
            created_at=record["created_at"],
            extra={"article_id": record["article_id"]},
        ))
    return messages


def _update_pending(db: Database, alert_id: int, sql: str, params: tuple) -> None:
    with transaction(db) as conn:
        changed = conn.execute(sql + " WHERE id = ? AND status = 'pending'",
                               (*params, alert_id)).rowcount
        if changed:
            return
        row = conn.execute("SELECT status FROM alerts WHERE id = ?", (alert_id,)).fetchone()
    if row is None:
        raise StorageError(f"no alert {alert_id!r}")
    raise StorageError(f"alert {alert_id} is already {row[0]}")


def mark_sent(db: Database, alert_id: int, when: str) -> None:
    """Delivered: the attempt counts, and the alert leaves the queue for good."""
    _update_pending(db, alert_id,
                    "UPDATE alerts SET status = 'sent', attempts = attempts + 1, sent_at = ?",
                    (when,))


def mark_retry(db: Database, alert_id: int, error: str, next_attempt_at: str) -> None:
    _update_pending(db, alert_id,
                    "UPDATE alerts SET attempts = attempts + 1, last_error = ?,"
                    " next_attempt_at = ?",
                    (error, next_attempt_at))


def mark_failed(db: Database, alert_id: int, error: str) -> None:
    _update_pending(db, alert_id,
                    "UPDATE alerts SET status = 'failed', attempts = attempts + 1, last_error = ?",
                    (error,))


def requeue_failed(db: Database, now: str) -> int:
    """Put every failed alert back in the queue with a fresh count of attempts
    (after the channel's problem is fixed); returns how many."""
    with transaction(db) as conn:
        cursor = conn.execute(
            "UPDATE alerts SET status = 'pending', attempts = 0, next_attempt_at = ? "
            "WHERE status = 'failed'", (now,))
        return cursor.rowcount


def list_alerts(db: Database) -> list[dict]:
    cursor = db.conn.execute(_LIST)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
