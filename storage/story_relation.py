"""Verdicts on two articles' story features (storage.story_text): is the later a copy
of the earlier, a follow-up of it, or another story? Pure functions, features in,
verdicts out."""

from __future__ import annotations

from typing import Literal

from storage.story_text import MIN_WORDS, SHINGLE, StoryText, stem

Relation = Literal["copy", "follow_up"]

# Thresholds, chosen on tests/stories/pairs.jsonl (see tests/stories/test_pairs.py):
# COPY_LEAD: a copy keeps the earlier lead but for a dateline and a few changed words,
#   while a follow-up's lead is its own: share of the shorter lead's shingles found in
#   the other lead.
COPY_LEAD = 0.5
# COPY_BODY: share of the shorter body's shingles found in the longer one; a shorter
#   copy is wholly inside its original, an edited one mostly.
COPY_BODY = 0.5
# FOLLOW_RUN: the later body must take up a whole sentence or more of the earlier one:
#   consecutive shared shingles. On the labelled pairs every follow-up has a run of 38
#   or more, while different stories on the same people or matter reach 19 at most
#   (names and set phrases of the press). FOLLOW_TOPIC: share of the later lead's
#   words found in the earlier title and lead (same people, places, matter; Arabic
#   words without their clitics): follow-ups start at 0.19.
# FOLLOW_MATTER: share of the taken-up text's words that name the earlier story's matter
#   (its title and lead words): follow-ups from 0.14 (two background paragraphs lower),
#   a site's boilerplate block at most 0.10.
FOLLOW_RUN = 25
FOLLOW_TOPIC = 0.2
FOLLOW_MATTER = 0.12


def relation(later: StoryText, earlier: StoryText, ignore: frozenset[int] = frozenset(),
             *, same_source: bool = False) -> Relation | None:
    """Is `later` a copy of `earlier`, a follow-up of it, or another story (None)?

    `ignore`: shingles that say nothing of a story (boilerplate shared by a whole site).
    `same_source`: both come from one site. A site does not copy its own stories; what
    two of its articles share is more likely its own boilerplate (a cookie notice before
    the lead), so a copy there must also keep the headline (a republished article).
    """
    if later.words < MIN_WORDS or earlier.words < MIN_WORDS:
        return None
    # Cheapest tests first: most candidates share a chunk by chance and fail on the lead.
    if _lead_overlap(later, earlier) >= COPY_LEAD:
        # Alike leads: a copy, or no relation at all: a bulletin of one template with
        # other figures, or a site's boilerplate standing before two leads. A follow-up
        # is told by a lead of its own.
        if not same_lead(later, earlier) or (
                same_source and _overlap(later.title_words, earlier.title_words) < 0.5):
            return None
        shared = len((later.shingles & earlier.shingles) - ignore)
        smaller = min(len(later.shingles - ignore), len(earlier.shingles - ignore)) or 1
        return "copy" if shared / smaller >= COPY_BODY else None
    if (_topic_overlap(later, earlier) >= FOLLOW_TOPIC
            and longest_shared_run(later, earlier, ignore) >= FOLLOW_RUN
            and shared_matter(later, earlier, ignore) >= FOLLOW_MATTER):
        return "follow_up"
    return None


def same_matter(later: frozenset[str], earlier: frozenset[str]) -> bool:
    """The later title and lead speak of what the earlier title and lead speak of
    (arguments: their `matter_words`)."""
    return bool(later) and len(later & earlier) / len(later) >= FOLLOW_TOPIC


def same_lead(a: StoryText, b: StoryText) -> bool:
    """The same lead: its wording (a few words aside) and its figures and dates. Figures
    one lead adds (a site's name such as «الأيام 24») do not make it another lead;
    figures each lead has and the other lacks (another week's toll) do."""
    numbers_differ = bool(a.lead_numbers - b.lead_numbers) and bool(
        b.lead_numbers - a.lead_numbers)
    return _lead_overlap(a, b) >= COPY_LEAD and not numbers_differ


def shared_matter(later: StoryText, earlier: StoryText,
                  ignore: frozenset[int] = frozenset()) -> float:
    """Share of the words of the text `later` takes up from `earlier` that name what the
    earlier story is about (its title and lead): background of the same matter does,
    a site's newsletter box does not."""
    found = earlier.shingles - ignore
    shared: set[str] = set()
    for index, shingle in enumerate(later.sequence):
        if shingle in found:
            shared.update(later.tokens[index: index + SHINGLE])
    content = {stem(w) for w in shared if len(w) > 2 and not w.isdigit()}
    return len(content & earlier.lead_words) / len(content) if content else 0.0


def longest_shared_run(later: StoryText, earlier: StoryText,
                       ignore: frozenset[int] = frozenset()) -> int:
    """The longest run of consecutive shingles of `later` found in `earlier`: a sentence
    taken up makes a long run, names and set phrases common to the press only short ones."""
    best = run = 0
    found = earlier.shingles
    for shingle in later.sequence:
        if shingle in found and shingle not in ignore:
            run += 1
            best = max(best, run)
        else:
            run = 0
    return best


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def _lead_overlap(a: StoryText, b: StoryText) -> float:
    smaller = min(len(a.lead), len(b.lead))
    return len(a.lead & b.lead) / smaller if smaller else 0.0


def _topic_overlap(later: StoryText, earlier: StoryText) -> float:
    if not later.lead_words:
        return 0.0
    return len(later.lead_words & earlier.lead_words) / len(later.lead_words)
