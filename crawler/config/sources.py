"""The [[sources]]: the news sites, each key checked where it is read."""

from __future__ import annotations

import re
from datetime import date, timedelta

from crawler import clock
from crawler.config.model import Source
from crawler.config.reader import Table
from crawler.config.sections import INTERVAL_RANGE, field_names
from crawler.config.values import shown
from crawler.extract import SELECTOR_KEYS, compile_selector
from crawler.urls import host_matches, host_of

_LANGUAGE = re.compile(r"[a-z]{2,3}")
_HOST = re.compile(r"[^\s/:@?#]+")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
UNVERIFIED = "unverified"


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
    table.check_keys(field_names(Source))
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
    css = {key: selectors.string(key, required=True)
           for key in SELECTOR_KEYS if selectors.has(key)}
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
        timezone=table.zone("timezone", timezone),
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
