"""Parts of the extraction benchmark (benchmarks/extraction.py): the two tools, the
timing loop, and the sample-site pages with their scoring against the ground truth."""

from __future__ import annotations

import statistics
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from crawler.extract import PageHints, extract_article
from crawler.samples import OFFSITE, SITE_NAMES, SampleArticle, SampleSites
from crawler.text import squash_spaces

NOW = datetime(2026, 6, 1, tzinfo=UTC)  # the real pages' "now" (they carry absolute dates)


@dataclass
class Page:
    name: str
    url: str
    body: bytes
    expected: Any = None  # real pages: what a good extractor finds
    charset: str | None = None  # the Content-Type charset it was served with
    hints: PageHints | None = None  # what the crawl would pass for its source
    now: datetime = NOW
    truth: SampleArticle | None = None  # sample pages: the ground truth


@dataclass
class Result:
    title: str
    published: datetime | None
    day: str | None  # the publication day as the tool gives it, YYYY-MM-DD
    text: str


Tool = Callable[[Page], Result]


def ours(page: Page) -> Result:
    found = extract_article(page.body, page.url, hints=page.hints, now=page.now,
                            declared_encoding=page.charset)
    day = found.published.date().isoformat() if found.published else None
    return Result(found.title, found.published, day, found.text)


def theirs(page: Page) -> Result:
    import trafilatura

    # trafilatura takes no declared charset: it detects the encoding from the bytes.
    found = trafilatura.bare_extraction(page.body, url=page.url, with_metadata=True)
    if found is None:
        return Result("", None, None, "")
    data = found.as_dict() if hasattr(found, "as_dict") else found
    return Result(data.get("title") or "", None, data.get("date"), data.get("text") or "")


def median_ms(run: Tool, page: Page, min_time: float) -> float:
    """Runs the tool on the page until min_time has passed (5 to 200 runs); median in ms."""
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < 5 or (time.perf_counter() - started < min_time and len(times) < 200):
        start = time.perf_counter()
        run(page)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def table(rows: list[list[str]], header: list[str]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


# -- the sample sites ------------------------------------------------------------

def fetch_samples(sites: SampleSites) -> tuple[list[Page], list[str]]:
    """Every crawlable article page of the started sites, fetched once over HTTP.

    Returns the pages and one line per page that could not be fetched.
    """
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy
    pages, failures = [], []
    for article in sites.articles:
        if article.forbidden or article.site == OFFSITE:
            continue
        url = sites.url(article)
        try:
            with opener.open(url, timeout=10) as response:
                body, final_url = response.read(), response.geturl()
                charset = response.headers.get_content_charset()
        except OSError as error:
            failures.append(f"cannot fetch {url}: {error}")
            continue
        site = sites.world.sites[article.site]
        hints = PageHints(timezone=site.timezone, language=site.language)
        name = f"{article.site} {unquote(article.path)}"
        pages.append(Page(name, final_url, body, charset=charset, hints=hints, now=sites.now,
                          truth=article))
    return pages, failures


def score(result: Result, truth: SampleArticle) -> dict[str, tuple[int, int]]:
    """(hits, total) per criterion: title, date, body snippets in, boilerplate kept out."""
    title = squash_spaces(result.title) == squash_spaces(truth.title)
    expected = truth.published  # in the site's own time zone
    if truth.date_shown == "feed":  # the page shows no date: right is to find none
        dated = result.published is None and not result.day
    elif result.published is not None:  # an instant: same local day, and the minute shown
        dated = (result.published.astimezone(expected.tzinfo).date() == expected.date()
                 and (truth.date_shown == "day"
                      or abs((result.published - expected).total_seconds()) <= 60))
    else:  # a tool that gives days only
        dated = result.day == expected.date().isoformat()
    text = squash_spaces(result.text)
    found = sum(squash_spaces(s) in text for s in truth.body_snippets)
    kept_out = sum(squash_spaces(s) not in text for s in truth.not_in_body)
    return {"title": (int(title), 1), "date": (int(dated), 1),
            "in": (found, len(truth.body_snippets)), "out": (kept_out, len(truth.not_in_body))}


@dataclass
class Tally:
    """Timings and scores of one tool over a group of pages."""

    ms: list[float] = field(default_factory=list)
    hits: dict[str, list[int]] = field(default_factory=dict)

    def add(self, ms: float, scores: dict[str, tuple[int, int]]) -> None:
        self.ms.append(ms)
        for key, (hit, total) in scores.items():
            counts = self.hits.setdefault(key, [0, 0])
            counts[0] += hit
            counts[1] += total

    def cell(self, key: str) -> str:
        hit, total = self.hits.get(key, (0, 0))
        return f"{hit}/{total}" if total else "-"


def run_samples(pages: list[Page], tools: dict[str, Tool], min_time: float
                ) -> tuple[dict[str, dict[str, Tally]], list[str]]:
    """Times and scores every tool on every page; tallies per site (and "all"),
    plus one line per criterion marsad misses."""
    tallies: dict[str, dict[str, Tally]] = {}
    misses = []
    for page in pages:
        truth = page.truth
        if truth is None:
            continue
        for name, run in tools.items():
            scores = score(run(page), truth)
            ms = median_ms(run, page, min_time)
            for group in (truth.site, "all"):
                tallies.setdefault(group, {}).setdefault(name, Tally()).add(ms, scores)
            if name == "marsad":
                misses += [f"{page.name[:70]}: {key} {hit}/{total}"
                           for key, (hit, total) in scores.items() if hit < total]
    return tallies, misses


def print_samples(tallies: dict[str, dict[str, Tally]], tools: list[str]) -> None:
    cols = ["title", "date", "in", "out"]
    header = ["site", "pages", *[f"{t} ms" for t in tools]]
    header += ["speed-up"] if len(tools) == 2 else []
    header += [f"{c} {t[0]}" for c in cols for t in tools]
    rows = []
    for group in [*[s for s in SITE_NAMES if s in tallies], "all"]:
        by_tool = tallies.get(group)
        if not by_tool:
            continue
        means = [statistics.mean(by_tool[t].ms) for t in tools]
        row = [group, str(len(by_tool[tools[0]].ms)), *[f"{m:.2f}" for m in means]]
        row += [f"{means[1] / means[0]:.1f}x"] if len(tools) == 2 else []
        row += [by_tool[t].cell(c) for c in cols for t in tools]
        rows.append(row)
    table(rows, header)
