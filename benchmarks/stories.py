"""Story placement at scale: store_article with 10k, 100k and 1M articles already stored.

Run by hand from the repository root:

    python3 benchmarks/stories.py [--sizes 10000,100000,1000000] [--probe 500]

One archive grows through the sizes. At each size:

1. fill (a child process): articles are added with plain SQL, one transaction per
   50,000 articles, up to the size: synthetic French- and Arabic-like bodies of
   300-600 words with Zipf-like word frequencies (benchmarks/stories_parts.py), each
   with its story, aliases, some read-also links, topic matches and alerts, and its
   story_bands rows. story_text is measured first; when computing it for every
   article would take longer than --features-budget seconds, it is computed for one
   article in N only, and the others get random signed 64-bit band values (band
   values are hashes), as many rows as story_text gives for a body of their length.
   Full-text rows (~0.45 ms each, 8 minutes for a million) are filled only with
   --fill-fts; the probe articles always get theirs from store_article;
2. probe (another child process, so that its peak RSS is store_article's alone):
   --probe articles stored through Archive.store_article in batches of 50 as the
   crawl stores them: ~70% new stories, ~20% wire copies of a stored article
   (dateline, a paragraph dropped, a word changed), ~10% follow-ups (a new lead,
   then a stored article's text), originals drawn from the articles whose band
   values story_text computed. Timed (wall and CPU): the whole store_article; apart,
   story placement (stories.place + stories.settle) and in it story_text, the band
   lookups (story_index.find) and the band rows added (story_index.add); the
   full-text row; each batch's commit, and one batch's commit taken apart (pages
   written, WAL write, checkpoint). Then the query plans of every statement
   store_article ran;
3. the archive's size per article after a checkpoint, and each table's share (dbstat).

The archive is read warm: the fill has just written it, so the OS holds it in memory.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import math
import os
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
# The script's own folder holds benchmarks/storage.py, which would shadow the `storage` package.
sys.path[0] = str(REPO)

from benchmarks.stories_parts import SOURCES, Article, Corpus, follow_up, wire_copy  # noqa: E402
from crawler.urls import normalize_url, url_key  # noqa: E402
from storage.stories import story_key_for  # noqa: E402
from storage.story_index import MAX_CHUNKS  # noqa: E402
from storage.story_text import BANDS, story_text  # noqa: E402

FILL_BATCH = 50_000  # articles per fill transaction
FILL_CACHE_KIB = 1_000_000  # the fill's page cache: a batch's band rows touch most of the index
CRAWL_BATCH = 50  # store_article calls per commit, as crawler.pipelines.store
WARMUP = 10  # probe articles stored first and not counted: statements prepared, caches warm
# Bodies run through story_text before the probe: its word-hash cache then holds the
# corpus vocabulary at every size, as in a crawl that has run for a while.
VOCABULARY_WARMUP = 300
PLAN_PROBES = 20  # probe articles stored under a statement trace, for the query plans
TOPIC = "morocco-france-security"
START = datetime(2024, 1, 1, tzinfo=UTC)
STEP = timedelta(seconds=60)  # one article a minute: 1M articles span two years
MIX = {"new": 0.7, "copy": 0.2, "follow_up": 0.1}


# -- identity and dates of article number n ---------------------------------------------

def source_of(article_id: int) -> str:
    return SOURCES[article_id * 7 % len(SOURCES)]


def url_of(article_id: int) -> tuple[str, str]:
    """(URL, url_key) of article n: computed, not parsed, for speed; checked per batch."""
    path = f"{source_of(article_id)}.ma/actualites/{article_id}-article.html"
    return f"https://www.{path}", path


def alias_of(article_id: int) -> tuple[str, str]:
    host = f"{source_of(article_id)}.ma"
    return f"https://{host}/?p={article_id}", f"{host}/?p={article_id}"


def time_of(article_id: int) -> str:
    return (START + STEP * article_id).isoformat(timespec="seconds")


# -- fill ---------------------------------------------------------------------------------

def fill(database: Path, target: int, every: int, seed: int, fts: bool) -> dict[str, Any]:
    """Add articles with plain SQL until the archive holds `target`; their full-text
    rows only with `fts`."""
    # The fill holds millions of objects: garbage collections would walk them all, over
    # and over (story_text's allocations trigger them), for no cycle to free.
    gc.disable()
    corpus = Corpus(seed)
    # Each step draws from a stream of its own: a probe must not repeat a filled article.
    rng = np.random.default_rng([seed, 1, target])
    conn = sqlite3.connect(database, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")  # a throwaway archive: no crash safety needed
    conn.execute(f"PRAGMA cache_size = -{FILL_CACHE_KIB}")
    stored, last = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM articles").fetchone()
    todo = max(0, target - stored)
    spent: Counter[str] = Counter()
    ratios: list[float] = []  # chunks per word of the bodies whose features were computed
    real = synthetic = real_rows = synthetic_rows = 0
    feature_seconds = 0.0
    started = time.perf_counter()
    for first in range(last + 1, last + 1 + todo, FILL_BATCH):
        ids = range(first, min(first + FILL_BATCH, last + 1 + todo))
        clock = time.perf_counter()
        articles = corpus.articles(rng, len(ids), folded=fts)
        spent["generate"] += time.perf_counter() - clock

        clock, cpu = time.perf_counter(), time.process_time()
        band_parts: list[np.ndarray] = []
        owner_parts: list[np.ndarray] = []
        pending: list[tuple[int, int]] = []  # (article id, body words): random bands
        for article_id, article in zip(ids, articles, strict=True):
            if article_id % every == 0 or len(ratios) < 20:
                features = story_text(article.title, article.text)
                values = {band for chunk in features.bands[:MAX_CHUNKS] for band in chunk}
                band_parts.append(np.fromiter(values, dtype=np.int64, count=len(values)))
                owner_parts.append(np.full(len(values), article_id, dtype=np.int64))
                ratios.append(len(features.bands[:MAX_CHUNKS]) / max(1, features.words))
                real += 1
                real_rows += len(values)
            else:
                pending.append((article_id, article.words))
        feature_seconds += time.process_time() - cpu
        spent["story_text (sample)"] += time.perf_counter() - clock
        clock = time.perf_counter()
        if pending:
            words = np.array([w for _, w in pending])
            chunks = np.clip(np.rint(words * rng.choice(ratios, size=len(words))), 1,
                             MAX_CHUNKS).astype(np.int64)
            counts = chunks * BANDS
            band_parts.append(rng.integers(-2**63, 2**63 - 1, size=int(counts.sum()),
                                           dtype=np.int64, endpoint=True))
            owner_parts.append(np.repeat(np.array([i for i, _ in pending]), counts))
            synthetic += len(pending)
            synthetic_rows += int(counts.sum())
        bands, owners = np.concatenate(band_parts), np.concatenate(owner_parts)
        order = np.lexsort((owners, bands))  # in key order: each index page is written once
        bands, owners = bands[order], owners[order]
        spent["random bands"] += time.perf_counter() - clock

        _check_identity(ids[0])
        conn.execute("BEGIN")
        _insert_rows(conn, ids, articles, rng, spent)
        if fts:
            clock = time.perf_counter()
            conn.executemany("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
                             ((i, a.folded_title, a.folded_text)
                              for i, a in zip(ids, articles, strict=True)))
            spent["SQL: full-text rows"] += time.perf_counter() - clock
        clock = time.perf_counter()
        for at in range(0, len(bands), 1_000_000):
            conn.executemany(
                "INSERT OR IGNORE INTO story_bands (band, article_id) VALUES (?, ?)",
                zip(bands[at:at + 1_000_000].tolist(), owners[at:at + 1_000_000].tolist(),
                    strict=True))
        spent["SQL: story_bands rows"] += time.perf_counter() - clock
        clock = time.perf_counter()
        conn.execute("COMMIT")
        spent["SQL: commit"] += time.perf_counter() - clock
        done = ids[-1] - last
        elapsed = time.perf_counter() - started
        print(f"  fill: {stored + done:,}/{target:,} articles, {elapsed:.0f} s "
              f"({done / elapsed:,.0f} articles/s)", flush=True)
    clock = time.perf_counter()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    spent["checkpoint"] += time.perf_counter() - clock
    conn.close()
    return {
        "added": todo, "seconds": time.perf_counter() - started, "spent": dict(spent),
        "real": real, "synthetic": synthetic,
        "real_rows": real_rows / max(1, real), "synthetic_rows": synthetic_rows / max(1, synthetic),
        "story_text_ms": 1000 * feature_seconds / max(1, real),  # CPU time
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _check_identity(article_id: int) -> None:
    """The computed URLs and keys are what store_article itself would derive."""
    for url, key in (url_of(article_id), alias_of(article_id)):
        assert (normalize_url(url), url_key(url)) == (url, key), (url, key)


def _insert_rows(conn: sqlite3.Connection, ids: range, articles: list[Article],
                 rng: np.random.Generator, spent: Counter[str]) -> None:
    clock = time.perf_counter()
    stories, rows, aliases, links, matches, alerts = [], [], [], [], [], []
    for article_id, article in zip(ids, articles, strict=True):
        url, key = url_of(article_id)
        when = time_of(article_id)
        story = story_key_for(key)
        stories.append((story, when))
        rows.append((article_id, url, key, source_of(article_id), article.title, article.text,
                     when, article.language, "listing", when, story, when))
        aliases.append((key, article_id, url))
        draw = rng.random()
        if draw < 0.2:  # also seen under its short link
            alias_url, alias_key = alias_of(article_id)
            aliases.append((alias_key, article_id, alias_url))
        if draw < 0.3 and article_id > 10:  # read-also links to earlier articles
            for target in rng.integers(1, article_id, size=2).tolist():
                links.append((article_id, *url_of(target)))
        if draw > 0.95:  # matched a topic, and its story's alert went out
            matches.append((article_id, TOPIC, 3.0, '["maroc", "france"]'))
            alerts.append((story, "email", TOPIC, article_id, when, when, when))
    spent["SQL rows: build"] += time.perf_counter() - clock
    clock = time.perf_counter()
    conn.executemany("INSERT OR IGNORE INTO stories (key, created_at) VALUES (?, ?)", stories)
    conn.executemany(
        """INSERT INTO articles (id, url, url_key, source, title, text, published, language,
               discovered_via, fetched_at, story, event_time)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows)
    conn.executemany("INSERT OR IGNORE INTO aliases (key, article_id, url) VALUES (?, ?, ?)",
                     aliases)
    conn.executemany("INSERT OR IGNORE INTO read_also (from_id, to_url, to_key) "
                     "VALUES (?, ?, ?)", links)
    conn.executemany("INSERT INTO topic_matches (article_id, topic, score, matched) "
                     "VALUES (?, ?, ?, ?)", matches)
    conn.executemany(
        """INSERT OR IGNORE INTO alerts (story, channel, topic, article_id, status, attempts,
               created_at, next_attempt_at, sent_at)
           VALUES (?, ?, ?, ?, 'sent', 1, ?, ?, ?)""", alerts)
    spent["SQL: articles, stories, aliases, links"] += time.perf_counter() - clock


# -- probe --------------------------------------------------------------------------------

def _timed(spent: Counter[str], name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        clock = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - clock
    return timed


def _instrument(spent: Counter[str]) -> None:
    """Time the parts of store_article by wrapping the module functions it calls."""
    import storage.articles
    import storage.stories
    import storage.story_index

    storage.stories.place = _timed(spent, "place", storage.stories.place)
    storage.stories.settle = _timed(spent, "settle", storage.stories.settle)
    # story_text as stories calls it: the new article's features, and candidates' not cached.
    storage.stories.story_text = _timed(spent, "features", storage.stories.story_text)
    storage.story_index.find = _timed(spent, "find", storage.story_index.find)
    storage.story_index.add = _timed(spent, "add", storage.story_index.add)
    if hasattr(storage.articles, "_index"):  # the full-text row
        storage.articles._index = _timed(spent, "fts", storage.articles._index)


def _probe_articles(corpus: Corpus, rng: np.random.Generator, conn: sqlite3.Connection,
                    count: int, every: int, kinds: list[str]) -> list[dict[str, Any]]:
    from storage.records import ArticleRecord, ReadAlsoLink

    last = conn.execute("SELECT max(id) FROM articles").fetchone()[0]
    probes = []
    for number, kind in enumerate(kinds[:count], last + 1):
        source = SOURCES[int(rng.integers(len(SOURCES)))]
        links: tuple[ReadAlsoLink, ...] = ()
        story = None  # the original's story, for a copy or a follow-up
        if kind == "new":
            article = corpus.article(rng)
            title, text, language = article.title, article.text, article.language
            if rng.random() < 0.5:
                links = tuple(ReadAlsoLink(url_of(int(target))[0])
                              for target in rng.integers(1, last + 1, size=2))
        else:
            # Originals among the articles whose band values story_text computed.
            original = every * int(rng.integers(1, last // every + 1))
            title, text, story, original_source, language = conn.execute(
                "SELECT title, text, story, source, language FROM articles WHERE id = ?",
                (original,)).fetchone()
            while source == original_source:  # a copy comes from another site
                source = SOURCES[int(rng.integers(len(SOURCES)))]
            edit = wire_copy if kind == "copy" else follow_up
            title, text = edit(corpus.languages[language], rng, title, text)
        probes.append({
            "kind": kind, "story": story, "matched": bool(rng.random() < 0.2),
            "record": ArticleRecord(
                url=f"https://www.{source}.ma/depeches/{number}-{kind}.html", source=source,
                title=title, text=text, discovered_via="listing", fetched_at=time_of(number),
                language=language, read_also=links),
        })
    return probes


def _bands_still_match(conn: sqlite3.Connection, every: int) -> list[int]:
    """[found, wanted]: are the filled articles' band rows what story_text computes now?
    (Its hashing may change between the fill and the probe.) Looked up band by band:
    story_bands has no index by article."""
    found = wanted = 0
    for article_id in range(every, 6 * every, every):
        row = conn.execute("SELECT title, text FROM articles WHERE id = ?",
                           (article_id,)).fetchone()
        if row is None:
            break
        for band in {b for chunk in story_text(*row).bands[:MAX_CHUNKS] for b in chunk}:
            wanted += 1
            found += conn.execute("SELECT count(*) FROM story_bands WHERE band = ? AND "
                                  "article_id = ?", (band, article_id)).fetchone()[0]
    return [found, wanted]


def source_digest() -> str:
    """Of the code under measure, as this process imported it: others may edit it."""
    files = [*sorted((REPO / "storage").glob("*.py")), REPO / "crawler" / "text.py"]
    return hashlib.sha256(b"".join(path.read_bytes() for path in files)).hexdigest()[:12]


def probe(database: Path, count: int, every: int, seed: int) -> dict[str, Any]:
    """Store `count` articles through store_article and time them."""
    from storage import Archive
    from storage.records import TopicMatchRecord

    source = source_digest()

    corpus = Corpus(seed)
    spent: Counter[str] = Counter()
    _instrument(spent)
    match = TopicMatchRecord(TOPIC, 3.0, ("maroc", "france"))
    with Archive(database) as archive:
        conn = archive.db.conn
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        bands_match = _bands_still_match(conn, every)
        rng = np.random.default_rng([seed, 2, stored])
        for article in corpus.articles(rng, VOCABULARY_WARMUP):
            story_text(article.title, article.text)
        kinds = ["new"] * WARMUP + rng.choice(list(MIX), p=list(MIX.values()),
                                              size=count + PLAN_PROBES).tolist()
        probes = _probe_articles(corpus, rng, conn, len(kinds) - PLAN_PROBES, every, kinds)
        times: dict[str, list[list[float]]] = defaultdict(list)
        commits: list[float] = []
        results = []
        archive.begin_batch()
        for position, item in enumerate(probes, 1):
            spent.clear()
            clock, cpu = time.perf_counter(), time.process_time()
            result = archive.store_article(
                item["record"], matches=[match] if item["matched"] else [],
                alerts=[(TOPIC, "email")] if item["matched"] else [])
            total, cpu = time.perf_counter() - clock, time.process_time() - cpu
            if position > WARMUP:
                # CPU time too: on a shared machine, wall time also counts waiting for a core.
                times[item["kind"]].append([total, spent["place"] + spent["settle"],
                                            spent["features"], spent["find"], spent["add"],
                                            spent["fts"], cpu])
                results.append((item, result))
            if position % CRAWL_BATCH == 0:
                clock = time.perf_counter()
                archive.commit_batch()
                commits.append(time.perf_counter() - clock)
                archive.begin_batch()
        clock = time.perf_counter()
        archive.commit_batch()
        commits.append(time.perf_counter() - clock)
        checks = _check_placements(conn, results)
        anatomy = _commit_anatomy(archive, _probe_articles(corpus, rng, conn, CRAWL_BATCH,
                                                           every, kinds[WARMUP:]))

        # A few more under a statement trace: the query plans of what store_article runs.
        statements: list[str] = []
        plan_probes = _probe_articles(corpus, rng, conn, PLAN_PROBES, every,
                                      kinds[-PLAN_PROBES:])
        conn.set_trace_callback(statements.append)
        archive.begin_batch()
        for item in plan_probes:
            archive.store_article(item["record"])
        archive.commit_batch()
        conn.set_trace_callback(None)
        plans = query_plans(conn, statements)
    return {
        "stored": stored, "times": times, "commit": sum(commits) / len(probes),
        "anatomy": anatomy, "checks": checks,
        "bands_match": bands_match, "source": source,
        "plans": plans, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _commit_anatomy(archive: Any, probes: list[dict[str, Any]]) -> dict[str, float]:
    """One more batch, its commit taken apart: the pages it writes to the WAL, and the
    checkpoint that copies them into the archive (which the commit itself runs, once
    the WAL holds more than 1,000 pages)."""
    conn = archive.db.conn
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # an empty WAL: its frames are this batch's
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        archive.begin_batch()
        for item in probes:
            archive.store_article(item["record"])
        clock = time.perf_counter()
        archive.commit_batch()
        written = time.perf_counter() - clock
        clock = time.perf_counter()
        _, frames, _ = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        checkpoint = time.perf_counter() - clock
    finally:
        conn.execute("PRAGMA wal_autocheckpoint = 1000")  # SQLite's default, as the archive has
    return {"pages": frames / len(probes), "wal_ms": 1000 * written / len(probes),
            "checkpoint_ms": 1000 * checkpoint / len(probes)}


def _check_placements(conn: sqlite3.Connection, results: list) -> dict[str, list[int]]:
    """Did each probe land where it should: a copy in its original's story, a follow-up
    in a new story that follows the original's, a new article in a story of its own?"""
    checks: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item, result in results:
        kind = item["kind"]
        if kind == "copy":
            good = result.story == item["story"]
        elif kind == "follow_up":
            follows = conn.execute("SELECT follows FROM stories WHERE key = ?",
                                   (result.story,)).fetchone()[0]
            good = result.new_story and follows == item["story"]
        else:
            good = result.new_story
        checks[kind][0] += int(good)
        checks[kind][1] += 1
    return dict(checks)


_LITERAL = re.compile(r"'(?:[^']|'')*'|(?<![\w.])-?\d+(?:\.\d+)?")
_LIST = re.compile(r"\((?:\?, ?)+\?\)")


def query_plans(conn: sqlite3.Connection, statements: list[str]) -> list[list[Any]]:
    """EXPLAIN QUERY PLAN of each distinct statement that reads a table (plain
    INSERT ... VALUES aside); statements of SQLite's own (FTS5's) are left out."""
    plans: dict[str, list[str]] = {}
    for sql in statements:
        shape = _LIST.sub("(?, …)", " ".join(_LITERAL.sub("?", sql).split()))
        head = shape.split(" ", 1)[0].upper()
        if (sql.startswith("--") or shape in plans
                or head not in ("SELECT", "UPDATE", "DELETE", "INSERT", "WITH")
                or (head == "INSERT" and " SELECT " not in shape.upper())):
            continue
        plans[shape] = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
    return [[shape, plan] for shape, plan in plans.items()]


def scans(plan: list[str]) -> list[str]:
    """Plan steps that read a whole table or index: what grows with the archive. (A
    temporary B-tree sorts only the rows found; "VIRTUAL TABLE INDEX 0:=" is FTS5's
    lookup by rowid.)"""
    return [step for step in plan
            if re.match(r"SCAN (?!CONSTANT ROW)", step) and ":=" not in step]


# -- measurements -------------------------------------------------------------------------

def archive_size(database: Path) -> dict[str, Any]:
    """File size per article after a checkpoint, and each part's share (dbstat)."""
    conn = sqlite3.connect(database)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        count = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        size = sum(path.stat().st_size for path in (database, Path(f"{database}-wal"))
                   if path.exists())
        table_of = dict(conn.execute("SELECT name, tbl_name FROM sqlite_master"))
        parts: Counter[str] = Counter()
        try:
            # Summed here, not with dbstat's aggregate = TRUE: its 32-bit sum wraps
            # past 2 GB (SQLite 3.40), as the articles table does at a million articles.
            rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name")
            for name, pages in rows:
                table = table_of.get(name, name)
                parts["articles_fts" if table.startswith("articles_fts") else table] += pages
        except sqlite3.OperationalError:  # SQLite built without dbstat
            parts.clear()
    finally:
        conn.close()
    return {"count": count, "bytes": size, "parts": dict(parts)}


def measure_story_text(corpus: Corpus, seed: int) -> dict[str, float]:
    """story_text alone: ms per body as the fill generates them, and articles/s on 5 KB."""
    rng = np.random.default_rng([seed, 3])
    typical = corpus.articles(rng, 300)
    clock = time.perf_counter()
    for article in typical:
        story_text(article.title, article.text)
    typical_ms = 1000 * (time.perf_counter() - clock) / len(typical)
    sized = [corpus.languages[name].sized(rng, 5000) for name in ("ar", "fr") * 100]
    clock = time.perf_counter()
    for article in sized:
        story_text(article.title, article.text)
    rate = len(sized) / (time.perf_counter() - clock)
    return {"typical_ms": typical_ms, "typical_kb": statistics.mean(
        len(a.text.encode()) for a in typical) / 1000, "rate_5kb": rate,
        "kb_5kb": statistics.mean(len(a.text.encode()) for a in sized) / 1000}


# -- the run ------------------------------------------------------------------------------

def run_child(*args: object) -> dict[str, Any]:
    """Run one step in a child process; its progress lines are passed through."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *map(str, args)]
    result = None
    with subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("{"):
                result = json.loads(line)
            else:
                print(line, end="", flush=True)
    if process.returncode != 0 or result is None:
        sys.exit(f"{args[0]} step failed (exit {process.returncode})")
    return result


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def _ms(values: list[float]) -> tuple[float, float]:
    """(median, p95) in ms."""
    return 1000 * statistics.median(values), 1000 * percentile(values, 0.95)


def _mb(size: float) -> str:
    return f"{size / 1e9:.2f} GB" if size >= 1e9 else f"{size / 1e6:.1f} MB"


def report_stage(size: int, filled: dict, probed: dict, disk: dict, show_plans: bool
                 ) -> dict[str, Any]:
    print(f"\n== {probed['stored']:,} articles stored ==")
    if filled["added"]:
        spent = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in filled["spent"].items())
        print(f"fill: +{filled['added']:,} articles in {filled['seconds']:.0f} s ({spent})\n"
              f"  band values: story_text's for {filled['real']:,} articles "
              f"({filled['real_rows']:.1f} rows each, {filled['story_text_ms']:.2f} CPU ms each), "
              f"random for {filled['synthetic']:,} ({filled['synthetic_rows']:.1f} rows each);"
              f" fill process peak RSS {filled['rss_mb']:,.0f} MB")
    rows = [value for kind in MIX for value in probed["times"].get(kind, [])]
    count = len(rows)
    columns = list(zip(*rows, strict=True))
    kinds = ", ".join(f"{len(probed['times'].get(kind, []))} {kind}" for kind in MIX)
    print(f"probe: {count} articles ({kinds}) through store_article, in batches of "
          f"{CRAWL_BATCH} as the crawl stores them, after {WARMUP} not counted")
    print(f"  {'ms per article':40}{'median':>8}{'p95':>8}")
    labels = ("store_article (whole)", "  story placement (place + settle)",
              "    story_text (new article, candidates)", "    band lookups (story_index.find)",
              "    band rows added (story_index.add)", "  full-text row",
              "store_article, CPU time")
    for label, values in zip(labels, columns, strict=True):
        median, p95 = _ms(list(values))
        print(f"  {label:40}{median:8.2f}{p95:8.2f}")
    print(f"  {'commit of each batch, per article':40}{1000 * probed['commit']:8.2f}")
    anatomy = probed["anatomy"]
    print(f"    one batch apart: {anatomy['pages']:.0f} pages written per article, "
          f"{anatomy['wal_ms']:.2f} ms to the WAL + {anatomy['checkpoint_ms']:.2f} ms to "
          "checkpoint them, per article")
    for kind in MIX:
        values = probed["times"].get(kind, [])
        if values:
            whole, placement = _ms([v[0] for v in values]), _ms([v[1] for v in values])
            print(f"  {kind:12} store_article {whole[0]:6.2f} / {whole[1]:6.2f}   placement "
                  f"{placement[0]:6.2f} / {placement[1]:6.2f}  (median / p95 ms)")
    found, wanted = probed["bands_match"]
    if found < wanted:
        print(f"  WARNING: only {found} of {wanted} band values of filled articles are what "
              "storage.story_text computes now (changed since the fill?): copies and "
              "follow-ups of them cannot be found")
    checks = probed["checks"]
    print("  placed as expected: " + ", ".join(
        f"{kind} {good}/{total}" for kind, (good, total) in checks.items()) +
        " (copy: in its original's story; follow_up: a new story following the original's;"
        " new: a story of its own)")
    flagged = [(shape, steps) for shape, plan in probed["plans"] if (steps := scans(plan))]
    print(f"  query plans of the {len(probed['plans'])} distinct statements store_article ran: "
          + ("each one an index search" if not flagged else f"{len(flagged)} read a whole "
             "table or index:"))
    for shape, plan in (probed["plans"] if show_plans else flagged):
        print(f"    {shape[:160]}\n      " + "; ".join(plan))
    print(f"  probe process peak RSS: {probed['rss_mb']:.0f} MB")
    parts = disk["parts"]
    per_article = disk["bytes"] / disk["count"]
    line = f"archive: {_mb(disk['bytes'])} for {disk['count']:,} articles, " \
           f"{per_article / 1000:.1f} KB per article"
    if parts:
        total = sum(parts.values())
        shares = ", ".join(f"{name} {100 * pages / total:.0f}%" for name, pages in
                           sorted(parts.items(), key=lambda item: -item[1])[:5])
        line += (f"; story_bands {parts.get('story_bands', 0) / disk['count'] / 1000:.2f} KB "
                 f"per article. Shares: {shares}")
    print(line, flush=True)
    whole = _ms(list(columns[0]))
    placement = _ms(list(columns[1]))
    return {"stored": probed["stored"], "whole": whole, "placement": placement,
            "features": _ms(list(columns[2]))[0], "find": _ms(list(columns[3]))[0],
            "add": _ms(list(columns[4]))[0], "fts": _ms(list(columns[5]))[0],
            "cpu": _ms(list(columns[6])), "source": probed["source"],
            "rss": probed["rss_mb"], "per_article": per_article,
            "commit": 1000 * probed["commit"], "pages": probed["anatomy"]["pages"],
            "bands": parts.get("story_bands", 0) / sum(parts.values()) if parts else None}


def summary(stages: list[dict[str, Any]], text: dict[str, float], fts: dict[str, float],
            fill_fts: bool, command: str) -> None:
    print("\n== summary: ms per article, median/p95 (one value: median) ==")
    heads = ("stored", "store_article", "CPU", "placement", "story_text", "lookups",
             "band rows", "FTS row", "commit", "pages", "peak RSS", "KB/article", "story_bands")
    widths = (10, 14, 12, 14, 11, 8, 10, 8, 7, 6, 9, 11, 12)
    print(" ".join(f"{head:>{width}}" for head, width in zip(heads, widths, strict=True)))
    for stage in stages:
        cells = (f"{stage['stored']:,}", "{:.2f}/{:.2f}".format(*stage["whole"]),
                 "{:.2f}/{:.2f}".format(*stage["cpu"]), "{:.2f}/{:.2f}".format(*stage["placement"]),
                 f"{stage['features']:.2f}", f"{stage['find']:.2f}", f"{stage['add']:.2f}",
                 f"{stage['fts']:.2f}", f"{stage['commit']:.2f}", f"{stage['pages']:.0f}",
                 f"{stage['rss']:.0f} MB",
                 f"{stage['per_article'] / 1000:.1f}",
                 f"{100 * stage['bands']:.0f}%" if stage["bands"] is not None else "n/a")
        print(" ".join(f"{cell:>{width}}" for cell, width in zip(cells, widths, strict=True)))
    if len({stage["source"] for stage in stages}) > 1:
        print("WARNING: storage/ or crawler/text.py changed between the stages: the sizes were "
              "measured on different code")
    if len(stages) > 1:
        first, last = stages[0], stages[-1]
        for name, label in (("whole", "store_article"), ("cpu", "store_article CPU"),
                            ("placement", "placement")):
            median = last[name][0] / first[name][0]
            p95 = last[name][1] / first[name][1]
            print(f"{label} at {last['stored']:,} / at {first['stored']:,}: median x{median:.2f},"
                  f" p95 x{p95:.2f}; target within x2: "
                  f"{'met' if max(median, p95) <= 2 else 'MISSED'}")
        # The batch's commit is paid per article too, though outside store_article.
        with_commit = [stage["whole"][0] + stage["commit"] for stage in (first, last)]
        ratio = with_commit[1] / with_commit[0]
        print(f"store_article median + commit: {with_commit[0]:.2f} -> {with_commit[1]:.2f} ms,"
              f" x{ratio:.2f}; target within x2: {'met' if ratio <= 2 else 'MISSED'}")
    print("commit: each batch's commit per article; pages: pages it writes per article "
          "(WAL frames)")
    print(f"story_text alone: {text['rate_5kb']:.0f} articles/s on {text['kb_5kb']:.1f} KB "
          f"bodies ({1000 / text['rate_5kb']:.2f} ms each); {text['typical_ms']:.2f} ms on the "
          f"fill's {text['typical_kb']:.1f} KB bodies")
    if not fill_fts:
        print(f"KB/article leaves out the filled articles' full-text rows: ~{fts['kb']:.1f} KB "
              "more each")
    print(f"command: {command}")


def measure_fts(corpus: Corpus, seed: int, folder: Path) -> dict[str, float]:
    """Full-text rows alone, in an archive of their own: ms per row in bulk, KB per article."""
    articles = corpus.articles(np.random.default_rng([seed, 4]), 2000, folded=True)
    path = folder / "fts.db"
    from storage import Archive

    Archive(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        clock = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
                         ((i, a.folded_title, a.folded_text) for i, a in enumerate(articles, 1)))
        conn.execute("COMMIT")
        seconds = time.perf_counter() - clock
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try:
            pages = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE "
                                 "'articles_fts%' AND aggregate = TRUE").fetchone()[0] or 0
        except sqlite3.OperationalError:  # SQLite built without dbstat
            pages = 0
    finally:
        conn.close()
    return {"ms": 1000 * seconds / len(articles), "kb": pages / len(articles) / 1000}


def main(sizes: list[int], probes: int, seed: int, budget: float, database: Path | None,
         show_plans: bool, fill_fts: bool) -> None:
    command = "python3 benchmarks/stories.py " + " ".join(sys.argv[1:])
    started = time.perf_counter()
    print("measuring story_text and full-text rows…", flush=True)
    corpus = Corpus(seed)
    text = measure_story_text(corpus, seed)
    fill_total = max(sizes)
    every = max(1, math.ceil(text["typical_ms"] / 1000 * fill_total / budget))
    # A kept archive is filled again with its first run's choice: its originals are
    # the articles whose band values story_text computed.
    kept = Path(f"{database}.bench.json") if database else None
    if kept and kept.exists():
        every = json.loads(kept.read_text())["every"]
    elif kept:
        kept.write_text(json.dumps({"every": every}))
    estimate = text["typical_ms"] / 1000 * fill_total / 60
    print(f"story_text: {text['typical_ms']:.2f} ms per {text['typical_kb']:.1f} KB body, "
          f"~{estimate:.0f} min for all {fill_total:,} articles of the fill: " +
          ("computed for every article" if every == 1 else
           f"computed for 1 article in {every} only (the originals of the copies and "
           f"follow-ups; --features-budget {budget:.0f} s), random band values for the "
           "others"), flush=True)
    with tempfile.TemporaryDirectory(prefix="marsad-stories-") as folder:
        fts = measure_fts(corpus, seed, Path(folder))
        print(f"full-text rows: {fts['ms']:.2f} ms per article in bulk (~"
              f"{fts['ms'] * fill_total / 60000:.0f} min for {fill_total:,}), {fts['kb']:.1f} KB"
              " per article: " + ("filled too (--fill-fts)" if fill_fts else
                                  "left out of the fill, to keep the run short (--fill-fts to "
                                  "add them): only the probe articles have theirs, and "
                                  "candidates are read from articles.text (story placement's "
                                  "fallback) instead of the full-text index"), flush=True)
        path = database or Path(folder) / "archive.db"
        from storage import Archive

        Archive(path).close()  # the schema, by the archive's own migrations
        stages = []
        for size in sorted(sizes):
            print(f"\nfilling to {size:,} articles…", flush=True)
            filled = run_child("fill", path, size, every, seed, int(fill_fts))
            # The fill writes gigabytes in minutes, which no crawl does; without this, the
            # probe would time the kernel writing the fill's dirty pages back to disk.
            synced = time.perf_counter()
            os.sync()
            print(f"the fill's writes flushed to disk in {time.perf_counter() - synced:.0f} s; "
                  f"probing with {probes} articles…", flush=True)
            probed = run_child("probe", path, probes, every, seed, 0)
            stages.append(report_stage(size, filled, probed, archive_size(path), show_plans))
    summary(stages, text, fts, fill_fts, command)
    print(f"total time {(time.perf_counter() - started) / 60:.1f} min")


def child(step: str, database: str, count: str, every: str, seed: str, fts: str) -> None:
    if step == "fill":
        result = fill(Path(database), int(count), int(every), int(seed), fts == "1")
    else:
        result = probe(Path(database), int(count), int(every), int(seed))
    print(json.dumps(result))


def _sizes(value: str) -> list[int]:
    return [int(part.replace("_", "")) for part in value.split(",") if part.strip()]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=[10_000, 100_000, 1_000_000],
                        help="articles already stored at each measurement, comma-separated")
    parser.add_argument("--probe", type=int, default=500, help="articles stored and timed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--features-budget", type=float, default=30.0, metavar="SECONDS",
                        help="story_text time allowed for the fill; beyond, a sample")
    parser.add_argument("--archive", type=Path, help="keep (or reuse) the archive at PATH")
    parser.add_argument("--plans", action="store_true",
                        help="print every query plan, not only those that scan")
    parser.add_argument("--fill-fts", action="store_true",
                        help="full-text rows for the filled articles too (~0.45 ms each)")
    parser.add_argument("--child", nargs=6, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
    elif args.probe < 1 or not args.sizes or min(args.sizes) < 1:
        parser.error("--probe and --sizes must be positive")
    else:
        main(args.sizes, args.probe, args.seed, args.features_budget, args.archive, args.plans,
             args.fill_fts)
