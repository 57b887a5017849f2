"""`marsad probe`'s output: a table per source and its verdict, or one JSON line per source.

Addresses and headlines come from the web: control characters (a terminal's escape
sequences) are shown as U+FFFD, never written as they are.
"""

from __future__ import annotations

import argparse
import unicodedata
from typing import Any

from crawler.config import Config
from crawler.probe.model import DISCOVERY, Page, SourceProbe
from crawler.text import squash_spaces

_MEASURES = {"listing": "listing links", "feed": "feed entries", "search": "search results"}


def plain(text: str, limit: int = 200) -> str:
    """One printable line of at most ``limit`` characters: control characters shown as
    U+FFFD, format characters (direction overrides) left out."""
    kept = []
    for char in squash_spaces(text):
        kind = unicodedata.category(char)
        if kind != "Cf":
            kept.append("\ufffd" if kind == "Cc" else char)
    line = "".join(kept)
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _answer(page: Page) -> str:
    if page.forbidden:
        return "forbidden by robots.txt"
    if page.blocked:
        return f"blocked: {page.blocked}"
    if page.error:
        return page.error
    timing = f", {page.seconds:.2f}s" if page.seconds is not None else ""
    return f"HTTP {page.status}{timing}"


def _discovery_line(page: Page) -> str:
    count = str(len(page.links)) if page.answered else "-"
    notes = [_answer(page)]
    if page.kind == "listing" and page.next_page:
        notes.append("next page found")
    if page.offsite:
        notes.append(f"{len(page.offsite)} off the source's domains")
    return f"  {_MEASURES[page.kind]:<18}{count:>5}  {plain(page.url)}  ({'; '.join(notes)})"


def _article_line(page: Page) -> str:
    facts = page.article
    if facts is None:
        return f"  {'article':<18}{'-':>5}  {plain(page.url)}  ({_answer(page)})"
    seen = ["headline" if facts.title else "NO HEADLINE", "date" if facts.published
            else "NO DATE", f"body {facts.body_chars} characters",
            f"{facts.read_also} read-also link(s)"]
    headline = f"; «{plain(facts.title, 80)}»" if facts.title else ""
    return (f"  {'article':<18}{'':>5}  {plain(page.url)}  ({_answer(page)})\n"
            f"  {'':<18}{'':>5}  {', '.join(seen)}{headline}")


def print_probe(probe: SourceProbe) -> None:
    verified = probe.verified or "not stated"
    print(f"{probe.source} (verified: {verified})")
    if not probe.pages:
        print("  nothing to fetch: the source has no listing, feed or search address")
    for page in probe.pages:
        print(_discovery_line(page) if page.kind in DISCOVERY else _article_line(page))
    articles = [page.article for page in probe.of_kind("article") if page.article]
    if articles:
        tally = (f"headline {sum(bool(a.title) for a in articles)}, "
                 f"date {sum(bool(a.published) for a in articles)}, "
                 f"body {sum(bool(a.body_chars) for a in articles)}, "
                 f"read-also links {sum(bool(a.read_also) for a in articles)}")
        print(f"  {'articles read':<18}{len(articles):>5}  with {tally}")
    blocked = [page for page in probe.pages if page.blocked]
    forbidden = [page for page in probe.pages if page.forbidden]
    print(f"  {'blocked':<18}{len(blocked):>5}")
    print(f"  {'robots-forbidden':<18}{len(forbidden):>5}")
    slowest = probe.slowest()
    if slowest is not None:
        print(f"  {'slowest answer':<18}{slowest.seconds:>4.2f}s  {plain(slowest.url)}")
    print(f"  verdict: {probe.verdict}")
    for problem in probe.problems:
        print(f"  - {plain(problem, 500)}")
    print()


def probe_record(probe: SourceProbe) -> dict[str, Any]:
    """The JSON line of one source."""
    slowest = probe.slowest()

    def found(kind: str) -> int:
        return sum(len(page.links) for page in probe.of_kind(kind))

    return {
        "source": probe.source,
        "verdict": probe.verdict,
        "problems": probe.problems,
        "verified": probe.verified,
        "listing_links": found("listing"),
        "feed_entries": found("feed"),
        "search_results": found("search") if probe.query else None,
        "query": probe.query,
        "articles": [{"url": page.url, "headline": page.article.title,
                      "published": page.article.published,
                      "body_chars": page.article.body_chars,
                      "read_also": page.article.read_also}
                     for page in probe.of_kind("article") if page.article],
        "blocked": [{"url": page.url, "reason": page.blocked}
                    for page in probe.pages if page.blocked],
        "robots_forbidden": [page.url for page in probe.pages if page.forbidden],
        "slowest": ({"url": slowest.url, "seconds": round(slowest.seconds or 0.0, 3)}
                    if slowest else None),
        "pages": [{"kind": page.kind, "url": page.url, "status": page.status,
                   "seconds": None if page.seconds is None else round(page.seconds, 3),
                   "found": len(page.links), "error": page.error, "blocked": page.blocked,
                   "forbidden": page.forbidden}
                  for page in probe.pages],
    }


def cmd_probe(config: Config, args: argparse.Namespace) -> int:
    """Probe, print, and exit 1 when a source is broken."""
    from crawler.output import emit
    from crawler.probe import probe_sources

    probes = probe_sources(config, args.source)
    for probe in probes:
        if args.json:
            emit(probe_record(probe))
        else:
            print_probe(probe)
    if not args.json:
        tally = {verdict: sum(p.verdict == verdict for p in probes)
                 for verdict in ("ok", "degraded", "broken", "blocked")}
        print(", ".join(f"{n} {verdict}" for verdict, n in tally.items()))
    return 1 if any(probe.verdict == "broken" for probe in probes) else 0
