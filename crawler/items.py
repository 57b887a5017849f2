"""What the spider hands to the pipelines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storage.records import PreparedStory, TopicMatchRecord


@dataclass
class ArticleItem:
    """One fetched article page, extracted; pipelines fill in the rest in order."""

    source: str
    request_url: str  # the URL we asked for
    response_url: str  # where we ended up, after redirects
    article: Any  # crawler.extract.ExtractedArticle
    discovered_via: str  # "seed", "read_also", "search", "listing" or "feed"
    fetched_at: str  # ISO 8601, UTC
    depth: int | None = None  # read-also hops from the nearest seed or matching article
    referrer: str | None = None
    matches: tuple[TopicMatchRecord, ...] = ()
    text_capped: bool = False  # matching read only the first crawl.max_text_size of the text
    prepared: PreparedStory | None = None  # story features, made where the page was read
    # Filled by CanonicalUrlPipeline:
    url: str = ""
    aliases: tuple[str, ...] = ()
    # Filled by AlertPlanPipeline: (topic, channel) pairs to put in the outbox.
    alerts: tuple[tuple[str, str], ...] = field(default_factory=tuple)
