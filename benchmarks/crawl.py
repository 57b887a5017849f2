"""Crawl throughput: marsad end to end against a bare fetch-only Scrapy spider.

Run by hand from the repository root:

    python benchmarks/crawl.py [--articles 5000] [--profile marsad.prof]

A synthetic site of N articles (`generate_bulk_site`, 50 a listing page, the
latest 50 in the feed) is served on 127.0.0.5. Each crawl runs in a child
process (Scrapy's reactor starts once per process) that reports wall time,
CPU seconds and peak RSS of its own, and Scrapy's request counts:

1. marsad cold (`crawler.cycle.crawl`: fetch, extract, deduplicate, store);
2. a bare spider that walks the same listing pages to the article pages and
   reads each `<title>`, with the same Scrapy settings minus marsad's parts;
3. 10 new articles are published, then marsad's second cycle on the same
   database: its requests by kind, 304s, and whether it stayed within the
   listing, feed and search pages plus the 10 new articles.

With --profile, one more cold marsad crawl runs under cProfile (on a fresh
database); the profile is written to the file and its top entries printed.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent
# The script's own folder holds benchmarks/storage.py, which would shadow the `storage` package.
sys.path[0] = str(REPO)

import scrapy  # noqa: E402

from crawler.samples import BulkSite, SiteServer, generate_bulk_site  # noqa: E402

NEW_ARTICLES = 10
MB = 1024  # ru_maxrss is in KiB on Linux


class StagedBulkSite(BulkSite):
    """The bulk site with its newest `held` articles unpublished until `publish()`.

    BulkSite cannot publish at run time (`Site.add` appends after the oldest
    article, and its title index and key map miss the newcomer), and
    regenerating with n+10 articles changes every URL (ids count down from
    n) and adds the 10 as the *oldest*. So the site is generated with n+10
    articles once and the newest 10 stay hidden (not listed, not in the feed
    or search, 404) until published: the first cycle sees exactly n articles.
    """

    held = 0

    def hold(self, count: int) -> None:
        self.held = count
        self.updated = self._articles[count].published

    def publish(self) -> None:
        self.held = 0
        self.updated = self._articles[0].published  # newer: listings change Last-Modified

    def _visible(self, article: Any) -> bool:
        return int(article.key.split("-")[1]) >= self.held

    def listed(self) -> list[Any]:
        return list(self._articles[self.held:])

    def feed(self) -> list[Any]:
        return self.listed()[: self.feed_size]

    def search(self, query: str) -> list[Any]:
        return [a for a in super().search(query) if self._visible(a)]

    def lookup(self, path: str) -> tuple[Any, str] | None:
        found = super().lookup(path)
        return found if found is None or self._visible(found[0]) else None


class BareSpider(scrapy.Spider):
    """Listing pages (following rel=next) to article pages; reads each page's <title>."""

    name = "bare"

    def parse(self, response: Any) -> Any:
        for href in response.css(".card-title a::attr(href)").getall():
            yield response.follow(href, self.parse_article)
        following = response.css('link[rel="next"]::attr(href)').get()
        if following:
            yield response.follow(following, self.parse)

    def parse_article(self, response: Any) -> None:
        if response.css("title::text").get():
            self.crawler.stats.inc_value("bare/titles")


def bare_settings(config: Any) -> Any:
    """marsad's Scrapy settings without its middlewares, pipelines and extensions."""
    from scrapy.settings import Settings

    import crawler.settings as project
    from crawler.settings import from_config

    settings = Settings()
    own = {"DOWNLOADER_MIDDLEWARES", "ITEM_PIPELINES", "EXTENSIONS", "SPIDER_MODULES",
           "NEWSPIDER_MODULE"}
    for name in dir(project):
        if name.isupper() and name not in own and not name.startswith("MARSAD_"):
            settings.set(name, getattr(project, name), priority="project")
    values = {k: v for k, v in from_config(config).items() if not k.startswith("MARSAD_")}
    settings.setdict({**values, "LOG_LEVEL": "ERROR"}, priority="project")
    return settings


def child(kind: str, config_path: str, profile: str | None) -> None:
    """Runs one crawl in this process and prints its figures as one JSON line."""
    from scrapy.crawler import CrawlerProcess

    from crawler.config import load_config
    from crawler.cycle import crawl

    config = load_config(config_path)
    profiler = None
    if profile:
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()
    before, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    if kind == "marsad":
        stats = crawl(config).stats
    else:
        process = CrawlerProcess(bare_settings(config))
        crawler = process.create_crawler(BareSpider)
        process.crawl(crawler, start_urls=list(config.sources[0].listing_urls))
        process.start()
        stats = crawler.stats.get_stats() if crawler.stats else {}
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    prefix = "downloader/response_status_count/"
    print(json.dumps({
        "wall": wall,
        "cpu": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
        "cpu_total": after.ru_utime + after.ru_stime,
        "rss_mb": after.ru_maxrss / MB,
        "requests": stats.get("downloader/request_count", 0),
        "responses": stats.get("downloader/response_count", 0),
        "status": {k.removeprefix(prefix): v for k, v in stats.items() if k.startswith(prefix)},
        "articles_new": stats.get("marsad/articles_new", 0),
        "titles": stats.get("bare/titles", 0),
        "finish_reason": str(stats.get("finish_reason", "")),
    }))


def run_child(kind: str, config: Path, profile: str | None = None) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(config)]
    if profile:
        command += ["--profile", profile]
    server_before = _cpu()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=3600)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        sys.exit(f"{kind} crawl failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    if done.stderr.strip():
        print(f"[{kind} stderr] " + "\n".join(done.stderr.splitlines()[-10:]), file=sys.stderr)
    figures = json.loads(lines[-1])
    figures["server_cpu"] = _cpu() - server_before  # this process only serves the site
    return figures


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def kind_of(target: str) -> str:
    parts = urlsplit(target)
    path = unquote(parts.path)
    if path == "/robots.txt":
        return "robots.txt"
    if "s=" in parts.query:
        return "search"
    if path in ("/feed", "/feed/"):
        return "feed"
    if path == "/" or path.startswith("/page/"):
        return "listing"
    return "article" if path.endswith(".html") else "other"


def write_config(folder: Path, site: BulkSite, articles: int) -> Path:
    path = folder / "marsad.toml"
    path.write_text(f"""database = "archive.db"

[crawl]
download_delay = "0s"
concurrency_per_domain = 16
timeout = "30s"
listing_pages = {articles // site.per_page + 5}

{site.source_toml()}""", encoding="utf-8")
    return path


def stored(folder: Path) -> int:
    from storage import Archive

    with Archive(folder / "archive.db") as archive:
        return archive.db["articles"].count


def main(articles: int, seed: int, host: str, profile: str | None) -> None:
    from crawler.config import load_config

    site = generate_bulk_site(articles + NEW_ARTICLES, seed=seed)
    site.__class__ = StagedBulkSite  # same state; adds the hold (see StagedBulkSite)
    assert isinstance(site, StagedBulkSite)
    site.hold(NEW_ARTICLES)
    log: list[tuple[str, int]] = []
    lock = threading.Lock()

    def record(target: str, status: int) -> None:
        with lock:
            log.append((target, status))

    with tempfile.TemporaryDirectory() as tmp, SiteServer(site, host, on_request=record):
        folder = Path(tmp)
        config = write_config(folder, site, articles)
        queries = {q for topic in load_config(config).topics for q in topic.queries}
        print(f"site: {articles} articles on {site.base_url} "
              f"({site.page_count()} listing pages); crawling…", flush=True)
        marsad = run_child("marsad", config)
        cycle1_stored = stored(folder)
        bare = run_child("bare", config)
        site.publish()
        log.clear()
        second = run_child("marsad", config)
        cycle2_stored = stored(folder)
        requests = Counter(kind_of(target) for target, _ in log)
        not_modified = sum(1 for _, status in log if status == 304)
        profiled = None
        if profile:
            (folder / "archive.db").unlink()
            profiled = run_child("marsad", config, profile)
    report(articles, marsad, bare, second, requests, not_modified, site.page_count(),
           len(queries), cycle1_stored, cycle2_stored)
    if profile and profiled:
        import pstats
        print(f"\nprofiled cold crawl: {profiled['wall']:.1f} s wall under cProfile; "
              f"top 25 by own time (full profile in {profile}):")
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


def report(articles: int, marsad: dict, bare: dict, second: dict, requests: Counter,
           not_modified: int, listing_pages: int, queries: int, cycle1: int,
           cycle2: int) -> None:
    def rate(figures: dict) -> float:
        return figures["responses"] / figures["wall"]

    ratio = rate(marsad) / rate(bare)
    print(f"\n{'':34}{'marsad':>12}{'bare spider':>14}")
    rows = [
        ("crawl wall time (s)", "{:.1f}", "wall"),
        ("requests / responses", None, None),
        ("pages/s", "{:.0f}", None),
        ("CPU s (crawl)", "{:.1f}", "cpu"),
        ("CPU ms per article", "{:.2f}", None),
        ("CPU s (whole child)", "{:.1f}", "cpu_total"),
        ("peak RSS (MB)", "{:.0f}", "rss_mb"),
        ("site server CPU s (parent)", "{:.1f}", "server_cpu"),
    ]
    for label, form, key in rows:
        if key:
            cells = [form.format(f[key]) for f in (marsad, bare)]
        elif label.startswith("requests"):
            cells = [f"{f['requests']} / {f['responses']}" for f in (marsad, bare)]
        elif label == "pages/s":
            cells = [form.format(rate(f)) for f in (marsad, bare)]
        else:
            cells = [form.format(1000 * f["cpu"] / articles) for f in (marsad, bare)]
        print(f"{label:34}{cells[0]:>12}{cells[1]:>14}")
    print(f"{'pages/s ratio marsad / bare':34}{ratio:>12.2f}   target >= 0.5: "
          f"{'met' if ratio >= 0.5 else 'MISSED'}")
    print(f"{'peak RSS marsad':34}{marsad['rss_mb']:>10.0f} MB target < 300 MB: "
          f"{'met' if marsad['rss_mb'] < 300 else 'MISSED'}")

    total = sum(requests.values())
    pages = listing_pages + 1 + queries  # every listing page, the feed, one page per query
    bound = pages + NEW_ARTICLES
    print(f"\nsecond cycle ({NEW_ARTICLES} new articles): {total} requests in "
          f"{second['wall']:.1f} s, {second['cpu']:.1f} CPU s, {second['rss_mb']:.0f} MB")
    for kind in ("listing", "feed", "search", "article", "robots.txt", "other"):
        print(f"  {kind:12}{requests.get(kind, 0):>6}")
    print(f"  answered 304: {not_modified}; requests per new article: "
          f"{total / NEW_ARTICLES:.1f}")
    within = total - requests.get("robots.txt", 0) <= bound
    print(f"  bound: {listing_pages} listing + 1 feed + {queries} search + {NEW_ARTICLES} "
          f"articles = {bound} (robots.txt aside): {'within' if within else 'EXCEEDED'}")

    ok1, ok2 = cycle1 == articles, cycle2 == articles + NEW_ARTICLES
    print(f"\nstored after cycle 1: {cycle1} (expected {articles}) {'ok' if ok1 else 'WRONG'}; "
          f"after cycle 2: {cycle2} (expected {articles + NEW_ARTICLES}) "
          f"{'ok' if ok2 else 'WRONG'}; bare spider read {bare['titles']} titles")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--host", default="127.0.0.5", help="loopback address to serve on")
    parser.add_argument("--profile", metavar="FILE", help="also profile a cold marsad crawl")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "CONFIG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.profile)
    elif args.articles < 1:
        parser.error(f"--articles must be at least 1, got {args.articles}")
    else:
        main(args.articles, args.seed, args.host, args.profile)
