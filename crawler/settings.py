"""Scrapy settings of the marsad project.

Static wiring only. Values that come from the marsad configuration (delays,
concurrency, user agent, size limit) are applied by `from_config`, called
when the `news` spider is set up, so `scrapy crawl news` and `marsad crawl`
behave the same.
"""

from __future__ import annotations

from typing import Any

BOT_NAME = "marsad"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Path of the marsad configuration; None: $MARSAD_CONFIG, ./marsad.toml, the bundled default.
MARSAD_CONFIG = None

ROBOTSTXT_OBEY = True
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19's remote-control server: a listening socket and a job file in the
# user's home for every crawl, which a monitor needs no more than a telnet console
# (and a service confined to its database folder could not write).
REMOTE_CONTROL_ENABLED = False
# Scrapy reads a generator callback's source (inspect + ast) to warn about a returned
# value, and its cache is keyed by the bound method, a new one for every request: half
# a millisecond a page, to check marsad's few callbacks, which their tests exercise.
WARN_ON_GENERATOR_RETURN_VALUE = False
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
RETRY_TIMES = 1
REDIRECT_MAX_TIMES = 5
AUTOTHROTTLE_ENABLED = False
DNS_TIMEOUT = 10
# Items are processed by fast synchronous pipelines; Scrapy's default of 100
# parallel tasks per callback result only adds scheduling overhead here.
CONCURRENT_ITEMS = 8

DOWNLOADER_MIDDLEWARES = {
    # Ours replaces Scrapy's: an unreachable robots.txt must not mean "allow all".
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.StrictRobotsTxtMiddleware": 100,
    # Before robots.txt, so a forbidden host is never even asked for its robots.txt.
    "crawler.middlewares.scope.SourceScopeMiddleware": 50,
    "crawler.middlewares.conditional.ConditionalRequestMiddleware": 560,
    # Above Redirect (600) and Retry (550): it must see every response and error first.
    "crawler.middlewares.politeness.DomainConcurrencyMiddleware": 950,
}

SPIDER_MIDDLEWARES = {
    "crawler.middlewares.incremental.KnownArticleMiddleware": 800,
    # Closer to the spider than the known-article filter, so its requests pass that filter.
    "crawler.middlewares.read_also_retry.ReadAlsoRetryMiddleware": 850,
}

ITEM_PIPELINES = {
    "crawler.pipelines.canonical.CanonicalUrlPipeline": 100,
    "crawler.pipelines.alert_plan.AlertPlanPipeline": 200,
    "crawler.pipelines.store.StorePipeline": 300,
}

EXTENSIONS = {
    # The crawl's one archive connection, which the middlewares, the store pipeline and
    # the run recorder take from it (opened on first use, closed at engine_stopped).
    # Built before the run recorder (a lower number), which takes it when it is built.
    "crawler.extensions.archive.ArchiveExtension": 100,
    "crawler.extensions.runs.RunRecorder": 500,
    "crawler.extensions.progress.TerminalProgress": 510,
}


def marsad_config(crawler: Any) -> Any:
    """The marsad `Config` a crawl runs with. Raises NotConfigured without one, so that
    a component used outside the news spider switches itself off, as Scrapy's do."""
    from scrapy.exceptions import NotConfigured

    config = crawler.settings.get("MARSAD_CONFIG_OBJECT")
    if config is None:
        raise NotConfigured("no marsad configuration")
    return config


def from_config(config: Any) -> dict[str, Any]:
    """Scrapy settings derived from a marsad `Config`."""
    crawl = config.crawl
    return {
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.obey_robots_txt,
        "DOWNLOAD_DELAY": crawl.download_delay,
        "DOWNLOAD_DELAY_JITTER": 0.5 if crawl.download_delay > 0 else 0.0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency_per_domain,
        "CONCURRENT_REQUESTS": max(crawl.concurrency, crawl.concurrency_per_domain),
        "DOWNLOAD_TIMEOUT": crawl.timeout,
        "DOWNLOAD_MAXSIZE": crawl.max_page_size,
        "DOWNLOAD_WARNSIZE": 0,
        "MARSAD_CONFIG_OBJECT": config,
    }
