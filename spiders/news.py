"""The `news` spider: listing pages, feeds, site searches, seeds and read-also links.

It fetches and calls the pure extraction and matching functions; storing,
deduplication and alerts happen in the item pipelines.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from functools import cached_property
from typing import Any

import scrapy
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler import clock, figures
from crawler.blocking import block_reason, scrapy_header
from crawler.causes import SourceFailures, more_requests, name_cause
from crawler.config import Config, Source, load_config
from crawler.extensions.extraction import ExtractionPool, extraction_pool
from crawler.extract import (
    PageHints,
    article_links,
    feed_entries,
    is_feed,
    next_page_url,
)
from crawler.items import ArticleItem
from crawler.middlewares.robots import RobotsTxtBlocked, RobotsTxtUnavailable
from crawler.reading import Page, PageReading, Reader
from crawler.settings import from_config
from crawler.urls import BadURL, host_matches, host_of
from crawler.vocabulary import (
    BAD_URL,
    CHAIN,
    DOWNLOAD_TIMEOUT,
    EMPTY,
    FETCHED,
    KIND,
    READ_ALSO_OFFSITE,
    REDIRECT_URLS,
    SOURCE,
    skipped_key,
)
from spiders.pages import (
    FeedDates,
    article_request,
    content_type,
    declared_encoding,
    page_request,
    search_url,
    source_for_url,
)

__all__ = ["NewsSpider", "source_for_url"]

Output = ArticleItem | Request


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, *args: Any, sources: str | list[str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if isinstance(sources, str):
            sources = [s.strip() for s in sources.split(",") if s.strip()]
        self.selected = list(sources or [])
        self.hints: dict[str, PageHints] = {}
        self.feed_dates = FeedDates()
        # A host that cannot be reached fails every request alike: one line per source
        # and cause, logged when the cycle ends, with the count of the others.
        self.failures = SourceFailures()

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        config = settings.get("MARSAD_CONFIG_OBJECT") or load_config(settings.get("MARSAD_CONFIG"))
        settings.setdict(from_config(config), priority="spider")
        # The pool serves parse_article alone, so it comes with this spider, not with
        # those built on it (the probe reads its pages its own way). Set at the spider's
        # priority: CrawlerProcess applies the project's settings again when it crawls.
        if cls is NewsSpider:
            extensions = {**settings.getdict("EXTENSIONS"), ExtractionPool: 520}
            settings.set("EXTENSIONS", extensions, priority="spider")

    @property
    def config(self) -> Config:
        return self.settings["MARSAD_CONFIG_OBJECT"]

    def sources(self) -> list[Source]:
        if not self.selected:
            return list(self.config.sources)
        return [self.config.source(name) for name in self.selected]

    async def start(self) -> AsyncIterator[Request]:
        for request in self.discovery_requests():
            yield request

    def discovery_requests(self) -> Iterator[Request]:
        crawl = self.config.crawl
        queries = [q for topic in self.config.topics for q in topic.queries]
        for source in self.sources():
            for url in source.listing_urls:
                yield self._page(url, source, "listing")
            for url in source.feed_urls:
                yield self._page(url, source, "feed")
            if source.search_url and crawl.search_pages > 0:
                for query in dict.fromkeys(queries):
                    yield self._page(search_url(source.search_url, query), source, "search")
        names = {s.name for s in self.sources()}
        for seed in crawl.seeds:
            owner = source_for_url(self.config, seed)
            if owner is None or owner.name not in names:
                self.logger.warning("Seed %r belongs to no selected source: skipped", seed)
                continue
            yield from self._article(seed, owner, "seed", depth=0)

    def _page(self, url: str, source: Source, kind: str, page: int = 1,
              chain: str | None = None) -> Request:
        return page_request(url, source, kind, callback=self.parse_listing,
                            errback=self.on_error, page=page, chain=chain)

    def _article(self, url: str, source: Source, via: str, depth: int | None,
                 referrer: str | None = None) -> Iterator[Request]:
        try:
            request = article_request(url, source, via, depth, referrer,
                                      callback=self.parse_article, errback=self.on_error)
        except BadURL:
            self.crawler.stats.inc_value(BAD_URL)
            return
        yield request

    def _hints(self, source: Source) -> PageHints:
        """Extraction hints of a source, built once (they compile its CSS selectors)."""
        if source.name not in self.hints:
            self.hints[source.name] = PageHints(timezone=source.timezone,
                                                language=source.language,
                                                selectors=dict(source.selectors))
        return self.hints[source.name]

    def _count_figure(self, source: str, what: str, value: int = 1) -> None:
        figures.count(self.crawler.stats, source, what, value)

    def parse_listing(self, response: Response, page: int = 1) -> Iterator[Request]:
        """A listing page, a feed or a search-results page (HTML or feed)."""
        meta = response.meta
        source = self.config.source(meta[SOURCE])
        self._count_figure(source.name, FETCHED)
        if response.status == 304 or self._refused(response):
            return
        kind = meta[KIND]
        body = response.body
        if is_feed(body, content_type(response)):
            entries = feed_entries(body, response.url, timezone=source.timezone,
                                   now=clock.now())
            self.feed_dates.note(entries)
            links = [entry.url for entry in entries]
        else:
            # A source's listing_links selector is for its listing pages, not search results.
            selector = source.selectors.get("listing_links") if kind == "listing" else None
            links = article_links(body, response.url, pattern=source.article_pattern,
                                  selector=selector)
        for link in links:
            if host_matches(host_of(link), source.allowed_domains):
                yield from self._article(link, source, kind, depth=None)
        crawl = self.config.crawl
        limit = crawl.search_pages if kind == "search" else crawl.listing_pages
        if kind != "feed" and page < limit:
            following = next_page_url(body, response.url)
            if following:
                yield self._page(following, source, kind, page + 1, chain=meta[CHAIN])

    def parse_article(self, response: Response, via: str, hops: int | None = None,
                      referrer: str | None = None) -> Iterator[Output] | AsyncIterator[Output]:
        """An article page, read by the crawl's extraction pool when it has one (an async
        generator awaiting a worker), else here (a generator)."""
        source = self.config.source(response.meta[SOURCE])
        self._count_figure(source.name, FETCHED)
        if self._refused(response):
            return iter(())
        page = Page(source.name, response.body, response.url, self._hints(source),
                    clock.now(), declared_encoding(response))
        pool = extraction_pool(self.crawler)
        if pool is None:
            return self._article_outputs(response, source, self.reader.read(page), via, hops,
                                         referrer)
        return self._read_in_pool(pool, page, response, source, via, hops, referrer)

    @cached_property
    def reader(self) -> Reader:
        """Pages read in this process, and the headline dressing they taught."""
        return Reader(self.config.topics, self.config.crawl.max_text_size)

    async def _read_in_pool(self, pool: ExtractionPool, page: Page, response: Response,
                            source: Source, via: str, hops: int | None,
                            referrer: str | None) -> AsyncIterator[Output]:
        reading = await pool.read(page) or self.reader.read(page)
        for output in self._article_outputs(response, source, reading, via, hops, referrer):
            yield output

    def _article_outputs(self, response: Response, source: Source, reading: PageReading,
                         via: str, hops: int | None,
                         referrer: str | None) -> Iterator[Output]:
        """The item of a page read, and the read-also requests it leads to."""
        article = reading.article
        if not article.title and not article.text:
            self._count_figure(source.name, EMPTY)
            return
        request_url = response.meta.get(REDIRECT_URLS, [response.url])[0]
        if article.published is None:
            article = replace(article, published=self.feed_dates.of(request_url))
        matches = reading.matches
        depth = 0 if (via == "seed" or matches) else hops
        yield ArticleItem(
            source=source.name,
            request_url=request_url,
            response_url=response.url,
            article=article,
            discovered_via=via,
            fetched_at=clock.now().isoformat(),
            depth=depth,
            referrer=referrer,
            matches=matches,
            text_capped=reading.text_capped,
            prepared=reading.prepared,
        )
        if depth is None or depth + 1 > self.config.crawl.read_also_depth:
            return
        for link in article.read_also:
            yield from self.read_also_request(link.url, depth + 1, referrer=response.url)

    def read_also_request(self, url: str, depth: int, referrer: str) -> Iterator[Request]:
        """The request for a read-also target `depth` hops away, if a source owns its host."""
        target = source_for_url(self.config, url)
        if target is None:
            self.crawler.stats.inc_value(READ_ALSO_OFFSITE)
            return
        yield from self._article(url, target, "read_also", depth, referrer=referrer)

    def _refused(self, response: Response) -> bool:
        """A challenge page answered in place of the page: the site refuses marsad."""
        reason = block_reason(response.status, scrapy_header(response.headers), response.body)
        if reason is not None:
            self._note_blocked(response.meta[SOURCE], response.url, reason)
        return reason is not None

    def _note_blocked(self, source: str, url: str, reason: str) -> None:
        figures.note_blocked(self.crawler.stats, source, url, reason)
        self.failures.note(source, f"blocked: {url} ({reason})", key=f"blocked ({reason})")

    def on_error(self, failure: Failure) -> None:
        # Scrapy sets the request on the failures it hands to an errback; Twisted's
        # Failure does not declare it.
        request = failure.request  # type: ignore[attr-defined]
        source = request.meta.get(SOURCE, "")
        error = failure.value
        assert error is not None  # a failure from an exception has it; Twisted types it optional
        stats = self.crawler.stats
        # A site that refuses bots is reported as blocked, not as failing.
        if isinstance(error, HttpError):
            answer = error.response
            blocked = block_reason(answer.status, scrapy_header(answer.headers), answer.body)
            if blocked is not None:
                self._note_blocked(source, request.url, blocked)
                return
        if isinstance(error, RobotsTxtBlocked):
            self._note_blocked(source, request.url, str(error))
            return
        dropped = figures.drop_reason(error)
        if dropped is not None and source:
            figures.count_drop(stats, source, dropped)
        if isinstance(error, IgnoreRequest) and not isinstance(error, HttpError):
            stats.inc_value(skipped_key(error))
            return
        cause = name_cause(error, request.url, timeout=request.meta.get(DOWNLOAD_TIMEOUT))
        if isinstance(error, HttpError):
            key = f"HTTP {error.response.status}"
            reason = f"{key} for {request.url}"
        elif isinstance(error, DownloadCancelledError):
            key = "page over the size limit"
            reason = f"{key}: {request.url}"
        elif cause is not None:
            reason, key = cause.text, cause.key
        elif isinstance(error, RobotsTxtUnavailable):
            reason = key = str(error)  # the cause, named by the robots.txt middleware
        else:
            key = type(error).__name__
            reason = f"{key} for {request.url}: {error}".splitlines()[0]
        figures.note_error(stats, source, reason)
        self.failures.note(source, reason, key)
        self.logger.info("%s: %s", source, reason)

    def closed(self, reason: str) -> None:
        for source, text, more in self.failures.lines():
            self.logger.warning("%s: %s%s", source, text, more_requests(more),
                                extra={"source": source, "cause": text, "requests": more + 1})
