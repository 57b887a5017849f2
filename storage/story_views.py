"""Reading stories back: the list of stories and one story's timeline.

A story's first article is its earliest by (event_time, id); its other articles are
its copies; the stories whose `follows` names it are its follow-ups. Listing walks the
articles newest first (index articles_event_time) and keeps each story's first
article, so that a limited list stops early instead of summarising the whole archive.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database

from storage.database import write_lock
from storage.errors import StorageError

# Each story's first article (no article of its story precedes it), summarised.
# Sources come in order of first appearance, the first article's source first; the
# flag `other` sits in the select list because SQLite lets a grouped subquery's select
# list name the outer row, but not its ORDER BY.
_SUMMARY = """
SELECT a.id, a.story, a.event_time AS first_seen, a.title, a.url, a.source, a.published,
       a.language, st.follows,
       (SELECT count(*) FROM articles WHERE story = a.story) - 1 AS copies,
       (SELECT count(*) FROM stories WHERE follows = a.story) AS follow_ups,
       (SELECT json_group_array(source) FROM (
            SELECT source, source != a.source AS other FROM articles WHERE story = a.story
            GROUP BY source ORDER BY other, MIN(event_time), source)) AS sources,
       (SELECT json_group_array(topic) FROM (
            SELECT DISTINCT m.topic FROM articles AS c
                JOIN topic_matches AS m ON m.article_id = c.id
            WHERE c.story = a.story ORDER BY m.topic)) AS topics,
       (SELECT json_group_array(json_object('channel', channel, 'status', status)) FROM (
            SELECT channel, status FROM alerts WHERE story = a.story ORDER BY channel))
           AS alerts
FROM articles AS a JOIN stories AS st ON st.key = a.story
WHERE NOT EXISTS (
    SELECT 1 FROM articles AS b WHERE b.story = a.story
        AND (b.event_time < a.event_time OR (b.event_time = a.event_time AND b.id < a.id)))
"""
# Filters: fixed SQL fragments; their values are always bound as parameters.
_SINCE = " AND a.event_time >= :since"
_TOPIC = """ AND EXISTS (
    SELECT 1 FROM articles AS c JOIN topic_matches AS m ON m.article_id = c.id
    WHERE c.story = a.story AND m.topic = :topic)"""
_ONE = " AND a.story = :story"
_ORDER = " ORDER BY a.event_time DESC, a.id DESC LIMIT :limit"

_FIRST_ARTICLE = """
SELECT story, event_time AS time, published, source, title, url, language FROM articles
WHERE story = :story ORDER BY event_time, id LIMIT 1
"""
_COPIES = """
SELECT event_time AS time, published, source, title, url, language FROM articles
WHERE story = :story AND id != :first ORDER BY event_time, id
"""
_FOLLOW_UPS = "SELECT key FROM stories WHERE follows = :story"
_ALERTS = """
SELECT channel, status, topic, attempts, created_at, sent_at FROM alerts
WHERE story = :story ORDER BY channel
"""


def list_stories(db: Database, *, since: str | None = None, topic: str | None = None,
                 limit: int | None = None) -> list[dict]:
    """Stories newest first by their first article's event time, each summarised:
    story, first_seen, title, url, source, published, language (of the first article),
    follows, copies, follow_ups (counts), sources, topics, alerts ([{channel, status}]).
    `since` (UTC ISO 8601) keeps stories first seen then or later; `topic` those with
    an article matching it."""
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool)
                              or limit < 1):
        raise StorageError(f"stories limit must be a positive whole number, not {limit!r}")
    filters = (_SINCE if since is not None else "") + (_TOPIC if topic is not None else "")
    params = {"since": since, "topic": topic, "limit": -1 if limit is None else limit}
    rows = [_decoded(row) for row in db.query(_SUMMARY + filters + _ORDER, params)]
    for row in rows:
        del row["id"]
    return rows


def story_timeline(db: Database, key: str) -> dict | None:
    """One story: its summary (as listed), then `first` (its first article), `copies`,
    `follow_ups` (each the first article of a later story, with its key) and `follows`
    (the same for the story it follows up, or None). None when no article is in a
    story of that key."""
    with _snapshot(db):
        params = {"story": key, "limit": 1}
        summary = next(db.query(_SUMMARY + _ONE + _ORDER, params), None)
        if summary is None:
            return None
        story = _decoded(summary)
        params["first"] = story.pop("id")
        story["first"] = {"time": story["first_seen"],
                          **{name: story[name] for name in
                             ("published", "source", "title", "url", "language")}}
        story["copies"] = list(db.query(_COPIES, params))
        linked = [_first_article(db, row["key"]) for row in db.query(_FOLLOW_UPS, params)]
        story["follow_ups"] = sorted((f for f in linked if f is not None),
                                     key=lambda f: (f["time"] or "", f["story"]))
        story["follows"] = _first_article(db, story["follows"]) if story["follows"] else None
        story["alerts"] = list(db.query(_ALERTS, params))
        return story


def _first_article(db: Database, key: str) -> dict | None:
    """A story's first article, with the story's key; None for a story without one."""
    return next(db.query(_FIRST_ARTICLE, {"story": key}), None)


def _decoded(row: dict) -> dict:
    for name in ("sources", "topics", "alerts"):
        row[name] = json.loads(row[name] or "[]")
    return row


@contextmanager
def _snapshot(db: Database) -> Iterator[None]:
    """Several reads that see one state of the archive while a crawl writes to it.
    Inside an open transaction (a batch) the reads already share one."""
    with write_lock(db):
        own = not db.conn.in_transaction
        if own:
            db.conn.execute("BEGIN")
        try:
            yield
        finally:
            if own and db.conn.in_transaction:
                db.conn.execute("COMMIT")
