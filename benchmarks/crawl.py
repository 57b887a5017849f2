"""Crawl throughput: marsad end to end against a bare fetch-only Scrapy spider.

Run by hand from the repository root:

    python benchmarks/crawl.py [--articles 5000] [--repeat 1] [--profile FOLDER]
                               [--extract-workers N]

A synthetic site of N articles (`generate_bulk_site`, 50 a listing page, the
latest 50 in the feed) is served on 127.0.0.5, its article pages rendered before the
crawls (a real site renders on its own machine, not on the cores the crawlers are
measured on; this process holds them, some 90 MB a thousand articles). Each crawl runs
in a child process (Scrapy's reactor starts once per process) that reports its own wall
time, CPU seconds, peak RSS (VmHWM: ru_maxrss would keep the peak of this process,
which starts it) and Scrapy's request counts, and the CPU seconds (once they have
ended) and peak RSS (sampled while they run) of its extraction workers
(`[crawl] extract_workers`):

1. marsad cold (`crawler.cycle.crawl`: fetch, extract, deduplicate, store);
2. a bare spider that walks the same listing pages to the article pages and
   reads each `<title>`, with the same Scrapy settings minus marsad's parts;
   with --repeat R both run R times (a fresh database each) and the fastest
   run of each counts;
3. 10 new articles are published, then marsad's second cycle on the same
   database: its requests by kind (from the site's log), 304s, and whether it
   stayed within the listing, feed and search pages plus the 10 new articles.

Beside the ratio, it prints the most pages a second the bundled configuration lets any
crawler fetch (its sites, one request to each per download delay): below that, a
crawl's speed would show in real use.

With --profile, the second cycle (from a copy of the first cycle's database)
and a cold crawl (of all N+10 articles) are run again under cProfile; the
profiles go to FOLDER/cycle2.prof and FOLDER/cold.prof, and their top
entries are printed.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
# The script's own folder holds benchmarks/storage.py, which would shadow the `storage` package.
sys.path[0] = str(REPO)

from benchmarks.crawl_parts import BareSpider, bare_settings, kind_of, staged_site  # noqa: E402
from benchmarks.processes import WorkerPeaks, own_peak_kib  # noqa: E402
from crawler.samples import BulkSite, SiteServer  # noqa: E402

NEW_ARTICLES = 10
RATIO_TARGET = 0.6  # the project's: marsad's cold crawl at least 0.6 of a bare fetch's pages/s
RSS_TARGET_MB = 300


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
    with WorkerPeaks() as workers_peaks:
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
    # The extraction workers, ended with the crawl (the pool waits for them at its close).
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    prefix = "downloader/response_status_count/"
    print(json.dumps({
        "wall": wall,
        "cpu": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
        "cpu_total": after.ru_utime + after.ru_stime,  # imports and set-up included
        "rss_mb": own_peak_kib() / 1024,
        "workers_cpu": workers.ru_utime + workers.ru_stime,
        "workers_rss_mb": max(workers_peaks.peaks_kib.values(), default=0) / 1024,
        "workers_mb_sum": sum(workers_peaks.peaks_kib.values()) / 1024,
        "requests": stats.get("downloader/request_count", 0),
        "responses": stats.get("downloader/response_count", 0),
        "status": {k.removeprefix(prefix): v for k, v in stats.items() if k.startswith(prefix)},
        "titles": stats.get("bare/titles", 0),
        "finish_reason": str(stats.get("finish_reason", "")),
    }))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_child(kind: str, config: Path, profile: Path | None = None) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(config)]
    if profile:
        command += ["--profile", str(profile)]
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


def write_config(folder: Path, site: BulkSite, articles: int,
                 database: str = "archive.db", workers: int | None = None) -> Path:
    path = folder / (Path(database).stem + ".toml")
    chosen = "" if workers is None else f"extract_workers = {workers}\n"
    path.write_text(f"""database = "{database}"

[crawl]
{chosen}download_delay = "0s"
concurrency_per_domain = 16
timeout = "30s"
listing_pages = {articles // site.per_page + 5}

{site.source_toml()}""", encoding="utf-8")
    return path


def stored(database: Path) -> int:
    from storage import Archive

    with Archive(database) as archive:
        return archive.db["articles"].count


def remove_database(database: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def main(articles: int, seed: int, host: str, repeat: int, profile: Path | None,
         workers: int | None) -> None:
    from crawler.config import load_config

    site = staged_site(articles, NEW_ARTICLES, seed)
    log: list[tuple[str, int]] = []
    lock = threading.Lock()

    def record(target: str, status: int) -> None:
        with lock:
            log.append((target, status))

    with tempfile.TemporaryDirectory() as tmp, SiteServer(site, host, on_request=record):
        folder = Path(tmp)
        database = folder / "archive.db"
        config = write_config(folder, site, articles, workers=workers)
        queries = {q for topic in load_config(config).topics for q in topic.queries}
        print(f"site: {articles} articles on {site.base_url} ({site.page_count()} listing "
              f"pages); {repeat} cold run(s) each of marsad and the bare spider…", flush=True)
        marsad = bare = None
        cycle1: list[int] = []
        for _ in range(repeat):
            remove_database(database)
            run = run_child("marsad", config)
            cycle1.append(stored(database))
            marsad = run if marsad is None or run["wall"] < marsad["wall"] else marsad
            run = run_child("bare", config)
            bare = run if bare is None or run["wall"] < bare["wall"] else bare
        if profile:
            with closing(sqlite3.connect(database)) as source, \
                    closing(sqlite3.connect(folder / "c1.db")) as copy:
                source.backup(copy)  # the first cycle's archive, for the profiled second cycle
        site.publish()
        log.clear()
        second = run_child("marsad", config)
        requests = Counter(kind_of(target) for target, _ in log)
        not_modified = sum(1 for _, status in log if status == 304)
        cycle2 = stored(database)
        if profile:
            profile.mkdir(parents=True, exist_ok=True)
            run_child("marsad", write_config(folder, site, articles, "c1.db", workers),
                      profile / "cycle2.prof")
            run_child("marsad", write_config(folder, site, articles, "cold.db", workers),
                      profile / "cold.prof")
    assert marsad is not None and bare is not None
    report(articles, marsad, bare, repeat)
    report_second(second, requests, not_modified, site.page_count(), len(queries))
    expected = articles + NEW_ARTICLES
    print(f"\nstored after cycle 1: {cycle1} (expected {articles}) "
          f"{'ok' if set(cycle1) == {articles} else 'WRONG'}; after cycle 2: {cycle2} "
          f"(expected {expected}) {'ok' if cycle2 == expected else 'WRONG'}; "
          f"bare spider read {bare['titles']} titles")
    if profile:
        import pstats
        for name in ("cycle2", "cold"):
            print(f"\n== {name} under cProfile (full profile in {profile / name}.prof) ==")
            pstats.Stats(str(profile / f"{name}.prof")).sort_stats("tottime").print_stats(20)


def report(articles: int, marsad: dict, bare: dict, repeat: int) -> None:
    def rate(figures: dict) -> float:
        return figures["responses"] / figures["wall"]

    both = (marsad, bare)
    rows = [
        ("crawl wall time (s)", [f"{f['wall']:.1f}" for f in both]),
        ("requests / responses", [f"{f['requests']} / {f['responses']}" for f in both]),
        ("pages/s", [f"{rate(f):.0f}" for f in both]),
        ("CPU s (crawl)", [f"{f['cpu']:.1f}" for f in both]),
        ("CPU ms per article", [f"{1000 * f['cpu'] / articles:.2f}" for f in both]),
        ("CPU s (whole child)", [f"{f['cpu_total']:.1f}" for f in both]),
        ("CPU s (extraction workers)", [f"{f['workers_cpu']:.1f}" for f in both]),
        ("CPU ms per article, workers in",
         [f"{1000 * (f['cpu'] + f['workers_cpu']) / articles:.2f}" for f in both]),
        ("peak RSS (MB)", [f"{f['rss_mb']:.0f}" for f in both]),
        ("peak RSS of a worker (MB)", [f"{f['workers_rss_mb']:.0f}" for f in both]),
        ("site server CPU s (parent)", [f"{f['server_cpu']:.1f}" for f in both]),
    ]
    best = f" (fastest of {repeat})" if repeat > 1 else ""
    print(f"\ncold crawl of {articles} articles{best}\n{'':32}{'marsad':>12}{'bare spider':>14}")
    for label, (ours, theirs) in rows:
        print(f"{label:32}{ours:>12}{theirs:>14}")
    ratio = rate(marsad) / rate(bare)
    print(f"{'pages/s ratio marsad / bare':32}{ratio:>12.2f}   target >= {RATIO_TARGET}: "
          f"{'met' if ratio >= RATIO_TARGET else 'MISSED'}")
    hosts, delay = politeness()
    ceiling = hosts / delay
    above = "above" if rate(marsad) >= ceiling else "BELOW"
    print(f"{'bundled sources at most (pages/s)':32}{ceiling:>12.0f}   {hosts} sites, one request "
          f"each per {delay:g} s: marsad's pages/s {above}")
    # Each process peaks apart; counted as if every one peaked at once.
    rss = marsad["rss_mb"] + marsad["workers_mb_sum"]
    print(f"{'peak RSS marsad + workers (MB)':32}{rss:>12.0f}   target < {RSS_TARGET_MB}: "
          f"{'met' if rss < RSS_TARGET_MB else 'MISSED'}")


def politeness() -> tuple[int, float]:
    """(sites, download delay) of the bundled configuration: Scrapy waits the delay
    between two requests to one site, so a crawl of them fetches at most sites / delay
    pages a second, whatever its speed."""
    from crawler.config import load_config
    from crawler.urls import host_of

    config = load_config(None)
    hosts = {host_of(url) for source in config.sources
             for url in (*source.listing_urls, *source.feed_urls)[:1]}
    return len(hosts), config.crawl.download_delay


def report_second(second: dict, requests: Counter, not_modified: int, listing_pages: int,
                  queries: int) -> None:
    total = sum(requests.values())
    bound = listing_pages + 1 + queries + NEW_ARTICLES  # each listing page, the feed, searches
    print(f"\nsecond cycle ({NEW_ARTICLES} new articles): {total} requests in "
          f"{second['wall']:.1f} s, {second['cpu']:.1f} CPU s, {second['rss_mb']:.0f} MB")
    for kind in ("listing", "feed", "search", "article", "robots.txt", "other"):
        print(f"  {kind:12}{requests.get(kind, 0):>6}")
    print(f"  answered 304: {not_modified} (Scrapy counted {second['status'].get('304', 0)}); "
          f"requests per new article: {total / NEW_ARTICLES:.1f}")
    within = total - requests.get("robots.txt", 0) <= bound
    print(f"  bound: {listing_pages} listing + 1 feed + {queries} search + {NEW_ARTICLES} "
          f"articles = {bound}, robots.txt aside: {'within' if within else 'EXCEEDED'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--host", default="127.0.0.5", help="loopback address to serve on")
    parser.add_argument("--repeat", type=int, default=1, help="cold runs of each crawler")
    parser.add_argument("--profile", metavar="FOLDER", help="also profile marsad's crawls")
    parser.add_argument("--extract-workers", type=int, metavar="N",
                        help="marsad's [crawl] extract_workers (default: the configuration's)")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "CONFIG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.profile)
    elif args.articles < 1 or args.repeat < 1:
        parser.error("--articles and --repeat must be at least 1")
    else:
        try:
            main(args.articles, args.seed, args.host, args.repeat,
                 Path(args.profile).absolute() if args.profile else None, args.extract_workers)
        except OSError as error:  # the address is taken or not a loopback one, say
            sys.exit(f"crawl benchmark: {error}")
