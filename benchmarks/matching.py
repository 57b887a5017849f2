"""Work per article as text grows: matching, then the alert's excerpt and its Slack and
email renderings, in time per KB of text.

Run by hand from the repository root:  python benchmarks/matching.py [--repeat N]

Three texts of each size: plain news words that are none of the topic's terms, and the
built-in topic's own terms (its Arabic and its Latin-script, mostly French, terms), once
as paragraphs and once as a single line with no sentence end, where every occurrence is
near many others. Each is measured as the crawl runs it (text capped at
crawl.max_text_size's default, excerpts reading at most EXCERPT_SCAN) and with both caps
lifted, which shows how the algorithms themselves grow.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import crawler.matching as matching  # noqa: E402
from alerts.render import render_html, render_slack, render_text  # noqa: E402
from crawler.config import CrawlSettings, builtin_topics  # noqa: E402
from crawler.matching import Topic, capped_text, match_all  # noqa: E402
from crawler.samples.texts import utf8_size  # noqa: E402
from storage.records import AlertMessage  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000, 5_000_000)
PLAIN = ("Il fera beau demain sur la côte selon la météo, et la saison touristique s'annonce "
         "bonne. الطقس جميل غدا على الساحل حسب النشرة، والموسم السياحي يبدو واعدا.\n\n")
UNCAPPED = 1 << 40


def topic_words(topic: Topic) -> tuple[list[str], list[str]]:
    """The topic's group terms as plain words: Arabic ones, and Latin-script ones."""
    terms = [term.replace("*", "") for group in topic.all_of for term in group]
    arabic = [t for t in terms if any("\u0600" <= c <= "\u06ff" for c in t)]
    return arabic, [t for t in terms if t not in arabic]


def heavy_pieces(topic: Topic, end: str) -> Iterator[str]:
    """Alternating Arabic and French runs of the topic's terms, each run closed by `end`."""
    arabic, latin = topic_words(topic)
    arabic_terms, latin_terms = itertools.cycle(arabic), itertools.cycle(latin)
    while True:
        yield " ".join(f"{next(arabic_terms)} و" for _ in range(20)) + end
        yield " ".join(f"{next(latin_terms)} et le" for _ in range(20)) + end


def text_of(pieces: Iterator[str], size: int) -> str:
    out, total = [], 0
    for piece in pieces:
        if total >= size:
            break
        out.append(piece)
        total += utf8_size(piece)
    return "".join(out)


def texts(topic: Topic, size: int) -> dict[str, str]:
    return {
        "plain": text_of(itertools.repeat(PLAIN), size),
        "terms, paragraphs": text_of(heavy_pieces(topic, ".\n\n"), size),
        "terms, one line": text_of(heavy_pieces(topic, " "), size),
    }


def best(call: Callable[[], object], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return min(timings)


def measure(topics: tuple[Topic, ...], text: str, limit: int, matched: tuple[str, ...],
            repeat: int) -> tuple[float, float, int]:
    """(matching seconds, rendering seconds, terms matched) for one article."""

    def run_match() -> list:
        read, _ = capped_text(text, limit)
        return match_all(topics, title="", text=read, language=None)

    found = run_match()
    terms = tuple(sorted({t for m in found for t in m.matched})) or matched
    alert = AlertMessage(alert_id=1, story="s", channel="slack", topic=topics[0].name,
                         title="Titre", url="https://example.ma/1.html", source="hespress",
                         published=None, language=None, text=text, matched=terms)

    def run_render() -> None:
        render_slack(alert)
        render_html(alert)
        render_text(alert)

    return best(run_match, repeat), best(run_render, repeat), len(found[0].matched if found
                                                                   else ())


def table(topics: tuple[Topic, ...], capped: bool, repeat: int) -> None:
    limit = CrawlSettings().max_text_size if capped else UNCAPPED
    matching.EXCERPT_SCAN = limit if capped else UNCAPPED
    title = (f"capped: matching reads {limit // 1024} KB, excerpts {matching.EXCERPT_SCAN // 1024}"
             " KB" if capped else "caps lifted: the whole text is read")
    print(f"\n== {title}")
    print(f"{'size':>8}  {'text':<18}{'hits':>5}{'match µs/KB':>13}{'render µs/KB':>14}"
          f"{'total µs/KB':>13}{'total ms':>10}")
    sample = match_all(topics, title="", text=texts(topics[0], 10_000)["terms, paragraphs"])
    matched = tuple(sample[0].matched) if sample else ()
    for size in SIZES:
        for name, text in texts(topics[0], size).items():
            kb = utf8_size(text) / 1024
            spent, shown, hits = measure(topics, text, limit, matched,
                                         repeat if size < 1_000_000 else max(1, repeat - 1))
            total = spent + shown
            print(f"{size // 1000:>6}KB  {name:<18}{hits:>5}{spent / kb * 1e6:>13.1f}"
                  f"{shown / kb * 1e6:>14.1f}{total / kb * 1e6:>13.1f}{total * 1e3:>10.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    args = parser.parse_args()
    topics = builtin_topics()
    scan = matching.EXCERPT_SCAN
    for text in texts(topics[0], 10_000).values():  # warm the caches: compiled topics, folds
        measure(topics, text, UNCAPPED, (), 1)
    try:
        table(topics, capped=True, repeat=args.repeat)
        table(topics, capped=False, repeat=args.repeat)
    finally:
        matching.EXCERPT_SCAN = scan
    print("\nhits: distinct terms of the match; µs/KB: per KB of the article's whole text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
