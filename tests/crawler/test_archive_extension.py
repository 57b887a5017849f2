"""One archive per crawl: the middlewares, the store pipeline and the run recorder all take
the archive extension's connection, which is opened on first use and closed after all of
them are done. Real Scrapy components on a real crawler's signals and a real SQLite file;
one real crawl of the sample sites counts the connections a cycle opens."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from scrapy import signals
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler import vocabulary
from crawler.config import load_config
from crawler.extensions.archive import ArchiveExtension, archive_extension
from crawler.extensions.runs import RunRecorder
from crawler.extract.article import ExtractedArticle
from crawler.items import ArticleItem
from crawler.middlewares.conditional import ConditionalRequestMiddleware
from crawler.middlewares.incremental import KnownArticleMiddleware
from crawler.middlewares.read_also_retry import ReadAlsoRetryMiddleware
from crawler.pipelines.store import StorePipeline
from spiders.news import NewsSpider
from storage import Archive

SITE = "http://127.0.0.40"
EXTENSION = {"crawler.extensions.archive.ArchiveExtension": 100}


def declared(key: str) -> bool:
    """True for a stats key crawler.vocabulary declares: whole, as a prefix, or as a
    figure of a source."""
    names = {value for name, value in vars(vocabulary).items()
             if name.isupper() and isinstance(value, str)}
    figures = names | {vocabulary.dropped(reason) for reason in vocabulary.DROP_REASONS}
    return (key in names or key.startswith(vocabulary.SKIPPED_PREFIX)
            or any(vocabulary.is_source_figure(key, what) for what in figures))


def files_open_on(path: Path) -> int:
    """This process's descriptors open on the archive file itself (not its -wal, -shm)."""
    target = str(path.resolve())
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}") == target
        except OSError:
            continue
    return count


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "marsad.toml"
    path.write_text('database = "archive.db"\n\n[[sources]]\nname = "a"\n'
                    f'listing_urls = ["{SITE}/"]\n', encoding="utf-8")
    return path


def item(n: int) -> ArticleItem:
    words = " ".join(f"mot{n}x{k}" for k in range(300))
    article = ExtractedArticle(title=f"Article {n}", published=None, language="fr",
                               author=None, text=words, canonical_url=None, read_also=())
    url = f"{SITE}/news/{n}.html"
    return ArticleItem(source="a", request_url=url, response_url=url, article=article,
                       discovered_via="listing", fetched_at="2026-01-01T00:00:00+00:00",
                       url=url)


def read_also_requests(middleware: ReadAlsoRetryMiddleware) -> list[Request]:
    async def nothing():
        return
        yield

    async def collect() -> list[Request]:
        return [request async for request in middleware.process_start(nothing())]

    return asyncio.run(collect())


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to count files")
def test_every_component_shares_one_connection_closed_after_all_of_them(config, tmp_path):
    database = tmp_path / "archive.db"
    crawler = get_crawler(NewsSpider, {"MARSAD_CONFIG_OBJECT": load_config(config),
                                       "EXTENSIONS": EXTENSION})
    spider = crawler.spider = NewsSpider.from_crawler(crawler)
    conditional = ConditionalRequestMiddleware.from_crawler(crawler)
    known = KnownArticleMiddleware.from_crawler(crawler)
    retry = ReadAlsoRetryMiddleware.from_crawler(crawler)
    store = StorePipeline.from_crawler(crawler)
    runs = RunRecorder.from_crawler(crawler)
    assert not database.exists()  # opened on first use, not when the crawl is built

    crawler.stats.open_spider()
    store.open_spider()
    crawler.signals.send_catch_log(signals.spider_opened, spider=spider)
    assert read_also_requests(retry) == []
    store.process_item(item(1))
    request = Request(SITE + "/", meta={"source": "a", "conditional": True})
    conditional.process_request(request)
    conditional.process_response(request, HtmlResponse(request.url, headers={"ETag": '"v1"'},
                                                       body=b"<html/>", request=request))
    assert known.known == set()  # read when the spider opened, before anything was stored
    shared = archive_extension(crawler).archive
    assert store.archive is shared and conditional.archive is shared
    assert files_open_on(database) == 1

    store.close_spider()
    crawler.signals.send_catch_log(signals.spider_closed, spider=spider, reason="finished")
    # Every spider_closed handler has written through it; it is still open.
    assert files_open_on(database) == 1
    with Archive(database) as reader:
        assert reader.validators(SITE + "/") == ('"v1"', None)
        [run] = reader.db.query("SELECT id, status FROM runs")
        assert run == {"id": runs.run_id, "status": "finished"}
        [figures] = reader.db.query("SELECT source, new FROM run_sources")
        assert figures == {"source": "a", "new": 1}

    crawler.signals.send_catch_log(signals.engine_stopped)
    assert files_open_on(database) == 0
    with pytest.raises(RuntimeError, match="closed"):
        archive_extension(crawler).archive


def test_a_write_during_an_open_batch_is_committed_or_rolled_back_with_it(config, tmp_path):
    crawler = get_crawler(NewsSpider, {"MARSAD_CONFIG_OBJECT": load_config(config),
                                       "EXTENSIONS": EXTENSION})
    crawler.stats.open_spider()
    store = StorePipeline.from_crawler(crawler)
    store.open_spider()
    shared = archive_extension(crawler).archive

    def seen() -> tuple[int, tuple[str | None, str | None]]:
        with Archive(tmp_path / "archive.db") as reader:
            return reader.db["articles"].count, reader.validators(SITE + "/")

    store.process_item(item(1))  # the batch is open
    shared.save_validators([(SITE + "/", '"v1"', None)])  # a savepoint inside it
    assert seen() == (0, (None, None))
    store.close_spider()
    assert seen() == (1, ('"v1"', None))

    store.open_spider()
    store.process_item(item(2))
    shared.save_validators([(SITE + "/", '"v2"', None)])
    shared.rollback_batch()  # what the pipeline does when the archive fails
    store.close_spider()
    assert seen() == (1, ('"v1"', None))
    crawler.signals.send_catch_log(signals.engine_stopped)


def test_a_component_that_needs_the_archive_refuses_a_crawl_without_the_extension(config):
    crawler = get_crawler(NewsSpider, {"MARSAD_CONFIG_OBJECT": load_config(config)})
    with pytest.raises(RuntimeError, match="ArchiveExtension is not enabled in EXTENSIONS"):
        StorePipeline.from_crawler(crawler)
    assert crawler.get_extension(ArchiveExtension) is None  # as Scrapy sees it too


# A real cycle in a child process (Scrapy's reactor starts once per process), with
# sqlite3.connect counting the connections made to the archive and when each closes.
CRAWL = textwrap.dedent("""
    import json, sqlite3, sys
    from crawler.config import load_config
    from crawler.cycle import crawl

    opened = []

    class Counted(sqlite3.Connection):
        def close(self):
            opened[opened.index(self)] = "closed"
            super().close()

    connect = sqlite3.connect

    def counting(path, *args, **kwargs):
        connection = connect(path, *args, factory=Counted, **kwargs)
        opened.append(connection)
        return connection

    sqlite3.connect = counting
    report = crawl(load_config(sys.argv[1]))
    print(json.dumps({"connections": len(opened),
                      "closed": sum(c == "closed" for c in opened),
                      "keys": sorted(report.stats), "reason": report.finish_reason}))
""")


@pytest.mark.slow
def test_a_cycle_opens_the_archive_once_and_closes_it(site_config, marsad, tmp_path):
    config = site_config()
    done = subprocess.run([sys.executable, "-c", CRAWL, str(config)], cwd=marsad.cwd,
                          env=marsad.env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout.splitlines()[-1])
    assert outcome["reason"] == "finished"
    assert outcome["connections"] == 1 and outcome["closed"] == 1
    assert vocabulary.RUN_ID in outcome["keys"] and vocabulary.ARTICLES_NEW in outcome["keys"]
    # Every key of marsad's own that the cycle wrote is one crawler.vocabulary declares.
    ours = [key for key in outcome["keys"] if key.startswith("marsad/")]
    assert ours and [key for key in ours if not declared(key)] == []
    with Archive(tmp_path / "archive.db") as archive:
        [run] = archive.db.query("SELECT status FROM runs")
        assert run["status"] == "finished"
        assert archive.db["articles"].count > 30
