"""Stories in the archive: which story a new article joins, and which story follows which.

A copy joins the story of the article it copies; any other article starts a story
of its own, which follows up an earlier story when it takes up its text under a
new lead (storage.story_relation) or when a read-also link joins the two. Relations
are directed by publication time (fetch time where a page gives none), whichever
article was stored first: a story's first article is its earliest.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import OrderedDict
from dataclasses import dataclass
from functools import partial

from crawler.text import fold, squash_spaces
from storage import story_index
from storage.records import PreparedStory
from storage.story_relation import relation, same_matter
from storage.story_text import StoryText, matter_words, prepare_story, story_text

STORY_KEY_CHARS = 16
_CACHE_SIZE = 256  # features of recently seen articles: copies arrive close together
_features: OrderedDict[int, tuple[int, StoryText]] = OrderedDict()  # id -> (hash of text, …)


@dataclass(frozen=True)
class Placement:
    """Where a new article goes: an existing story (a copy), or a new one."""

    story: str | None  # the story it copies; None: a story of its own
    follows: str | None = None  # the story a new story follows up (when it is later)
    followed_by: str | None = None  # a stored story that follows up the new one
    text: StoryText | None = None
    found: story_index.Candidates | None = None
    text_hash: int = 0
    folded: tuple[str, str] = ("", "")  # title and text folded, for the full-text index


def story_key_for(url_key: str) -> str:
    """The key of the story an article starts: stable, from its URL identity."""
    return hashlib.sha256(f"story:{url_key}".encode()).hexdigest()[:STORY_KEY_CHARS]


def body_length(text: str) -> int:
    """How much body text an article has, the measure for "better content"."""
    return len(squash_spaces(text or ""))


def place(conn: sqlite3.Connection, title: str, text: str, event_time: str,
          source: str = "", prepared: PreparedStory | None = None) -> Placement:
    """Decide the story of an article about to be stored (not yet in the index).
    `prepared`: its features, made where the page was read, if made for this title and
    text."""
    if prepared is None or (prepared.title, prepared.text) != (title, text):
        # Folded once, as the full-text index keeps it: candidates are read from there.
        prepared = prepare_story(title or "", text or "")
    features = prepared.features
    found = story_index.find(conn, features)
    # What every placement of this article carries, whichever story it goes to.
    placed = partial(Placement, text=features, found=found,
                     text_hash=hash(prepared.folded_text),
                     folded=(prepared.folded_title, prepared.folded_text))
    follow: tuple[str, bool] | None = None  # (story, the new article is the later one)
    for candidate in found.articles:
        row = conn.execute(
            "SELECT f.title, f.text, a.story, a.event_time, a.source, a.title, a.text"
            " FROM articles AS a LEFT JOIN articles_fts AS f ON f.rowid = a.id WHERE a.id = ?",
            (candidate,)).fetchone()
        if row is None:
            continue
        if row[1] is None:  # not in the full-text index (an archive put together by hand)
            row = (fold(row[5]), fold(row[6]), *row[2:5])
        other = _cached_features(candidate, row[0], row[1])
        later = event_time >= (row[3] or "")
        same_source = row[4] == source
        verdict = (relation(features, other, found.boilerplate, same_source=same_source)
                   if later else
                   relation(other, features, found.boilerplate, same_source=same_source))
        if verdict == "copy":
            return placed(row[2])
        if verdict == "follow_up" and follow is None:
            follow = (row[2], later)
    if follow is None:
        return placed(None)
    story, later = follow
    return placed(None, follows=story if later else None,
                  followed_by=None if later else story)


def _cached_features(article_id: int, title: str, text: str) -> StoryText:
    cached = _features.get(article_id)
    if cached is None or cached[0] != hash(text):
        # The archive's full-text index keeps the folded title and text: read, not redone.
        cached = (hash(text), story_text(title, text, folded=True, bands=False))
        _features[article_id] = cached
        if len(_features) > _CACHE_SIZE:
            _features.popitem(last=False)
    return cached[1]


def _remember(article_id: int, text_hash: int, features: StoryText) -> None:
    """Keep a just-stored article's features: its copies tend to follow it closely."""
    _features[article_id] = (text_hash, features)
    if len(_features) > _CACHE_SIZE:
        _features.popitem(last=False)


def settle(conn: sqlite3.Connection, article_id: int, story: str, placement: Placement) -> None:
    """After the article is stored in `story`: index it and record follow-ups."""
    if placement.text is not None and placement.found is not None:
        story_index.add(conn, article_id, placement.text, placement.found)
        _remember(article_id, placement.text_hash, placement.text)
    if placement.follows:
        set_follows(conn, story, placement.follows)
    if placement.followed_by:
        set_follows(conn, placement.followed_by, story)


def index_text(conn: sqlite3.Connection, article_id: int, title: str, text: str) -> None:
    """Index a stored article's new body (a fuller copy of it was fetched)."""
    features = story_text(title, text)
    story_index.add(conn, article_id, features, story_index.find(conn, features))


def set_follows(conn: sqlite3.Connection, later: str, earlier: str) -> None:
    """`later` follows up `earlier`, unless it already follows a story or they are one."""
    if later != earlier:
        conn.execute("UPDATE stories SET follows = ? WHERE key = ? AND follows IS NULL",
                     (earlier, later))


def link_read_also(conn: sqlite3.Connection, article_id: int) -> None:
    """Stored articles joined to this one by a read-also link, either way, are follow-ups
    when they speak of the same matter (a read-also box also links merely related
    stories): the later story follows the earlier."""
    own = _linkable(conn, article_id)
    linked = conn.execute(
        """SELECT al.article_id FROM read_also AS r JOIN aliases AS al ON al.key = r.to_key
               WHERE r.from_id = ?
           UNION
           SELECT r.from_id FROM read_also AS r JOIN aliases AS al ON al.key = r.to_key
               WHERE al.article_id = ?""", (article_id, article_id)).fetchall()
    for (other_id,) in linked:
        other = _linkable(conn, other_id)
        if other is None or own is None or other[0] == own[0]:
            continue
        later, earlier = (own, other) if own[1] >= other[1] else (other, own)
        if same_matter(later[2], earlier[2]):
            set_follows(conn, later[0], earlier[0])


def _linkable(conn: sqlite3.Connection, article_id: int
              ) -> tuple[str, str, frozenset[str]] | None:
    """(story, event time, words of its title and lead) of a stored article."""
    row = conn.execute(
        "SELECT a.story, a.event_time, f.title, substr(f.text, 1, 3000) FROM articles AS a"
        " JOIN articles_fts AS f ON f.rowid = a.id WHERE a.id = ?", (article_id,)).fetchone()
    if row is None:
        return None
    return row[0], row[1] or "", matter_words(row[2], row[3])
