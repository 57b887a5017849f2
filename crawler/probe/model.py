"""What a probe saw of one source: each page asked for, and what came of it."""

from __future__ import annotations

from dataclasses import dataclass, field

DISCOVERY = ("listing", "feed", "search")
VERDICTS = ("ok", "degraded", "broken", "blocked")


@dataclass
class ArticleFacts:
    """What the crawl's extraction read from one article page."""

    title: str
    published: str | None  # ISO 8601
    body_chars: int
    read_also: int


@dataclass
class Page:
    """One page the probe asked for: a listing, a feed, the search or an article."""

    kind: str  # "listing", "feed", "search" or "article"
    url: str
    status: int | None = None  # the HTTP status, None when no answer came
    seconds: float | None = None  # how long the answer took
    error: str | None = None  # why nothing usable came back (not blocked, not forbidden)
    blocked: str | None = None  # why the site refused marsad (403, a bot challenge)
    forbidden: bool = False  # robots.txt forbids it
    is_feed: bool = False  # answered as RSS, Atom or a sitemap
    links: list[str] = field(default_factory=list)  # article links or entries on the source
    offsite: list[str] = field(default_factory=list)  # entries leading off its domains
    # Same-site links that look like articles, read when article_pattern kept none.
    lookalikes: list[str] = field(default_factory=list)
    announced_feeds: list[str] = field(default_factory=list)  # <link rel="alternate"> feeds
    next_page: str | None = None  # a listing's next page, as the crawl would find it
    article: ArticleFacts | None = None

    @property
    def answered(self) -> bool:
        return self.error is None and self.blocked is None and not self.forbidden


@dataclass
class SourceProbe:
    """A source, what was asked of it, and (once assessed) the verdict and its reasons."""

    source: str
    verified: str | None
    article_pattern: str | None
    query: str | None  # the search words tried, None when no search was made
    pages: list[Page] = field(default_factory=list)
    verdict: str = "ok"
    problems: list[str] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Page]:
        return [page for page in self.pages if page.kind == kind]

    def slowest(self) -> Page | None:
        timed = [page for page in self.pages if page.seconds is not None]
        return max(timed, key=lambda page: page.seconds or 0.0, default=None)
