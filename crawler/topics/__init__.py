"""Topics as data: the built-in topic files and the shape of a [[topics]] table
(`terms`: how a topic's terms are written and found in text).

Each built-in topic is one TOML file here, written like a [[topics]] table of
marsad.toml, so that it can be copied into a configuration and tuned there.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _texts(value: object) -> bool:
    return isinstance(value, list) and all(map(_text, value))


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _groups(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(_texts(g) and g for g in value)


def _weights(value: object) -> bool:
    return isinstance(value, Mapping) and all(map(_number, value.values()))


# Every key of a [[topics]] table (the fields of crawler.matching.Topic) and its shape.
SHAPES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "name": (_text, "a non-empty string"),
    "all_of": (_groups, "a non-empty list of non-empty lists of terms"),
    "none_of": (_texts, "a list of strings"),
    "queries": (_texts, "a list of strings"),
    "channels": (_texts, "a list of strings"),
    "window": (_text, "a non-empty string"),
    "weights": (_weights, "a table of term = number"),
    "min_group_score": (_number, "a number"),
    "group_cap": (_number, "a number"),
    "near": (lambda v: _number(v) and isinstance(v, int), "a whole number of words"),
    "min_score": (_number, "a number"),
    "ignore": (_texts, "a list of strings"),
    "penalties": (_texts, "a list of strings"),
    "core_terms": (_texts, "a list of strings"),
    "languages": (_texts, "a list of strings"),
}


def table_problem(table: Mapping[str, Any]) -> str | None:
    """What is wrong with a [[topics]] table's keys and value types, as "key: problem"."""
    for key in ("name", "all_of"):
        if key not in table:
            return f"{key}: missing"
    for key, value in table.items():
        if key not in SHAPES:
            return f"{key}: unknown key"
        fits, shape = SHAPES[key]
        if not fits(value):
            return f"{key}: must be {shape}"
    return None


def builtin_tables() -> list[dict[str, Any]]:
    """The parsed *.toml files of this package, in name order."""
    files = sorted(resources.files(__name__).iterdir(), key=lambda entry: entry.name)
    return [
        tomllib.loads(entry.read_text(encoding="utf-8"))
        for entry in files
        if entry.name.endswith(".toml")
    ]
