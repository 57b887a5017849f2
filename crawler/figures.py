"""The crawl's figures: how marsad counts into Scrapy's stats, and how a cycle reads them.
The keys themselves are declared in crawler.vocabulary.

Per source: pages fetched, new articles, errors, the last error, the pages
and articles dropped with their reason, and the pages the site refused (blocked).
For the cycle: the failure that made it fail (the archive could not commit), if any.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.statscollectors import StatsCollector

from crawler.middlewares.robots import ForbiddenByRobots
from crawler.middlewares.scope import OutOfScope
from crawler.vocabulary import (
    BLOCKED,
    BLOCKED_FIRST,
    DROP_BOMB,
    DROP_REASONS,
    DROP_REDIRECT_LOOP,
    DROP_ROBOTS,
    DROP_SCOPE,
    DROP_SIZE,
    ERRORS,
    FAILURE,
    FETCHED,
    LAST_ERROR,
    NEW,
    dropped,
    source_key,
)


def count(stats: StatsCollector, source: str, what: str, value: int = 1) -> None:
    stats.inc_value(source_key(source, what), value)


def count_drop(stats: StatsCollector, source: str, reason: str, value: int = 1) -> None:
    if reason not in DROP_REASONS:
        raise ValueError(f"unknown drop reason {reason!r}")
    stats.inc_value(source_key(source, dropped(reason)), value)


def note_error(stats: StatsCollector, source: str, reason: str) -> None:
    """One more error for the source, and its text as the source's last error."""
    count(stats, source, ERRORS)
    stats.set_value(source_key(source, LAST_ERROR), reason[:300])


def note_blocked(stats: StatsCollector, source: str, url: str, reason: str) -> None:
    """The site refused a page (403, 429, a bot challenge): not an error of the source.
    Counted, and the first such page of the cycle kept, to be named once in the summary."""
    count(stats, source, BLOCKED)
    first = source_key(source, BLOCKED_FIRST)
    if not stats.get_value(first):
        stats.set_value(first, f"{url} ({reason})"[:300])


def source_blocked(stats: dict[str, Any], source: str) -> dict[str, Any]:
    """blocked_pages / blocked (the first refused page and why, or None) of one source."""
    return {"blocked_pages": int(stats.get(source_key(source, BLOCKED), 0)),
            "blocked": stats.get(source_key(source, BLOCKED_FIRST))}


def fail_cycle(stats: StatsCollector, reason: str) -> None:
    """The cycle failed: what it fetched cannot all be trusted to be stored."""
    if not stats.get_value(FAILURE):
        stats.set_value(FAILURE, reason[:300])


def drop_reason(error: BaseException) -> str | None:
    """The drop reason of a request's error, or None for a plain download failure.

    Scrapy says a decompression bomb and a redirect loop only in the IgnoreRequest's
    text; the test over both (tests/spiders/test_failures.py) fails if that text changes.
    """
    if isinstance(error, DownloadCancelledError):
        return DROP_SIZE
    if isinstance(error, ForbiddenByRobots):
        return DROP_ROBOTS
    if isinstance(error, OutOfScope):
        return DROP_SCOPE
    if isinstance(error, IgnoreRequest):
        text = str(error)
        if "during decompression" in text:
            return DROP_BOMB
        if "max redirections" in text:
            return DROP_REDIRECT_LOOP
        if "robots.txt" in text:
            return DROP_ROBOTS
    return None


def source_figures(stats: dict[str, Any], source: str) -> dict[str, Any]:
    """fetched / new / errors / last_error / dropped of one source, from the crawl stats."""
    lost = {reason: int(stats.get(source_key(source, dropped(reason)), 0))
            for reason in DROP_REASONS}
    return {
        "fetched": int(stats.get(source_key(source, FETCHED), 0)),
        "new": int(stats.get(source_key(source, NEW), 0)),
        "errors": int(stats.get(source_key(source, ERRORS), 0)),
        "last_error": stats.get(source_key(source, LAST_ERROR)),
        "dropped": {reason: n for reason, n in lost.items() if n},
    }
