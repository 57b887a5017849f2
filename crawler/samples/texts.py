"""Generated article texts at the edges of the work marsad bounds per article: a text
made of nothing but a topic's terms, and plain news words that are none of them. The
bounds test (tests/matching/test_bounded.py) and its benchmark (benchmarks/bounds.py)
both build their worst inputs here."""

from __future__ import annotations

import itertools

from crawler.matching import Topic


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def term_heavy(topic: Topic, size: int) -> str:
    """`size` bytes of the topic's own terms, Arabic and French, one long line without a
    sentence end: every occurrence lies near the others."""
    terms = itertools.cycle(t.rstrip("*") for group in topic.all_of for t in group)
    words: list[str] = []
    total = 0
    while total < size:
        word = f"{next(terms)} و le "
        words.append(word)
        total += utf8_size(word)
    return "".join(words)


def plain(size: int) -> str:
    """`size` bytes of Arabic and French news words that are none of the topic's terms."""
    line = "Il fera beau demain sur la côte selon la météo الطقس جميل غدا على الساحل حسب النشرة "
    return line * (size // utf8_size(line) + 1)
