"""Where a topic's terms occur in an article's own text: highlight segments and excerpts.

Terms are found as topic matching finds them (`crawler.topics.terms`), on the folded
text, and every occurrence is mapped back to the original characters.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache, partial
from itertools import accumulate

from crawler.text import fold
from crawler.topics.terms import WORD, Matcher, Term, term_words


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    return fold(char)


@lru_cache(maxsize=64)
def _matcher(terms: tuple[str, ...]) -> Matcher:
    # Kept: the same terms mark result after result, and the matcher memoises its words.
    return Matcher(
        Term(t, words, 1.0, 0) for t in dict.fromkeys(terms) if (words := term_words(t))
    )


def _same(position: int) -> int:
    return position


def _folded(text: str) -> tuple[str, Callable[[int], int]]:
    """The text folded character by character, and the map from a folded position back
    to the index of the character it comes from."""
    # Each character folds on its own (a few distinct ones, folded once), so that folded
    # positions map back to the text; whole-string operations keep this off Python loops.
    folding = {char: _fold_char(char) for char in set(text)}
    if all(len(folded) == 1 for folded in folding.values()):
        # The common case, one character for one: positions are the text's own, and the
        # whole-string fold (quicker than a character table) gives the same text.
        return fold(text), _same
    pieces = list(map(folding.__getitem__, text))
    ends = array("q", accumulate(map(len, pieces)))  # folded length through text[i]
    return "".join(pieces), partial(bisect_right, ends)


def _spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Merged (start, end) ranges of the original text where a term occurs, whole words."""
    folded, origin = _folded(text)
    tokens = list(WORD.finditer(folded))
    matcher = _matcher(tuple(terms))
    merged: list[tuple[int, int]] = []
    for first, end, _ in matcher.find([m.group() for m in tokens]):
        start, stop = origin(tokens[first].start()), origin(tokens[end - 1].end() - 1) + 1
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(stop, merged[-1][1]))
        else:
            merged.append((start, stop))
    return merged


def _segments(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[str, bool]]:
    segments = []
    at = 0
    for start, end in spans:
        if start > at:
            segments.append((text[at:start], False))
        segments.append((text[start:end], True))
        at = end
    if at < len(text):
        segments.append((text[at:], False))
    return segments


def highlight(text: str, terms: Sequence[str]) -> list[tuple[str, bool]]:
    """The text as segments, True where a term occurs (a word with clitics is whole)."""
    return _segments(text, _spans(text, terms))


def _richest(text: str, spans: Sequence[tuple[int, int]], width: int) -> int:
    """The index of the span that opens the passage of `width` characters holding the
    most distinct terms; the earliest of equals.

    Spans are ordered and disjoint, so the spans that end within reach of each start are
    a window that only slides forward: one pass, whatever the number of spans.
    """
    written = [text[s:e] for s, e in spans]
    folded = {word: fold(word) for word in set(written)}  # a term recurs: fold it once
    words = [folded[word] for word in written]
    inside: Counter[str] = Counter()  # the words of spans[i:end]
    best, most = 0, -1
    end = 0
    for i, (start, _) in enumerate(spans):
        end = max(end, i)
        while end < len(spans) and spans[end][1] <= start + width:
            inside[words[end]] += 1
            end += 1
        if len(inside) > most:
            best, most = i, len(inside)
        if end > i:
            inside[words[i]] -= 1
            if not inside[words[i]]:
                del inside[words[i]]
    return best


def passage(
    text: str, terms: Sequence[str], width: int = 300, *, cut: bool = False
) -> list[tuple[str, bool]]:
    """About `width` characters around the passage richest in terms, as highlight segments;
    "…" marks a cut end. `cut`: the text is the start of a longer one."""
    spans = _spans(text, terms)
    if len(text) <= width and not cut:
        return _segments(text, spans)
    start = end = 0
    if spans:
        anchor = spans[_richest(text, spans, width)]
        start = max(0, min(anchor[0] - width // 5, len(text) - width))
        end = anchor[1]
        space = text.find(" ", start, anchor[0])
        if start > 0 and space >= 0:  # begin on a whole word, never past the term
            start = space + 1
    stop = min(len(text), start + width)
    if stop < len(text):
        space = text.rfind(" ", max(start, end), stop)
        stop = space if space > 0 else stop
    inside = [
        (max(s, start) - start, min(e, stop) - start) for s, e in spans if start < e and s < stop
    ]
    segments = _segments(text[start:stop], inside)
    if start > 0:
        segments.insert(0, ("…", False))
    if stop < len(text) or cut:
        segments.append(("…", False))
    return segments


def found_words(title: str, text: str, terms: Sequence[str], limit: int = 20) -> tuple[str, ...]:
    """The words where the terms occur, as written in the title and then the text
    («الفرنسية» for «فرنسي*»): white space squashed, each once (alike when folded), in
    order of first occurrence, at most `limit`."""
    words: dict[str, str] = {}
    for part in (title, text):
        for start, end in _spans(part, terms):
            word = " ".join(part[start:end].split())
            words.setdefault(fold(word), word)
            if len(words) == limit:
                return tuple(words.values())
    return tuple(words.values())
