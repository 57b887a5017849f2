"""`marsad match` and `marsad extract`: the rule tester and the extraction tester, on
articles and pages the user gives; nothing is crawled or stored."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crawler import bounded_json, clock
from crawler.commands import UsageError
from crawler.config import Config
from crawler.output import emit
from crawler.text import squash_spaces
from crawler.urls import is_http_url


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
        record: dict[str, Any] = {
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


def _extract_page(config: Config, body: bytes, page: str, url: str | None) -> dict[str, Any]:
    """What the crawl would store for this page, with its source's hints when the
    address (given, or else the page's own canonical URL) belongs to a source."""
    from crawler.extract import PageHints, extract_article
    from spiders.pages import source_for_url

    # Without an address, links resolve against a placeholder, and then against the
    # canonical URL the page declares, if any.
    first = url or "http://localhost/" + (Path(page).name if page != "-" else "")
    now = clock.now()
    plain = PageHints(timezone=config.crawl.timezone)
    article = extract_article(body, first, hints=plain, now=now)
    base = article.canonical_url if url is None and article.canonical_url else first
    source = source_for_url(config, base)
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
