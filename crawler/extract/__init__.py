"""Article extraction: pure functions over HTML (bytes or str in, values out).

No network, no storage, no Scrapy: the spiders fetch, these functions read.
"""

from crawler.extract.article import (
    SELECTOR_KEYS,
    ExtractedArticle,
    PageHints,
    compile_selector,
    extract_article,
)
from crawler.extract.dates import parse_date
from crawler.extract.encoding import decode_html, encoding_name
from crawler.extract.feeds import FeedEntry, announced_feeds, feed_entries, is_feed
from crawler.extract.links import article_links, looks_like_article, next_page_url
from crawler.extract.read_also import ReadAlso, read_also_links
from crawler.extract.tree import parse_html

__all__ = [
    "SELECTOR_KEYS",
    "ExtractedArticle",
    "FeedEntry",
    "PageHints",
    "ReadAlso",
    "announced_feeds",
    "article_links",
    "compile_selector",
    "decode_html",
    "encoding_name",
    "extract_article",
    "feed_entries",
    "is_feed",
    "looks_like_article",
    "next_page_url",
    "parse_date",
    "parse_html",
    "read_also_links",
]
