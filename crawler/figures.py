"""The crawl's figures: the Scrapy stats keys marsad writes, and how a cycle reads them.

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

# Why a page or an article was dropped. Each is counted per source and shown in the
# summary and in `marsad stats`, so that nothing a cycle loses goes unseen.
DROP_REASONS = {
    "size": "over the size limit",
    "bomb": "decompressing past the size limit",
    "redirect_loop": "in redirect loops",
    "robots": "forbidden by robots.txt",
    "scope": "redirected off the source's domains",
    "database": "not stored (archive failure)",
    "parse": "unreadable (extraction failed)",
    "pipeline": "failed in an article step",
}

FAILURE = "marsad/failure"  # why the cycle failed: set once, by the first failure


def source_key(source: str, what: str) -> str:
    return f"marsad/source/{source}/{what}"


def count(stats: StatsCollector, source: str, what: str, value: int = 1) -> None:
    stats.inc_value(source_key(source, what), value)


def count_drop(stats: StatsCollector, source: str, reason: str, value: int = 1) -> None:
    if reason not in DROP_REASONS:
        raise ValueError(f"unknown drop reason {reason!r}")
    stats.inc_value(source_key(source, f"dropped/{reason}"), value)


def note_error(stats: StatsCollector, source: str, reason: str) -> None:
    """One more error for the source, and its text as the source's last error."""
    count(stats, source, "errors")
    stats.set_value(source_key(source, "last_error"), reason[:300])


def note_blocked(stats: StatsCollector, source: str, url: str, reason: str) -> None:
    """The site refused a page (403, 429, a bot challenge): not an error of the source.
    Counted, and the first such page of the cycle kept, to be named once in the summary."""
    count(stats, source, "blocked")
    first = source_key(source, "blocked_first")
    if not stats.get_value(first):
        stats.set_value(first, f"{url} ({reason})"[:300])


def source_blocked(stats: dict[str, Any], source: str) -> dict[str, Any]:
    """blocked_pages / blocked (the first refused page and why, or None) of one source."""
    return {"blocked_pages": int(stats.get(source_key(source, "blocked"), 0)),
            "blocked": stats.get(source_key(source, "blocked_first"))}


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
        return "size"
    if isinstance(error, ForbiddenByRobots):
        return "robots"
    if isinstance(error, OutOfScope):
        return "scope"
    if isinstance(error, IgnoreRequest):
        text = str(error)
        if "during decompression" in text:
            return "bomb"
        if "max redirections" in text:
            return "redirect_loop"
        if "robots.txt" in text:
            return "robots"
    return None


def source_figures(stats: dict[str, Any], source: str) -> dict[str, Any]:
    """fetched / new / errors / last_error / dropped of one source, from the crawl stats."""
    prefix = source_key(source, "")
    dropped = {reason: int(stats.get(prefix + f"dropped/{reason}", 0))
               for reason in DROP_REASONS}
    return {
        "fetched": int(stats.get(prefix + "fetched", 0)),
        "new": int(stats.get(prefix + "new", 0)),
        "errors": int(stats.get(prefix + "errors", 0)),
        "last_error": stats.get(prefix + "last_error"),
        "dropped": {reason: n for reason, n in dropped.items() if n},
    }
