"""Canaries over the Scrapy version marsad is capped to (pyproject.toml).

marsad works around Scrapy in two middlewares, by overriding private methods of its
robots.txt middleware and by gating downloads per host, and it sets Scrapy settings by
name. Each test here fails when the upstream behaviour a workaround exists for changes,
or when a private name it overrides goes, so that raising the cap (run this file against
the new version) says which workaround to recheck, or to drop. In-process, no crawl:
Scrapy's own middleware and downloader with real requests and responses, in an asyncio
loop as under the crawl's asyncio reactor.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
import textwrap
from pathlib import Path
from typing import Any

import scrapy.settings.default_settings as scrapy_defaults
from scrapy.core.downloader import Downloader
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.settings import SETTINGS_PRIORITIES, Settings
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

import crawler
from crawler.config import load_config
from crawler.cycle import scrapy_settings
from crawler.middlewares.robots import RobotsTxtUnavailable, StrictRobotsTxtMiddleware
from crawler.probe.spider import ProbeSpider

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.60"
PAGE = f"http://{HOST}/news/1.html"
ROBOTS = f"http://{HOST}/robots.txt"

# The Scrapy methods marsad's robots.txt middleware overrides or calls through super(),
# with the parameters it passes and whether Scrapy awaits them.
ROBOTS_HOOKS = {
    "robot_parser": (["self", "request"], True),
    "_parse_robots": (["self", "response", "netloc", "request"], True),
    "_robots_error": (["self", "exc", "netloc"], False),
    "process_request_2": (["self", "rp", "request"], False),
}


def robots_middleware(kind: type[RobotsTxtMiddleware]) -> RobotsTxtMiddleware:
    return kind(get_crawler(settings_dict={"ROBOTSTXT_OBEY": True}))


def fetching(middleware: RobotsTxtMiddleware) -> Deferred:
    """The state Scrapy's `robot_parser` leaves the host in while its robots.txt is asked."""
    pending: Deferred = Deferred()
    middleware._parsers[HOST] = pending
    return pending


async def verdict(middleware: RobotsTxtMiddleware, url: str = PAGE) -> str:
    """What the middleware does with a page of the host: let it go, or stop it and why."""
    try:
        await middleware.process_request(Request(url))
    except RobotsTxtUnavailable:
        return "unavailable"
    except IgnoreRequest:
        return "forbidden"
    return "allowed"


def self_calls(function: Any, name: str) -> list[int]:
    """The argument counts of the calls to `self.<name>(...)` in a function's source."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    return [len(node.args) + len(node.keywords) for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == name
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "self"]


def test_the_robots_hooks_marsad_overrides_keep_their_names_and_parameters():
    for name, (parameters, awaited) in ROBOTS_HOOKS.items():
        upstream = getattr(RobotsTxtMiddleware, name, None)
        assert upstream is not None, (f"Scrapy's RobotsTxtMiddleware.{name} is gone: "
                                      "StrictRobotsTxtMiddleware's override is never called")
        assert list(inspect.signature(upstream).parameters) == parameters, name
        assert inspect.iscoroutinefunction(upstream) is awaited, name
        ours = getattr(StrictRobotsTxtMiddleware, name)
        assert list(inspect.signature(ours).parameters) == parameters, name
        assert inspect.iscoroutinefunction(ours) is awaited, name
    middleware = robots_middleware(RobotsTxtMiddleware)
    # The private state the override reads and writes: the parser, or the Deferred of
    # its pending robots.txt, by host; and the stats it counts unavailable hosts in.
    assert middleware._parsers == {}
    assert middleware._stats is middleware.crawler.stats


def test_scrapy_still_hands_the_robots_txt_outcome_to_the_overridden_hooks():
    # A download that answers goes to _parse_robots, one that fails to _robots_error:
    # were they handled inline, the overrides would be dead code and 5xx allow-all again.
    assert self_calls(RobotsTxtMiddleware.robot_parser, "_parse_robots") == [3]
    assert self_calls(RobotsTxtMiddleware.robot_parser, "_robots_error") == [2]
    assert self_calls(RobotsTxtMiddleware.process_request, "robot_parser") == [1]
    assert self_calls(RobotsTxtMiddleware.process_request, "process_request_2") == [2]


def test_scrapy_still_allows_every_page_of_a_host_whose_robots_txt_is_unreachable():
    async def outcome(kind: type[RobotsTxtMiddleware]) -> str:
        middleware = robots_middleware(kind)
        fetching(middleware)
        middleware._robots_error(ConnectionRefusedError("connection refused"), HOST)
        return await verdict(middleware)

    assert asyncio.run(outcome(RobotsTxtMiddleware)) == "allowed", (
        "Scrapy no longer allows all when robots.txt cannot be fetched: "
        "StrictRobotsTxtMiddleware._robots_error may go")
    assert asyncio.run(outcome(StrictRobotsTxtMiddleware)) == "unavailable"


def test_scrapy_still_reads_a_robots_txt_that_answered_5xx_or_429_as_its_rules():
    async def outcome(kind: type[RobotsTxtMiddleware], status: int) -> str:
        middleware = robots_middleware(kind)
        fetching(middleware)
        error_page = Response(ROBOTS, status=status, body=b"<html><h1>Unavailable</h1></html>")
        await middleware._parse_robots(error_page, HOST, Request(PAGE))
        return await verdict(middleware)

    for status in (503, 429):
        assert asyncio.run(outcome(RobotsTxtMiddleware, status)) == "allowed", (
            f"Scrapy no longer reads a robots.txt answering {status} as rules: "
            "StrictRobotsTxtMiddleware._parse_robots may go")
        assert asyncio.run(outcome(StrictRobotsTxtMiddleware, status)) == "unavailable"


def test_scrapy_still_gives_nothing_to_all_but_one_request_waiting_for_robots_txt():
    async def parsers(kind: type[RobotsTxtMiddleware]) -> list[str]:
        middleware = robots_middleware(kind)
        pending = fetching(middleware)
        waiting = [asyncio.ensure_future(middleware.robot_parser(Request(f"{PAGE}?n={n}")))
                   for n in range(3)]
        await asyncio.sleep(0)  # each is now awaiting the robots.txt being fetched
        parser = ProtegoRobotParser.from_crawler(middleware.crawler,
                                                 b"User-agent: *\nDisallow: /\n")
        pending.callback(parser)
        return ["parser" if got is parser else repr(got) for got in await asyncio.gather(*waiting)]

    # None is "no robots.txt": those requests would go out unchecked.
    assert asyncio.run(parsers(RobotsTxtMiddleware)) == ["parser", "None", "None"], (
        "Scrapy now gives every waiting request the parsed robots.txt: "
        "StrictRobotsTxtMiddleware.robot_parser's relay may go")
    assert asyncio.run(parsers(StrictRobotsTxtMiddleware)) == ["parser"] * 3


def test_scrapy_downloader_still_starts_a_queued_burst_past_the_per_host_limit():
    limit = 2

    async def started() -> int:
        # No download handlers: nothing is fetched, the tasks are cancelled unstarted.
        settings = {"CONCURRENT_REQUESTS_PER_DOMAIN": limit, "DOWNLOAD_DELAY": 0,
                    "DOWNLOAD_HANDLERS": {"http": None, "https": None}}
        downloader = Downloader(get_crawler(settings_dict=settings))
        requests = [Request(f"{PAGE}?n={n}") for n in range(5)]
        _, slot = downloader._get_slot(requests[0])
        slot.queue.extend((request, Deferred()) for request in requests)
        before = asyncio.all_tasks()
        downloader._process_queue(slot)
        tasks = asyncio.all_tasks() - before
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        downloader.close()
        return len(tasks)

    assert asyncio.run(started()) == 5, (
        "Scrapy's downloader now keeps to CONCURRENT_REQUESTS_PER_DOMAIN under asyncio: "
        "DomainConcurrencyMiddleware (crawler/middlewares/politeness.py) may go")


def marsad_settings() -> Settings:
    """Scrapy's settings as marsad sets them for a crawl and a probe: the project module,
    the cycle's, the news spider's from the configuration, the probe's."""
    config = load_config(Path(crawler.__file__).parent / "default.toml", env={})
    settings = scrapy_settings(config, progress=True)
    ProbeSpider.update_settings(settings)
    return settings


def marsad_reads(name: str) -> bool:
    """True when marsad's own code reads the setting from Scrapy's settings."""
    read = re.compile(r'settings(?:\.get\w*)?[\[(]\s*"' + re.escape(name) + '"')
    return any(read.search(path.read_text(encoding="utf-8"))
               for folder in ("crawler", "spiders") for path in (REPO / folder).rglob("*.py"))


def test_every_setting_marsad_sets_is_one_scrapy_or_marsad_reads():
    settings = marsad_settings()
    ours = [name for name in settings
            if settings.getpriority(name) > SETTINGS_PRIORITIES["default"]]
    assert {"ROBOTSTXT_OBEY", "DOWNLOAD_DELAY_JITTER", "MARSAD_CONFIG_OBJECT"} <= set(ours)
    known = {name for name in vars(scrapy_defaults) if name.isupper()}
    unknown = [name for name in ours
               if name not in known and not (name.startswith("MARSAD_") and marsad_reads(name))]
    assert unknown == [], f"settings that nothing reads: {unknown}"


def test_the_scrapy_components_marsad_switches_off_are_still_scrapys_defaults():
    # Switching off a path Scrapy no longer uses would leave its renamed component on:
    # Scrapy's robots.txt middleware beside marsad's.
    settings = marsad_settings()
    for table in ("DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "EXTENSIONS",
                  "ITEM_PIPELINES"):
        defaults = getattr(scrapy_defaults, f"{table}_BASE", {})
        for path, order in settings.getdict(table).items():
            if order is None and path.startswith("scrapy."):
                assert path in defaults, f"{table}: {path} is no longer one of Scrapy's"
            else:
                load_object(path)
    robots = "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"
    assert settings.getdict("DOWNLOADER_MIDDLEWARES")[robots] is None
