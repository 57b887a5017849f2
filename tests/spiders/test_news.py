"""The news spider's callbacks on their own: a spider built by Scrapy's `get_crawler`, fed
Scrapy responses made of the sample sites' pages as their servers would send them
(`sample_web`, in this process), or of a page written here. No server, no crawl: the
crawl tests beside this file cover the same callbacks end to end."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from scrapy.exceptions import DownloadCancelledError
from scrapy.http import HtmlResponse, Request, Response
from scrapy.http.headers import Headers
from scrapy.responsetypes import responsetypes
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from crawler import figures, vocabulary
from crawler.config import load_config
from crawler.items import ArticleItem
from crawler.middlewares.scope import OutOfScope
from crawler.samples import OFFSITE, SITE_NAMES
from crawler.text import squash_spaces
from crawler.urls import url_key
from spiders.news import NewsSpider

SEED = "http://127.0.0.4/seed-article.html"


def fetch(sample_web, request: Request) -> Response:
    """The sample site's answer to a request, as Scrapy would hand it to the callback."""
    answer = sample_web.answer(request.url)
    headers = Headers(answer.headers)
    kind = responsetypes.from_args(headers=headers, url=request.url, body=answer.body)
    return kind(request.url, status=answer.status, headers=headers, body=answer.body,
                request=request)


@pytest.fixture
def spider(sample_web, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> NewsSpider:
    monkeypatch.setenv("MARSAD_NOW", sample_web.now.isoformat())  # the sample pages' relative dates
    path = tmp_path / "marsad.toml"
    path.write_text(f'database = "archive.db"\n\n[crawl]\nlisting_pages = 2\nsearch_pages = 1\n'
                    f'read_also_depth = 1\nseeds = ["{SEED}", "http://nowhere.example/a"]\n\n'
                    + sample_web.sources_toml(), encoding="utf-8")
    crawler = get_crawler(NewsSpider, {"MARSAD_CONFIG_OBJECT": load_config(path)})
    crawler.spider = NewsSpider.from_crawler(crawler)
    return crawler.spider


def stat(spider: NewsSpider, source: str, what: str) -> object:
    return spider.crawler.stats.get_value(figures.source_key(source, what))


def requests_of(results: list) -> list[Request]:
    return [r for r in results if isinstance(r, Request)]


def items_of(results: list) -> list[ArticleItem]:
    return [r for r in results if isinstance(r, ArticleItem)]


def article_request(spider: NewsSpider, url: str, source: str, via: str = "listing",
                    hops: int | None = None) -> Request:
    [request] = spider._article(url, spider.config.source(source), via, hops)
    return request


def read(spider: NewsSpider, sample_web, request: Request) -> list:
    """The request's callback on the sample site's answer to it."""
    return list(request.callback(fetch(sample_web, request), **request.cb_kwargs))


# -- discovery ------------------------------------------------------------------------------

def test_each_source_is_asked_for_its_listing_feed_and_searches(spider, caplog):
    with caplog.at_level(logging.WARNING):
        requests = list(spider.discovery_requests())
    queries = [q for topic in spider.config.topics for q in topic.queries]
    pages = [r for r in requests if r.meta[vocabulary.KIND] != "article"]
    assert len(pages) == len(SITE_NAMES) * (2 + len(queries))
    almokhbir = [r for r in pages if r.meta[vocabulary.SOURCE] == "almokhbir"]
    assert [(r.meta[vocabulary.KIND], r.url) for r in almokhbir[:2]] == [
        ("listing", "http://127.0.0.2/"), ("feed", "http://127.0.0.2/feed")]
    assert almokhbir[2].url == "http://127.0.0.2/?s=%D8%AD%D9%85%D9%88%D8%B4%D9%8A%20" \
                               "%D9%81%D8%B1%D9%86%D8%B3%D8%A7"  # حموشي فرنسا
    for page in pages:
        assert page.callback == spider.parse_listing and page.errback == spider.on_error
        assert page.meta[vocabulary.CONDITIONAL] is True
        assert page.meta[vocabulary.HANDLE_HTTPSTATUS_LIST] == [304]
        assert page.meta[vocabulary.CHAIN] == page.url and page.cb_kwargs == {"page": 1}
    # The seed of a configured source is asked; the other is named and skipped.
    [seed] = [r for r in requests if r.meta[vocabulary.KIND] == "article"]
    assert (seed.url, seed.meta[vocabulary.SOURCE]) == (SEED, "lequotidien")
    assert seed.cb_kwargs == {"via": "seed", "hops": 0, "referrer": None}
    assert "nowhere.example" in caplog.text and "belongs to no selected source" in caplog.text


def test_a_selected_source_alone_is_asked(spider):
    spider.selected = ["albawaba24"]
    requests = list(spider.discovery_requests())
    assert requests and {r.meta[vocabulary.SOURCE] for r in requests} == {"albawaba24"}


# -- parse_listing --------------------------------------------------------------------------

def test_a_listing_page_gives_its_articles_then_its_next_page_up_to_listing_pages(sample_web,
                                                                                  spider):
    first = spider._page("http://127.0.0.2/", spider.config.source("almokhbir"), "listing")
    results = read(spider, sample_web, first)
    articles = [r for r in results if r.meta[vocabulary.KIND] == "article"]
    listed = {url_key(sample_web.url(a)) for a in sample_web.truth if a.site == "almokhbir"
              and a.listing_page == 1}
    assert {url_key(r.url) for r in articles} == listed
    assert all(r.cb_kwargs == {"via": "listing", "hops": None, "referrer": None}
               and r.callback == spider.parse_article for r in articles)
    [following] = [r for r in results if r.meta[vocabulary.KIND] == "listing"]
    assert following.cb_kwargs == {"page": 2}
    assert following.meta[vocabulary.CHAIN] == "http://127.0.0.2/"
    second = read(spider, sample_web, following)
    # Page 2 lists its own articles (and, in a sidebar, some of page 1's).
    assert {url_key(r.url) for r in second} >= {
        url_key(sample_web.url(a)) for a in sample_web.truth
        if a.site == "almokhbir" and a.listing_page == 2}
    assert all(r.meta[vocabulary.KIND] == "article" for r in second)  # listing_pages = 2
    assert stat(spider, "almokhbir", vocabulary.FETCHED) == 2


def test_a_feed_gives_its_entries_and_dates_the_pages_that_show_none(sample_web, spider):
    undated = next(a for a in sample_web.truth if a.date_shown == "feed" and "feed" in a.via)
    source = spider.config.source(undated.site)
    results = read(spider, sample_web, spider._page(source.feed_urls[0], source, "feed"))
    assert results and all(r.cb_kwargs["via"] == "feed" for r in results)
    assert url_key(sample_web.url(undated)) in {url_key(r.url) for r in results}
    asked = article_request(spider, sample_web.url(undated), source.name)
    [item] = items_of(read(spider, sample_web, asked))
    assert item.article.published == undated.published


def test_search_results_are_articles_found_by_search(sample_web, spider):
    searched = next(a for a in sample_web.truth if a.via == ("search",))
    results = [result for request in spider.discovery_requests()
               if request.meta[vocabulary.KIND] == "search"
               and request.meta[vocabulary.SOURCE] == searched.site
               for result in read(spider, sample_web, request)]
    assert url_key(sample_web.url(searched)) in {url_key(r.url) for r in results}
    assert all(r.cb_kwargs["via"] == "search" for r in results)


def test_an_unchanged_page_gives_nothing_but_is_counted(spider):
    request = spider._page("http://127.0.0.3/", spider.config.source("albawaba24"), "listing")
    assert list(spider.parse_listing(HtmlResponse(request.url, status=304, request=request))) == []
    assert stat(spider, "albawaba24", vocabulary.FETCHED) == 1


def test_a_challenge_page_is_noted_as_blocked_not_read(spider, caplog):
    request = spider._page("http://127.0.0.3/", spider.config.source("albawaba24"), "listing")
    challenge = HtmlResponse(request.url, status=200, request=request, body=(
        b"<html><head><title>Just a moment...</title></head><body>"
        b'<a href="/news/1.html">one</a></body></html>'))
    assert list(spider.parse_listing(challenge)) == []
    assert stat(spider, "albawaba24", vocabulary.BLOCKED) == 1
    assert stat(spider, "albawaba24", vocabulary.BLOCKED_FIRST) == (
        "http://127.0.0.3/ (bot protection (Cloudflare), HTTP 200)")
    assert stat(spider, "albawaba24", vocabulary.ERRORS) is None
    with caplog.at_level(logging.WARNING):
        spider.closed("finished")
    assert "albawaba24: blocked: http://127.0.0.3/" in caplog.text


# -- parse_article --------------------------------------------------------------------------

def key_path(url: str) -> str:
    """The path of a URL's identity: link variants (AMP, tracking, slash) collapse."""
    return url_key(url).split("/", 1)[1]


def test_a_matching_article_is_an_item_and_its_read_also_links_are_asked(sample_web, spider):
    offsite = {a.path for a in sample_web.truth if a.site == OFFSITE}
    article = next(a for a in sample_web.truth if a.on_topic and "listing" in a.via
                   and set(a.read_also) & offsite and len(a.read_also) > 2)
    asked = article_request(spider, sample_web.url(article), article.site)
    results = read(spider, sample_web, asked)
    [item] = items_of(results)
    assert squash_spaces(item.article.title) == squash_spaces(article.title)
    assert item.matches and item.matches[0].topic == "morocco-france-security"
    assert item.matches[0].matched and item.depth == 0  # a matching article restarts the count
    assert (item.source, item.discovered_via, item.referrer) == (article.site, "listing", None)
    assert item.request_url == item.response_url == sample_web.url(article)
    follow = requests_of(results)
    assert {key_path(r.url) for r in follow} == {
        key_path("http://h" + path) for path in article.read_also if path not in offsite}
    owner = {key_path(sample_web.url(a)): a.site for a in sample_web.truth}
    assert all(r.cb_kwargs == {"via": "read_also", "hops": 1, "referrer": item.response_url}
               and r.meta[vocabulary.SOURCE] == owner[key_path(r.url)] for r in follow)
    assert spider.crawler.stats.get_value(vocabulary.READ_ALSO_OFFSITE) == 1


def test_read_also_stops_at_read_also_depth(sample_web, spider):
    article = next(a for a in sample_web.truth if a.via == ("read_also",) and not a.on_topic
                   and a.read_also)
    asked = article_request(spider, sample_web.url(article), article.site, via="read_also",
                            hops=1)
    results = read(spider, sample_web, asked)
    [item] = results  # read_also_depth = 1: its own links are two hops away
    assert item.matches == () and item.depth == 1 and item.referrer is None


def test_an_off_topic_listed_article_is_stored_and_leads_nowhere(sample_web, spider):
    article = next(a for a in sample_web.truth if a.site == "almokhbir" and not a.on_topic
                   and "listing" in a.via)
    [item] = read(spider, sample_web, article_request(spider, sample_web.url(article), "almokhbir"))
    assert isinstance(item, ArticleItem)
    assert item.matches == () and item.depth is None and item.text_capped is False


def test_a_redirected_article_keeps_the_address_it_was_asked_by(spider):
    asked = "http://127.0.0.4/ancienne-adresse.html"
    request = article_request(spider, asked, "lequotidien")
    moved = request.replace(url="http://127.0.0.4/nouvelle-adresse.html",
                            meta={**request.meta, vocabulary.REDIRECT_URLS: [asked]})
    page = (b'<html lang="fr"><head><title>Un article</title></head><body><article><h1>Un '
            b"article</h1><p>" + b"Le texte de l'article. " * 20 + b"</p></article></body></html>")
    [item] = spider.parse_article(HtmlResponse(moved.url, body=page, request=moved),
                                  **moved.cb_kwargs)
    assert (item.request_url, item.response_url) == (asked, moved.url)


def test_a_page_without_title_or_text_is_counted_empty(spider):
    request = article_request(spider, "http://127.0.0.4/vide.html", "lequotidien")
    response = HtmlResponse(request.url, body=b"<html><body></body></html>", request=request)
    assert list(spider.parse_article(response, **request.cb_kwargs)) == []
    assert stat(spider, "lequotidien", vocabulary.EMPTY) == 1
    assert stat(spider, "lequotidien", vocabulary.FETCHED) == 1


def test_a_windows_1256_sample_page_is_read_through_its_charset(sample_web, spider):
    article = next(a for s in sample_web.world.sites.values() for a in s.articles()
                   if a.encoding == "windows-1256" and not a.broken and not a.forbidden)
    request = article_request(spider, sample_web.url(article), article.site)
    response = fetch(sample_web, request)
    assert b"charset=windows-1256" in response.headers[b"Content-Type"]
    [item] = items_of(list(spider.parse_article(response, **request.cb_kwargs)))
    assert squash_spaces(item.article.title) == squash_spaces(article.title)


ARABIC = "تعاون أمني وثيق بين المغرب وفرنسا لمواجهة التهديدات الإرهابية"


def arabic_page(encoding: str) -> bytes:
    return (f"<html><head><title>{ARABIC}</title></head><body><article><h1>{ARABIC}</h1>"
            f"{('<p>' + ARABIC + ' ' + ARABIC + '</p>') * 5}</article></body></html>"
            ).encode(encoding)


@pytest.mark.parametrize("encoding, content_type", [
    # Only the header says ISO-8859-6: read without it, the bytes would pass for windows-1256.
    ("iso-8859-6", "text/html; charset=ISO-8859-6"),
    ("iso-8859-6", 'text/html; charset="iso-8859-6"; foo=bar'),
    # The header lies (UTF-8 claimed, windows-1256 sent): the bytes win.
    ("cp1256", "text/html; charset=utf-8"),
    ("cp1256", "text/html"),
], ids=["declared", "declared-quoted", "mislabelled", "undeclared"])
def test_the_response_charset_is_read_and_checked_against_the_bytes(spider, encoding,
                                                                    content_type):
    request = article_request(spider, "http://127.0.0.2/encodage.html", "almokhbir")
    response = HtmlResponse(request.url, body=arabic_page(encoding), request=request,
                            headers={"Content-Type": content_type})
    [item] = items_of(list(spider.parse_article(response, **request.cb_kwargs)))
    assert item.article.title == ARABIC and ARABIC in item.article.text


# -- failures -------------------------------------------------------------------------------

def failure(request: Request, error: Exception) -> Failure:
    caught = Failure(error)
    caught.request = request  # as Scrapy hands it to an errback
    return caught


def test_http_errors_are_the_sources_errors_logged_once_per_cause(spider, caplog):
    source = spider.config.source("lequotidien")
    for number in range(3):
        request = spider._page(f"http://127.0.0.4/page/{number}", source, "listing")
        answer = HtmlResponse(request.url, status=503, request=request, body=b"down")
        spider.on_error(failure(request, HttpError(answer)))
    assert stat(spider, "lequotidien", vocabulary.ERRORS) == 3
    assert stat(spider, "lequotidien", vocabulary.LAST_ERROR) == (
        "HTTP 503 for http://127.0.0.4/page/2")
    with caplog.at_level(logging.WARNING):
        spider.closed("finished")
    [line] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert line == "lequotidien: HTTP 503 for http://127.0.0.4/page/0 (and 2 more requests)"


def test_a_refusing_site_is_blocked_not_failing(spider):
    request = article_request(spider, "http://127.0.0.3/news/1.html", "albawaba24")
    refused = HtmlResponse(request.url, status=403, request=request, body=b"no",
                           headers={"Server": "cloudflare"})
    spider.on_error(failure(request, HttpError(refused)))
    assert stat(spider, "albawaba24", vocabulary.BLOCKED) == 1
    assert stat(spider, "albawaba24", vocabulary.ERRORS) is None


@pytest.mark.parametrize("error, last_error, counted", [
    (DNSLookupError("127.0.0.3"), "DNS lookup failed for 127.0.0.3", None),
    (DownloadCancelledError(), "page over the size limit: http://127.0.0.3/news/1.html",
     vocabulary.dropped(vocabulary.DROP_SIZE)),
    (ValueError("odd\nsecond line"), "ValueError for http://127.0.0.3/news/1.html: odd", None),
], ids=["dns", "size", "other"])
def test_download_failures_are_named_by_their_cause(spider, error, last_error, counted):
    request = article_request(spider, "http://127.0.0.3/news/1.html", "albawaba24")
    spider.on_error(failure(request, error))
    assert stat(spider, "albawaba24", vocabulary.LAST_ERROR) == last_error
    if counted:
        assert stat(spider, "albawaba24", counted) == 1


def test_requests_dropped_on_purpose_are_counted_not_errors(spider):
    request = article_request(spider, "http://127.0.0.3/news/1.html", "albawaba24")
    spider.on_error(failure(request, OutOfScope("off the source's domains")))
    assert stat(spider, "albawaba24", vocabulary.ERRORS) is None
    assert stat(spider, "albawaba24", vocabulary.dropped(vocabulary.DROP_SCOPE)) == 1
    assert spider.crawler.stats.get_value(vocabulary.SKIPPED_PREFIX + "OutOfScope") == 1


def test_a_link_that_is_no_url_is_counted_not_asked(spider):
    source = spider.config.source("almokhbir")
    assert list(spider._article("javascript:void(0)", source, "listing", None)) == []
    assert spider.crawler.stats.get_value(vocabulary.BAD_URL) == 1
