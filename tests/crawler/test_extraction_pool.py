"""The extraction pool (crawler/extensions/extraction.py): pages read by a worker process
give what the crawl's own process gives; a worker that dies, or extraction that raises,
loses nothing the in-process reading would keep."""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import logging
import multiprocessing
import os
import signal
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.test import get_crawler

from crawler.config import load_config
from crawler.extensions.extraction import ExtractionPool, extraction_pool
from crawler.extract import PageHints
from crawler.items import ArticleItem
from crawler.reading import Page, PageReading, Reader
from crawler.samples import OFFSITE
from crawler.samples.site import Response as SampleResponse
from spiders.news import NewsSpider
from spiders.pages import article_request

REALPAGES = Path(__file__).resolve().parents[2].parent / "shared" / "realpages"
NOW = datetime(2026, 2, 1, tzinfo=UTC)

pytestmark = pytest.mark.slow  # every test spawns a worker process


def spider_for(config_path: Path) -> NewsSpider:
    crawler = get_crawler(NewsSpider, {"MARSAD_CONFIG_OBJECT": load_config(config_path)})
    crawler.spider = NewsSpider.from_crawler(crawler)
    return crawler.spider


@pytest.fixture(scope="module")
def config_path(sample_web, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pool") / "marsad.toml"
    path.write_text('database = "archive.db"\n\n[crawl]\nread_also_depth = 1\n\n'
                    + sample_web.sources_toml(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pool(config_path: Path) -> Iterator[ExtractionPool]:
    crawler = get_crawler(NewsSpider, {"MARSAD_CONFIG_OBJECT": load_config(config_path)})
    started = ExtractionPool(crawler, workers=1)
    started.open()
    yield started
    started.close()


def read(pool: ExtractionPool, page: Page) -> PageReading | None:
    return asyncio.run(pool.read(page))


def assert_same_reading(pooled: PageReading | None, here: PageReading) -> None:
    """Field by field, so that a difference names its field; headline_forms too, which
    the article's equality leaves out."""
    assert pooled is not None, "the pool gave up"
    for name in ("matches", "text_capped"):
        assert getattr(pooled, name) == getattr(here, name), name
    for field in dataclasses.fields(here.article):
        assert getattr(pooled.article, field.name) == getattr(here.article, field.name), \
            field.name


def test_each_sample_article_reads_the_same_in_a_worker_and_in_process(
        sample_web, config_path, pool, monkeypatch):
    monkeypatch.setenv("MARSAD_NOW", sample_web.now.isoformat())
    here, pooled = spider_for(config_path), spider_for(config_path)
    pooled.crawler.marsad_extraction = pool  # type: ignore[attr-defined]
    assert extraction_pool(here.crawler) is None and extraction_pool(pooled.crawler) is pool

    def outputs(spider: NewsSpider, request: Request) -> list:
        answer = sample_web.answer(request.url)
        response = fetch(request, answer)
        result = spider.parse_article(response, **request.cb_kwargs)
        if isinstance(result, Iterator):
            assert spider is here, "the pooled spider read a page in process"
            return list(result)

        async def drain() -> list:
            return [output async for output in result]
        return asyncio.run(drain())

    compared = matched = 0
    for article in sample_web.truth:
        if article.site == OFFSITE:
            continue
        source = here.config.source(article.site)
        request = article_request(sample_web.url(article), source, "listing", None, None,
                                  callback=None, errback=None)
        in_process, in_worker = outputs(here, request), outputs(pooled, request)
        assert [type(o) for o in in_worker] == [type(o) for o in in_process], article.path
        for ours, theirs in zip(in_worker, in_process, strict=True):
            if isinstance(ours, ArticleItem):
                for field in dataclasses.fields(ours):
                    assert getattr(ours, field.name) == getattr(theirs, field.name), \
                        (article.path, field.name)
                assert ours.article.headline_forms == theirs.article.headline_forms
                compared += 1
                matched += bool(ours.matches)
            else:
                assert (ours.url, ours.cb_kwargs) == (theirs.url, theirs.cb_kwargs)
    assert compared >= 20 and matched >= 3  # the samples hold both kinds
    assert not pool.fell_back


def fetch(request: Request, answer: SampleResponse) -> Response:
    """The sample site's answer, as Scrapy would hand it to the callback."""
    headers = Headers(answer.headers)
    kind = responsetypes.from_args(headers=headers, url=request.url, body=answer.body)
    return kind(request.url, status=answer.status, headers=headers, body=answer.body,
                request=request)


@pytest.mark.skipif(not REALPAGES.is_dir(), reason="../shared/realpages is absent")
def test_each_real_page_reads_the_same_in_a_worker_and_in_process(pool):
    pages = sorted(REALPAGES.glob("*.html.gz"))
    assert len(pages) >= 4
    here = Reader(pool.topics, pool.max_text_size)
    for path in pages:
        # One source for all: what the pages teach about headlines is learned alike.
        page = Page("realpages", gzip.decompress(path.read_bytes()),
                    f"https://example.org/{path.name}", PageHints(), NOW, None)
        assert_same_reading(read(pool, page), here.read(page))
    assert not pool.fell_back


def test_extraction_that_raises_raises_as_in_process_and_the_worker_stays(pool):
    wrong = Page("faulty", b"<html><p>x</p></html>", "https://example.org/a.html",
                 "not hints", NOW, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="hints must be PageHints"):
        Reader(pool.topics, pool.max_text_size).read(wrong)
    with pytest.raises(TypeError, match="hints must be PageHints"):
        read(pool, wrong)
    assert not pool.fell_back
    reading = read(pool, dataclasses.replace(wrong, hints=PageHints()))
    assert reading is not None and reading.article.text == "x"
    assert not pool.fell_back


def test_a_dead_worker_costs_one_warning_and_its_pages_are_left_to_the_caller(config_path,
                                                                             caplog):
    crawler = get_crawler(NewsSpider, {"MARSAD_CONFIG_OBJECT": load_config(config_path)})
    doomed = ExtractionPool(crawler, workers=1)
    others = set(multiprocessing.active_children())  # the module's pool has one
    doomed.open()
    page = Page("doomed", b"<html><h1>Titre</h1><p>Un paragraphe.</p></html>",
                "https://example.org/a.html", PageHints(), NOW, None)
    try:
        assert read(doomed, page) is not None  # from the worker: it has started
        [worker] = set(multiprocessing.active_children()) - others
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
        worker.join(10)
        with caplog.at_level(logging.WARNING, logger="marsad.extraction"):
            assert read(doomed, page) is None  # the spider reads it in process
            assert read(doomed, page) is None
    finally:
        doomed.close()
    assert doomed.fell_back and extraction_pool(crawler) is None
    [warning] = [r for r in caplog.records if r.name == "marsad.extraction"]
    assert "\n" not in warning.getMessage() and "in the crawl's process" in warning.getMessage()
