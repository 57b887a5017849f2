"""A topic's terms, and finding them in text.

A term is one or more words; a trailing `*` on a word accepts any ending. Text and terms
are compared word by word after `crawler.text.fold`. The first word of a term may carry
attached Arabic clitics in the text (و ف ب ك ل ال لل and their combinations), and a
term's own article is optional: «المغرب» matches «للمغرب» and «بالمغرب».
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from crawler.text import fold

# Words, and the punctuation that ends a clause: no term spans one, nor does `near`.
WORD = re.compile(r"\w+|[.,;:!?\u060c\u061b\u061f]")
CLAUSE_ENDS = frozenset(".,;:!?\u060c\u061b\u061f")
_TERM_WORD = re.compile(r"\w+\*?")
_MISPLACED_STAR = re.compile(r"(?<!\w)\*|\*(?=\w)")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
# Clitics attached before an Arabic word: a conjunction, then a preposition or the article.
CLITIC_CONJUNCTIONS = ("", "و", "ف")
CLITIC_PARTICLES = ("", "ال", "بال", "كال", "لل", "ب", "ك", "ل")

_Word = tuple[str, bool]  # folded word, True when it is a prefix (written with `*`)


def parse_term(term: str) -> tuple[_Word, ...]:
    folded = fold(term).strip()
    words = _TERM_WORD.findall(folded)
    if not words or _MISPLACED_STAR.search(folded):
        raise ValueError(f"term {term!r}: use words, with `*` only at the end of a word")
    parsed = [(w.rstrip("*"), w.endswith("*")) for w in words]
    first, is_prefix = parsed[0]
    if first.startswith("ال") and len(first) >= 5:  # not «الله»: too little would be left
        parsed[0] = (first[2:], is_prefix)
    return tuple(parsed)


def term_words(term: str) -> tuple[_Word, ...]:
    """The term's words, or none when it is not a valid term (nothing to mark, no error)."""
    try:
        return parse_term(term)
    except ValueError:
        return ()


def _stems(token: str) -> tuple[str, ...]:
    """The token and what is left of it once each possible clitic prefix is removed."""
    if not _ARABIC.match(token):
        return (token,)
    stems = [token]
    for conjunction in CLITIC_CONJUNCTIONS:
        if token.startswith(conjunction):
            rest = token[len(conjunction) :]
            for particle in CLITIC_PARTICLES:
                stem = rest[len(particle) :]
                if rest.startswith(particle) and len(stem) >= 2 and stem not in stems:
                    stems.append(stem)
    return tuple(stems)


def _fits(word: _Word, token: str) -> bool:
    text, is_prefix = word
    return token.startswith(text) if is_prefix else token == text


@dataclass(frozen=True)
class Term:
    text: str  # as written in the rule
    words: tuple[_Word, ...]
    weight: float
    role: int  # index of its all_of group, or one of the roles below


VETO, IGNORE, PENALTY, CORE = -1, -2, -3, -4
Occurrence = tuple[int, int, Term]  # first token, end token, term


class Matcher:
    """Terms compiled into lookups keyed by their (folded) first word."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.exact: dict[str, list[Term]] = {}
        self.prefix: dict[int, dict[str, list[Term]]] = {}
        for term in terms:
            text, is_prefix = term.words[0]
            table = self.prefix.setdefault(len(text), {}) if is_prefix else self.exact
            table.setdefault(text, []).append(term)
        self.known: dict[str, tuple[Term, ...]] = {}

    def starts(self, token: str) -> tuple[Term, ...]:
        """Terms whose first word fits this token, longest then heaviest first (memoised:
        news repeats its words)."""
        hits: list[Term] = []
        for stem in _stems(token):
            hits += self.exact.get(stem, ())
            for length, table in self.prefix.items():
                hits += table.get(stem[:length], ()) if len(stem) >= length else ()
        if len(self.known) > 100_000:
            self.known.clear()
        # Stable: equal terms keep their order in the topic.
        ordered = sorted(dict.fromkeys(hits), key=lambda t: (-len(t.words), -t.weight))
        found = self.known[token] = tuple(ordered)
        return found

    def find(self, tokens: Sequence[str]) -> list[Occurrence]:
        """Every occurrence in reading order; words of ignored phrases count for nothing."""
        # In reading order, and at each word the longest, then heaviest, term first.
        found = []
        count = len(tokens)
        for i, token in enumerate(tokens):
            terms = self.known.get(token)
            for term in self.starts(token) if terms is None else terms:
                words = term.words
                end = i + len(words)
                if end == i + 1:
                    found.append((i, end, term))
                elif end <= count:
                    for k in range(1, len(words)):
                        if not _fits(words[k], tokens[i + k]):
                            break
                    else:
                        found.append((i, end, term))
        masked = {k for start, end, t in found if t.role == IGNORE for k in range(start, end)}
        # A word counts once per role: for the longest, then heaviest, term covering it.
        kept: list[Occurrence] = []
        covered: dict[int, int] = {}
        for occurrence in found:  # kept as they are: no new objects for the collector
            start, end, term = occurrence
            if covered.get(term.role, -1) <= start and (
                not masked or masked.isdisjoint(range(start, end))
            ):
                kept.append(occurrence)
                covered[term.role] = end
        return kept
