"""What each `marsad` command does, over the library API; output formatting only."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from crawler.cli import UsageError, emit
from crawler.config import Config
from crawler.text import squash_spaces


def _archive(config: Config):  # -> storage.Archive
    from storage import Archive

    return Archive(config.database)


def print_cycle(report: Any, *, as_json: bool = False) -> None:
    if as_json:
        emit({"sources": [vars(s) for s in report.sources], "articles_new": report.articles_new,
              "stories_new": report.stories_new, "alerts_queued": report.alerts_queued,
              "delivery": _delivery_dict(report.delivery)})
        return
    width = max([len(s.name) for s in report.sources] + [6])
    print(f"{'source':<{width}}  fetched  new  errors  last error")
    for s in report.sources:
        last = squash_spaces(s.last_error or "")[:80]
        print(f"{s.name:<{width}}  {s.fetched:>7}  {s.new:>3}  {s.errors:>6}  {last}")
    print(f"{report.articles_new} new articles, {report.stories_new} new stories, "
          f"{report.alerts_queued} alerts queued")
    if report.delivery is not None:
        print(f"alerts: {_delivery_line(report.delivery)}")


def _delivery_dict(delivery: Any) -> dict | None:
    if delivery is None:
        return None
    return {"sent": delivery.sent, "retried": delivery.retried, "failed": delivery.failed}


def _delivery_line(delivery: Any) -> str:
    return f"{delivery.sent} sent, {delivery.retried} to retry, {delivery.failed} failed"


def cmd_crawl(config: Config, args: argparse.Namespace) -> int:
    from crawler.cycle import check_sources, run_cycle

    check_sources(config, args.source)
    level = {0: "NONE", 1: "INFO"}.get(args.verbose, "DEBUG")
    report = run_cycle(config, args.source, progress=sys.stderr.isatty(), log_level=level)
    print_cycle(report, as_json=args.json)
    return 0


def cmd_run(config: Config, args: argparse.Namespace) -> int:
    from crawler.daemon import Daemon

    return Daemon(config).run()


def cmd_search(config: Config, args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise UsageError("search: --limit must be at least 1")
    with _archive(config) as archive:
        hits = archive.search(args.query, limit=args.limit)
    for hit in hits:
        if args.json:
            emit(hit)
        else:
            print(f"{hit.get('published') or '':25.25}  {hit['source']:<12}  "
                  f"{squash_spaces(hit['title'])}\n    {hit['url']}")
    return 0


def cmd_export(config: Config, args: argparse.Namespace) -> int:
    with _archive(config) as archive:
        for article in archive.export_articles():
            emit(article)
    return 0


def cmd_alerts(config: Config, args: argparse.Namespace) -> int:
    with _archive(config) as archive:
        rows = archive.list_alerts()
    for row in rows:
        if args.json:
            emit(row)
        else:
            error = f"  ({squash_spaces(row['last_error'])[:80]})" if row.get("last_error") else ""
            print(f"{row['status']:<8} {row['channel']:<10} {row['attempts']}x  "
                  f"{squash_spaces(row['title'] or '')[:70]}{error}\n    {row['url']}")
    return 0


def cmd_stats(config: Config, args: argparse.Namespace) -> int:
    with _archive(config) as archive:
        rows = archive.source_stats()
    for row in rows:
        if args.json:
            emit(row)
        else:
            print(f"{row['name']:<16} {row['articles']:>6} articles  last success: "
                  f"{row.get('last_success') or '-'}  last error: {row.get('last_error') or '-'}")
    return 0


def _read_lines(path: str) -> list[str]:
    if path == "-":
        return sys.stdin.read().splitlines()
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read: {error}") from None


def cmd_match(config: Config, args: argparse.Namespace) -> int:
    from crawler.matching import match_all

    for number, line in enumerate(_read_lines(args.file), 1):
        if not line.strip():
            continue
        try:
            article = json.loads(line)
            title, text = str(article.get("title") or ""), str(article.get("text") or "")
        except (json.JSONDecodeError, AttributeError):
            raise UsageError(f"{args.file}: line {number}: not a JSON object") from None
        matches = match_all(config.topics, title=title, text=text,
                            language=article.get("language"))
        record = {
            "url": article.get("url"),
            "topics": [m.topic for m in matches],
            "score": max((m.score for m in matches), default=0.0),
            "matched": sorted({t for m in matches for t in m.matched}),
        }
        if args.json:
            emit(record)
        else:
            verdict = ", ".join(record["topics"]) or "-"
            print(f"{number}: {verdict}  score={record['score']:.2f}  "
                  f"matched={', '.join(record['matched'])}  {squash_spaces(title)[:60]}")
    return 0


def cmd_extract(config: Config, args: argparse.Namespace) -> int:
    from crawler import clock
    from crawler.extract import PageHints, extract_article

    if args.url and len(args.pages) > 1:
        raise UsageError("extract: --url names the address of a single page")
    for page in args.pages:
        try:
            body = sys.stdin.buffer.read() if page == "-" else Path(page).read_bytes()
        except OSError as error:
            raise UsageError(f"{page}: cannot read: {error.strerror}") from None
        url = args.url or (Path(page).resolve().as_uri() if page != "-" else "http://localhost/")
        if not url.startswith(("http://", "https://")):
            url = "http://localhost/" + Path(page).name
        tz = config.crawl.timezone
        article = extract_article(body, url, hints=PageHints(timezone=tz), now=clock.now())
        record = {
            "page": page, "title": article.title,
            "published": article.published.isoformat() if article.published else None,
            "language": article.language, "author": article.author, "text": article.text,
            "canonical_url": article.canonical_url,
            "read_also": [{"url": r.url, "title": r.title} for r in article.read_also],
        }
        if args.json:
            emit(record)
        else:
            for key in ("page", "title", "published", "language", "author", "canonical_url"):
                print(f"{key}: {record[key] or ''}")
            for link in record["read_also"]:
                print(f"read_also: {link['url']}  {squash_spaces(link['title'])}")
            print(f"text:\n{article.text}\n")
    return 0


def cmd_test_alert(config: Config, args: argparse.Namespace) -> int:
    from alerts.channel import build_channels
    from alerts.test_message import send_test_alert

    results = send_test_alert(build_channels(config.channels))
    for name, error in results.items():
        print(f"{name}: sent" if error is None else f"{name}: failed: {error}")
    return 1 if any(error is not None for error in results.values()) else 0


def cmd_demo(config: Config, args: argparse.Namespace) -> int:
    from crawler.demo import run_demo

    return run_demo()
