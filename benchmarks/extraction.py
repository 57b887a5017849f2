"""Extraction speed and quality: `extract_article` against trafilatura.

Run by hand from the repository root:

    python benchmarks/extraction.py [--min-time 1.0]

Pages: the real news pages in ../shared/realpages (read from there, never
copied), each beside a JSON of what a good extractor finds, and any ``*.html``
page under crawler/samples/ (timed only: they come without expectations).
Each tool runs on each page until --min-time seconds have passed (at least
5 runs); the median is reported.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawler.extract import decode_html, extract_article  # noqa: E402
from crawler.text import squash_spaces  # noqa: E402

REALPAGES = REPO.parent / "shared" / "realpages"
SAMPLES = REPO / "crawler" / "samples"
NOW = datetime(2026, 6, 1, tzinfo=UTC)
URLS = {  # the address each page was served at (its canonical URL)
    "fr_LeMonde": "https://www.lemonde.fr/politique/article/2023/08/30/"
                  "sophie-binet-met-en-garde_6187099_823448.html",
    "fr_LeFigaro": "https://www.lefigaro.fr/international/guerre-en-ukraine-20241122",
    "lb_LBCGroup": "https://www.lbcgroup.tv/news/lifestyle/898682/x/ar",
    "tn_assabah": "http://www.assabah.com.tn/article/164913/x",
}
_WORDS = re.compile(r"\w+")


@dataclass
class Expected:
    title: str
    published: datetime | None
    paragraphs: list[str]  # text that must be in the body
    absent: list[str]  # text that must not


@dataclass
class Page:
    name: str
    url: str
    body: bytes
    expected: Expected | None


@dataclass
class Result:
    title: str
    published: datetime | None
    day: str | None  # the publication day as the tool gives it, YYYY-MM-DD
    text: str


def real_pages() -> list[Page]:
    pages = []
    for file in sorted(REALPAGES.glob("*.html.gz")):
        name = re.sub(r"_\d{4}_\d{2}_\d{2}$", "", file.name.removesuffix(".html.gz"))
        data = json.loads((REALPAGES / f"{name}.json").read_text(encoding="utf-8"))
        if "V1" in data:
            v1 = data["V1"]
            expected = Expected(
                title=v1["title"],
                published=datetime.fromisoformat(v1["publishing_date"]),
                paragraphs=[p for s in v1["body"]["sections"] for p in s["paragraphs"]],
                absent=[])
        else:
            entry = next(iter(data.values()))
            expected = Expected(title=entry["title"], published=None,
                                paragraphs=entry["with"], absent=entry["without"])
        url = URLS.get(name, f"https://example.org/{name}.html")
        pages.append(Page(name, url, gzip.decompress(file.read_bytes()), expected))
    return pages


def sample_pages() -> list[Page]:
    return [Page(str(path.relative_to(SAMPLES)), f"http://127.0.0.2/{path.name}",
                 path.read_bytes(), None) for path in sorted(SAMPLES.rglob("*.html"))]


def ours(page: Page) -> Result:
    found = extract_article(page.body, page.url, now=NOW)
    day = found.published.date().isoformat() if found.published else None
    return Result(found.title, found.published, day, found.text)


def theirs(page: Page) -> Result:
    import trafilatura

    found = trafilatura.bare_extraction(page.body, url=page.url, with_metadata=True)
    if found is None:
        return Result("", None, None, "")
    data = found.as_dict() if hasattr(found, "as_dict") else found
    return Result(data.get("title") or "", None, data.get("date"), data.get("text") or "")


def median_ms(run: Callable[[Page], Result], page: Page, min_time: float) -> float:
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < 5 or (time.perf_counter() - started < min_time and len(times) < 200):
        start = time.perf_counter()
        run(page)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def recall(expected: list[str], text: str) -> float:
    """Share of the expected words (with repeats) found in the text."""
    want = Counter(_WORDS.findall(" ".join(expected).casefold()))
    have = Counter(_WORDS.findall(text.casefold()))
    total = sum(want.values())
    return sum(min(count, have[word]) for word, count in want.items()) / total if total else 1.0


def precision(expected: list[str], text: str) -> float:
    """Share of the extracted words that the expected text holds (1.0 = no boilerplate)."""
    want = Counter(_WORDS.findall(" ".join(expected).casefold()))
    have = Counter(_WORDS.findall(text.casefold()))
    total = sum(have.values())
    return sum(min(count, want[word]) for word, count in have.items()) / total if total else 0.0


def quality(result: Result, expected: Expected) -> dict[str, str]:
    title = squash_spaces(result.title) == squash_spaces(expected.title)
    if expected.published is None:
        day = instant = "n/a"
    else:
        local_day = expected.published.date().isoformat()
        day = "yes" if result.day == local_day else f"no ({result.day})"
        instant = ("n/a" if result.published is None and result.day
                   else "yes" if result.published == expected.published else "no")
    text = squash_spaces(result.text)
    if expected.absent:  # snippet lists: how many are present / absent
        found = sum(squash_spaces(s) in text for s in expected.paragraphs)
        clean = sum(squash_spaces(s) not in text for s in expected.absent)
        body = f"{found}/{len(expected.paragraphs)} in, {clean}/{len(expected.absent)} out"
        exact = "n/a"
    else:
        exact_count = sum(squash_spaces(p) in text for p in expected.paragraphs)
        exact = f"{exact_count}/{len(expected.paragraphs)}"
        body = (f"recall {recall(expected.paragraphs, result.text):.3f} "
                f"precision {precision(expected.paragraphs, result.text):.3f}")
    return {"title": "yes" if title else "no", "day": day, "instant": instant,
            "paragraphs": exact, "body": body}


def table(rows: list[list[str]], header: list[str]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-time", type=float, default=1.0,
                        help="seconds each tool spends on each page (default 1.0)")
    args = parser.parse_args()
    try:
        import trafilatura  # noqa: F401

        tools: dict[str, Callable[[Page], Result]] = {"marsad": ours, "trafilatura": theirs}
    except ImportError:
        print("trafilatura is not installed (pip install -e .[bench]): timing marsad only\n")
        tools = {"marsad": ours}
    pages = (real_pages() if REALPAGES.is_dir() else []) + sample_pages()
    if not pages:
        print(f"no pages: neither {REALPAGES} nor *.html under {SAMPLES}")
        return 1
    if not REALPAGES.is_dir():
        print(f"{REALPAGES} is absent: timing the sample pages only\n")

    timing_rows, quality_rows, totals = [], [], {name: [] for name in tools}
    for page in pages:
        decode_html(page.body)  # warm caches outside the timings
        row = [page.name, f"{len(page.body) / 1024:.0f}"]
        for name, run in tools.items():
            ms = median_ms(run, page, args.min_time)
            totals[name].append(ms)
            row.append(f"{ms:.2f}")
        if len(tools) == 2:
            row.append(f"{float(row[3]) / float(row[2]):.1f}x")
        timing_rows.append(row)
        if page.expected is not None:
            for name, run in tools.items():
                q = quality(run(page), page.expected)
                quality_rows.append([page.name, name, q["title"], q["day"], q["instant"],
                                     q["paragraphs"], q["body"]])
    header = ["page", "KiB", *[f"{n} ms" for n in tools]] + (["speed-up"] if len(tools) == 2
                                                              else [])
    print(f"Median time per page (each tool >= {args.min_time:g} s per page)\n")
    table(timing_rows, header)
    means = "  ".join(f"{n}: mean {statistics.mean(v):.2f} ms, "
                      f"{1000 / statistics.mean(v):.0f} pages/s" for n, v in totals.items())
    print(f"\n{means}\n")
    if quality_rows:
        print("Quality against the expected JSON (real pages)\n")
        table(quality_rows, ["page", "tool", "title", "day", "instant", "paragraphs", "body"])
        print("\nday: publication day; instant: date and time with offset (trafilatura gives "
              "days only);\nparagraphs: expected paragraphs found verbatim; body: word recall "
              "and precision\nagainst the expected paragraphs, or snippets required in / "
              "kept out.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
