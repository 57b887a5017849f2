"""Story detection measured on labelled pairs: written ones, and copies made at test time
from real press excerpts. The figures per kind are printed (pytest -s) for the record."""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from storage.story_relation import relation
from storage.story_text import story_text

HERE = Path(__file__).resolve().parent
REAL = HERE.parents[2] / "shared" / "realtext" / "dev.jsonl"
sys.path.insert(0, str(HERE))

from real_pairs import real_pairs  # noqa: E402


def verdicts(pairs: list[dict]) -> dict[tuple[str, str], Counter[str]]:
    """(kind, label) -> how many pairs got each verdict."""
    table: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for pair in pairs:
        earlier, later = pair["earlier"], pair["later"]
        verdict = relation(story_text(later["title"], later["text"]),
                           story_text(earlier["title"], earlier["text"]),
                           same_source=earlier["source"] == later["source"]) or "different"
        table[pair["kind"], pair["label"]][verdict] += 1
    for (kind, label), counts in sorted(table.items()):
        print(f"{kind:26} {label:26} {dict(counts)}")
    return table


def precision_recall(table: dict[tuple[str, str], Counter[str]], label: str
                     ) -> tuple[float, float]:
    said = sum(counts[label] for counts in table.values())
    right = sum(counts[label] for (_, truth), counts in table.items() if truth == label)
    real = sum(sum(counts.values()) for (_, truth), counts in table.items() if truth == label)
    return right / max(said, 1), right / max(real, 1)


@pytest.fixture(scope="module")
def written() -> dict[tuple[str, str], Counter[str]]:
    pairs = [json.loads(line) for line in (HERE / "pairs.jsonl").read_text("utf-8").splitlines()]
    assert len(pairs) >= 300
    return verdicts(pairs)


def test_copies_are_found_and_nothing_else_is_taken_for_one(written) -> None:
    precision, recall = precision_recall(written, "copy")
    print(f"copies: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.98 and recall >= 0.95
    for (kind, label), counts in written.items():
        if label == "copy":
            assert counts["copy"] >= 0.9 * sum(counts.values()), kind


def test_no_bulletin_of_a_template_joins_another(written) -> None:
    assert written["template_bulletin", "different"]["copy"] == 0
    assert written["template_bulletin", "different"]["follow_up"] == 0


def test_follow_ups_are_recognised(written) -> None:
    precision, recall = precision_recall(written, "follow_up")
    print(f"follow-ups: precision {precision:.3f}, recall {recall:.3f}")
    assert recall >= 0.80 and precision >= 0.9


def test_short_bodies_and_site_boilerplate_glue_nothing(written) -> None:
    for kind in ("short_body", "site_boilerplate", "same_people_other_event"):
        counts = written[kind, "different"]
        assert counts["copy"] == 0, kind
    assert written["short_body", "different"]["follow_up"] == 0


@pytest.mark.skipif(not REAL.is_file(), reason="../shared/realtext is not beside the repository")
def test_copies_of_real_press_excerpts_are_found() -> None:
    table = verdicts(real_pairs(str(REAL)))
    precision, recall = precision_recall(table, "copy")
    print(f"real copies: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.98 and recall >= 0.95
