"""The one URL canonicaliser: variants of one article collapse to one key."""

from __future__ import annotations

import pytest

from crawler.urls import (
    BadURL,
    absolute_url,
    host_matches,
    is_http_url,
    normalize_url,
    url_key,
)

ARTICLE = "https://www.hespress.com/politique/436105.html"


@pytest.mark.parametrize("variant", [
    "https://www.hespress.com/politique/436105.html",
    "http://www.hespress.com/politique/436105.html",
    "https://WWW.Hespress.com:443/politique/436105.html#comments",
    "https://www.hespress.com/politique/436105.html?utm_source=fb&utm_medium=social",
    "https://www.hespress.com/politique/436105.html?fbclid=abc&xtor=RSS-1",
    "https://m.hespress.com/politique/436105.html",
    "https://hespress.com/politique/436105.html/",
    "https://www.hespress.com/politique/436105.html/amp/",
    "https://www.hespress.com/amp/politique/436105.html",
    "https://amp.hespress.com/politique/436105.html",
])
def test_variants_share_one_key(variant):
    assert url_key(variant) == url_key(ARTICLE)


def test_le360_amp_query_and_trailing_slash():
    base = "https://fr.le360.ma/societe/slug_ABCDEFGHIJKLMNOPQRSTUVWXYZ/"
    assert url_key(base + "?outputType=amp") == url_key(base.rstrip("/"))


def test_percent_encoding_is_uniform():
    raw = "https://www.hespress.com/الأمن-الوطني-123.html"
    encoded = "https://www.hespress.com/%d8%a7%d9%84%d8%a3%d9%85%d9%86-%d8%a7%d9%84%d9%88%d8%b7%d9%86%d9%8a-123.html"
    assert normalize_url(raw) == normalize_url(encoded)
    assert "%D8%A7" in normalize_url(raw)


def test_different_articles_keep_different_keys():
    assert url_key(ARTICLE) != url_key("https://www.hespress.com/politique/436106.html")
    assert url_key("https://a.example/x?id=1") != url_key("https://a.example/x?id=2")
    assert url_key("https://fr.hespress.com/x.html") != url_key("https://www.hespress.com/x.html")


def test_normalize_keeps_meaningful_query_sorted_and_drops_tracking():
    assert (normalize_url("http://127.0.0.2:8080/a/1.html?b=2&a=1&utm_campaign=x")
            == "http://127.0.0.2:8080/a/1.html?a=1&b=2")
    feed = "https://fr.le360.ma/arc/outboundfeeds/rss/?outputType=xml"
    assert normalize_url(feed) == feed


@pytest.mark.parametrize("bad", ["ftp://example.org/a", "javascript:alert(1)", "mailto:x@y",
                                 "//no-scheme", "http://", "http://a:99999/", "not a url",
                                 "http:///path", "http://user@/x", "data:text/html,x"])
def test_not_http_urls_are_refused(bad):
    assert not is_http_url(bad)
    with pytest.raises(BadURL):
        normalize_url(bad)


@pytest.mark.parametrize("good", ["https://www.hespress.com/x.html", "HTTP://Example.ORG/a",
                                  "http://127.0.0.2:8080/", " https://fr.le360.ma/a "])
def test_http_urls_are_accepted(good):
    assert is_http_url(good)


def test_absolute_url_resolves_and_rejects_non_http():
    base = "https://www.hespress.com/politique/1.html"
    assert absolute_url("../societe/2.html", base) == "https://www.hespress.com/societe/2.html"
    assert absolute_url("javascript:void(0)", base) is None
    assert absolute_url("#top", base) is None
    assert absolute_url("", base) is None


def test_host_matches_domains_and_subdomains_only():
    assert host_matches("fr.hespress.com", ["hespress.com"])
    assert host_matches("hespress.com", ["hespress.com"])
    assert not host_matches("evilhespress.com", ["hespress.com"])
    assert host_matches("127.0.0.2", ["127.0.0.2"])
    assert not host_matches("127.0.0.20", ["127.0.0.2"])
