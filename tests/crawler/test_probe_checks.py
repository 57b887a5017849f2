"""The probe's verdicts and hints, from what a probe saw (pure functions, no network)."""

from __future__ import annotations

import json

import pytest

from crawler.extract import announced_feeds
from crawler.probe import ArticleFacts, Page, SourceProbe, assess
from crawler.probe.checks import common_shape
from crawler.probe.report import plain, probe_record

SITE = "https://www.example.ma"
GOOD = ArticleFacts(title="حموشي في باريس", published="2025-04-20T10:30:00+01:00",
                    body_chars=1200, read_also=1)


def article(url: str = f"{SITE}/a-1.html", facts: ArticleFacts | None = GOOD,
            **fields) -> Page:
    return Page("article", url, article=facts, **({"status": 200, "seconds": 0.2} | fields))


def listing(links: int = 5, **fields) -> Page:
    urls = [f"{SITE}/news/{1000 + n}.html" for n in range(links)]
    return Page("listing", f"{SITE}/", status=200, seconds=0.1, links=urls, **fields)


def feed(entries: int = 10, **fields) -> Page:
    urls = [f"{SITE}/news/{2000 + n}.html" for n in range(entries)]
    return Page("feed", f"{SITE}/feed", status=200, seconds=0.1, is_feed=True, links=urls,
                **fields)


def probe(*pages: Page, pattern: str | None = None) -> SourceProbe:
    return assess(SourceProbe("site", "unverified", pattern, "حموشي فرنسا", list(pages)))


LOOKALIKES = [f"{SITE}/politique/{n}.html" for n in range(30, 67)] + [f"{SITE}/a-propos"]


@pytest.mark.parametrize("pages, pattern, verdict, hints", [
    # Everything answers: ok, nothing to say.
    ((listing(), feed(), article(), article()), None, "ok", []),
    # A dead feed beside a working listing: degraded, and the feed the page announces.
    ((listing(announced_feeds=[f"{SITE}/rss"]), Page("feed", f"{SITE}/press/feed", status=404,
                                                       error="HTTP 404"), article()),
     None, "degraded", [f"the feed {SITE}/press/feed failed: HTTP 404; the listing page "
                        f"announces {SITE}/rss"]),
    # A listing whose links the pattern misses, and no feed: broken, with the shape to use.
    ((listing(0, lookalikes=LOOKALIKES),), r"^/permalink/\d+\.html$", "broken",
     ["no article link on any listing, feed or search page",
      r"no article links matched article_pattern '^/permalink/\d+\.html$'; 38 links look "
      r"like articles, 37 of them like /politique/<id>.html (e.g. /politique/30.html): try "
      r"article_pattern = '^/politique/\d+\.html$'"]),
    # A feed URL that answers an HTML page.
    ((listing(), Page("feed", f"{SITE}/feed", status=200), article()), None, "degraded",
     [f"feed {SITE}/feed is not RSS, Atom or a sitemap"]),
    # Articles without a date: degraded, with the selector to set.
    ((feed(), article(facts=ArticleFacts("t", None, 900, 0))), None, "degraded",
     [f"1 of 1 articles have no date (e.g. {SITE}/a-1.html): set selectors.date"]),
    # Articles with no body at all: nothing the crawl could store.
    ((feed(), article(facts=ArticleFacts("t", "2025-01-01", 0, 0))), None, "broken",
     ["1 of 1 articles have no body text (under 200 characters)"]),
    # Every page answers 403: blocked, not broken.
    ((Page("listing", f"{SITE}/", status=403, blocked="HTTP 403 (Cloudflare)"),
      Page("feed", f"{SITE}/feed", status=403, blocked="HTTP 403 (Cloudflare)")),
     None, "blocked", [f"the site refuses the listing {SITE}/: HTTP 403 (Cloudflare); marsad "
                       "does not get around bot protection"]),
    # robots.txt forbids the listing: blocked too (marsad obeys it).
    ((Page("listing", f"{SITE}/", forbidden=True),), None, "blocked",
     [f"robots.txt forbids the listing {SITE}/; marsad obeys it"]),
    # Only the search refused: the rest works, so degraded.
    ((feed(), Page("search", f"{SITE}/?s=x", status=403, blocked="HTTP 403"), article()),
     None, "degraded", ["the site refuses the search: HTTP 403"]),
    # A search with no results for today's words.
    ((feed(), Page("search", f"{SITE}/?s=x", status=200), article()), None, "degraded",
     ["the search for 'حموشي فرنسا'", "no results for these words"]),
    # Links found, but every article page fails.
    ((feed(), article(facts=None, status=500, error="HTTP 500")), None, "broken",
     ["none of the articles tried could be read", f"the article {SITE}/a-1.html failed: "
                                                  "HTTP 500"]),
    # A feed whose entries all lead to another host.
    ((listing(), Page("feed", f"{SITE}/feed", status=200, is_feed=True,
                      offsite=["https://feeds.example.net/~r/1"]), article()),
     None, "degraded", ["all 1 entries lead off the source's domains"]),
    # A redirect to another domain, said as the spider reports it.
    ((Page("listing", f"{SITE}/", error="redirected off the source's domains, to "
           "https://www.new.ma/: add its host to allowed_domains, or use the new address"),),
     None, "broken", ["redirected off the source's domains, to https://www.new.ma/"]),
    # An article robots.txt forbids is skipped, as the crawl skips it, when others read.
    ((feed(), article(facts=None, status=None, forbidden=True), article(f"{SITE}/b-2.html")),
     None, "ok", []),
    ((feed(), article(facts=None, status=None, forbidden=True)), None, "blocked",
     [f"none of the articles tried could be read; robots.txt forbids 1 of them (e.g. "
      f"{SITE}/a-1.html)"]),
    # A refused search beside a listing that does not answer: the configuration's to fix.
    ((Page("listing", f"{SITE}/", status=404, error="HTTP 404"),
      Page("search", f"{SITE}/?s=x", status=403, blocked="HTTP 403")), None, "broken",
     [f"the listing {SITE}/ failed: HTTP 404", "the site refuses the search: HTTP 403"]),
    # One cause for every page is said once.
    ((Page("listing", f"{SITE}/", error="DNS lookup failed for www.example.ma"),
      Page("feed", f"{SITE}/feed", error="DNS lookup failed for www.example.ma")),
     None, "broken", [f"2 pages failed (e.g. the listing {SITE}/): DNS lookup failed"]),
])
def test_verdicts_and_hints(pages, pattern, verdict, hints):
    result = probe(*pages, pattern=pattern)
    assert result.verdict == verdict, result.problems
    text = "\n".join(result.problems)
    for hint in hints:
        assert hint in text
    assert all("\n" not in problem for problem in result.problems)
    assert len(set(result.problems)) == len(result.problems)
    assert sum("DNS" in problem for problem in result.problems) <= 1
    if verdict == "ok":
        assert result.problems == []


def test_a_source_with_nothing_to_fetch_is_ok():
    assert probe().verdict == "ok"


@pytest.mark.parametrize("paths, shape, pattern", [
    (["/news/1.html", "/news/22.html", "/news/333.html"], "/news/<id>.html",
     r"^/news/\d+\.html$"),
    (["/politic/1.html", "/sport/22.html", "/permalink/3.html"], "/<section>/<id>.html",
     r"^/[^/]+/\d+\.html$"),
    (["/%D8%AA%D9%88%D9%82%D9%8A%D9%81-417341.html", "/slug-2-417342.html"],
     "/<slug>-<id>.html", r"^/[^/]+-\d+\.html$"),
    (["/maroc/une-affaire_ABCDEFGHIJKLMNOPQRSTUVWXYZ/"], "/maroc/<slug>_<ID>/",
     r"^/maroc/[^/]+_[A-Z0-9]{16,}/?$"),
    (["/ar/maghreb/20250101-slug-a", "/ar/maghreb/20250102-b"],
     "/ar/maghreb/<yyyymmdd>-<slug>", r"^/ar/maghreb/\d{8}-[^/]+$"),
    (["/press/12.html", "/press/13.html", "/a-propos-de-nous-et-du-site"], "/press/<id>.html",
     r"^/press/\d+\.html$"),
])
def test_common_shape_suggests_a_pattern_matching_the_links(paths, shape, pattern):
    import re
    from urllib.parse import unquote

    found = common_shape([SITE + path for path in paths])
    assert found is not None
    assert found[:2] == (shape, pattern)
    matched = [p for p in paths if re.search(pattern, unquote(p))]
    assert len(matched) == found[2] >= 1


def test_no_links_no_shape():
    assert common_shape([]) is None
    assert common_shape([SITE + "/"]) is None


def test_page_text_is_printed_without_control_characters():
    assert plain("a\x1b[31mred\x07 \u202egnirts\u202c") == "a\ufffd[31mred\ufffd gnirts"
    assert plain("x" * 300, 20) == "x" * 19 + "…"


def test_json_record_has_the_contract_fields_and_stays_on_one_line():
    result = probe(listing(), feed(), article(facts=ArticleFacts("عنوان\nثان", None, 900, 2)))
    record = probe_record(result)
    assert {"source", "verdict", "problems"} <= set(record)
    assert record["verdict"] == "degraded" and record["feed_entries"] == 10
    assert record["articles"][0]["read_also"] == 2
    line = json.dumps(record, ensure_ascii=False)
    assert "\n" not in line and "عنوان" in line


def test_announced_feeds_of_a_listing_page():
    page = (b'<html><head><base href="https://x.ma/ar/">'
            b'<link rel="alternate" type="application/rss+xml" href="feed">'
            b'<link rel="Alternate" type="application/atom+xml; charset=utf-8" href="/atom">'
            b'<link rel="alternate" type="text/html" href="/fr/">'
            b'<link rel="stylesheet" type="application/rss+xml" href="/x"></head></html>')
    assert announced_feeds(page, "https://x.ma/") == ["https://x.ma/ar/feed", "https://x.ma/atom"]
    assert announced_feeds(b"", "https://x.ma/") == []
