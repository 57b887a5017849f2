"""Extraction speed and quality: `extract_article` against trafilatura.

Run by hand from the repository root:

    python benchmarks/extraction.py [--min-time 1.0]

Two sets of pages:

1. the real news pages in ../shared/realpages (read from there, never copied),
   each beside a JSON of what a good extractor finds;
2. the bundled sample sites (`crawler.samples.SampleSites`, served on
   loopback): every article page that is neither robots-forbidden nor off-site
   is fetched once over HTTP, and both tools run on the bytes as served (marsad
   also gets the response charset and the source's hints, as in a crawl). Both
   are scored against the ground truth (`SampleArticle`): title equal after
   white-space squashing; publication date on the same local day (marsad: and
   the same instant within 60 s where the page shows a time; trafilatura gives
   days only; a page that shows no date, dated by its feed in a crawl, scores
   when none is found); body snippets found; boilerplate snippets kept out.

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
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The script's own folder holds benchmarks/storage.py, which would shadow the `storage` package.
sys.path[0] = str(REPO)

from benchmarks.extraction_parts import (  # noqa: E402
    Page,
    Result,
    Tool,
    fetch_samples,
    median_ms,
    ours,
    print_samples,
    run_samples,
    table,
    theirs,
)
from crawler.extract import decode_html  # noqa: E402
from crawler.samples import SampleSites  # noqa: E402
from crawler.text import squash_spaces  # noqa: E402

REALPAGES = REPO.parent / "shared" / "realpages"
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


def real_section(tools: dict[str, Tool], min_time: float) -> None:
    """Times and scores the tools on the real pages against their expected JSON."""
    timing_rows, quality_rows, totals = [], [], {name: [] for name in tools}
    for page in real_pages():
        decode_html(page.body)  # warm caches outside the timings
        row = [page.name, f"{len(page.body) / 1024:.0f}"]
        for name, run in tools.items():
            ms = median_ms(run, page, min_time)
            totals[name].append(ms)
            row.append(f"{ms:.2f}")
        if len(tools) == 2:
            row.append(f"{float(row[3]) / float(row[2]):.1f}x")
        timing_rows.append(row)
        for name, run in tools.items():
            q = quality(run(page), page.expected)
            quality_rows.append([page.name, name, q["title"], q["day"], q["instant"],
                                 q["paragraphs"], q["body"]])
    header = ["page", "KiB", *[f"{n} ms" for n in tools]] + (["speed-up"] if len(tools) == 2
                                                              else [])
    print(f"== Real pages ({REALPAGES})\n")
    print(f"Median time per page (each tool >= {min_time:g} s per page)\n")
    table(timing_rows, header)
    means = "  ".join(f"{n}: mean {statistics.mean(v):.2f} ms, "
                      f"{1000 / statistics.mean(v):.0f} pages/s" for n, v in totals.items())
    print(f"\n{means}\n")
    print("Quality against the expected JSON\n")
    table(quality_rows, ["page", "tool", "title", "day", "instant", "paragraphs", "body"])
    print("\nday: publication day; instant: date and time with offset (trafilatura gives "
          "days only);\nparagraphs: expected paragraphs found verbatim; body: word recall "
          "and precision\nagainst the expected paragraphs, or snippets required in / "
          "kept out.\n")


def samples_section(tools: dict[str, Tool], min_time: float) -> int:
    """Serves the sample sites, fetches their article pages once, times and scores them."""
    with SampleSites() as sites:
        pages, failures = fetch_samples(sites)
    for line in failures:
        print(line)
    if not pages:
        print("no sample article page could be fetched")
        return 1
    for page in pages:
        decode_html(page.body, page.charset)  # warm caches outside the timings
    tallies, misses = run_samples(pages, tools, min_time)
    print(f"== Sample sites: {len(pages)} article pages fetched over HTTP\n")
    print(f"Mean of the per-page median times (each tool >= {min_time:g} s per page); "
          "scores as hits/total\n")
    names = list(tools)
    print_samples(tallies, names)
    print(f"\ntitle: equal after white-space squashing; date: same local day ({names[0]}: "
          "and within 60 s where a time is shown; none for\na page that shows no date);\n"
          "in: body snippets found; out: boilerplate snippets kept out; "
          f"suffix {', '.join(f'{n[0]} = {n}' for n in names)}.")
    print(f"\n{names[0]} misses: " + ("none" if not misses else ""))
    for line in misses:
        print(f"  {line}")
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-time", type=float, default=1.0,
                        help="seconds each tool spends on each page (default 1.0)")
    args = parser.parse_args()
    try:
        import trafilatura  # noqa: F401

        tools: dict[str, Tool] = {"marsad": ours, "trafilatura": theirs}
    except ImportError:
        print("trafilatura is not installed (pip install -e .[bench]): timing marsad only\n")
        tools = {"marsad": ours}
    if REALPAGES.is_dir():
        real_section(tools, args.min_time)
    else:
        print(f"{REALPAGES} is absent: the sample sites only\n")
    return samples_section(tools, args.min_time)


if __name__ == "__main__":
    sys.exit(main())
