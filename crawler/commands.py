"""What each `marsad` command does, over the library API; output formatting only."""

from __future__ import annotations

import argparse
import codecs
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from crawler import bounded_json
from crawler.config import BUNDLED_LABEL, Config, Source
from crawler.text import squash_spaces
from crawler.urls import host_matches, host_of, is_http_url


class UsageError(Exception):
    """Bad command-line input: reported on one line, exit 2."""


def emit(record: dict[str, Any]) -> None:
    """One JSON line, in UTF-8 with every character as itself («الأمن», not \\u0627…),
    whatever the encoding of the locale: readers of JSON expect UTF-8."""
    stream = sys.stdout
    if codecs.lookup(stream.encoding or "utf-8").name != "utf-8" and hasattr(
            stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8")
    stream.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


def config_label(config: Config) -> str:
    """How errors name the configuration file."""
    return str(config.path) if config.path else BUNDLED_LABEL


def _archive(config: Config):  # -> storage.Archive
    from storage import Archive

    return Archive(config.database)


def print_cycle(report: Any, *, as_json: bool = False) -> None:
    if as_json:
        emit({"sources": [vars(s) for s in report.sources], "articles_new": report.articles_new,
              "stories_new": report.stories_new, "alerts_queued": report.alerts_queued,
              "delivery": _delivery_dict(report.delivery), "failure": report.failure})
        return
    width = max([len(s.name) for s in report.sources] + [6])
    print(f"{'source':<{width}}  fetched  new  errors  last error")
    for s in report.sources:
        last = squash_spaces(s.last_error or "")[:80]
        print(f"{s.name:<{width}}  {s.fetched:>7}  {s.new:>3}  {s.errors:>6}  {last}")
    print(f"{report.articles_new} new articles, {report.stories_new} new stories, "
          f"{report.alerts_queued} alerts queued")
    for s in report.sources:
        if s.dropped:
            print(f"{s.name}: dropped {dropped_line(s.dropped)}")
        if s.blocked:
            more = f" and {s.blocked_pages - 1} more page(s)" if s.blocked_pages > 1 else ""
            print(f"{s.name}: blocked: {squash_spaces(s.blocked)}{more}")
    if report.delivery is not None:
        print(f"alerts: {_delivery_line(report.delivery)}")


def dropped_line(dropped: dict[str, int]) -> str:
    """"2 over the size limit, 1 forbidden by robots.txt" """
    from crawler.figures import DROP_REASONS

    return ", ".join(f"{n} {DROP_REASONS.get(reason, reason)}"
                     for reason, n in sorted(dropped.items()))


def _delivery_dict(delivery: Any) -> dict | None:
    if delivery is None:
        return None
    return {"sent": delivery.sent, "retried": delivery.retried, "failed": delivery.failed}


def _delivery_line(delivery: Any) -> str:
    return f"{delivery.sent} sent, {delivery.retried} to retry, {delivery.failed} failed"


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


def print_rows(rows: list[dict], as_json: bool, line: Callable[[dict], str]) -> None:
    """Each row as a JSON line, or as the text `line` makes of it."""
    for row in rows:
        if as_json:
            emit(row)
        else:
            print(line(row))


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


def cmd_probe(config: Config, args: argparse.Namespace) -> int:
    from crawler.probe.report import cmd_probe as probe

    return probe(config, args)


# The story commands live in crawler.story_commands, loaded when used (it reads the archive).
def cmd_stories(config: Config, args: argparse.Namespace) -> int:
    from crawler.story_commands import cmd_stories as stories

    return stories(config, args)


def cmd_story(config: Config, args: argparse.Namespace) -> int:
    from crawler.story_commands import cmd_story as story

    return story(config, args)


def cmd_status(config: Config, args: argparse.Namespace) -> int:
    from crawler.status_command import cmd_status as status

    return status(config, args)


def _json_lines(path: str) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line of a file or of stdin ("-"), read as it comes."""
    label = "stdin" if path == "-" else path
    try:
        stream = sys.stdin.buffer if path == "-" else open(path, "rb")
    except OSError as error:
        raise UsageError(f"{label}: cannot read: {error.strerror}") from None
    with stream:
        for number, raw in enumerate(stream, 1):
            try:
                yield number, raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise UsageError(f"{label}: line {number}: not UTF-8 text") from None


def _article_fields(path: str, number: int, line: str) -> dict[str, str | None]:
    path = "stdin" if path == "-" else path
    try:
        article = bounded_json.loads(line)
    except json.JSONDecodeError as error:
        raise UsageError(f"{path}: line {number}: not JSON ({error.msg})") from None
    except bounded_json.TooDeep as error:
        raise UsageError(f"{path}: line {number}: JSON {error}") from None
    except ValueError:  # the decoder refuses integers of thousands of digits
        raise UsageError(f"{path}: line {number}: a JSON number is too long") from None
    if not isinstance(article, dict):
        raise UsageError(f"{path}: line {number}: not a JSON object")
    fields: dict[str, str | None] = {}
    for key in ("title", "text", "language", "url"):
        value = article.get(key)
        if value is not None and not isinstance(value, str):
            raise UsageError(f"{path}: line {number}: {key}: must be a string")
        if value and not value.isascii():
            try:  # "\ud800" is valid JSON, but no text: it cannot even be printed
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise UsageError(
                    f"{path}: line {number}: {key}: holds a lone surrogate") from None
        fields[key] = value
    return fields


def cmd_match(config: Config, args: argparse.Namespace) -> int:
    from crawler.highlight import found_words
    from crawler.matching import capped_text, match_all

    for number, line in _json_lines(args.file):
        if not line.strip():
            continue
        article = _article_fields(args.file, number, line)
        title = article["title"] or ""
        # As in the crawl: matching reads at most crawl.max_text_size of the text.
        text, capped = capped_text(article["text"] or "", config.crawl.max_text_size)
        matches = match_all(config.topics, title=title, text=text,
                            language=article["language"])
        record = {
            "url": article["url"],
            "topics": [m.topic for m in matches],
            "score": max((m.score for m in matches), default=0.0),
            "matched": sorted({t for m in matches for t in m.matched}),
            # The words those terms fired on, as the article writes them.
            "found": list(found_words(title, text, [t for m in matches for t in m.matched])),
            "text_capped": capped,
        }
        if args.json:
            emit(record)
        else:
            verdict = ", ".join(record["topics"]) or "-"
            note = "  (text capped)" if capped else ""
            print(f"{number}: {verdict}  score={record['score']:.2f}{note}  "
                  f"matched={', '.join(record['matched'])}  {squash_spaces(title)[:60]}")
    return 0


def _read_pages(pages: list[str]) -> list[bytes]:
    """Every page's bytes, read before anything is printed: a bad name costs no output."""
    if pages.count("-") > 1:
        raise UsageError("extract: - (stdin) can be given only once")
    bodies = []
    for page in pages:
        try:
            bodies.append(sys.stdin.buffer.read() if page == "-" else Path(page).read_bytes())
        except OSError as error:
            raise UsageError(f"{page}: cannot read: {error.strerror}") from None
    return bodies


def _source_of(config: Config, url: str | None) -> Source | None:
    host = host_of(url or "")
    return next((s for s in config.sources if host and host_matches(host, s.allowed_domains)),
                None)


def _extract_page(config: Config, body: bytes, page: str, url: str | None) -> dict[str, Any]:
    """What the crawl would store for this page, with its source's hints when the
    address (given, or else the page's own canonical URL) belongs to a source."""
    from crawler import clock
    from crawler.extract import PageHints, extract_article

    # Without an address, links resolve against a placeholder, and then against the
    # canonical URL the page declares, if any.
    first = url or "http://localhost/" + (Path(page).name if page != "-" else "")
    now = clock.now()
    plain = PageHints(timezone=config.crawl.timezone)
    article = extract_article(body, first, hints=plain, now=now)
    base = article.canonical_url if url is None and article.canonical_url else first
    source = _source_of(config, base)
    if source is not None or base != first:
        hints = plain if source is None else PageHints(
            timezone=source.timezone, language=source.language, selectors=dict(source.selectors))
        article = extract_article(body, base, hints=hints, now=now)
    return {
        "page": page, "source": source.name if source else None, "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "language": article.language, "author": article.author, "text": article.text,
        "canonical_url": article.canonical_url,
        "read_also": [{"url": r.url, "title": r.title} for r in article.read_also],
    }


def cmd_extract(config: Config, args: argparse.Namespace) -> int:
    if args.url is not None:
        if len(args.pages) > 1:
            raise UsageError("extract: --url names the address of a single page")
        if not is_http_url(args.url):
            raise UsageError(f"extract: --url must be an http:// or https:// URL, "
                             f"not {args.url!r}")
    for page, body in zip(args.pages, _read_pages(args.pages), strict=True):
        try:
            record = _extract_page(config, body, page, args.url)
        except RecursionError:
            # Extraction bounds the nesting it knows of (JSON-LD, markup); should a page
            # still nest past Python's limit, it is bad input, not a crash.
            label = "stdin" if page == "-" else page
            raise UsageError(f"{label}: nested too deeply to extract") from None
        if args.json:
            emit(record)
            continue
        for key in ("page", "source", "title", "published", "language", "author",
                    "canonical_url"):
            print(f"{key}: {record[key] or ''}")
        for link in record["read_also"]:
            print(f"read_also: {link['url']}  {squash_spaces(link['title'])}")
        print(f"text:\n{record['text']}\n")
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
