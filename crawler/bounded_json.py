"""JSON from pages and users, parsed only when its nesting is shallow.

`json.loads` recurses once per nested array or object, so text nested 100,000 deep
raises RecursionError, which callers ready for bad input (ValueError) do not expect.
The nesting is measured first, by a scan that does not recurse.
"""

from __future__ import annotations

import json
import re
from typing import Any

# JSON-LD as publishers write it nests fewer than ten levels (graph, article, author,
# address...), and `marsad match` lines are flat: 64 leaves room for odd markup while
# the decoder's 64 frames stay far below Python's recursion limit (1,000), however deep
# the caller already is.
MAX_DEPTH = 64

# A string (to its closing quote, or to the end when it is not closed), or a bracket.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)


class TooDeep(ValueError):
    """JSON nested deeper than its reader accepts."""


def nesting_depth(text: str, limit: int = MAX_DEPTH) -> int:
    """How deep arrays and objects nest in JSON text, from its brackets outside strings.

    Never less than what `json.loads` would reach; the scan stops at the first level
    past `limit`, so the answer is at most limit + 1.
    """
    depth = deepest = 0
    for token in _TOKENS.finditer(text):
        char = text[token.start()]
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif char in "]}":
            # Below zero the document has ended: the decoder stops there with an error.
            depth = max(depth - 1, 0)
    return deepest


def loads(text: str, *, strict: bool = True, max_depth: int = MAX_DEPTH) -> Any:
    """`json.loads`, refusing text nested deeper than `max_depth` with TooDeep.

    Every refusal is a ValueError: JSONDecodeError, TooDeep, or an integer too long to
    convert.
    """
    if nesting_depth(text, max_depth) > max_depth:
        raise TooDeep(f"nested deeper than {max_depth} levels")
    return json.loads(text, strict=strict)
