"""robots.txt, read the way RFC 9309 says.

Scrapy's own middleware treats a robots.txt it could not fetch as "allow
all". Here a robots.txt that is unreachable (network error, 5xx, 429, a
redirect that leaves the configured sources) forbids the whole host for this
cycle; the next cycle asks again. Other 4xx answers mean the site has no
rules, so everything is allowed, as the RFC says.

Pages of a host whose robots.txt could not be read fail with
`RobotsTxtUnavailable`, an error (not an `IgnoreRequest`), so the source's
summary reports it and its listing validators are not saved: a site that is
down must not look like a quiet one.
"""

from __future__ import annotations

import logging
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from crawler.blocking import block_reason, scrapy_header
from crawler.causes import name_cause
from crawler.vocabulary import ROBOTS_UNAVAILABLE

logger = logging.getLogger(__name__)


class ForbiddenByRobots(IgnoreRequest):
    """The request is not allowed by the host's robots.txt."""


class RobotsTxtUnavailable(Exception):
    """The host's robots.txt could not be read this cycle: none of its pages is fetched."""


class RobotsTxtBlocked(RobotsTxtUnavailable):
    """robots.txt was answered by a bot challenge: the site refuses marsad."""


class _StandIn(RobotParser):
    """A parser settled without rules to read: Scrapy keeps it with the parsers it built
    itself, so it is one of theirs, but no robots.txt body makes one."""

    @classmethod
    def from_crawler(cls, crawler: Crawler, robotstxt_body: bytes) -> Self:
        raise TypeError(f"{cls.__name__} is not built from a robots.txt")


class _Unavailable(_StandIn):
    """Stands for the parser of a host whose robots.txt could not be read."""

    def __init__(self, reason: str, blocked: bool = False):
        self.reason = reason
        self.blocked = blocked

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


class _AllowAll(_StandIn):
    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return True


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._robots_urls: dict[str, str] = {}  # netloc -> its robots.txt, to name failures

    async def robot_parser(self, request: Request) -> RobotParser | None:
        url = urlparse_cached(request)
        self._robots_urls.setdefault(url.netloc, f"{url.scheme}://{url.netloc}/robots.txt")
        pending = self._parsers.get(url.netloc)
        if not isinstance(pending, Deferred):
            return await super().robot_parser(request)
        # Scrapy awaits the one pending Deferred from every waiting request, but
        # awaiting a Deferred replaces its result with None for the next waiter, and
        # None means "no robots.txt": requests made while robots.txt was being fetched
        # went out unchecked. Each waiter gets its own Deferred instead.
        waiter: Deferred = Deferred()

        def relay(result: Any) -> Any:
            waiter.callback(result)
            return result

        pending.addBoth(relay)
        return await maybe_deferred_to_future(waiter)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        status = response.status
        # 429 is a 4xx, but it says "come back later", not "no rules here".
        if status >= 500 or status == 429:
            blocked = block_reason(status, scrapy_header(response.headers), response.body)
            self._settle(netloc, _Unavailable(f"robots.txt refused: {blocked}", blocked=True)
                         if blocked else _Unavailable(f"robots.txt answered {status}"))
        elif status >= 400:
            self._settle(netloc, _AllowAll())
        else:
            await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):
            # Dropped by another middleware: a redirect out of scope, too many redirects.
            reason = f"robots.txt not fetched: {exc or type(exc).__name__}"
        else:
            url = self._robots_urls.get(netloc, f"http://{netloc}/robots.txt")
            cause = name_cause(exc, url)
            # The cause first: it is what the summary's last-error column has room for.
            if cause is None:
                reason = f"robots.txt unreachable ({type(exc).__name__})"
            else:
                reason = cause.text if url in cause.text else f"{cause.text} (robots.txt)"
        self._settle(netloc, _Unavailable(reason))

    def _settle(self, netloc: str, parser: _StandIn) -> None:
        if isinstance(parser, _Unavailable):
            # The spider says it once per source; this is the detail behind it.
            logger.info("%s: every page of %s is skipped this cycle", parser.reason, netloc)
            self._stats.inc_value(ROBOTS_UNAVAILABLE)
        pending = self._parsers[netloc]
        self._parsers[netloc] = parser
        if isinstance(pending, Deferred):
            pending.callback(parser)

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        if isinstance(rp, _Unavailable):
            raise (RobotsTxtBlocked if rp.blocked else RobotsTxtUnavailable)(rp.reason)
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest as exc:
            raise ForbiddenByRobots(str(exc)) from None
