"""Storing one article: aliases, story, read-also edges, full-text row, matches and
outbox rows, all in one transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from sqlite_utils import Database

from crawler.text import fold
from crawler.urls import BadURL, normalize_url, url_key
from storage import stories
from storage.database import transaction
from storage.errors import StorageError
from storage.records import ArticleRecord, StoreResult, TopicMatchRecord
from storage.restory import event_time
from storage.stories import body_length
from storage.times import archive_time, check_iso

DISCOVERY_KINDS = ("seed", "read_also", "search", "listing", "feed")


def store_article(
    db: Database,
    article: ArticleRecord,
    *,
    matches: Sequence[TopicMatchRecord],
    alerts: Sequence[tuple[str, str]],
    now: str,
) -> StoreResult:
    """Store or merge one article; see Archive.store_article."""
    keys = _identity(article)
    fetched_at = archive_time(article.fetched_at, field=f"fetched_at of {article.url}")
    published = check_iso(article.published, field=f"published of {article.url}")
    _check(article, matches, alerts)
    try:
        with transaction(db) as conn:
            found = _find_article(conn, keys)
            if found is None:
                article_id, story, new_story = _insert(conn, article, keys, fetched_at,
                                                       published, now)
            else:
                article_id, story = found, _merge(conn, found, article, published)
                new_story = False
            conn.executemany(
                "INSERT OR IGNORE INTO aliases (key, article_id, url) VALUES (?, ?, ?)",
                [(key, article_id, url) for key, url in keys.items()],
            )
            _add_read_also(conn, article_id, article, keys)
            stories.link_read_also(conn, article_id)
            _add_matches(conn, article_id, matches)
            created = _queue_alerts(conn, story, article_id, alerts, now)
    except sqlite3.IntegrityError as error:
        raise StorageError(f"cannot store {article.url}: {error}") from None
    return StoreResult(
        article_id=article_id,
        story=story,
        new_article=found is None,
        new_story=new_story,
        alerts_created=created,
    )


def _identity(article: ArticleRecord) -> dict[str, str]:
    """url_key -> normalised URL, the canonical URL first."""
    keys: dict[str, str] = {}
    for position, url in enumerate((article.url, *article.aliases)):
        try:
            keys.setdefault(url_key(url), normalize_url(url))
        except BadURL:
            what = "article URL" if position == 0 else f"alias of {article.url!r}"
            raise StorageError(f"{what} is not an http(s) URL: {url!r}") from None
    return keys


def _check(
    article: ArticleRecord,
    matches: Sequence[TopicMatchRecord],
    alerts: Sequence[tuple[str, str]],
) -> None:
    if not isinstance(article.source, str) or not article.source.strip():
        raise StorageError(f"article {article.url}: source is empty")
    if article.discovered_via not in DISCOVERY_KINDS:
        raise StorageError(
            f"article {article.url}: discovered_via must be one of {', '.join(DISCOVERY_KINDS)},"
            f" not {article.discovered_via!r}"
        )
    for match in matches:
        if not match.topic:
            raise StorageError(f"article {article.url}: a topic match has no topic name")
    for pair in alerts:
        if len(pair) != 2 or not all(isinstance(part, str) and part for part in pair):
            raise StorageError(f"article {article.url}: alert {pair!r} is not (topic, channel)")


def _find_article(conn: sqlite3.Connection, keys: dict[str, str]) -> int | None:
    for key in keys:
        row = conn.execute("SELECT article_id FROM aliases WHERE key = ?", (key,)).fetchone()
        if row:
            return row[0]
    return None


def _insert(
    conn: sqlite3.Connection,
    article: ArticleRecord,
    keys: dict[str, str],
    fetched_at: str,
    published: str | None,
    now: str,
) -> tuple[int, str, bool]:
    key = next(iter(keys))
    when = event_time(published, fetched_at)
    placement = stories.place(conn, article.title or "", article.text or "", when,
                              article.source.strip(), article.prepared)
    story = placement.story
    new_story = False
    if story is None:
        story = stories.story_key_for(key)
        new_story = conn.execute(
            "INSERT OR IGNORE INTO stories (key, created_at) VALUES (?, ?)", (story, now)
        ).rowcount == 1
    cursor = conn.execute(
        """INSERT INTO articles (url, url_key, source, title, text, published, language,
               author, discovered_via, fetched_at, depth, referrer, story, text_capped,
               event_time)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (keys[key], key, article.source.strip(), article.title or "", article.text or "",
         published, article.language or None, article.author or None, article.discovered_via,
         fetched_at, max(-1, int(article.depth)), article.referrer, story,
         int(bool(article.text_capped)), when),
    )
    article_id = int(cursor.lastrowid or 0)
    stories.settle(conn, article_id, story, placement)
    _index(conn, article_id, *placement.folded, replace=False)
    return article_id, story, new_story


def _merge(
    conn: sqlite3.Connection, article_id: int, article: ArticleRecord, published: str | None
) -> str:
    """Fold a new copy into the stored article: keep the better body, fill what is missing."""
    title, text, story = conn.execute(
        "SELECT title, text, story FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    new_title = title or article.title or ""
    new_text = article.text if body_length(article.text) > body_length(text) else text
    conn.execute(
        """UPDATE articles SET title = :title, text = :text,
               published = COALESCE(published, :published),
               author = COALESCE(author, :author), language = COALESCE(language, :language),
               depth = CASE WHEN depth < 0 THEN :depth WHEN :depth < 0 THEN depth
                            ELSE MIN(depth, :depth) END,
               text_capped = CASE WHEN :replaced THEN :capped ELSE text_capped END
           WHERE id = :id""",
        {"title": new_title, "text": new_text, "published": published,
         "author": article.author or None, "language": article.language or None,
         "depth": max(-1, int(article.depth)), "id": article_id,
         "replaced": new_text is article.text, "capped": int(article.text_capped)},
    )
    if (new_title, new_text) != (title, text):
        _index(conn, article_id, fold(new_title), fold(new_text), replace=True)
    if new_text != text:
        # The completed body is indexed too, so that later copies of it find the story.
        stories.index_text(conn, article_id, new_title, new_text)
    return story


def _index(conn: sqlite3.Connection, article_id: int, folded_title: str, folded_text: str,
           *, replace: bool) -> None:
    """The full-text row of an article, from its folded title and text (crawler.text.fold:
    the same folding as at query time)."""
    if replace:
        conn.execute("DELETE FROM articles_fts WHERE rowid = ?", (article_id,))
    conn.execute(
        "INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
        (article_id, folded_title, folded_text),
    )


def _add_read_also(
    conn: sqlite3.Connection, article_id: int, article: ArticleRecord, own: dict[str, str]
) -> None:
    for link in article.read_also:
        try:
            to_url, to_key = normalize_url(link.url), url_key(link.url)
        except BadURL:
            continue  # not a followable address: nothing to link to
        if to_key in own:
            continue
        conn.execute(
            """INSERT INTO read_also (from_id, to_url, to_key, title) VALUES (?, ?, ?, ?)
               ON CONFLICT (from_id, to_key) DO UPDATE SET title = excluded.title
               WHERE read_also.title = ''""",
            (article_id, to_url, to_key, link.title or ""),
        )


def _add_matches(
    conn: sqlite3.Connection, article_id: int, matches: Sequence[TopicMatchRecord]
) -> None:
    conn.executemany(
        """INSERT INTO topic_matches (article_id, topic, score, matched, found)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (article_id, topic) DO UPDATE
           SET score = excluded.score, matched = excluded.matched, found = excluded.found""",
        [(article_id, m.topic, float(m.score), json.dumps(list(m.matched), ensure_ascii=False),
          json.dumps(list(m.found), ensure_ascii=False)) for m in matches],
    )


def _queue_alerts(
    conn: sqlite3.Connection,
    story: str,
    article_id: int,
    alerts: Sequence[tuple[str, str]],
    now: str,
) -> int:
    created = 0
    for topic, channel in alerts:
        # UNIQUE (story, channel) makes this the one place an alert can be born.
        created += conn.execute(
            """INSERT OR IGNORE INTO alerts (story, channel, topic, article_id, status,
                   attempts, created_at, next_attempt_at)
               VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)""",
            (story, channel, topic, article_id, now, now),
        ).rowcount
    return created
