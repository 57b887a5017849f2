"""At most `concurrency_per_domain` requests in flight to one host, whatever the reactor.

Scrapy's downloader checks a slot's free transfer places in a loop that starts
each download as an asyncio task; under the asyncio reactor the tasks register
their transfer only after the loop has emptied the queue, so a burst of queued
requests all go out at once. This middleware, last before the download
handler, holds each request until its host has a free place.

A place is released when the response or the error of the request that holds
it comes back; requests stopped by an earlier middleware never held one.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred, DeferredSemaphore


class DomainConcurrencyMiddleware:
    def __init__(self, limit: int):
        self.limit = max(1, limit)
        self.gates: dict[str, DeferredSemaphore] = {}
        self.holding: dict[Request, DeferredSemaphore] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DomainConcurrencyMiddleware:
        return cls(crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 8))

    async def process_request(self, request: Request) -> None:
        await maybe_deferred_to_future(self.enter(request))

    def enter(self, request: Request) -> Deferred:
        """Fires when the request may go; from then on it holds a place of its host."""
        host = urlparse_cached(request).hostname or ""
        gate = self.gates.get(host)
        if gate is None:
            gate = self.gates[host] = DeferredSemaphore(self.limit)

        def hold(_: object) -> None:
            self.holding[request] = gate

        return gate.acquire().addCallback(hold)

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)

    def _release(self, request: Request) -> None:
        gate = self.holding.pop(request, None)
        if gate is not None:
            gate.release()
