"""The commands over the archive and the cycle (crawl, run, search, export, alerts,
stats, test-alert, demo), over the library API: output formatting only. The other
commands have modules of their own: crawler.story_commands, crawler.status_command,
crawler.tester_commands and crawler.probe.report. What is slow to import (Scrapy, the
archive, the channels) is imported by the command that uses it: the command line
starts fast whatever the command."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from crawler.config import Config
from crawler.cycle_report import dropped_line, print_cycle
from crawler.output import emit, print_rows
from crawler.text import squash_spaces

if TYPE_CHECKING:
    from storage import Archive


class UsageError(Exception):
    """Bad command-line input: reported on one line, exit 2."""


def _archive(config: Config) -> Archive:
    from storage import Archive

    return Archive(config.database)


def cmd_crawl(config: Config, args: argparse.Namespace) -> int:
    from alerts import build_channels
    from crawler.cycle import check_sources, run_cycle
    from crawler.instance import crawl_turn

    check_sources(config, args.source)
    # A channel that cannot be built is a configuration error: say so before crawling.
    build_channels(config.channels)
    level = {0: "ERROR", 1: "INFO"}.get(args.verbose, "DEBUG")
    # Beside a running daemon: refused, or run between its cycles (crawler.instance).
    with crawl_turn(config.database, wait=args.wait):
        report = run_cycle(config, args.source, progress=sys.stderr.isatty(), log_level=level,
                           send_alerts=not args.no_deliver)
    print_cycle(report, as_json=args.json)
    if report.failure:
        print(f"marsad: cycle failed: {squash_spaces(report.failure)}", file=sys.stderr)
        return 1
    return 0


def cmd_run(config: Config, args: argparse.Namespace) -> int:
    from crawler.daemon import Daemon

    # Its crawls log as it does: one format for the whole of the daemon's stderr.
    log_options = ["--log-format", args.log_format] + ["-v"] * args.verbose
    return Daemon(config, log_options=log_options).run()


def cmd_search(config: Config, args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise UsageError("search: --limit must be at least 1")
    with _archive(config) as archive:
        hits = archive.search(args.query, limit=args.limit)
    print_rows(hits, args.json, lambda hit: (
        f"{hit.get('published') or '':25.25}  {hit['source']:<12}  "
        f"{squash_spaces(hit['title'])}\n    {hit['url']}"))
    return 0


def cmd_export(config: Config, args: argparse.Namespace) -> int:
    with _archive(config) as archive:
        for article in archive.export_articles():
            emit(article)
    return 0


def cmd_alerts(config: Config, args: argparse.Namespace) -> int:
    from alerts import build_channels

    channels = build_channels(config.channels)
    with _archive(config) as archive:
        if args.retry_failed:
            print(f"{archive.requeue_failed()} failed alert(s) queued again", file=sys.stderr)
        rows = archive.list_alerts()
    for row in rows:
        # Errors stored by older versions were not always masked: mask them on the way out.
        channel = channels.get(row["channel"])
        if channel is not None and row.get("last_error"):
            row["last_error"] = channel.clean_reason(row["last_error"])

    def line(row: dict) -> str:
        error = f"  ({squash_spaces(row['last_error'])[:80]})" if row.get("last_error") else ""
        return (f"{row['status']:<8} {row['channel']:<10} {row['attempts']}x  "
                f"{squash_spaces(row['title'] or '')[:70]}{error}\n    {row['url']}")

    print_rows(rows, args.json, line)
    return 0


def cmd_stats(config: Config, args: argparse.Namespace) -> int:
    from crawler.health import describe

    with _archive(config) as archive:
        rows = archive.source_stats()
    verified = {source.name: source.verified for source in config.sources}
    for row in rows:
        row["verified"] = verified.get(row["name"])
    print_rows(rows, args.json, lambda row: (
        f"{row['name']:<16} {row['articles']:>6} articles  last success: "
        f"{row.get('last_success') or '-'}  last error: {row.get('last_error') or '-'}"
        f"  verified: {row['verified'] or '-'}"
        + (f"  last run dropped {dropped_line(row['last_run_dropped'])}"
           if row.get("last_run_dropped") else "")
        + f"  health: {describe(row['health'])}"))
    return 0


def cmd_test_alert(config: Config, args: argparse.Namespace) -> int:
    from alerts import build_channels, send_sample_alert

    results = send_sample_alert(build_channels(config.channels))
    for name, error in results.items():
        # Flushed in order with what a console channel prints itself.
        print(f"{name}: sent" if error is None else f"{name}: failed: {squash_spaces(error)}",
              flush=True)
    return 1 if any(error is not None for error in results.values()) else 0


def cmd_demo(config: Config | None, args: argparse.Namespace) -> int:
    from crawler.demo import run_demo

    return run_demo()
