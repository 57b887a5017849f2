"""The configuration as the rest of marsad sees it: frozen dataclasses.

`load_config` fills them from the TOML file, checking each value where its section
reads it (`crawler.config.sections` and its siblings); they check nothing themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from crawler.matching import Topic

DEFAULT_USER_AGENT = "marsad/0.1 (+https://example.org/marsad)"


@dataclass(frozen=True)
class Source:
    name: str
    allowed_domains: tuple[str, ...]
    listing_urls: tuple[str, ...] = ()
    feed_urls: tuple[str, ...] = ()
    search_url: str | None = None  # contains "{query}"
    language: str | None = None
    timezone: str = "Africa/Casablanca"  # resolved: the source's own, else crawl.timezone
    # Optional CSS selectors (soupsieve's) overriding generic extraction where they match:
    # keys title, date, body, author, read_also, listing_links.
    selectors: Mapping[str, str] = field(default_factory=dict)
    # Optional regular expression an article URL's path must match on listing pages
    # (the bundled ones are anchored ^/...$ on the path, so search and fullmatch agree).
    article_pattern: str | None = None
    # When the source's addresses were last checked against the live site: "YYYY-MM-DD",
    # or "unverified"; None when the configuration does not say.
    verified: str | None = None
    # Seconds between this source's own cycles in `marsad run`; None: the daemon's
    # schedule.interval, with the other sources.
    interval: float | None = None


@dataclass(frozen=True)
class CrawlSettings:
    seeds: tuple[str, ...] = ()
    read_also_depth: int = 2
    search_pages: int = 1
    obey_robots_txt: bool = True
    user_agent: str = DEFAULT_USER_AGENT
    download_delay: float = 0.25  # seconds
    concurrency_per_domain: int = 4
    concurrency: int = 16
    timeout: float = 30.0  # seconds
    timezone: str = "Africa/Casablanca"
    listing_pages: int = 1
    max_page_size: int = 5 * 1024 * 1024  # bytes; larger pages are skipped and reported
    # Text used for matching and alert excerpts is cut here: work per article stays
    # bounded whatever a page holds (the whole text is still stored).
    max_text_size: int = 200 * 1024  # bytes of UTF-8
    # A cycle refuses to start when the archive's filesystem has less free space.
    min_free_space: int = 50 * 1024 * 1024  # bytes; 0 = no check
    # Processes that extract and match article pages beside the crawl's own, which
    # fetches and stores meanwhile; 0: the crawl's process does it all.
    # Off unless asked for: on two cores, sending pages to a worker cost the crawl's
    # process nearly what reading them did (benchmarks/crawl.py, 0.45 -> 0.48 of the bare
    # spider) for 100 MB more; it pays where spare cores are many.
    extract_workers: int = 0


@dataclass(frozen=True)
class AlertSettings:
    max_age: float | None = None  # seconds; None = no limit
    max_attempts: int = 8
    retry_base: float = 30.0  # seconds; doubled each attempt
    retry_max: float = 6 * 3600.0


@dataclass(frozen=True)
class HealthSettings:
    """When a source looks broken (see crawler.health): cycles in a row."""

    silent_cycles: int = 6  # without a new article, from a source that used to yield
    failed_cycles: int = 3  # failed (or refused by the site) without a new article


@dataclass(frozen=True)
class DigestSchedule:
    """When a channel sends its digest: every `every` seconds (boundaries counted from the
    Unix epoch, UTC), or each day at `daily` = (hour, minute) in crawl.timezone."""

    every: float | None = None
    daily: tuple[int, int] | None = None


@dataclass(frozen=True)
class EmailChannelConfig:
    name: str
    host: str
    to: tuple[str, ...]
    sender: str  # the TOML key "from"
    port: int = 587
    security: str = "starttls"  # "starttls", "ssl" or "none"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    digest: DigestSchedule | None = None  # None: one message per alert
    type: str = "email"


@dataclass(frozen=True)
class SlackChannelConfig:
    name: str
    webhook_url: str = field(repr=False)
    timeout: float = 30.0
    digest: DigestSchedule | None = None
    type: str = "slack"


@dataclass(frozen=True)
class ConsoleChannelConfig:
    name: str
    digest: DigestSchedule | None = None
    type: str = "console"


ChannelConfig = EmailChannelConfig | SlackChannelConfig | ConsoleChannelConfig


@dataclass(frozen=True)
class Config:
    path: Path | None  # None for the bundled default configuration
    database: Path
    schedule_interval: float = 900.0  # seconds
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    sources: tuple[Source, ...] = ()
    alerts: AlertSettings = field(default_factory=AlertSettings)
    topics: tuple[Topic, ...] = ()
    channels: Mapping[str, ChannelConfig] = field(default_factory=dict)
    health: HealthSettings = field(default_factory=HealthSettings)

    def source(self, name: str) -> Source:
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(name)

    def channels_for(self, topic: Topic) -> tuple[str, ...]:
        """The channel names a topic's alerts go to (default: every channel)."""
        if topic.channels is None:
            return tuple(self.channels)
        return tuple(topic.channels)
