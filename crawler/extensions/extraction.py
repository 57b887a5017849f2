"""The extraction pool: article pages extracted and matched in worker processes.

A crawl's process runs the reactor, which fetches, and the store pipeline, which
writes; extraction and matching (`crawler.reading`, pure) are the rest of its work, and
go to `[crawl] extract_workers` processes on the other cores. The news spider finds
the pool on the crawler (`extraction_pool`) and awaits `read` for each article page;
without a pool (extract_workers = 0, or outside the news spider) it reads the page in
its own process, as it does when the pool fails. A worker reads the pages in the order
they are sent, and learns each source's headline dressing from them as the crawl's
process would (`crawler.reading.Reader`); with several workers, each learns on its own.

The workers are spawned, not forked: a fork of a process running the reactor and its
threads copies their locks in whatever state they are. They start when the spider
opens, so that their start-up overlaps robots.txt and the listing pages, and are shut
down when it closes. A worker that dies, or a pool that cannot start, costs a warning
and the speed-up: the pages in hand and the rest of the crawl are read in process.
An exception raised by extraction itself reaches the spider's callback as it would in
process (Scrapy logs it as the page's error and the crawl goes on).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.reactor import is_asyncio_reactor_installed, is_reactor_installed

from crawler.reading import Page, PageReading, read_in_worker, ready, start_worker
from crawler.settings import marsad_config
from crawler.text import squash_spaces

log = logging.getLogger("marsad.extraction")


class ExtractionPool:
    def __init__(self, crawler: Crawler, workers: int):
        config = marsad_config(crawler)
        self.workers = workers
        self.topics = tuple(config.topics)
        self.max_text_size: int = config.crawl.max_text_size
        self._pool: ProcessPoolExecutor | None = None
        self.fell_back = False  # the pool failed: pages are read in process
        crawler.marsad_extraction = self  # type: ignore[attr-defined]
        crawler.signals.connect(self.open, signal=signals.spider_opened)
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPool:
        workers = marsad_config(crawler).crawl.extract_workers
        if workers == 0:  # pages read in the crawl's process, as chosen: nothing to log
            raise NotConfigured
        return cls(crawler, workers)

    @property
    def running(self) -> bool:
        return self._pool is not None

    def open(self) -> None:
        # The spider awaits a worker through asyncio: under another reactor, pages are
        # read in process. (No reactor: a caller running its own asyncio loop.)
        if is_reactor_installed() and not is_asyncio_reactor_installed():
            log.info("Extraction workers unused: Scrapy's reactor is not asyncio's")
            return
        try:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=start_worker, initargs=(self.topics, self.max_text_size))
            self._pool.submit(ready)
        except (OSError, RuntimeError, BrokenProcessPool) as error:
            self._give_up(f"the extraction workers could not start ({error})")

    async def read(self, page: Page) -> PageReading | None:
        """The page read by a worker; None when the pool is gone (or goes while reading
        it), for the caller to read it in process."""
        pool = self._pool
        if pool is None:
            return None
        try:
            return await asyncio.wrap_future(pool.submit(read_in_worker, page))
        except BrokenProcessPool as error:  # extraction's own errors pass, as in process
            self._give_up(f"an extraction worker ended ({error})")
            return None

    def _give_up(self, reason: str) -> None:
        """One line, the first time: the crawl goes on with pages read in process."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)  # its manager thread reaps it
        if not self.fell_back:
            self.fell_back = True
            log.warning("%s: article pages are read in the crawl's process from now on",
                        squash_spaces(reason))

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            # Waits for the workers to end, so that their resource use is counted as
            # the crawl's children's (a benchmark reads it) and none outlives the crawl.
            pool.shutdown(wait=True, cancel_futures=True)


def extraction_pool(crawler: Crawler) -> ExtractionPool | None:
    """The crawl's running extraction pool; None when pages are read in the crawl's
    process (no pool, not started yet, or given up)."""
    pool = getattr(crawler, "marsad_extraction", None)
    return pool if isinstance(pool, ExtractionPool) and pool.running else None
