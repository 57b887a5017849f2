"""robots.txt, read the way RFC 9309 says.

Scrapy's own middleware treats a robots.txt it could not fetch as "allow
all". Here a robots.txt that is unreachable (network error, 5xx) forbids the
whole host for this cycle; the next cycle asks again. A 4xx answer means the
site has no rules, so everything is allowed, as the RFC says.
"""

from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)


class ForbiddenByRobots(IgnoreRequest):
    """The request is not allowed by the host's robots.txt (or it could not be read)."""


class _DisallowAll:
    def allowed(self, url: str, user_agent: str | bytes) -> bool:
        return False


class _AllowAll:
    def allowed(self, url: str, user_agent: str | bytes) -> bool:
        return True


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            self._settle(netloc, _DisallowAll(), f"robots.txt answered {response.status}")
        elif response.status >= 400:
            self._settle(netloc, _AllowAll(), None)
        else:
            await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        reason = f"robots.txt unreachable ({type(exc).__name__})"
        if isinstance(exc, IgnoreRequest):
            # Ignored by another middleware (out of scope): nothing of this host is fetched anyway.
            reason = "robots.txt not fetched"
        self._settle(netloc, _DisallowAll(), reason)

    def _settle(self, netloc: str, parser: object, reason: str | None) -> None:
        if reason:
            logger.warning("%s: every page of %s is skipped this cycle", reason, netloc)
            self._stats.inc_value("robotstxt/unavailable")
        pending = self._parsers[netloc]
        self._parsers[netloc] = parser  # type: ignore[assignment]
        if isinstance(pending, Deferred):
            pending.callback(parser)

    def process_request_2(self, rp, request: Request) -> None:  # type: ignore[no-untyped-def]
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest as exc:
            raise ForbiddenByRobots(str(exc)) from None
