"""Precision, recall and speed of the built-in topic on labelled news.

Run by hand from the repository root:  python benchmarks/topics.py [--verbose]
Reads tests/matching/labelled.jsonl, ../shared/realtext/dev.jsonl (real press
excerpts, read in place: they are third-party text and stay out of the repository) and
the articles of the bundled sample sites (labelled by their data files).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler import clock  # noqa: E402
from crawler.config import builtin_topics  # noqa: E402
from crawler.matching import Topic, match  # noqa: E402
from crawler.samples.catalog import build_world  # noqa: E402

LABELLED = ROOT / "tests" / "matching" / "labelled.jsonl"
DEV = ROOT.parent / "shared" / "realtext" / "dev.jsonl"


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def sample_rows() -> list[dict]:
    """The sample sites' articles as labelled rows, straight from their data."""
    world = build_world(clock.now())
    return [
        {
            "id": a.key,
            "language": a.language,
            "label": int(a.on_topic),
            "title": a.title,
            "text": a.text,
            "why": "sample site " + a.site,
        }
        for site in world.sites.values()
        for a in site.articles()
    ]


def figures(pairs: Sequence[tuple[int, bool]]) -> tuple[float, float, float, int]:
    """(precision, recall, F1, count) of (label, predicted) pairs."""
    tp = sum(1 for label, hit in pairs if label and hit)
    fp = sum(1 for label, hit in pairs if not label and hit)
    fn = sum(1 for label, hit in pairs if label and not hit)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, len(pairs)


def report(name: str, rows: list[dict], topic: Topic, verbose: bool) -> None:
    print(f"\n== {name} ({len(rows)} articles)")
    results = []
    for row in rows:
        found = match(topic, title=row.get("title", ""), text=row["text"], language=row["language"])
        results.append((row, found))
    print(f"{'language':<10}{'n':>5}{'precision':>11}{'recall':>8}{'F1':>7}")
    for language in ("ar", "fr", "en", None):
        pairs = [
            (r["label"], m is not None) for r, m in results if language in (None, r["language"])
        ]
        if not pairs:
            continue
        p, r, f, n = figures(pairs)
        print(f"{language or 'all':<10}{n:>5}{p:>11.3f}{r:>8.3f}{f:>7.3f}")
    wrong = [(r, m) for r, m in results if r["label"] != (m is not None)]
    print("misclassified:", " ".join(r["id"] for r, _ in wrong) or "none")
    if verbose:
        for row, found in wrong:
            kind = "false positive" if found else "false negative"
            detail = f"score={found.score} matched={found.matched}" if found else ""
            print(f"  {row['id']} {kind}: {row.get('why', '')} {detail}")


def speed(topic: Topic, rows: list[dict]) -> None:
    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        for row in rows:
            match(topic, title=row.get("title", ""), text=row["text"])
    elapsed = time.perf_counter() - start
    print(f"\nspeed: {rounds * len(rows) / elapsed:,.0f} articles/s (labelled articles, ~400 B)")
    for language in ("ar", "fr"):
        # A 5 KB article (UTF-8) made of this language's labelled texts, paragraph by
        # paragraph, then the same as one block (read as runs of sentences).
        body = "\n".join(r["text"] for r in rows if r["language"] == language)
        body = body.encode()[:5000].decode(errors="ignore")
        for shape, text in (("paragraphs", body), ("one block", body.replace("\n", " "))):
            runs = 300
            best = float("inf")
            for _ in range(5):  # best of five batches: the least disturbed by other processes
                start = time.perf_counter()
                for _ in range(runs):
                    match(topic, title="", text=text)
                best = min(best, (time.perf_counter() - start) / runs)
            print(
                f"speed: {best * 1e3:.3f} ms per 5 KB {language} article, {shape} "
                f"({len(text)} characters)"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="explain each misclassification")
    args = parser.parse_args()
    topic = next(t for t in builtin_topics() if t.name == "morocco-france-security")
    labelled = read_jsonl(LABELLED)
    report("labelled (tests/matching/labelled.jsonl)", labelled, topic, args.verbose)
    if DEV.exists():
        report("dev (../shared/realtext/dev.jsonl)", read_jsonl(DEV), topic, args.verbose)
    else:
        print(f"\n{DEV} is absent: dev figures skipped")
    report("sample sites (crawler/samples/data)", sample_rows(), topic, args.verbose)
    speed(topic, labelled)
    return 0


if __name__ == "__main__":
    sys.exit(main())
