"""The [schedule], [crawl], [alerts] and [health] sections, each key checked where it is
read ([[sources]]: `crawler.config.sources`; [channels]: `crawler.config.channels`;
[[topics]]: `crawler.config.topics`)."""

from __future__ import annotations

from dataclasses import fields

from crawler.config.model import AlertSettings, CrawlSettings, HealthSettings
from crawler.config.reader import Table

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
MAX_EXTRACT_WORKERS = 64  # each holds a parsed page and the compiled topics
MAX_HEALTH_CYCLES = 10_000  # over three months of cycles at the default interval


def field_names(cls: type) -> list[str]:
    """The keys of a section: the fields of the dataclass it fills."""
    return [f.name for f in fields(cls)]


def schedule_interval(table: Table) -> float:
    table.check_keys(("interval",))
    low, high = INTERVAL_RANGE
    return table.duration("interval", 900.0, minimum=low, maximum=high)


def crawl_settings(table: Table) -> CrawlSettings:
    table.check_keys(field_names(CrawlSettings))
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
        timezone=table.zone("timezone", default.timezone),
        listing_pages=table.integer("listing_pages", default.listing_pages, maximum=MAX_PAGES),
        max_page_size=table.size("max_page_size", default.max_page_size, maximum=MAX_PAGE_SIZE),
        max_text_size=table.size("max_text_size", default.max_text_size, maximum=MAX_TEXT_SIZE),
        min_free_space=table.size("min_free_space", default.min_free_space, zero=True),
        extract_workers=table.integer("extract_workers", default.extract_workers,
                                      maximum=MAX_EXTRACT_WORKERS),
    )


def alert_settings(table: Table) -> AlertSettings:
    table.check_keys(field_names(AlertSettings))
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
    table.check_keys(field_names(HealthSettings))
    default = HealthSettings()
    return HealthSettings(
        silent_cycles=table.integer("silent_cycles", default.silent_cycles, minimum=1,
                                    maximum=MAX_HEALTH_CYCLES),
        failed_cycles=table.integer("failed_cycles", default.failed_cycles, minimum=1,
                                    maximum=MAX_HEALTH_CYCLES),
    )
