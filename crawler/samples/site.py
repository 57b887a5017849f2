"""What every sample site shares: its articles, listings, feed, search, robots.txt,
conditional GET (ETag / Last-Modified / 304), 404 and the "down" switch.

A site never touches sockets: `Site.respond` turns a request target and headers
into a `Response`; the server in `server.py` does the HTTP.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import Message
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from crawler import clock
from crawler.samples.dates import http_date
from crawler.samples.model import Article, Link
from crawler.text import fold


@dataclass
class Page:
    """What a route produces, before encoding and conditional handling."""

    body: str
    content_type: str = "text/html"
    encoding: str = "utf-8"
    cacheable: bool = False  # listings, feeds and searches: ETag, Last-Modified, 304
    status: int = 200
    location: str | None = None


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""


@dataclass
class World:
    """All sites served together: links between them need each other's addresses."""

    now: datetime
    sites: dict[str, Site] = field(default_factory=dict)
    base_urls: dict[str, str] = field(default_factory=dict)

    def article(self, key: str) -> Article:
        for site in self.sites.values():
            found = site.by_key(key)
            if found is not None:
                return found
        raise KeyError(f"no sample article with key {key!r}")

    def url(self, link: Link) -> str:
        target = self.article(link.target)
        return self.sites[target.site].url_for(target, link.variant)


class Site:
    """Base class of the sample sites; subclasses supply URLs and templates."""

    name = ""
    display_name = ""
    language = "ar"
    timezone = "Africa/Casablanca"
    per_page = 10
    feed_size = 10
    search_per_page = 10
    disallow = "/prive/"
    listing_path = "/"
    feed_path = "/feed"
    search_path = ""  # with "{query}"

    def __init__(self, world: World, articles: list[Article]) -> None:
        self.world = world
        self.down = False
        self._lock = threading.Lock()
        self._articles: tuple[Article, ...] = ()
        self._paths: dict[str, tuple[Article, str]] = {}
        self.updated = datetime(2000, 1, 1, tzinfo=UTC)
        for article in articles:
            self._store(article)

    # -- subclass hooks -------------------------------------------------------
    def article_path(self, article: Article) -> str:
        raise NotImplementedError

    def variant_paths(self, article: Article) -> dict[str, str]:
        """Other paths that serve the article, by variant name."""
        return {}

    def route(self, path: str, query: Mapping[str, str]) -> Page | None:
        raise NotImplementedError

    def boilerplate(self, article: Article) -> tuple[str, ...]:
        """Page text around the article that extraction must leave out."""
        return tuple(self.world.article(link.target).title for link in article.links)

    def robots(self) -> str:
        return f"User-agent: *\nDisallow: {self.disallow}\n"

    def not_found(self) -> str:
        return ("<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
                "<body><h1>404 Not Found</h1></body></html>")

    # -- content --------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return self.world.base_urls.get(self.name, "http://localhost")

    def articles(self) -> tuple[Article, ...]:
        return self._articles

    def by_key(self, key: str) -> Article | None:
        return next((a for a in self._articles if a.key == key), None)

    def url_for(self, article: Article, variant: str = "") -> str:
        return self.base_url + article.path

    def lookup(self, path: str) -> tuple[Article, str] | None:
        """The article (and variant) served at an unquoted path."""
        return self._paths.get(path)

    def listed(self) -> list[Article]:
        return self._newest(a for a in self._articles if a.listed)

    def page_count(self) -> int:
        return max(1, -(-len(self.listed()) // self.per_page))

    def listing_page(self, number: int) -> list[Article] | None:
        if not 1 <= number <= self.page_count():
            return None
        start = (number - 1) * self.per_page
        return self.listed()[start:start + self.per_page]

    def feed(self) -> list[Article]:
        return self._newest(a for a in self._articles if a.in_feed)[: self.feed_size]

    def search(self, query: str) -> list[Article]:
        """Every article holding all the words of the query (folded), newest first."""
        words = fold(query).split()
        if not words:
            return []
        return self._newest(a for a in self._articles
                            if all(w in fold(a.title + "\n" + a.text) for w in words))

    def search_page(self, query: str, number: int) -> tuple[list[Article], bool]:
        """One page of results, and whether a next page exists."""
        found = self.search(query)
        start = (max(number, 1) - 1) * self.search_per_page
        return found[start:start + self.search_per_page], len(found) > start + self.search_per_page

    def add(self, article: Article) -> None:
        """Publish an article: it joins listings, feed and search, changing their ETags."""
        with self._lock:
            moment = max(self.updated + timedelta(seconds=1), article.published, clock.now())
            self._store(article)
            self.updated = moment

    def _store(self, article: Article) -> None:
        article.path = self.article_path(article)
        paths = dict(self._paths)
        paths[unquote(article.path)] = (article, "")
        for variant, path in self.variant_paths(article).items():
            paths[unquote(path)] = (article, variant)
        self._paths = paths
        self._articles = (*self._articles, article)
        if article.listed or article.in_feed:
            self.updated = max(self.updated, article.published)

    @staticmethod
    def _newest(articles: Iterable[Article]) -> list[Article]:
        return sorted((a for a in articles if not a.forbidden),
                      key=lambda a: (a.published, a.id), reverse=True)

    # -- HTTP -----------------------------------------------------------------
    def respond(self, target: str, headers: Message) -> Response:
        if self.down:
            return Response(503, [("Content-Type", "text/plain; charset=utf-8"),
                                  ("Retry-After", "120")], b"503 Service Unavailable\n")
        try:
            parts = urlsplit(target)
        except ValueError:
            return Response(400, [("Content-Type", "text/plain; charset=utf-8")], b"bad target\n")
        path = unquote(parts.path or "/", errors="replace")
        query = dict(parse_qsl(parts.query, keep_blank_values=True, errors="replace"))
        if path == "/robots.txt":
            page: Page | None = Page(self.robots(), "text/plain")
        else:
            page = self.route(path, query)
        if page is None:
            page = Page(self.not_found(), status=404)
        if page.location:
            return Response(301, [("Location", page.location),
                                  ("Content-Type", "text/html; charset=utf-8")], b"")
        body = page.body.encode(page.encoding, errors="xmlcharrefreplace")
        out = [("Content-Type", f"{page.content_type}; charset={page.encoding}")]
        if page.cacheable and page.status == 200:
            etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:20] + '"'
            modified = self.updated.replace(microsecond=0)
            out += [("ETag", etag), ("Last-Modified", http_date(modified)),
                    ("Cache-Control", "max-age=0, must-revalidate")]
            if _not_modified(headers, etag, modified):
                return Response(304, out[1:])
        return Response(page.status, out, body)


def _not_modified(headers: Message, etag: str, modified: datetime) -> bool:
    """RFC 9110: If-None-Match wins over If-Modified-Since when both are sent."""
    tags = headers.get("If-None-Match")
    if tags is not None:
        values = [t.strip() for t in tags.split(",")]
        return "*" in values or any(v.removeprefix("W/") == etag for v in values)
    since = headers.get("If-Modified-Since")
    if not since:
        return False
    try:
        moment = parsedate_to_datetime(since)
    except (TypeError, ValueError, IndexError):
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return modified <= moment


def quote_path(path: str) -> str:
    """Percent-encode a path the way browsers and crawlers send it."""
    return quote(path, safe="/:@!$&'()*+,;=-._~")
