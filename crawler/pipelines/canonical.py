"""Give each article its canonical URL and the variants it was seen under."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import ArticleItem
from crawler.settings import marsad_config
from crawler.urls import BadURL, host_matches, host_of, normalize_url


class CanonicalUrlPipeline:
    def __init__(self, domains: dict[str, tuple[str, ...]]):
        self.domains = domains

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CanonicalUrlPipeline:
        config = marsad_config(crawler)
        return cls({s.name: tuple(s.allowed_domains) for s in config.sources})

    def process_item(self, item: ArticleItem) -> ArticleItem:
        seen = [item.response_url, item.request_url]
        declared = item.article.canonical_url
        # A page may name another site's copy as canonical (syndication): that copy
        # is a different article of the same story, so only same-source URLs count.
        if declared and host_matches(host_of(declared), self.domains.get(item.source, ())):
            seen.insert(0, declared)
        urls: list[str] = []
        for url in seen:
            try:
                normal = normalize_url(url)
            except BadURL:
                continue
            if normal not in urls:
                urls.append(normal)
        if not urls:
            raise DropItem(f"no usable URL for {item.response_url!r}")
        item.url, item.aliases = urls[0], tuple(urls[1:])
        return item
