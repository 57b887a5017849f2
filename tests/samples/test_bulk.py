"""The large synthetic site used by the crawl benchmark."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import quote, unquote, urlsplit

import pytest

from crawler.samples import SiteServer, generate_bulk_site


@pytest.fixture(scope="module")
def bulk(fixed_now):
    site = generate_bulk_site(5000, seed=7, now=fixed_now)  # its time: benchmarks/bounds.py
    with SiteServer(site, "127.0.0.2") as server:
        yield site, server.base_url


def test_generation_is_deterministic(fixed_now):
    one = generate_bulk_site(300, seed=3, now=fixed_now)
    two = generate_bulk_site(300, seed=3, now=fixed_now)
    other = generate_bulk_site(300, seed=4, now=fixed_now)
    assert one.article_paths() == two.article_paths() != other.article_paths()
    path = unquote(one.article_paths()[10])
    assert one.lookup(path)[0].body == two.lookup(path)[0].body
    with pytest.raises(ValueError, match="at least 1"):
        generate_bulk_site(0)


@pytest.mark.slow
def test_article_pages_weigh_like_real_ones(bulk, fetch):
    site, base = bulk
    paths = site.article_paths()
    assert len(paths) == len(set(paths)) == 5000
    for path in paths[::250]:
        page = fetch(base + path)
        assert page.status == 200
        assert 40_000 <= len(page.body) <= 70_000, len(page.body)
        links = re.findall(r'<p>إقرأ أيضا : <a href="([^"]+)">', page.text())
        assert links and all(urlsplit(link).path in paths for link in links)


@pytest.mark.slow
def test_listing_is_paginated_by_fifty_and_feed_has_the_latest_fifty(bulk, fetch):
    site, base = bulk
    paths = site.article_paths()
    first = fetch(base + "/").text()
    for path in paths[:50]:
        assert path in first
    assert paths[50] not in first.split('class="sidebar"')[0]
    assert f'rel="next" href="{base}/page/2/"' in first
    last = fetch(base + "/page/100/").text()
    assert paths[-1] in last and 'rel="next"' not in last
    assert fetch(base + "/page/101/").status == 404
    feed = ET.fromstring(fetch(base + "/feed").body)
    items = [item.findtext("link") for item in feed.iter("item")]
    assert [urlsplit(link).path for link in items] == paths[:50]


@pytest.mark.slow
def test_on_topic_share_and_title_search(bulk, fetch):
    site, base = bulk
    on_topic = site.on_topic_paths()
    assert 150 <= len(on_topic) <= 350
    results = fetch(base + "/?s=" + quote("تعاون أمني مغربي فرنسي") + "&feed=rss2")
    assert results.status == 200 and len(list(ET.fromstring(results.body).iter("item"))) == 10
    assert "[[sources]]" in site.source_toml() and base in site.source_toml()


def test_articles_share_words_but_no_passage(fixed_now):
    """Real articles of one site share words, not passages (story detection would take
    every generated article for a near-copy of others). On-topic articles share their
    security sentence on purpose, for topic matching: they are left out."""
    site = generate_bulk_site(60, seed=5, now=fixed_now)
    bodies = [" ".join(p for p in site.expand(a).body if isinstance(p, str))
              for a in site.listed() if not a.on_topic]
    passages = [{tuple(words[i:i + 8]) for i in range(len(words) - 7)}
                for words in (body.split() for body in bodies)]
    vocabularies = [set(body.split()) for body in bodies]
    assert len(bodies) > 50
    for one in range(0, len(bodies), 7):
        for other in range(one + 1, len(bodies), 5):
            assert len(vocabularies[one] & vocabularies[other]) > 20
            assert not passages[one] & passages[other]
