"""The crawl middlewares on their own, with real Scrapy requests and responses, a real
crawler's signals and stats, and a real archive; the crawl tests in tests/spiders
cover them end to end. These cover paths a crawl cannot reach on purpose: a failing
callback or pipeline, and the bookkeeping of the per-host gate."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.config import load_config
from crawler.items import ArticleItem
from crawler.middlewares.conditional import ConditionalRequestMiddleware
from crawler.middlewares.politeness import DomainConcurrencyMiddleware
from spiders.news import NewsSpider
from storage import Archive

BASE = {"a": "http://127.0.0.40", "b": "http://127.0.0.41"}


@pytest.fixture
def crawler(tmp_path: Path):
    config = tmp_path / "marsad.toml"
    sources = "".join(f'[[sources]]\nname = "{name}"\nallowed_domains = ["{url[7:]}"]\n'
                      f'listing_urls = ["{url}/"]\n\n' for name, url in BASE.items())
    config.write_text('database = "archive.db"\n\n[crawl]\nconcurrency_per_domain = 2\n\n'
                      + sources, encoding="utf-8")
    # The middleware takes the crawl's archive from the extension that opens it.
    crawler = get_crawler(NewsSpider, {
        "MARSAD_CONFIG_OBJECT": load_config(config),
        "EXTENSIONS": {"crawler.extensions.archive.ArchiveExtension": 100}})
    yield crawler
    crawler.signals.send_catch_log(signals.engine_stopped)  # closes the archive


def listing(source: str, path: str = "/", etag: str = '"e1"') -> tuple[Request, HtmlResponse]:
    request = Request(BASE[source] + path, meta={"source": source, "conditional": True})
    response = HtmlResponse(request.url, status=200, headers={"ETag": etag}, body=b"<html/>",
                            request=request)
    return request, response


def saved(tmp_path: Path, source: str, path: str = "/") -> str | None:
    with Archive(tmp_path / "archive.db") as archive:
        return archive.validators(BASE[source] + path)[0]


def test_validators_are_sent_for_the_url_asked_even_after_a_redirect(crawler, tmp_path):
    with Archive(tmp_path / "archive.db") as archive:
        archive.save_validators([(BASE["a"] + "/", '"old"', None)])
    middleware = ConditionalRequestMiddleware.from_crawler(crawler)
    middleware.spider_opened()
    first = Request(BASE["a"] + "/", meta={"source": "a", "conditional": True})
    middleware.process_request(first)
    assert first.headers[b"If-None-Match"] == b'"old"'
    moved = first.replace(url=BASE["a"] + "/actualites")  # what RedirectMiddleware sends
    middleware.process_request(moved)
    assert b"If-None-Match" not in moved.headers
    middleware.spider_closed("finished")


@pytest.mark.parametrize("trouble", ["callback", "pipeline", "server", "network"])
def test_a_source_in_trouble_keeps_its_old_validators(crawler, tmp_path, trouble):
    middleware = ConditionalRequestMiddleware.from_crawler(crawler)
    crawler.signals.send_catch_log(signals.spider_opened, spider=None)
    for source in BASE:
        request, response = listing(source)
        middleware.process_response(request, response)
    article = Request(BASE["a"] + "/news/1000-x.html", meta={"source": "a", "kind": "article"})
    if trouble == "callback":
        crawler.signals.send_catch_log(signals.spider_error, failure=Failure(ValueError("x")),
                                       response=HtmlResponse(article.url, request=article),
                                       spider=None)
    elif trouble == "pipeline":
        item = ArticleItem(source="a", request_url=article.url, response_url=article.url,
                           article=None, discovered_via="listing", fetched_at="")
        crawler.signals.send_catch_log(signals.item_error, item=item, response=None,
                                       spider=None, failure=Failure(OSError("disk full")))
    elif trouble == "server":
        middleware.process_response(article, HtmlResponse(article.url, status=503))
    else:
        middleware.process_exception(article, TimeoutError("timed out"))
    # A deliberate skip is no trouble.
    middleware.process_exception(Request(BASE["b"] + "/x", meta={"source": "b"}),
                                 IgnoreRequest("forbidden"))
    crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")
    assert saved(tmp_path, "a") is None
    assert saved(tmp_path, "b") == '"e1"'


def test_an_interrupted_crawl_saves_no_validators(crawler, tmp_path):
    middleware = ConditionalRequestMiddleware.from_crawler(crawler)
    middleware.spider_opened()
    middleware.process_response(*listing("a"))
    middleware.spider_closed("shutdown")
    assert saved(tmp_path, "a") is None


def test_the_per_host_gate_holds_requests_until_a_place_is_free(crawler):
    gate = DomainConcurrencyMiddleware.from_crawler(crawler)
    requests = [Request(f"{BASE['a']}/news/{n}") for n in range(4)]
    waiting = [gate.enter(request) for request in requests]
    other_host = gate.enter(Request(BASE["b"] + "/"))
    assert [d.called for d in waiting] == [True, True, False, False]
    assert other_host.called
    # A request stopped before the gate (robots.txt, scope) holds no place to give back.
    gate.process_exception(Request(BASE["a"] + "/never"), IgnoreRequest())
    assert [d.called for d in waiting] == [True, True, False, False]
    gate.process_response(requests[0], HtmlResponse(requests[0].url))
    assert waiting[2].called and not waiting[3].called
    gate.process_exception(requests[1], TimeoutError())
    gate.process_exception(requests[1], TimeoutError())  # given back once only
    assert waiting[3].called
    assert gate.gates["127.0.0.40"].tokens == 0
