"""The news spider's side of HTTP: the requests it sends, and what a response says of itself.

Each request carries the meta keys the middlewares read (crawler/vocabulary.py) and, in
`cb_kwargs`, what only the spider's callbacks read. Feeds' dates are kept here too: they
arrive with one page and are wanted by another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from urllib.parse import quote

from scrapy.http import Request, Response

from crawler.config import Config, Source
from crawler.extract import FeedEntry, encoding_name
from crawler.urls import host_matches, host_of, normalize_url, url_key
from crawler.vocabulary import CHAIN, CONDITIONAL, HANDLE_HTTPSTATUS_LIST, KIND, SOURCE

Callback = Callable[..., Any]


def source_for_url(config: Config, url: str) -> Source | None:
    """The configured source whose domains hold this URL's host, if any."""
    host = host_of(url)
    for source in config.sources:
        if host_matches(host, source.allowed_domains):
            return source
    return None


def search_url(template: str, query: str) -> str:
    """A source's search address for `query`: URL-encoded into its `search_url`."""
    return template.replace("{query}", quote(query, safe=""))


def page_request(url: str, source: Source, kind: str, *, callback: Callback,
                 errback: Callback, page: int = 1, chain: str | None = None) -> Request:
    """A listing, feed or search page; `chain` is the first page of its pagination.

    Asked conditionally (the page's saved ETag / Last-Modified), so a 304 reaches the
    callback: nothing new on the page since the last cycle.
    """
    return Request(
        url,
        callback=callback,
        errback=errback,
        meta={SOURCE: source.name, KIND: kind, CHAIN: chain or url, CONDITIONAL: True,
              HANDLE_HTTPSTATUS_LIST: [304]},
        cb_kwargs={"page": page},
    )


def article_request(url: str, source: Source, via: str, hops: int | None,
                    referrer: str | None, *, callback: Callback, errback: Callback) -> Request:
    """An article page, at its normalised address; raises BadURL for a link that has none.

    `via` is how the link was found, `hops` how far it lies from the nearest seed or
    matching article (None: not on a read-also path), `referrer` the page linking it.
    """
    return Request(
        normalize_url(url),
        callback=callback,
        errback=errback,
        meta={SOURCE: source.name, KIND: "article"},
        cb_kwargs={"via": via, "hops": hops, "referrer": referrer},
    )


def content_type(response: Response) -> str:
    return (response.headers.get(b"Content-Type") or b"").decode("latin-1")


def declared_encoding(response: Response) -> str | None:
    """The codec named by the response's Content-Type charset, if Python knows it."""
    return encoding_name(content_type(response))


class FeedDates:
    """The dates feeds gave articles, by URL identity, for pages that show none.

    Only a fallback: the page's own date is the publisher's word on it, while feeds
    round, shift zones or give the time of an edit. Looked up when the page is read,
    not carried by its request: the request may have come from a listing page read
    before the feed.
    """

    def __init__(self) -> None:
        self.dates: dict[str, datetime] = {}

    def note(self, entries: Iterable[FeedEntry]) -> None:
        for entry in entries:
            if entry.published is not None:
                try:
                    self.dates[url_key(entry.url)] = entry.published
                except ValueError:
                    continue

    def of(self, url: str) -> datetime | None:
        try:
            return self.dates.get(url_key(url))
        except ValueError:
            return None
