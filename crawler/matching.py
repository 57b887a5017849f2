"""Topic matching: pure functions deciding whether an article belongs to a topic.

A term is one or more words; a trailing `*` on a word accepts any ending. Text and terms
are compared word by word after `crawler.text.fold`. The first word of a term may carry
attached Arabic clitics in the text (و ف ب ك ل ال لل and their combinations), and a
term's own article is optional: «المغرب» matches «للمغرب» and «بالمغرب».
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any
from weakref import WeakKeyDictionary

from crawler.text import fold
from crawler.topics import builtin_tables, table_problem

WINDOWS = ("document", "paragraph")


@dataclass(frozen=True)
class Topic:
    name: str
    all_of: tuple[tuple[str, ...], ...] = ()  # every group must fire; a group fires on any term
    none_of: tuple[str, ...] = ()  # any of these vetoes the match
    queries: tuple[str, ...] = ()
    channels: tuple[str, ...] | None = None  # None: every configured channel
    # Precision knobs; the defaults give plain all_of/none_of matching.
    window: str = "document"  # "paragraph": the groups must fire in the title plus one paragraph
    weights: tuple[tuple[str, float], ...] = ()  # term -> weight of each occurrence (default 1)
    min_group_score: float = 0.0  # least weight each group must gather in the window
    group_cap: float | None = None  # most weight one group adds to the score
    near: int = 0  # an occurrence fewer words than this from another group's counts double
    min_score: float = 0.0  # least total score, after penalties
    ignore: tuple[str, ...] = ()  # phrases whose words are no evidence ("sécurité alimentaire")
    penalties: tuple[str, ...] = ()  # each one in the article subtracts its weight
    languages: tuple[str, ...] = ()  # when set, articles in other known languages never match

    def __post_init__(self) -> None:
        # Accept lists and a weight mapping (as parsed from TOML) yet stay hashable.
        put = object.__setattr__
        put(self, "all_of", tuple(tuple(group) for group in self.all_of))
        for name in ("none_of", "queries", "ignore", "penalties", "languages"):
            put(self, name, tuple(getattr(self, name)))
        if self.channels is not None:
            put(self, "channels", tuple(self.channels))
        weights = self.weights.items() if isinstance(self.weights, Mapping) else self.weights
        put(self, "weights", tuple((str(term), float(w)) for term, w in weights))
        if self.window not in WINDOWS:
            raise ValueError(f"window: must be one of {', '.join(WINDOWS)}, not {self.window!r}")
        if self.near < 0:
            raise ValueError("near: must not be negative")
        if self.group_cap is not None and self.group_cap <= 0:
            raise ValueError("group_cap: must be above 0")
        terms = {t for group in self.all_of for t in group}
        terms.update(self.none_of, self.ignore, self.penalties)
        for term in terms:
            _parse_term(term)
        for term, weight in self.weights:
            if term not in terms:
                raise ValueError(f"weights: {term!r} is not one of the topic's terms")
            if weight < 0:
                raise ValueError(f"weights: {term!r} must not be negative")


@dataclass(frozen=True)
class Match:
    topic: str
    score: float
    matched: tuple[str, ...]


# ---- terms and words -------------------------------------------------------------------

# Words, and the punctuation that ends a clause: no term spans one, nor does `near`.
_WORD = re.compile(r"\w+|[.,;:!?\u060c\u061b\u061f]")
_CLAUSE_ENDS = frozenset(".,;:!?\u060c\u061b\u061f")
_TERM_WORD = re.compile(r"\w+\*?")
_MISPLACED_STAR = re.compile(r"(?<!\w)\*|\*(?=\w)")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_CONJUNCTIONS = ("", "و", "ف")
_PARTICLES = ("", "ال", "بال", "كال", "لل", "ب", "ك", "ل")

_Word = tuple[str, bool]  # folded word, True when it is a prefix (written with `*`)


def _parse_term(term: str) -> tuple[_Word, ...]:
    folded = fold(term).strip()
    words = _TERM_WORD.findall(folded)
    if not words or _MISPLACED_STAR.search(folded):
        raise ValueError(f"term {term!r}: use words, with `*` only at the end of a word")
    parsed = [(w.rstrip("*"), w.endswith("*")) for w in words]
    first, is_prefix = parsed[0]
    if first.startswith("ال") and len(first) >= 5:  # not «الله»: too little would be left
        parsed[0] = (first[2:], is_prefix)
    return tuple(parsed)


def _words(term: str) -> tuple[_Word, ...]:
    """The term's words, or none when it is not a valid term (nothing to mark, no error)."""
    try:
        return _parse_term(term)
    except ValueError:
        return ()


def _stems(token: str) -> tuple[str, ...]:
    """The token and what is left of it once each possible clitic prefix is removed."""
    if not _ARABIC.match(token):
        return (token,)
    stems = [token]
    for conjunction in _CONJUNCTIONS:
        if token.startswith(conjunction):
            rest = token[len(conjunction) :]
            for particle in _PARTICLES:
                stem = rest[len(particle) :]
                if rest.startswith(particle) and len(stem) >= 2 and stem not in stems:
                    stems.append(stem)
    return tuple(stems)


def _fits(word: _Word, token: str) -> bool:
    text, is_prefix = word
    return token.startswith(text) if is_prefix else token == text


@dataclass(frozen=True)
class _Term:
    text: str  # as written in the rule
    words: tuple[_Word, ...]
    weight: float
    role: int  # index of its all_of group, or one of the roles below


_VETO, _IGNORE, _PENALTY = -1, -2, -3
_Occurrence = tuple[int, int, _Term]  # first token, end token, term


class _Matcher:
    """Terms compiled into lookups keyed by their (folded) first word."""

    def __init__(self, terms: Iterable[_Term]) -> None:
        self.exact: dict[str, list[_Term]] = {}
        self.prefix: dict[int, dict[str, list[_Term]]] = {}
        for term in terms:
            text, is_prefix = term.words[0]
            table = self.prefix.setdefault(len(text), {}) if is_prefix else self.exact
            table.setdefault(text, []).append(term)
        self.known: dict[str, tuple[_Term, ...]] = {}

    def starts(self, token: str) -> tuple[_Term, ...]:
        """Terms whose first word fits this token (memoised: news repeats its words)."""
        hits: list[_Term] = []
        for stem in _stems(token):
            hits += self.exact.get(stem, ())
            for length, table in self.prefix.items():
                hits += table.get(stem[:length], ()) if len(stem) >= length else ()
        if len(self.known) > 100_000:
            self.known.clear()
        found = self.known[token] = tuple(dict.fromkeys(hits))
        return found

    def find(self, tokens: Sequence[str]) -> list[_Occurrence]:
        """Every occurrence in reading order; words of ignored phrases count for nothing."""
        found = []
        for i, token in enumerate(tokens):
            terms = self.known.get(token)
            for term in self.starts(token) if terms is None else terms:
                end = i + len(term.words)
                if end == i + 1 or (
                    end <= len(tokens)
                    and all(_fits(w, tokens[i + k]) for k, w in enumerate(term.words[1:], 1))
                ):
                    found.append((i, end, term))
        masked = {k for start, end, t in found if t.role == _IGNORE for k in range(start, end)}
        # A word counts once per role: for the longest, then heaviest, term covering it.
        found.sort(key=lambda f: (f[0], f[0] - f[1], -f[2].weight))
        kept: list[_Occurrence] = []
        covered: dict[int, int] = {}
        for start, end, term in found:
            if covered.get(term.role, -1) <= start and not masked.intersection(range(start, end)):
                kept.append((start, end, term))
                covered[term.role] = end
        return kept


_COMPILED: WeakKeyDictionary[Topic, _Matcher] = WeakKeyDictionary()


def _compile(topic: Topic) -> _Matcher:
    matcher = _COMPILED.get(topic)
    if matcher is None:
        weights = dict(topic.weights)
        roles = list(enumerate(topic.all_of))
        roles += [(_VETO, topic.none_of), (_IGNORE, topic.ignore), (_PENALTY, topic.penalties)]
        matcher = _COMPILED[topic] = _Matcher(
            _Term(text, _parse_term(text), weights.get(text, 1.0), role)
            for role, terms in roles
            for text in dict.fromkeys(terms)
        )
    return matcher


# ---- matching ---------------------------------------------------------------------------


def _paragraphs(title: str, text: str) -> list[list[str]]:
    """Folded tokens of the title, then of each non-empty line of the text."""
    lines = [fold(title)] + [line for line in fold(text).split("\n") if line.strip()]
    return [_WORD.findall(line) for line in lines]


def _weighed(
    topic: Topic, tokens: list[str], found: list[_Occurrence]
) -> list[tuple[_Term, float]]:
    """Each occurrence with its weight: doubled when another group's evidence is near
    (fewer than `topic.near` words away, in the same clause)."""
    evidence = [i for i, f in enumerate(found) if f[2].role >= 0]
    boosted = set()
    if topic.near and len(evidence) > 1:
        clause = list(accumulate(map(_CLAUSE_ENDS.__contains__, tokens)))
        for k, i in enumerate(evidence):
            start, end, term = found[i]
            for j in evidence[k + 1 :]:  # later starts, in order
                other_start, _, other = found[j]
                if other_start - end >= topic.near:
                    break
                if other.role != term.role and other_start >= end:
                    if clause[start] == clause[other_start]:
                        boosted.update((i, j))
    return [(t, t.weight * 2 if i in boosted else t.weight) for i, (_, _, t) in enumerate(found)]


def _evaluate(topic: Topic, paragraphs: list[list[str]]) -> Match | None:
    if not topic.all_of:
        return None
    matcher = _compile(topic)
    hits = [_weighed(topic, tokens, matcher.find(tokens)) for tokens in paragraphs]
    every = {term for found in hits for term, _ in found}
    if any(term.role == _VETO for term in every):
        return None
    penalty = sum(term.weight for term in every if term.role == _PENALTY)
    count = len(paragraphs)
    if topic.window == "document" or count <= 2:
        windows = [range(count)]
    else:  # the title frames every paragraph
        windows = [(0, p) for p in range(1, count)]
    groups = range(len(topic.all_of))
    best: tuple[float, list[_Term]] | None = None
    for window in windows:
        weighed = [(t, w) for p in window for t, w in hits[p] if t.role >= 0]
        fired = {t.role for t, _ in weighed}
        sums = [sum(w for t, w in weighed if t.role == g) for g in groups]
        if len(fired) < len(groups) or min(sums) < topic.min_group_score:
            continue
        if topic.group_cap is not None:
            sums = [min(s, topic.group_cap) for s in sums]
        score = sum(sums) - penalty
        if best is None or score > best[0]:
            best = (score, [t for t, _ in weighed])
    if best is None or best[0] < topic.min_score:
        return None
    matched = tuple(dict.fromkeys(t.text for t in best[1]))
    return Match(topic=topic.name, score=round(best[0], 3), matched=matched)


def _reads(topic: Topic, language: str | None) -> bool:
    return not (topic.languages and language and language not in topic.languages)


def match(topic: Topic, *, title: str, text: str, language: str | None = None) -> Match | None:
    """The topic's match for this article, or None."""
    return _evaluate(topic, _paragraphs(title, text)) if _reads(topic, language) else None


def match_all(
    topics: Sequence[Topic], *, title: str, text: str, language: str | None = None
) -> list[Match]:
    """Every topic the article matches, in the topics' order (the text is read once)."""
    paragraphs = _paragraphs(title, text)
    found = (_evaluate(t, paragraphs) for t in topics if _reads(t, language))
    return [m for m in found if m is not None]


# ---- highlighting -----------------------------------------------------------------------


def _spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Merged (start, end) ranges of the original text where a term occurs, whole words."""
    folded: list[str] = []
    origin: list[int] = []  # origin[i]: index in `text` of the character folded[i] comes from
    pieces: dict[str, str] = {}
    for index, char in enumerate(text):
        piece = pieces.get(char)
        if piece is None:
            piece = pieces[char] = fold(char)
        folded.append(piece)
        origin += [index] * len(piece)
    tokens = list(_WORD.finditer("".join(folded)))
    matcher = _Matcher(
        _Term(t, words, 1.0, 0) for t in dict.fromkeys(terms) if (words := _words(t))
    )
    merged: list[tuple[int, int]] = []
    for first, end, _ in matcher.find([m.group() for m in tokens]):
        start, stop = origin[tokens[first].start()], origin[tokens[end - 1].end() - 1] + 1
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


def excerpt(text: str, terms: Sequence[str], width: int = 300) -> list[tuple[str, bool]]:
    """About `width` characters around the passage richest in terms, as highlight segments;
    "…" marks a cut end."""
    spans = _spans(text, terms)
    if len(text) <= width:
        return _segments(text, spans)
    start = end = 0
    if spans:
        # The passage holding the most distinct terms; the earliest of equals.
        def richness(i: int) -> int:
            limit = spans[i][0] + width
            return len({fold(text[s:e]) for s, e in spans[i:] if e <= limit})

        anchor = spans[max(range(len(spans)), key=lambda i: (richness(i), -i))]
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
    if stop < len(text):
        segments.append(("…", False))
    return segments


# ---- topics from data -------------------------------------------------------------------


def topic_from_mapping(data: Mapping[str, Any]) -> Topic:
    """A Topic from one parsed [[topics]] table; a ValueError starts with the key at fault."""
    problem = table_problem(data)
    if problem:
        raise ValueError(problem)
    return Topic(**data)  # Topic checks the terms themselves


def builtin_topics() -> tuple[Topic, ...]:
    """The topics used when the configuration names none (data files in crawler/topics/)."""
    return tuple(topic_from_mapping(table) for table in builtin_tables())
