"""The names the crawl's parts pass each other: Scrapy stats keys and request meta keys.

Every stats key marsad writes or reads, and every meta key a request carries, is
declared here with its meaning; the components use these constants, never the
strings (tests/crawler/test_vocabulary.py checks the source for literals). Data
that only the spider's own callbacks read travels in `cb_kwargs` instead.
"""

from __future__ import annotations

# Stats keys of the cycle. crawler.figures reads them into the cycle's summary.
RUN_ID = "marsad/run_id"  # the archive's id of this crawl run
FAILURE = "marsad/failure"  # why the cycle failed: set once, by the first failure
ARTICLES_NEW = "marsad/articles_new"  # articles committed this cycle that were new
STORIES_NEW = "marsad/stories_new"  # stories begun by this cycle's new articles
ALERTS_QUEUED = "marsad/alerts_queued"  # alerts committed to the outbox this cycle
HEALTH_NOTICES = "marsad/health_notices"  # source-health notices queued after the run
NOT_MODIFIED = "marsad/not_modified"  # listing, feed or search pages answered 304
PAGINATION_STOPPED = "marsad/pagination_stopped"  # next pages not asked: nothing new before
ALREADY_STORED = "marsad/already_stored"  # article requests dropped: stored by an earlier cycle
DUPLICATE_VARIANT = "marsad/duplicate_variant"  # article requests dropped: asked this cycle
READ_ALSO_RETRIED = "marsad/read_also_retried"  # read-also links that failed before, asked again
READ_ALSO_OFFSITE = "marsad/read_also_offsite"  # read-also links to no configured source
BAD_URL = "marsad/bad_url"  # article links that are no usable URL
OUT_OF_SCOPE = "marsad/out_of_scope"  # requests outside their source's domains, dropped
ROBOTS_UNAVAILABLE = "robotstxt/unavailable"  # hosts whose robots.txt could not be read
SKIPPED_PREFIX = "marsad/skipped/"  # + an IgnoreRequest's class: requests skipped on purpose

# Per-source figures: SOURCE_PREFIX + the source's name + "/" + one of the figures below.
SOURCE_PREFIX = "marsad/source/"  # the figures of one source follow it
FETCHED = "fetched"  # pages and articles answered
NEW = "new"  # articles committed that were not stored before
ERRORS = "errors"  # failures: downloads, unreadable pages, articles not stored
LAST_ERROR = "last_error"  # the text of the source's last failure
EMPTY = "empty"  # article pages that gave neither a title nor a text
BLOCKED = "blocked"  # pages the site refused: 403, 429, a bot challenge
BLOCKED_FIRST = "blocked_first"  # the first refused page of the cycle and why
DROPPED_PREFIX = "dropped/"  # + a drop reason below: pages or articles lost, and why

# Why a page or an article was dropped. Each is counted per source and shown in the
# summary and in `marsad stats`, so that nothing a cycle loses goes unseen.
DROP_SIZE = "size"
DROP_BOMB = "bomb"
DROP_REDIRECT_LOOP = "redirect_loop"
DROP_ROBOTS = "robots"
DROP_SCOPE = "scope"
DROP_DATABASE = "database"
DROP_PARSE = "parse"
DROP_PIPELINE = "pipeline"
DROP_REASONS = {
    DROP_SIZE: "over the size limit",
    DROP_BOMB: "decompressing past the size limit",
    DROP_REDIRECT_LOOP: "in redirect loops",
    DROP_ROBOTS: "forbidden by robots.txt",
    DROP_SCOPE: "redirected off the source's domains",
    DROP_DATABASE: "not stored (archive failure)",
    DROP_PARSE: "unreadable (extraction failed)",
    DROP_PIPELINE: "failed in an article step",
}

# Scrapy's own stats keys that marsad reads.
FINISH_REASON = "finish_reason"  # why the crawl ended: "finished", "shutdown", ...
RESPONSES_RECEIVED = "response_received_count"  # pages answered so far
SCHEDULER_ENQUEUED = "scheduler/enqueued"  # requests queued so far
SCHEDULER_DEQUEUED = "scheduler/dequeued"  # requests taken from the queue so far

# Request meta keys: what the middlewares read from a request or its response.
SOURCE = "source"  # the configured source a request belongs to (scope, drops, errors)
KIND = "kind"  # "listing", "feed", "search" or "article"
CHAIN = "chain"  # a paginated listing's first page: its pages' article links are tallied
CONDITIONAL = "conditional"  # send the page's saved ETag / Last-Modified
VALIDATORS_FOR = "validators_for"  # the URL whose validators the request's headers carry
ARTICLE_LINKS = "article_links"  # on a listing's response: [article links, new ones]

# Scrapy's own meta keys that marsad sets or reads.
HANDLE_HTTPSTATUS_LIST = "handle_httpstatus_list"  # statuses the callback gets, not errback
REDIRECT_URLS = "redirect_urls"  # the URLs a request was redirected from, first first
DOWNLOAD_TIMEOUT = "download_timeout"  # seconds a download may take
DOWNLOAD_LATENCY = "download_latency"  # seconds the answer took


def source_key(source: str, what: str) -> str:
    """The stats key of one figure (FETCHED, NEW, ...) of one source."""
    return f"{SOURCE_PREFIX}{source}/{what}"


def dropped(reason: str) -> str:
    """The per-source figure of pages or articles dropped for one of DROP_REASONS."""
    return DROPPED_PREFIX + reason


def is_source_figure(key: str, what: str) -> bool:
    """True for the stats key of figure `what` of any source."""
    return key.startswith(SOURCE_PREFIX) and key.endswith("/" + what)


def skipped_key(error: BaseException) -> str:
    """The stats key counting requests skipped on purpose with this kind of error."""
    return SKIPPED_PREFIX + type(error).__name__
