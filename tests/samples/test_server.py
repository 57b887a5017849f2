"""HTTP behaviour of the sample servers: caching, robots.txt, errors, changes at run time."""

from __future__ import annotations

import socket
import tomllib
import urllib.robotparser
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

import pytest

from crawler.samples import OFFSITE, SITE_NAMES, SampleSites

FEEDS = {"almokhbir": "/feed", "albawaba24": "/feed.xml", "lequotidien": "/rss.xml",
         "sadaatlas": "/feed/"}
SEARCHES = {"almokhbir": "/?s=Paris", "albawaba24": "/search?q=Paris",
            "lequotidien": "/recherche?q=Paris", "sadaatlas": "/?s=Paris"}
LISTINGS = {"almokhbir": "/", "albawaba24": "/", "lequotidien": "/actualites", "sadaatlas": "/"}


def test_conditional_get_answers_304(sites, fetch):
    for name in SITE_NAMES:
        for path in (LISTINGS[name], FEEDS[name], SEARCHES[name]):
            url = sites.base_urls[name] + path
            first = fetch(url)
            etag, modified = first.headers["etag"], first.headers["last-modified"]
            assert first.status == 200 and etag.startswith('"')
            assert fetch(url, {"If-None-Match": etag}).status == 304
            assert fetch(url, {"If-None-Match": f'W/{etag}, "other"'}).status == 304
            assert fetch(url, {"If-None-Match": '"stale"'}).status == 200
            assert fetch(url, {"If-Modified-Since": modified}).status == 304
            earlier = parsedate_to_datetime(modified) - timedelta(seconds=5)
            assert fetch(url, {"If-Modified-Since": format_datetime(earlier, usegmt=True)}
                         ).status == 200
            assert fetch(url, {"If-Modified-Since": "yesterday-ish"}).status == 200
            not_modified = fetch(url, {"If-None-Match": etag})
            assert not_modified.body == b"" and not_modified.headers["etag"] == etag


def test_robots_txt_forbids_exactly_the_forbidden_articles(sites, fetch):
    for name in SITE_NAMES:
        base = sites.base_urls[name]
        robots = fetch(base + "/robots.txt")
        assert robots.status == 200 and robots.headers["content-type"].startswith("text/plain")
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(robots.text().splitlines())
        for sample in (a for a in sites.articles if a.site == name):
            allowed = parser.can_fetch("marsad/0.1", base + sample.path)
            assert allowed is not sample.forbidden, sample.path
        assert parser.can_fetch("marsad/0.1", base + LISTINGS[name])


def test_unknown_and_malformed_paths_get_404_and_the_server_survives(sites, fetch):
    base = sites.base_urls["almokhbir"]
    for path in ("/nope", "/page/999/", "/%ff%fe%fd.html", "/page/abc/", "/?s=x&paged=-1",
                 "/../../etc/passwd", "/feed/extra"):
        assert fetch(base + path).status == 404, path
    host, port = urlsplit(base).hostname, urlsplit(base).port
    with socket.create_connection((host, port), timeout=5) as raw:
        raw.sendall(b"\x16\x03\x01garbage that is not HTTP\r\n\r\n")
        answer = b"".join(iter(lambda: raw.recv(4096), b""))
        assert b"400" in answer  # a clear refusal, and the connection is closed
    with socket.create_connection((host, port), timeout=5) as raw:
        raw.sendall(b"GET / HTTP/1.1\r\n")  # then hang up mid-request
    assert fetch(base + "/").status == 200
    assert fetch(base + "/", method="POST").status == 501


def test_head_gives_headers_without_body(sites, fetch):
    url = sites.base_urls["albawaba24"] + "/feed.xml"
    full, head = fetch(url), fetch(url, method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.headers["etag"] == full.headers["etag"]
    assert int(head.headers["content-length"]) == len(full.body)


def test_many_concurrent_requests(sites, fetch):
    urls = [sites.url(a) for a in sites.articles if a.site in SITE_NAMES] * 3
    with ThreadPoolExecutor(max_workers=24) as pool:
        statuses = list(pool.map(lambda u: fetch(u).status, urls))
    assert statuses == [200] * len(urls)


def test_request_log_records_site_target_and_status(sites, fetch):
    base = sites.base_urls["lequotidien"]
    fetch(base + "/recherche?q=Maroc&page=1")
    fetch(base + "/missing")
    log = [entry for entry in sites.requests if entry[0] == "lequotidien"]
    assert ("lequotidien", "/recherche?q=Maroc&page=1", 200) in log
    assert ("lequotidien", "/missing", 404) in log
    assert sites.was_requested("lequotidien", "/missing?x=1")


def test_sources_toml_is_a_valid_configuration_fragment(sites):
    sources = tomllib.loads(sites.sources_toml())["sources"]
    assert [s["name"] for s in sources] == list(SITE_NAMES)
    for source in sources:
        base = sites.base_urls[source["name"]]
        assert source["allowed_domains"] == [urlsplit(base).hostname]
        assert source["listing_urls"][0].startswith(base)
        assert source["feed_urls"][0] == base + FEEDS[source["name"]]
        assert "{query}" in source["search_url"]
        assert source["timezone"] in ("Africa/Casablanca", "Europe/Paris")
    assert OFFSITE not in sites.sources_toml()


def test_add_article_tops_listing_and_feed_and_changes_etags(fetch, fixed_now):
    with SampleSites(now=fixed_now) as sites:
        base = sites.base_urls["almokhbir"]
        before = {p: fetch(base + p) for p in ("/", "/feed")}
        # The newest listed article: still on the first page once one more is published.
        seed = max((a for a in sites.articles if a.site == "almokhbir" and a.listing_page == 1),
                   key=lambda a: a.published)
        added = sites.add_article(
            "almokhbir", "حموشي يستقبل وفدا أمنيا فرنسيا بالرباط",
            ["استقبل عبد اللطيف حموشي وفدا أمنيا فرنسيا رفيع المستوى.",
             "وتناولت المباحثات التعاون."],
            on_topic=True, read_also=[seed.path])
        assert added.via[:2] == ("listing", "feed") and added.listing_page == 1
        assert added.read_also == (seed.path,)
        for path, old in before.items():
            new = fetch(base + path)
            assert new.headers["etag"] != old.headers["etag"]
            assert fetch(base + path, {"If-None-Match": old.headers["etag"]}).status == 200
            assert fetch(base + path, {"If-Modified-Since": old.headers["last-modified"]}
                         ).status == 200
            assert new.text().index(added.path) < new.text().index(seed.path)
        page = fetch(sites.url(added))
        assert page.status == 200 and added.title in page.visible()
        assert any(a.path == added.path for a in sites.articles)
        with pytest.raises(ValueError, match="unknown sample site"):
            sites.add_article("nowhere", "title", ["text"])
        with pytest.raises(ValueError, match="read_also paths not found"):
            sites.add_article("lequotidien", "Titre", ["Texte."], read_also=["/missing.html"])


def test_set_down_answers_503_then_recovers(sites, fetch):
    base = sites.base_urls["albawaba24"]
    sites.set_down("albawaba24", True)
    try:
        for path in ("/", "/robots.txt", "/feed.xml"):
            assert fetch(base + path).status == 503
        assert fetch(sites.base_urls["almokhbir"] + "/").status == 200
    finally:
        sites.set_down("albawaba24", False)
    assert fetch(base + "/").status == 200


def test_fixed_port_and_busy_address(fixed_now):
    with socket.socket() as probe:
        probe.bind(("127.0.0.5", 0))
        port = probe.getsockname()[1]
    with SampleSites(("127.0.0.5", "127.0.0.6", "127.0.0.7", "127.0.0.8"), port=port,
                     offsite_ip="127.0.0.10", now=fixed_now) as sites:
        assert {urlsplit(u).port for u in sites.base_urls.values()} == {port}
        with pytest.raises(OSError, match=r"cannot serve almokhbir on 127\.0\.0\.5"):
            SampleSites(("127.0.0.5", "127.0.0.6", "127.0.0.7", "127.0.0.8"), port=port,
                        offsite_ip="127.0.0.10").start()
