"""Topic matching: pure functions deciding whether an article belongs to a topic.

How terms are written and found in text: `crawler.topics.terms`. An article is read as
its title and its paragraphs (the lines of its text); a very long line, as left by a page
whose paragraphs were not kept apart, is read as runs of sentences of a paragraph's size.
Where terms occur: `crawler.highlight`; here, `excerpt`, the one excerpt of an article
(an alert's, and a search result's snippet), which reads a bounded start.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from weakref import WeakKeyDictionary

from crawler.highlight import highlight as highlight  # one import for matching's callers
from crawler.highlight import passage
from crawler.text import fold
from crawler.topics.terms import (
    CLAUSE_ENDS,
    CORE,
    IGNORE,
    PENALTY,
    VETO,
    WORD,
    Matcher,
    Occurrence,
    Term,
    parse_term,
)

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
    # Strong evidence: a paragraph (or the title) holding one of these where every group
    # gathers min_group_score is the article's core, and penalties spare its windows.
    core_terms: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()  # when set, articles in other known languages never match

    def __post_init__(self) -> None:
        # Accept lists and a weight mapping (as parsed from TOML) yet stay hashable. The
        # values are checked where a topic is read: crawler.config.topics.
        put = object.__setattr__
        put(self, "all_of", tuple(tuple(group) for group in self.all_of))
        for name in ("none_of", "queries", "ignore", "penalties", "core_terms", "languages"):
            put(self, name, tuple(getattr(self, name)))
        if self.channels is not None:
            put(self, "channels", tuple(self.channels))
        weights = self.weights.items() if isinstance(self.weights, Mapping) else self.weights
        put(self, "weights", tuple((str(term), float(w)) for term, w in weights))


@dataclass(frozen=True)
class Match:
    topic: str
    score: float
    matched: tuple[str, ...]


_COMPILED: WeakKeyDictionary[Topic, Matcher] = WeakKeyDictionary()


def _compile(topic: Topic) -> Matcher:
    matcher = _COMPILED.get(topic)
    if matcher is None:
        weights = dict(topic.weights)
        roles = list(enumerate(topic.all_of))
        roles += [(VETO, topic.none_of), (IGNORE, topic.ignore), (PENALTY, topic.penalties)]
        roles.append((CORE, topic.core_terms))
        matcher = _COMPILED[topic] = Matcher(
            Term(text, parse_term(text), weights.get(text, 1.0), role)
            for role, terms in roles
            for text in dict.fromkeys(terms)
        )
    return matcher


# ---- matching ---------------------------------------------------------------------------

# A line longer than _LONG tokens is cut after the first sentence end that closes a run of
# at least _RUN tokens (about a paragraph); a short remainder joins the run before it.
_LONG = 160
_RUN = 60
_SENTENCE_ENDS = frozenset(".!?\u061f")


def _runs(tokens: list[str]) -> list[list[str]]:
    runs: list[list[str]] = []
    start = 0
    for i, token in enumerate(tokens):
        if token in _SENTENCE_ENDS and i + 1 - start >= _RUN:
            runs.append(tokens[start : i + 1])
            start = i + 1
    rest = tokens[start:]
    if runs and len(rest) < _RUN // 2:
        runs[-1] += rest
    elif rest:
        runs.append(rest)
    return runs


def _paragraphs(title: str, text: str) -> list[list[str]]:
    """Folded tokens of the title, then of each non-empty line of the text (or its runs)."""
    lines = [line for line in fold(text).split("\n") if line.strip()]
    paragraphs = [WORD.findall(fold(title))]
    for line in lines:
        tokens = WORD.findall(line)
        paragraphs += _runs(tokens) if len(tokens) > _LONG else [tokens]
    return paragraphs


def _weighed(topic: Topic, tokens: list[str], found: list[Occurrence]) -> list[float]:
    """The weight of each occurrence: doubled when another group's evidence is near
    (fewer than `topic.near` words away, in the same clause). Plain floats, not pairs:
    on term-heavy text, every object that lives on is work for the garbage collector."""
    evidence = [i for i, f in enumerate(found) if f[2].role >= 0]
    boosted: set[int] = set()
    if topic.near and len(evidence) > 1:
        clause = list(accumulate(map(CLAUSE_ENDS.__contains__, tokens)))
        for k, i in enumerate(evidence):
            start, end, term = found[i]
            for later in range(k + 1, len(evidence)):  # later starts, in order; no copy
                j = evidence[later]
                other_start, _, other = found[j]
                if other_start - end >= topic.near:
                    break
                if other.role != term.role and other_start >= end:
                    if clause[start] == clause[other_start]:
                        boosted.update((i, j))
    return [t.weight * 2 if i in boosted else t.weight for i, (_, _, t) in enumerate(found)]


def _evaluate(topic: Topic, paragraphs: list[list[str]]) -> Match | None:
    if not topic.all_of:
        return None
    matcher = _compile(topic)
    found = [matcher.find(tokens) for tokens in paragraphs]
    weights = [_weighed(topic, tokens, f) for tokens, f in zip(paragraphs, found, strict=True)]
    hits = [[term for _, _, term in f] for f in found]  # per paragraph, the terms found
    every = {term for terms in hits for term in terms}
    if any(term.role == VETO for term in every):
        return None
    penalty = sum(term.weight for term in every if term.role == PENALTY)
    groups = len(topic.all_of)
    fired: list[set[int]] = []  # per paragraph: the groups that fired, and their weight
    sums: list[list[float]] = []
    for terms, weight in zip(hits, weights, strict=True):
        fired.append({t.role for t in terms if t.role >= 0})
        sums.append([0.0] * groups)
        for t, w in zip(terms, weight, strict=True):
            if t.role >= 0:
                sums[-1][t.role] += w

    def enough(roles: set[int], weight: Sequence[float]) -> bool:
        return len(roles) == groups and min(weight) >= topic.min_group_score

    cores = {
        p
        for p, terms in enumerate(hits)
        if any(t.role == CORE for t in terms) and enough(fired[p], sums[p])
    }
    count = len(paragraphs)
    if topic.window == "document" or count <= 2:
        windows: list[Sequence[int]] = [range(count)]
    else:  # the title frames every paragraph
        windows = [(0, p) for p in range(1, count)]
    best: tuple[float, Sequence[int]] | None = None
    for window in windows:
        weight = [sum(sums[p][g] for p in window) for g in range(groups)]
        if not enough(set().union(*(fired[p] for p in window)), weight):
            continue
        if topic.group_cap is not None:
            weight = [min(w, topic.group_cap) for w in weight]
        score = sum(weight) - (0.0 if cores.intersection(window) else penalty)
        if best is None or score > best[0]:
            best = (score, window)
    if best is None or best[0] < topic.min_score:
        return None
    matched = tuple(dict.fromkeys(t.text for p in best[1] for t in hits[p] if t.role >= 0))
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


# ---- excerpts ---------------------------------------------------------------------------

# Alerts and search results show the stored text, which can be a whole page of up to 5 MB;
# the excerpt reads only its first 200 KB, so one huge article cannot stall the delivery of
# the others.
# That is crawl.max_text_size's default: with it, every term the match saw is in reach.
EXCERPT_SCAN = 200 * 1024  # bytes of UTF-8


def capped_text(text: str, limit: int) -> tuple[str, bool]:
    """The text cut to at most `limit` bytes of UTF-8, and whether it was cut.

    A cut falls between characters, at the last line break in the final eighth of what
    fits, else at the last space there, else right at the limit. Work is bounded by
    `limit`, not by the length of the text.
    """
    if len(text) <= limit // 4:  # no character takes more than 4 bytes
        return text, False
    # surrogatepass: JSON input can hold lone surrogates; they take 3 bytes like others.
    head = text[: max(limit, 0)].encode("utf-8", "surrogatepass")
    if len(head) <= limit and len(text) <= limit:
        return text, False
    end = max(limit, 0)
    while 0 < end < len(head) and head[end] & 0xC0 == 0x80:  # a continuation byte
        end -= 1
    fits = len(head[:end].decode("utf-8", "surrogatepass"))
    floor = fits - fits // 8
    cut = text.rfind("\n", floor, fits)
    if cut <= 0:
        cut = text.rfind(" ", floor, fits)
    return text[: cut if cut > 0 else fits].rstrip(), True


def excerpt(text: str, terms: Sequence[str], width: int = 300) -> list[tuple[str, bool]]:
    """About `width` characters around the passage richest in terms (written as topic
    terms), as highlight segments; "…" marks a cut end. Only the first EXCERPT_SCAN bytes
    of the text are read."""
    text, capped = capped_text(text, EXCERPT_SCAN)
    return passage(text, terms, width, cut=capped)
