"""The news spider's requests and what it reads of a response's headers (spiders/pages.py),
with Scrapy's own requests and responses."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from crawler.config import load_config
from crawler.extract import FeedEntry
from crawler.urls import BadURL
from crawler.vocabulary import CHAIN, CONDITIONAL, HANDLE_HTTPSTATUS_LIST, KIND, SOURCE
from spiders.news import source_for_url as imported_from_the_spider
from spiders.pages import (
    FeedDates,
    article_request,
    declared_encoding,
    page_request,
    search_url,
    source_for_url,
)


@pytest.fixture
def config(tmp_path: Path):
    path = tmp_path / "marsad.toml"
    path.write_text('[[sources]]\nname = "hespress"\nallowed_domains = ["hespress.com"]\n'
                    'listing_urls = ["https://www.hespress.com/"]\n\n'
                    '[[sources]]\nname = "le360"\nlisting_urls = ["https://fr.le360.ma/"]\n',
                    encoding="utf-8")
    return load_config(path)


def test_a_url_belongs_to_the_source_whose_domains_hold_its_host(config):
    assert source_for_url(config, "https://www.hespress.com/a.html").name == "hespress"
    assert source_for_url(config, "https://sport.hespress.com/b.html").name == "hespress"
    assert source_for_url(config, "https://fr.le360.ma/c.html").name == "le360"
    assert source_for_url(config, "https://le360.ma/c.html") is None  # not fr.le360.ma
    assert source_for_url(config, "https://nothespress.com/d.html") is None
    assert imported_from_the_spider is source_for_url


def test_a_search_query_is_url_encoded_into_the_source_template():
    assert search_url("https://www.hespress.com/?s={query}", "حموشي فرنسا") == (
        "https://www.hespress.com/?s=%D8%AD%D9%85%D9%88%D8%B4%D9%8A%20"
        "%D9%81%D8%B1%D9%86%D8%B3%D8%A7")
    assert search_url("https://a.ma/search/{query}/", "a/b&c=d") == (
        "https://a.ma/search/a%2Fb%26c%3Dd/")


def callback(*args: object, **kwargs: object) -> None:
    return None


def test_page_requests_are_conditional_and_know_their_pagination(config):
    source = config.source("hespress")
    first = page_request("https://www.hespress.com/", source, "listing", callback=callback,
                         errback=callback)
    assert first.meta == {SOURCE: "hespress", KIND: "listing", CHAIN: first.url,
                          CONDITIONAL: True, HANDLE_HTTPSTATUS_LIST: [304]}
    assert first.cb_kwargs == {"page": 1}
    later = page_request("https://www.hespress.com/page/2", source, "listing",
                         callback=callback, errback=callback, page=2, chain=first.url)
    assert (later.meta[CHAIN], later.cb_kwargs) == (first.url, {"page": 2})


def test_article_requests_carry_how_the_link_was_found(config):
    source = config.source("le360")
    request = article_request("HTTPS://FR.le360.ma/a.html?utm_source=x#top", source, "read_also",
                              2, "https://fr.le360.ma/b.html", callback=callback,
                              errback=callback)
    assert request.url == "https://fr.le360.ma/a.html"
    assert request.meta == {SOURCE: "le360", KIND: "article"}
    assert request.cb_kwargs == {"via": "read_also", "hops": 2,
                                 "referrer": "https://fr.le360.ma/b.html"}
    with pytest.raises(BadURL):
        article_request("mailto:desk@le360.ma", source, "listing", None, None,
                        callback=callback, errback=callback)


@pytest.mark.parametrize("content_type, codec", [
    ("text/html; charset=UTF-8", "utf-8"),
    ('text/html; charset="windows-1256"', "cp1256"),
    ("text/html;charset=ISO-8859-1", "cp1252"),  # read as browsers read it
    ("text/html; charset=no-such-charset", None),
    ("text/html", None),
    ("", None),  # present, but empty
    (None, None),
])
def test_the_declared_encoding_is_the_codec_the_charset_names(content_type, codec):
    headers = {"Content-Type": content_type} if content_type is not None else {}
    response = HtmlResponse("https://www.hespress.com/a.html", body=b"<html/>",
                            headers=headers)
    assert declared_encoding(response) == codec


def test_feed_dates_are_found_under_any_variant_of_the_address():
    when = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    dates = FeedDates()
    dates.note([FeedEntry(url="https://www.hespress.com/a.html?utm_source=rss", title="a",
                          published=when),
                FeedEntry(url="https://www.hespress.com/b.html", title="b", published=None),
                FeedEntry(url="not a url", title="c", published=when)])
    assert dates.of("https://hespress.com/a.html") == when
    assert dates.of("https://www.hespress.com/b.html") is None
    assert dates.of("not a url") is None
