"""How the commands print records: one JSON line each, or one text line each."""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Callable
from typing import Any


def emit(record: dict[str, Any]) -> None:
    """One JSON line, in UTF-8 with every character as itself («الأمن», not \\u0627…),
    whatever the encoding of the locale: readers of JSON expect UTF-8."""
    stream = sys.stdout
    if codecs.lookup(stream.encoding or "utf-8").name != "utf-8" and hasattr(
            stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8")
    stream.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


def print_rows(rows: list[dict], as_json: bool, line: Callable[[dict], str]) -> None:
    """Each row as a JSON line, or as the text `line` makes of it."""
    for row in rows:
        if as_json:
            emit(row)
        else:
            print(line(row))
