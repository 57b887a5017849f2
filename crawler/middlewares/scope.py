"""Keep every request inside the configured sources.

A request (a redirect included: Scrapy sends redirects back through the
downloader middlewares) is dropped unless its scheme is http(s) and its host
belongs to the allowed domains of its source. Requests that carry no source
(robots.txt) must belong to some configured source.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request

from crawler.settings import marsad_config
from crawler.urls import host_matches, host_of, is_http_url
from crawler.vocabulary import OUT_OF_SCOPE, SOURCE

logger = logging.getLogger(__name__)


class OutOfScope(IgnoreRequest):
    """The URL is not http(s) or lies outside the source's allowed domains."""


class SourceScopeMiddleware:
    def __init__(self, crawler: Crawler, domains: dict[str, tuple[str, ...]]):
        self.stats = crawler.stats
        self.domains = domains
        self.all_domains = {d for ds in domains.values() for d in ds}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SourceScopeMiddleware:
        config = marsad_config(crawler)
        domains = {s.name: tuple(d.lower() for d in s.allowed_domains) for s in config.sources}
        return cls(crawler, domains)

    def process_request(self, request: Request) -> None:
        if not is_http_url(request.url):
            self._drop(request, "not an http(s) URL")
        source = request.meta.get(SOURCE)
        allowed = self.domains.get(source, ()) if source else self.all_domains
        if not host_matches(host_of(request.url), allowed):
            self._drop(request, f"outside the domains of {source or 'every source'}")

    def _drop(self, request: Request, why: str) -> None:
        self.stats.inc_value(OUT_OF_SCOPE)
        logger.info("Dropped %r: %s", request.url, why)
        raise OutOfScope(why)
