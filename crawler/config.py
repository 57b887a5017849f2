"""The one place where settings are read: the TOML configuration of the contract.

Every key is validated; problems raise `ConfigError` whose message is one line
naming the file, the key and what is wrong. The CLI turns it into exit 2.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from crawler.config_schema import ConfigError, parse_duration, parse_size
from crawler.matching import Topic

__all__ = [
    "AlertSettings", "ChannelConfig", "Config", "ConfigError", "ConsoleChannelConfig",
    "CrawlSettings", "DigestSchedule", "EmailChannelConfig", "HealthSettings",
    "SlackChannelConfig", "Source",
    "load_config", "parse_duration", "parse_size",
]

DEFAULT_USER_AGENT = "marsad/0.1 (+https://example.org/marsad)"
CONFIG_ENV = "MARSAD_CONFIG"
LOCAL_CONFIG = "marsad.toml"
BUNDLED_LABEL = "crawler/default.toml"


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


def load_config(path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Load and validate a configuration.

    Without a path: $MARSAD_CONFIG, else ./marsad.toml, else the bundled default.
    ``env`` (default: the process environment) serves both that lookup and ``${VAR}``.
    Raises ConfigError with a one-line message naming the file and the key.
    """
    # Imported here: the section builders import the dataclasses above.
    from crawler.config_sections import build_config

    env = os.environ if env is None else env
    if path is None and env.get(CONFIG_ENV):
        path = env[CONFIG_ENV]
    if path is None and Path(LOCAL_CONFIG).is_file():
        path = LOCAL_CONFIG
    if path is None:
        text = resources.files("crawler").joinpath("default.toml").read_bytes()
        return build_config(_parse(text, BUNDLED_LABEL), BUNDLED_LABEL, None, env)
    label = str(path)
    try:
        text = Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise ConfigError(f"{label}: is a directory, not a configuration file") from None
    except OSError as problem:
        raise ConfigError(f"{label}: cannot read: {problem.strerror}") from None
    return build_config(_parse(text, label), label, Path(path).absolute(), env)


_TOML_POSITION = re.compile(r"\s*\((?:at line (\d+), column \d+|at end of document)\)$")


def _parse(content: bytes, label: str) -> dict[str, Any]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = content[: problem.start].count(b"\n") + 1
        raise ConfigError(f"{label}: line {line}: not UTF-8 text") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        message = " ".join(str(problem).split())
        found = _TOML_POSITION.search(message)
        line = found.group(1) if found and found.group(1) else max(len(text.splitlines()), 1)
        if found:
            message = message[: found.start()]
        raise ConfigError(f"{label}: line {line}: {message}") from None
