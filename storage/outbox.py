"""The alert outbox: rows born in store_article (a story's alerts) and in storage.health
(a source health notice's), delivered and retried by the alerts side.

An alert is pending, then claimed ('sending', with its owner and a lease) by one
delivering process, then sent, pending again for a retry, or failed. The claim is
one UPDATE that only one process can win, so two processes on one archive (two
crawls, or a crawl beside the daemon) never both send an alert. Only the owner of
a claim can settle it. A claim whose owner died is taken over when its lease
expires, or at once when the owner is known to be dead (see alerts.claims).
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from storage.database import transaction
from storage.errors import StorageError
from storage.health import notice_message
from storage.records import AlertMessage, EarlierStory

_DUE = """
SELECT al.id, al.story, al.channel, al.topic, al.attempts, al.created_at, al.article_id,
       al.status, al.claimed_by, al.lease_until, al.uncertain, al.notice,
       a.title, a.url, a.source, a.published, a.language, a.text,
       m.matched, m.found,
       (SELECT json_group_array(source) FROM
            (SELECT DISTINCT source FROM articles
                 WHERE story = al.story AND source != a.source
                 ORDER BY source)) AS other_sources,
       st.follows,
       (SELECT json_array(title, url) FROM articles WHERE story = st.follows
            ORDER BY event_time, id LIMIT 1) AS follows_first,
       EXISTS (SELECT 1 FROM alerts WHERE story = st.follows AND channel = al.channel
                   AND status = 'sent') AS follows_alerted
FROM alerts AS al
     -- The alert shows its story's first article (the original, not the copy that
     -- happened to be stored first); the terms are those that fired on its own article.
     -- A health notice's row has no story (storage.health renders it).
     LEFT JOIN articles AS a ON a.id = (SELECT id FROM articles WHERE story = al.story
                                        ORDER BY event_time, id LIMIT 1)
     LEFT JOIN stories AS st ON st.key = al.story
     LEFT JOIN topic_matches AS m ON m.article_id = al.article_id AND m.topic = al.topic
WHERE (al.status = 'pending' AND al.next_attempt_at <= :now) OR al.status = 'sending'
ORDER BY al.created_at, al.id
LIMIT :limit
"""

_LIST = """
SELECT al.id, al.story, al.channel, al.status, al.attempts, al.last_error,
       COALESCE(a.title, hn.title) AS title, COALESCE(a.url, hn.url, '') AS url,
       al.topic, al.created_at, al.next_attempt_at, al.sent_at,
       COALESCE(a.source, hn.source) AS source, al.uncertain,
       CASE WHEN al.notice IS NULL THEN 'story' ELSE 'health' END AS kind
FROM alerts AS al
     LEFT JOIN articles AS a ON a.id = (SELECT id FROM articles WHERE story = al.story
                                        ORDER BY event_time, id LIMIT 1)
     LEFT JOIN health_notices AS hn ON hn.id = al.notice
ORDER BY al.created_at, al.id
"""


def due_alerts(db: Database, now: str, *, limit: int) -> list[AlertMessage]:
    """Pending alerts whose next attempt is due, and claimed ones (whose claim may be
    stale: `claimed_by` and `lease_until` tell), oldest first."""
    if not isinstance(limit, int) or limit < 1:
        raise StorageError(f"limit must be a positive whole number, not {limit!r}")
    messages = []
    for record in db.query(_DUE, {"now": now, "limit": limit}):
        if record["notice"] is not None:
            messages.append(notice_message(db, record))
            continue
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
            found=None if record["found"] is None else tuple(json.loads(record["found"])),
            other_sources=tuple(json.loads(record["other_sources"] or "[]")),
            attempts=record["attempts"],
            created_at=record["created_at"],
            claimed_by=record["claimed_by"] if record["status"] == "sending" else None,
            lease_until=record["lease_until"] if record["status"] == "sending" else None,
            uncertain=record["uncertain"],
            follows=_earlier_story(record),
            extra={"article_id": record["article_id"]},
        ))
    return messages


def _earlier_story(record: dict) -> EarlierStory | None:
    """The story this alert's story follows up, as its first article shows it."""
    if not record["follows"] or not record["follows_first"]:
        return None
    title, url = json.loads(record["follows_first"])
    return EarlierStory(record["follows"], title or "", url, bool(record["follows_alerted"]))


def claim(db: Database, alert_id: int, owner: str, lease_until: str, *,
          taken_from: str | None = None) -> bool:
    """Claim a pending alert for `owner` until `lease_until`; with `taken_from`, take over
    that owner's stale claim instead (the alert may then have been sent already: it is
    counted as uncertain). False when another process won the claim."""
    with transaction(db) as conn:
        if taken_from is None:
            cursor = conn.execute(
                "UPDATE alerts SET status = 'sending', claimed_by = ?, lease_until = ?"
                " WHERE id = ? AND status = 'pending'", (owner, lease_until, alert_id))
        else:
            cursor = conn.execute(
                "UPDATE alerts SET claimed_by = ?, lease_until = ?, uncertain = uncertain + 1"
                " WHERE id = ? AND status = 'sending' AND claimed_by = ?",
                (owner, lease_until, alert_id, taken_from))
        return cursor.rowcount == 1


class ClaimLost(StorageError):
    """The alert is no longer claimed by this owner: another process took it over."""


def _settle(db: Database, alert_id: int, owner: str, sql: str, params: tuple) -> None:
    """Apply the outcome of an attempt to an alert `owner` has claimed."""
    with transaction(db) as conn:
        changed = conn.execute(
            sql + ", claimed_by = NULL, lease_until = NULL"
            " WHERE id = ? AND status = 'sending' AND claimed_by = ?",
            (*params, alert_id, owner)).rowcount
        if changed:
            return
        row = conn.execute("SELECT status FROM alerts WHERE id = ?", (alert_id,)).fetchone()
    if row is None:
        raise StorageError(f"no alert {alert_id!r}")
    if row[0] == "sending":
        raise ClaimLost(f"alert {alert_id} was taken over by another process")
    raise StorageError(f"alert {alert_id} is already {row[0]}")


def mark_sent(db: Database, alert_id: int, when: str, *, owner: str) -> None:
    """Delivered: the attempt counts, and the alert leaves the queue for good."""
    _settle(db, alert_id, owner,
            "UPDATE alerts SET status = 'sent', attempts = attempts + 1, sent_at = ?", (when,))


def mark_retry(db: Database, alert_id: int, error: str, next_attempt_at: str, *, owner: str,
               uncertain: bool = False) -> None:
    """Pending again from `next_attempt_at`; `uncertain` when the failed attempt may
    have been delivered all the same (no answer after the request went out)."""
    _settle(db, alert_id, owner,
            "UPDATE alerts SET status = 'pending', attempts = attempts + 1, last_error = ?,"
            " next_attempt_at = ?, uncertain = uncertain + ?",
            (error, next_attempt_at, int(uncertain)))


def channel_back(db: Database, channel: str, now: str) -> int:
    """The channel answers again: its alerts waiting out a backoff are due now."""
    with transaction(db) as conn:
        return conn.execute(
            "UPDATE alerts SET next_attempt_at = ? WHERE channel = ? AND status = 'pending'"
            " AND attempts > 0 AND next_attempt_at > ?", (now, channel, now)).rowcount


def mark_failed(db: Database, alert_id: int, error: str, *, owner: str) -> None:
    _settle(db, alert_id, owner,
            "UPDATE alerts SET status = 'failed', attempts = attempts + 1, last_error = ?",
            (error,))


def requeue_failed(db: Database, now: str) -> int:
    """Put every failed alert back in the queue with a fresh count of attempts
    (after the channel's problem is fixed); returns how many."""
    with transaction(db) as conn:
        cursor = conn.execute(
            "UPDATE alerts SET status = 'pending', attempts = 0, uncertain = 0,"
            " next_attempt_at = ? WHERE status = 'failed'", (now,))
        return cursor.rowcount


def list_alerts(db: Database) -> list[dict]:
    return list(db.query(_LIST))
