"""The probe spider: per source, its listing pages, feeds and one search, one request
after the other, then up to three of the articles they link to.

It is the news spider's sibling: the same settings from the configuration (User-Agent,
delay, timeout, size limit), the same robots.txt and scope middlewares, the same
extraction; but it yields no items and runs with every part that reads or writes the
archive switched off, so that a probe stores nothing. What it sees goes into
`SourceProbe` records handed in by the caller.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler import clock, figures
from crawler import settings as project
from crawler.blocking import block_reason, scrapy_header
from crawler.config import Source
from crawler.extract import (
    announced_feeds,
    article_links,
    extract_article,
    feed_entries,
    is_feed,
    next_page_url,
)
from crawler.middlewares.robots import ForbiddenByRobots, RobotsTxtBlocked, RobotsTxtUnavailable
from crawler.middlewares.scope import OutOfScope
from crawler.probe.model import ArticleFacts, Page, SourceProbe
from crawler.urls import BadURL, host_matches, host_of, normalize_url
from crawler.vocabulary import DOWNLOAD_LATENCY, REDIRECT_URLS, SOURCE
from spiders.news import NewsSpider
from spiders.pages import declared_encoding

ARTICLES = 3  # articles read per source

# One request at a time to a site; nothing that reads or writes the archive, and no
# control server (Scrapy's writes a job file to the user's profile).
PROBE_SETTINGS: dict[str, Any] = {
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    "REMOTE_CONTROL_ENABLED": False,
    "ITEM_PIPELINES": dict.fromkeys(project.ITEM_PIPELINES),
    "EXTENSIONS": dict.fromkeys(project.EXTENSIONS),
    "SPIDER_MIDDLEWARES": dict.fromkeys(project.SPIDER_MIDDLEWARES),
    "DOWNLOADER_MIDDLEWARES": {"crawler.middlewares.conditional.ConditionalRequestMiddleware":
                               None},
}


class ProbeSpider(NewsSpider):
    name = "marsad-probe"

    def __init__(self, *args: Any, sources: list[str], results: dict[str, SourceProbe],
                 **kwargs: Any):
        super().__init__(*args, sources=sources, **kwargs)
        self.results = results
        self.plans: dict[str, deque[tuple[str, str]]] = {}
        # Articles to try instead of one that robots.txt forbids, as the crawl would skip it.
        self.spares: dict[str, deque[str]] = {}

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)  # the configuration's, as for the news spider
        for name, value in PROBE_SETTINGS.items():
            if isinstance(value, dict):
                # Set whole, a component table would replace the project's, not amend it.
                value = {**settings.getdict(name), **value}
            settings.set(name, value, priority="spider")

    async def start(self) -> AsyncIterator[Request]:
        # The first of the topics' queries: one search per source is enough to check it.
        query = next((q for topic in self.config.topics for q in topic.queries), None)
        for source in self.sources():
            search = (source.search_url.replace("{query}", quote(query, safe=""))
                      if source.search_url and query else None)
            self.results[source.name] = SourceProbe(
                source=source.name, verified=source.verified,
                article_pattern=source.article_pattern, query=query if search else None)
            self.plans[source.name] = deque(
                [("listing", url) for url in source.listing_urls]
                + [("feed", url) for url in source.feed_urls]
                + ([("search", search)] if search else []))
            for request in self._next(source):
                yield request

    def _next(self, source: Source) -> Iterator[Request]:
        """The source's next request, if any: its pages one after the other, then the
        articles they led to."""
        plan = self.plans[source.name]
        probe = self.results[source.name]
        if not plan and not probe.of_kind("article") and source.name not in self.spares:
            picks = self._picks(source, probe)
            plan.extend(("article", url) for url in picks[:ARTICLES])
            self.spares[source.name] = deque(picks[ARTICLES:2 * ARTICLES])
        if not plan:
            return
        kind, url = plan.popleft()
        probe.pages.append(Page(kind, url))
        # dont_filter: a page asked twice (a listing that is also a feed) still answers.
        yield Request(url, callback=self.on_answer, errback=self.on_failure, dont_filter=True,
                      meta={SOURCE: source.name}, cb_kwargs={"index": len(probe.pages) - 1})

    def _picks(self, source: Source, probe: SourceProbe) -> list[str]:
        """Article addresses taken in turn from each page that listed some."""
        lists = [page.links for page in probe.pages if page.links]
        picked: list[str] = []
        for rank in range(max((len(links) for links in lists), default=0)):
            for links in lists:
                if rank < len(links):
                    try:
                        url = normalize_url(links[rank])
                    except BadURL:
                        continue
                    if url not in picked:
                        picked.append(url)
        return picked

    def _probed(self, meta: dict[str, Any], index: int) -> tuple[Source, Page]:
        """The source and the probe's page record a request was made for."""
        source = self.config.source(meta[SOURCE])
        return source, self.results[source.name].pages[index]

    def on_answer(self, response: Response, index: int) -> Iterator[Request]:
        source, page = self._probed(response.meta, index)
        page.status = response.status
        page.seconds = response.meta.get(DOWNLOAD_LATENCY)
        page.blocked = block_reason(response.status, scrapy_header(response.headers),
                                    response.body)
        if page.blocked is None:
            if page.kind == "article":
                page.article = self._read_article(source, response)
            else:
                self._read_listing(source, page, response)
        yield from self._next(source)

    def _read_listing(self, source: Source, page: Page, response: Response) -> None:
        body = response.body
        if is_feed(body, (response.headers.get(b"Content-Type") or b"").decode("latin-1")):
            page.is_feed = True
            links = [entry.url for entry in feed_entries(body, response.url,
                                                         timezone=source.timezone)]
        else:
            # Judged as the crawl reads it: with the source's listing_links selector.
            selector = source.selectors.get("listing_links") if page.kind == "listing" else None
            links = article_links(body, response.url, pattern=source.article_pattern,
                                  selector=selector)
            if not links and (source.article_pattern or selector):
                page.lookalikes = article_links(body, response.url)
            if page.kind == "listing":
                page.announced_feeds = announced_feeds(body, response.url)
                page.next_page = next_page_url(body, response.url)
        for link in links:
            own = host_matches(host_of(link), source.allowed_domains)
            (page.links if own else page.offsite).append(link)

    def _read_article(self, source: Source, response: Response) -> ArticleFacts:
        article = extract_article(response.body, response.url, hints=self._hints(source),
                                  now=clock.now(), declared_encoding=declared_encoding(response))
        return ArticleFacts(
            title=article.title,
            published=article.published.isoformat() if article.published else None,
            body_chars=len(article.text), read_also=len(article.read_also))

    def on_failure(self, failure: Failure) -> Iterator[Request]:
        # Scrapy sets the request on the failures it hands to an errback; Twisted's
        # Failure does not declare it.
        request = failure.request  # type: ignore[attr-defined]
        source, page = self._probed(request.meta, request.cb_kwargs["index"])
        error = failure.value
        assert error is not None  # a failure from an exception has it; Twisted types it optional
        if isinstance(error, HttpError):
            answer = error.response
            page.status = answer.status
            page.seconds = answer.meta.get(DOWNLOAD_LATENCY)
            page.blocked = block_reason(answer.status, scrapy_header(answer.headers),
                                        answer.body)
            page.error = None if page.blocked else f"HTTP {answer.status}"
        elif isinstance(error, ForbiddenByRobots):
            page.forbidden = True
            spares = self.spares.get(source.name)
            if page.kind == "article" and spares:
                self.plans[source.name].append(("article", spares.popleft()))
        elif isinstance(error, RobotsTxtBlocked):
            page.blocked = str(error)
        elif isinstance(error, RobotsTxtUnavailable):
            page.error = f"{error}: no page of the site is asked for without its robots.txt"
        elif isinstance(error, OutOfScope) and request.meta.get(REDIRECT_URLS):
            page.error = (f"redirected off the source's domains, to {request.url}: add its "
                          "host to allowed_domains, or use the new address")
        else:
            reason = figures.drop_reason(error)
            if reason is not None:
                page.error = f"dropped: {figures.DROP_REASONS[reason]}"
            elif isinstance(error, IgnoreRequest):
                page.error = f"dropped: {error or type(error).__name__}"
            else:
                page.error = f"{type(error).__name__}: {error}".splitlines()[0]
        yield from self._next(source)

    def closed(self, reason: str) -> None:
        for probe in self.results.values():
            for page in probe.pages:
                if page.status is None and page.answered:
                    page.error = f"no answer (the probe ended: {reason})"
