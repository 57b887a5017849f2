"""Copy and different pairs built at test time from real press excerpts.

``real_pairs(path)`` reads a JSONL file of real excerpts (fields ``id``, ``language``,
``title``, ``text``, ``url``, ``label``, ``kind``, ``source_site``, ``why``, ``date``;
``label`` 1 on the Morocco–France security topic, 0 not) and returns pairs in the format
of pairs.jsonl:

- copies: each excerpt with each copy edit of edits.py (dateline, headline, dropped
  paragraph, changed words, shorter, added paragraph, boilerplate, combined);
- different: excerpts of the same language, one on the topic and one off it (so never two
  reports of one event), that share no run of 8 words.

The excerpts are third-party text: they are only read here, never written anywhere.
Run ``python tests/stories/real_pairs.py PATH`` to print the counts.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import zlib
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent


def _load_edits() -> ModuleType:
    """edits.py of this folder, whatever the current directory and sys.path."""
    name = "stories_edits"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "edits.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


edits = _load_edits()

MIN_WORDS = 30  # a copy that keeps fewer words than this is left out
DIFFERENT_PER_EXCERPT = 2  # off-topic partners of each on-topic excerpt
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+(?=[«\"“(]?[A-ZÀ-ÖØ-Þ\u0600-\u06FF])")
_ABBREVIATION = re.compile(r"(?:^|\s)(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Mme|Mgr|No|Gen|Col|Lt)\.$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_START = datetime(2025, 1, 6, 9, 0, tzinfo=timezone(timedelta(hours=1)))


def _seed(*parts: str) -> int:
    return zlib.crc32("|".join(parts).encode("utf-8"))


def sentences(text: str) -> list[str]:
    """Split on sentence ends, keeping abbreviations such as "M." with what follows."""
    out: list[str] = []
    for piece in _SENTENCE_END.split(text.strip()):
        if out and _ABBREVIATION.search(out[-1]):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return [s for s in out if s]


def paragraphed(text: str, short: int = 12) -> str:
    """Text with at least 3 paragraphs where possible, so that paragraph edits apply.

    Excerpts are often one block; they are cut at sentence ends, a sentence shorter than
    ``short`` words going with the next one.
    """
    paras = [p.strip() for p in text.split("\n") if p.strip()]
    if len(paras) >= 3:
        return "\n".join(paras)
    out: list[str] = []
    pending = ""
    for sentence in (s for p in paras for s in sentences(p)):
        pending = f"{pending} {sentence}".strip()
        if len(pending.split()) >= short:
            out.append(pending)
            pending = ""
    if pending:
        if out:
            out[-1] += " " + pending
        else:
            out.append(pending)
    return "\n".join(out)


def _published(row: dict[str, Any], index: int) -> str:
    date = str(row.get("date") or "")
    if _DATE.match(date):
        return f"{date}T10:00:00+01:00"
    return (_START + timedelta(hours=6 * index)).isoformat()


def _article(row: dict[str, Any], index: int) -> dict[str, str]:
    return {
        "title": str(row.get("title") or ""),
        "text": paragraphed(str(row["text"])),
        "published": _published(row, index),
        "source": str(row.get("source_site") or "unknown"),
        "language": str(row["language"]),
    }


def _words(article: dict[str, str]) -> int:
    return len(article["text"].split())


def _copy(earlier: dict[str, str], kind: str, seed: int) -> dict[str, str] | None:
    """The later article of a copy pair, or None where the edit does not apply."""
    language = earlier["language"]
    start = dict(earlier, source=edits.other_site(language, earlier["source"], seed))
    if kind == "copy_shorter":
        paras = edits.paragraphs(earlier)
        keep = next(
            (n for n in range(1, len(paras)) if len(" ".join(paras[:n]).split()) >= MIN_WORDS), None
        )
        if keep is None:
            return None
        later = edits.first_paragraphs(start, seed, keep)
    else:
        try:
            later = edits.COPY_EDITS[kind](start, seed)
        except ValueError:
            return None
    if _words(later) < MIN_WORDS:
        return None
    later["published"] = edits.publish_later(earlier["published"], seed)
    return later


def _eight_grams(text: str) -> set[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text.casefold())
    return {tuple(tokens[i : i + 8]) for i in range(len(tokens) - 7)}


def _pair(kind: str, label: str, earlier: dict[str, str], later: dict[str, str]) -> dict[str, Any]:
    return {"kind": kind, "label": label, "earlier": earlier, "later": later}


def _copies(articles: list[tuple[dict[str, Any], dict[str, str]]]) -> Iterable[dict[str, Any]]:
    for row, earlier in articles:
        for kind in edits.COPY_EDITS:
            later = _copy(earlier, kind, _seed(str(row["id"]), kind))
            if later is not None:
                yield _pair(kind, "copy", earlier, later)


def _different(articles: list[tuple[dict[str, Any], dict[str, str]]]) -> Iterable[dict[str, Any]]:
    languages = sorted({a["language"] for _, a in articles})
    for language in languages:
        on = [(r, a) for r, a in articles if a["language"] == language and r.get("label") == 1]
        off = [(r, a) for r, a in articles if a["language"] == language and r.get("label") != 1]
        if not on or not off:
            continue
        for i, (row, article) in enumerate(on):
            partners = {
                (i + k * len(off) // DIFFERENT_PER_EXCERPT) % len(off)
                for k in range(DIFFERENT_PER_EXCERPT)
            }
            for j in sorted(partners):
                other_row, other = off[j]
                if _eight_grams(article["text"]) & _eight_grams(other["text"]):
                    continue
                first, second = (article, other) if i % 2 == 0 else (other, article)
                seed = _seed(str(row["id"]), str(other_row["id"]))
                later = dict(second, published=edits.publish_later(first["published"], seed))
                yield _pair("real_different", "different", first, later)


def real_pairs(path: str | Path) -> list[dict[str, Any]]:
    """Copy and different pairs from the real excerpts in ``path``, numbered r-0001...

    Copy kinds are those of pairs.jsonl; different pairs have kind "real_different".
    """
    with Path(path).open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    articles = [(row, _article(row, i)) for i, row in enumerate(rows)]
    pairs = [*_copies(articles), *_different(articles)]
    return [{"id": f"r-{i:04d}", **p} for i, p in enumerate(pairs, 1)]


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit("usage: python tests/stories/real_pairs.py PATH/dev.jsonl")
    pairs = real_pairs(argv[1])
    counts = Counter((p["kind"], p["label"], p["earlier"]["language"]) for p in pairs)
    for (kind, label, language), n in sorted(counts.items()):
        print(f"{kind:24} {label:10} {language}  {n}")
    print(f"{len(pairs)} pairs")


if __name__ == "__main__":
    main(sys.argv)
