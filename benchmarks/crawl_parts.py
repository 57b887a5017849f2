"""Parts of the crawl benchmark (benchmarks/crawl.py): the staged bulk site, the
bare spider it is compared with, and how the site's request log is read."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy.settings import Settings

from crawler.samples import BulkSite, generate_bulk_site


class StagedBulkSite(BulkSite):
    """The bulk site with its newest `held` articles unpublished until `publish()`.

    BulkSite cannot publish at run time: `Site.add` appends the newcomer after
    the oldest article of `BulkSite.listed()`, and the title index (`search`
    zips it with the articles, strict) and the key map miss it. Regenerating
    with n+10 articles and the same seed does not work either: ids count down
    from n, so every URL changes, and the 10 extra articles are the *oldest*.
    So the site is generated once with n+10 articles and the newest 10 stay
    hidden (not listed, not in the feed or search, 404) until published: the
    first cycle sees exactly n articles, the second the same n plus 10 on top.
    """

    held = 0
    # Article path -> its page, rendered before the crawls; replaced whole, never filled
    # in place (the site is made a StagedBulkSite by its class, without an __init__).
    rendered: Mapping[str, Any] = MappingProxyType({})

    def prerender(self) -> None:
        """Render every published article page now: the crawlers compared share this
        machine's cores with the site, whose rendering a real site does elsewhere."""
        rendered = {}
        for article in self.listed():
            path = unquote(self.article_path(article))  # as `route` is given it
            rendered[path] = super().route(path, {})
        self.rendered = rendered

    def route(self, path: str, query: Any) -> Any:
        page = self.rendered.get(path)
        return page if page is not None and not query else super().route(path, query)

    def hold(self, count: int) -> None:
        self.held = count
        self.updated = self._articles[count].published

    def publish(self) -> None:
        self.rendered = {}  # a page may list the latest articles: rendered anew from now on
        self.held = 0
        self.updated = self._articles[0].published  # newer: listings change Last-Modified

    def _visible(self, article: Any) -> bool:
        return int(article.key.split("-")[1]) >= self.held

    def listed(self) -> list[Any]:
        return list(self._articles[self.held:])

    def feed(self) -> list[Any]:
        return self.listed()[: self.feed_size]

    def search(self, query: str) -> list[Any]:
        return [a for a in super().search(query) if self._visible(a)]

    def lookup(self, path: str) -> tuple[Any, str] | None:
        found = super().lookup(path)
        return found if found is None or self._visible(found[0]) else None


def staged_site(articles: int, new: int, seed: int) -> StagedBulkSite:
    """A bulk site showing `articles` articles, with `new` more ready to publish."""
    site = generate_bulk_site(articles + new, seed=seed)
    site.__class__ = StagedBulkSite  # the same state; the class only adds the hold
    assert isinstance(site, StagedBulkSite)
    site.hold(new)
    site.prerender()
    return site


class BareSpider(scrapy.Spider):
    """Listing pages (following rel=next) to article pages; reads each page's <title>."""

    name = "bare"

    def parse(self, response: Any) -> Any:
        for href in response.css(".card-title a::attr(href)").getall():
            yield response.follow(href, self.parse_article)
        following = response.css('link[rel="next"]::attr(href)').get()
        if following:
            yield response.follow(following, self.parse)

    def parse_article(self, response: Any) -> None:
        if response.css("title::text").get():
            self.crawler.stats.inc_value("bare/titles")


def bare_settings(config: Any) -> Settings:
    """marsad's Scrapy settings (crawler.settings and those from the configuration)
    without marsad's own middlewares, pipelines and extensions."""
    import crawler.settings as project
    from crawler.settings import from_config

    own = {"DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "ITEM_PIPELINES", "EXTENSIONS",
           "SPIDER_MODULES", "NEWSPIDER_MODULE"}
    settings = Settings()
    for name in dir(project):
        if name.isupper() and name not in own and not name.startswith("MARSAD_"):
            settings.set(name, getattr(project, name), priority="project")
    values = {k: v for k, v in from_config(config).items() if not k.startswith("MARSAD_")}
    settings.setdict({**values, "LOG_LEVEL": "ERROR"}, priority="project")
    return settings


def kind_of(target: str) -> str:
    """What a request to the bulk site asked for, from its target (path?query)."""
    parts = urlsplit(target)
    path = unquote(parts.path)
    if path == "/robots.txt":
        return "robots.txt"
    if "s=" in parts.query:
        return "search"
    if path in ("/feed", "/feed/"):
        return "feed"
    if path == "/" or path.startswith("/page/"):
        return "listing"
    return "article" if path.endswith(".html") else "other"
