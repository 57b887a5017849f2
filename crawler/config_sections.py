"""Turning the parsed TOML tables into the configuration dataclasses, checking every key.

The alerting sections ([channels], [[topics]]) are in `crawler.config_alerting`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler import clock
from crawler.config import AlertSettings, Config, CrawlSettings, HealthSettings, Source
from crawler.config_alerting import channel_configs, topics
from crawler.config_schema import Table, shown
from crawler.extract import SELECTOR_KEYS, compile_selector
from crawler.urls import host_matches, host_of

_TOP_KEYS = ("database", "schedule", "crawl", "sources", "alerts", "topics", "channels",
             "health")
_LANGUAGE = re.compile(r"[a-z]{2,3}")
_HOST = re.compile(r"[^\s/:@?#]+")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
UNVERIFIED = "unverified"

# Bounds of the numeric keys, each far beyond a sensible setting: a larger value is a
# typing slip, and some (a depth, a count of attempts) end up in SQLite integers.
MINUTE, DAY = 60.0, 86400.0
INTERVAL_RANGE = (1.0, 7 * DAY)
TIMEOUT_RANGE = (1.0, 10 * MINUTE)  # one request
MAX_DOWNLOAD_DELAY = 10 * MINUTE
MAX_RETRY = 7 * DAY
# A publication-date cut-off: beyond any news archive's reach, yet far inside datetime's range.
MAX_ALERT_AGE = 36525 * DAY  # 100 years
MAX_READ_ALSO_DEPTH = 10  # each hop can multiply the pages fetched
MAX_PAGES = 1000  # listing or search result pages per cycle: a first crawl of a big archive
MAX_CONCURRENCY_PER_DOMAIN = 100
MAX_CONCURRENCY = 1000
MAX_ATTEMPTS = 100
MAX_PAGE_SIZE = 1024**3  # a page is held in memory whole
MAX_TEXT_SIZE = 64 * 1024**2
MAX_HEALTH_CYCLES = 10_000  # over three months of cycles at the default interval


def build_config(raw: Mapping[str, Any], file: str, path: Path | None,
                 env: Mapping[str, str]) -> Config:
    """The whole configuration; relative paths resolve against the file's folder
    (the working directory for the bundled default)."""
    root = Table(raw, "", file, env)
    root.check_keys(_TOP_KEYS)
    database = Path(root.string("database", "marsad.db")).expanduser()
    if not database.is_absolute():
        database = (path.parent if path else Path.cwd()) / database
    schedule = root.table("schedule")
    schedule.check_keys(("interval",))
    crawl = crawl_settings(root.table("crawl"))
    channels = channel_configs(root.table("channels"))
    return Config(
        path=path,
        database=database,
        schedule_interval=schedule.duration("interval", 900.0, minimum=INTERVAL_RANGE[0],
                                            maximum=INTERVAL_RANGE[1]),
        crawl=crawl,
        sources=sources(root.tables("sources"), crawl.timezone),
        alerts=alert_settings(root.table("alerts")),
        topics=topics(root.tables("topics"), channels),
        channels=channels,
        health=health_settings(root.table("health")),
    )


def _field_names(cls: type) -> list[str]:
    return [f.name for f in fields(cls)]


def _timezone(table: Table, key: str, default: str) -> str:
    name = table.string(key, default)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise table.error(key, f"unknown time zone {shown(name)} "
                               "(use an IANA name such as Africa/Casablanca)") from None
    return name


def crawl_settings(table: Table) -> CrawlSettings:
    table.check_keys(_field_names(CrawlSettings))
    default = CrawlSettings()
    return CrawlSettings(
        seeds=table.urls("seeds"),
        read_also_depth=table.integer("read_also_depth", default.read_also_depth,
                                      maximum=MAX_READ_ALSO_DEPTH),
        search_pages=table.integer("search_pages", default.search_pages, maximum=MAX_PAGES),
        obey_robots_txt=table.boolean("obey_robots_txt", default.obey_robots_txt),
        user_agent=table.string("user_agent", default.user_agent),
        download_delay=table.duration("download_delay", default.download_delay, positive=False,
                                      maximum=MAX_DOWNLOAD_DELAY),
        concurrency_per_domain=table.integer("concurrency_per_domain",
                                             default.concurrency_per_domain, minimum=1,
                                             maximum=MAX_CONCURRENCY_PER_DOMAIN),
        concurrency=table.integer("concurrency", default.concurrency, minimum=1,
                                  maximum=MAX_CONCURRENCY),
        timeout=table.duration("timeout", default.timeout, minimum=TIMEOUT_RANGE[0],
                               maximum=TIMEOUT_RANGE[1]),
        timezone=_timezone(table, "timezone", default.timezone),
        listing_pages=table.integer("listing_pages", default.listing_pages, maximum=MAX_PAGES),
        max_page_size=table.size("max_page_size", default.max_page_size, maximum=MAX_PAGE_SIZE),
        max_text_size=table.size("max_text_size", default.max_text_size, maximum=MAX_TEXT_SIZE),
        min_free_space=table.size("min_free_space", default.min_free_space, zero=True),
    )


def sources(tables: list[Table] | None, timezone: str) -> tuple[Source, ...]:
    seen: dict[str, str] = {}
    result = []
    for table in tables or []:
        source = source_config(table, timezone)
        if source.name in seen:
            raise table.error("name", f"duplicate source name {shown(source.name)} "
                                      f"(also {seen[source.name]})")
        seen[source.name] = table.key_path()
        result.append(source)
    return tuple(result)


def source_config(table: Table, timezone: str) -> Source:
    table.check_keys(_field_names(Source))
    name = table.string("name", required=True)
    listing_urls = table.urls("listing_urls")
    feed_urls = table.urls("feed_urls")
    # Each of the source's own URLs with the key it came from, for the domain check.
    own = [(f"listing_urls[{index}]", url) for index, url in enumerate(listing_urls)]
    own += [(f"feed_urls[{index}]", url) for index, url in enumerate(feed_urls)]
    search_url = table.string("search_url")
    if search_url is not None:
        table.url("search_url", search_url)
        if "{query}" not in search_url:
            raise table.error("search_url", "must contain {query}")
        own.append(("search_url", search_url.replace("{query}", "q")))
    if table.has("allowed_domains"):
        domains = _domains(table)
        for key, url in own:
            if not host_matches(host_of(url), domains):
                raise table.error(key, f"host {host_of(url)!r} is not in allowed_domains")
    else:
        domains = tuple(dict.fromkeys(host_of(url) for _, url in own))
    if not domains:
        raise table.error(None, "needs listing_urls, feed_urls, search_url or allowed_domains")
    language = table.string("language")
    if language is not None and not _LANGUAGE.fullmatch(language):
        raise table.error("language", f"must be a language code such as ar or fr, "
                                      f"not {shown(language)}")
    selectors = table.table("selectors")
    selectors.check_keys(SELECTOR_KEYS)
    css = {key: selectors.string(key) for key in SELECTOR_KEYS if selectors.has(key)}
    for key, selector in css.items():
        try:
            compile_selector(selector)
        except ValueError as problem:
            raise selectors.error(key, str(problem)) from None
    article_pattern = table.string("article_pattern")
    if article_pattern is not None:
        try:
            re.compile(article_pattern)
        except re.error as problem:
            raise table.error("article_pattern",
                              f"not a valid regular expression: {problem}") from None
    return Source(
        name=name,
        allowed_domains=domains,
        listing_urls=listing_urls,
        feed_urls=feed_urls,
        search_url=search_url,
        language=language,
        timezone=_timezone(table, "timezone", timezone),
        selectors=css,
        article_pattern=article_pattern,
        verified=_verified(table),
        interval=table.duration("interval", None, minimum=INTERVAL_RANGE[0],
                                maximum=INTERVAL_RANGE[1]),
    )


def _verified(table: Table) -> str | None:
    """The day the source was last checked against the live site, or "unverified"."""
    value = table.string("verified")
    if value is None or value == UNVERIFIED:
        return value
    try:
        day = date.fromisoformat(value) if _DAY.fullmatch(value) else None
    except ValueError:
        day = None
    if day is None:
        raise table.error("verified", f"must be a date YYYY-MM-DD or {UNVERIFIED!r}, "
                                      f"not {shown(value)}")
    # A day's slack: the check may have been made where the date is already tomorrow.
    if day > clock.now().date() + timedelta(days=1):
        raise table.error("verified", f"{value} is in the future")
    return value


def _domains(table: Table) -> tuple[str, ...]:
    domains = []
    for index, domain in enumerate(table.strings("allowed_domains")):
        domain = domain.lower().rstrip(".")
        if not _HOST.fullmatch(domain):
            raise table.error(f"allowed_domains[{index}]", "must be a host name such as "
                              f"hespress.com (not a URL), not {shown(domain)}")
        domains.append(domain)
    return tuple(dict.fromkeys(domains))


def alert_settings(table: Table) -> AlertSettings:
    table.check_keys(_field_names(AlertSettings))
    default = AlertSettings()
    retry_base = table.duration("retry_base", default.retry_base, maximum=MAX_RETRY)
    retry_max = table.duration("retry_max", max(default.retry_max, retry_base),
                               maximum=MAX_RETRY)
    if retry_max < retry_base:
        raise table.error("retry_max", "must not be less than retry_base")
    return AlertSettings(
        max_age=table.duration("max_age", None, maximum=MAX_ALERT_AGE),
        max_attempts=table.integer("max_attempts", default.max_attempts, minimum=1,
                                   maximum=MAX_ATTEMPTS),
        retry_base=retry_base,
        retry_max=retry_max,
    )


def health_settings(table: Table) -> HealthSettings:
    table.check_keys(_field_names(HealthSettings))
    default = HealthSettings()
    return HealthSettings(
        silent_cycles=table.integer("silent_cycles", default.silent_cycles, minimum=1,
                                    maximum=MAX_HEALTH_CYCLES),
        failed_cycles=table.integer("failed_cycles", default.failed_cycles, minimum=1,
                                    maximum=MAX_HEALTH_CYCLES),
    )
