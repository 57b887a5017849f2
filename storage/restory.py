"""Placing every stored article in its story again, in one pass, oldest event first.

Run by the migration that brought near-copy stories to archives made before it;
it shows its progress on a terminal. Alerts follow their article to its new story;
where two old stories became one, the story keeps one alert per channel (a sent one
before a pending one, then the oldest) and the others are dropped: they were the
repeats that near-copy stories exist to prevent.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable

from storage import stories
from storage.errors import StorageError
from storage.times import archive_time

Progress = Callable[[int, int], None]


def event_time(published: str | None, fetched_at: str) -> str:
    """When the article's event happened, as the archive orders stories: its publication
    time in UTC, else its fetch time."""
    if published:
        try:
            return archive_time(published, field="published")
        except StorageError:
            pass
    return fetched_at


def restory(conn: sqlite3.Connection, progress: Progress | None = None) -> None:
    if progress is None and sys.stderr.isatty():
        progress = _terminal_progress
    rows = conn.execute("SELECT id, published, fetched_at FROM articles").fetchall()
    conn.executemany("UPDATE articles SET event_time = ? WHERE id = ?",
                     [(event_time(published, fetched), id_) for id_, published, fetched in rows])
    conn.execute("DELETE FROM story_bands")
    conn.execute("UPDATE stories SET follows = NULL")
    total = len(rows)
    claimed: set[str] = set()
    ordered = conn.execute("SELECT id, url_key, title, text, event_time, story, fetched_at, "
                           "source FROM articles ORDER BY event_time, id").fetchall()
    for done, (id_, key, title, text, when, old, fetched, source) in enumerate(ordered, 1):
        placement = stories.place(conn, title, text, when, source)
        story = placement.story
        if story is None:
            # The earliest article of an old story keeps its key; the others get their own.
            story = old if old not in claimed else stories.story_key_for(key)
            conn.execute("INSERT OR IGNORE INTO stories (key, created_at) VALUES (?, ?)",
                         (story, fetched))
            claimed.add(story)
        conn.execute("UPDATE articles SET story = ? WHERE id = ?", (story, id_))
        stories.settle(conn, id_, story, placement)
        if progress is not None and (done % 500 == 0 or done == total):
            progress(done, total)
    for (id_,) in conn.execute("SELECT id FROM articles").fetchall():
        stories.link_read_also(conn, id_)
    _move_alerts(conn)
    conn.execute("""DELETE FROM stories WHERE key NOT IN (SELECT story FROM articles)
                        AND key NOT IN (SELECT story FROM alerts)
                        AND key NOT IN (SELECT follows FROM stories WHERE follows IS NOT NULL)""")
    if progress is not None:
        sys.stderr.write("\n")


def _move_alerts(conn: sqlite3.Connection) -> None:
    alerts = conn.execute(
        """SELECT al.id, a.story, al.channel FROM alerts AS al
               JOIN articles AS a ON a.id = al.article_id
           ORDER BY al.status = 'sent' DESC, al.created_at, al.id""").fetchall()
    kept: set[tuple[str, str]] = set()
    repeats = []
    for alert_id, story, channel in alerts:
        if (story, channel) in kept:
            repeats.append((alert_id,))
        else:
            kept.add((story, channel))
    conn.executemany("DELETE FROM alerts WHERE id = ?", repeats)
    # Through a free key first: UNIQUE (story, channel) holds at every step.
    conn.execute("INSERT OR IGNORE INTO stories (key, created_at) "
                 "SELECT 'moving:' || id, created_at FROM alerts")
    conn.execute("UPDATE alerts SET story = 'moving:' || id")
    conn.execute("UPDATE alerts SET story = (SELECT story FROM articles "
                 "WHERE articles.id = alerts.article_id)")
    conn.execute("DELETE FROM stories WHERE key LIKE 'moving:%'")


def _terminal_progress(done: int, total: int) -> None:
    sys.stderr.write(f"\rplacing stored articles in their stories: {done}/{total}")
    sys.stderr.flush()
