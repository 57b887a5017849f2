"""Plain records that cross the storage boundary, in and out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.story_text import StoryText


@dataclass(frozen=True)
class ReadAlsoLink:
    url: str
    title: str = ""


@dataclass(frozen=True)
class PreparedStory:
    """An article's title and text, folded, with the features story placement decides on
    (storage.story_text.prepare_story): made where the page is read, so that an
    extraction worker, not the crawl's process, does the work. Used only for the very
    title and text it was made from."""

    title: str
    text: str
    folded_title: str
    folded_text: str
    features: StoryText


@dataclass(frozen=True)
class ArticleRecord:
    """One fetched, extracted article, ready to store."""

    url: str  # canonical (normalised) URL
    source: str
    title: str
    text: str
    discovered_via: str  # "seed", "read_also", "search", "listing" or "feed"
    fetched_at: str  # ISO 8601, UTC
    aliases: tuple[str, ...] = ()  # every other URL this article was seen under
    published: str | None = None  # ISO 8601, with offset where known
    language: str | None = None
    author: str | None = None
    # Read-also hops from the nearest seed or matching article; -1 when the article was
    # found otherwise and does not match (its read-also links are not followed).
    depth: int = 0
    read_also: tuple[ReadAlsoLink, ...] = ()
    referrer: str | None = None  # the article whose read-also link led here
    text_capped: bool = False  # matching read only the first crawl.max_text_size of the text
    prepared: PreparedStory | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class TopicMatchRecord:
    topic: str
    score: float
    matched: tuple[str, ...]  # the terms that fired, as the topic writes them
    found: tuple[str, ...] = ()  # the words they fired on, as the article writes them


@dataclass(frozen=True)
class StoreResult:
    article_id: int
    story: str  # the story key: the same for every copy of one story
    new_article: bool
    new_story: bool
    alerts_created: int = 0


@dataclass(frozen=True)
class EarlierStory:
    """The story an alert's story follows up."""

    story: str
    title: str  # of its first article (untrusted page text)
    url: str
    alerted: bool  # its alert on the same channel was sent


@dataclass(frozen=True)
class AlertMessage:
    """Everything a channel needs to render one alert. All text is untrusted page text."""

    alert_id: int
    story: str
    channel: str
    topic: str
    title: str
    url: str
    source: str
    published: str | None
    language: str | None
    text: str  # the article body; channels cut their own excerpt
    matched: tuple[str, ...] = ()
    # The matched terms as the article writes them; None for a match recorded before
    # they were kept.
    found: tuple[str, ...] | None = None
    other_sources: tuple[str, ...] = ()  # sources of the story's other copies
    attempts: int = 0
    created_at: str = ""
    # Set when another delivery holds the alert ('sending'): its owner and lease.
    claimed_by: str | None = None
    lease_until: str | None = None
    uncertain: int = 0  # attempts that may have been delivered though none was confirmed
    follows: EarlierStory | None = None  # set for a follow-up
    extra: dict = field(default_factory=dict)
