"""Archive throughput: store 5,000 articles (a third of them syndicated copies), then search.

Run: python benchmarks/storage.py [COUNT]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

# This file is itself named "storage": put the repository first so the package wins.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage import Archive
from storage.records import ArticleRecord, ReadAlsoLink, TopicMatchRecord

WORDS = ("المغرب فرنسا الأمن التعاون الرباط باريس المديرية العامة الوطني الشرطة "
         "Maroc France sécurité coopération Rabat Paris police direction générale").split()


def body(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(150, 600)))


def main(count: int = 5000) -> None:
    rng = random.Random(7)
    texts: list[str] = []
    articles = []
    for number in range(count):
        syndicated = texts and number % 3 == 0
        text = rng.choice(texts) if syndicated else body(rng)
        texts.append(text)
        articles.append(ArticleRecord(
            url=f"https://site{number % 12}.ma/{number}.html?utm_source=x",
            source=f"site{number % 12}", title=" ".join(rng.sample(WORDS, 6)), text=text,
            discovered_via="listing", fetched_at="2025-04-20T09:00:00+00:00",
            read_also=tuple(ReadAlsoLink(f"https://site1.ma/{rng.randrange(count)}.html")
                            for _ in range(3)),
        ))
    match = TopicMatchRecord("morocco-france-security", 3.0, ("المغرب", "فرنسا", "الأمن"))
    with tempfile.TemporaryDirectory() as folder, Archive(Path(folder) / "bench.db") as archive:
        started = time.perf_counter()
        stories = 0
        for article in articles:
            result = archive.store_article(article, matches=[match],
                                           alerts=[(match.topic, "email")])
            stories += result.new_story
        elapsed = time.perf_counter() - started
        print(f"stored {count} articles ({stories} stories) in {elapsed:.2f} s: "
              f"{count / elapsed:.0f} articles/s")
        started = time.perf_counter()
        for query in ("الامن", "securite AND maroc", '"direction generale"', "coop*"):
            archive.search(query, limit=20)
        print(f"4 searches in {(time.perf_counter() - started) * 1000:.1f} ms")
        started = time.perf_counter()
        exported = sum(1 for _ in archive.export_articles())
        print(f"exported {exported} articles in {time.perf_counter() - started:.2f} s")
        size = (Path(folder) / "bench.db").stat().st_size
        print(f"database size {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
