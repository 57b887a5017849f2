"""What a body says about its story: pure functions, text in, features out (the verdicts
on two articles' features are storage.story_relation's).

Two articles are one story when one is a copy of the other (a wire dispatch taken
up by another site, however edited); a later article is a follow-up when it takes
up text of an earlier one under a lead of its own. Both are decided on word
shingles of the folded body (crawler.text.fold: the archive's one folding).

Candidates are found by MinHash with LSH banding, not on the whole body but on
content-defined chunks of about 30 words: a shorter copy (the first paragraphs
only) or a follow-up that quotes one paragraph shares whole chunks with its
earlier article although the two bodies, as wholes, resemble each other little;
and chunk boundaries fall on the same words whatever a site does to paragraph
breaks. See storage.story_index for the table the bands go to.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from crawler.text import ARABIC_LETTERS, fold
from crawler.topics.terms import CLITIC_CONJUNCTIONS, CLITIC_PARTICLES
from storage.records import PreparedStory

SHINGLE = 3  # words per shingle: one changed word breaks only three shingles
# A chunk ends after a word whose hash is 0 modulo CHUNK_EVERY, but never before
# CHUNK_MIN words nor after CHUNK_MAX: the same words end chunks in every copy.
CHUNK_EVERY, CHUNK_MIN, CHUNK_MAX = 24, 12, 64
# 16 MinHash values per chunk: a chunk alike at 0.8 (Jaccard) is found 9 times in 10, and
# a copy shares several chunks; more bands cost index rows on every article.
BANDS, ROWS = 4, 4
MAX_WORDS = 4000  # words read of a body: enough for any copy decision, and bounded
LEAD_WORDS = 15  # the lead: the first paragraph, or the first ones up to this many words

# Copies and follow-ups are only told apart from other stories on bodies of some length:
# a short body (a caption, a brief) shares its few words with too many others.
MIN_WORDS = 30

_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")

# «الرباط (و م ع) –», «Rabat (MAP) -», «PARIS, 3 mars (AFP) —»: a place (and an agency,
# a date) before a dash, at the very start of a dispatch.
_DATELINE = re.compile(r"^\s*[^\n.!?؟–—:-]{1,50}?(?:\([^)\n]{1,25}\))?\s*[–—:-]+\s+")

_RNG = np.random.default_rng(20260101)  # fixed: signatures are stored in the archive
_A = _RNG.integers(1, 2**63, size=BANDS * ROWS, dtype=np.uint64) | np.uint64(1)
_B = _RNG.integers(0, 2**63, size=BANDS * ROWS, dtype=np.uint64)
_ROW_MIX = _RNG.integers(1, 2**63, size=ROWS, dtype=np.uint64) | np.uint64(1)
_BAND_SALT = _RNG.integers(0, 2**63, size=BANDS, dtype=np.uint64)  # band i's hashes apart
_HASHES: dict[str, int] = {}
_HASHES_MAX = 500_000  # words remembered: a few tens of MB at most
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9],
                dtype=np.uint64)


@dataclass(frozen=True)
class StoryText:
    """The features of one body that story decisions read."""

    words: int
    sequence: tuple[int, ...]  # the body's shingles in order
    tokens: tuple[str, ...]  # the body's folded words: shingle i covers tokens[i:i + SHINGLE]
    shingles: frozenset[int]
    lead: frozenset[int]  # shingles of the lead, dateline left out
    lead_numbers: frozenset[str]  # figures and dates of the lead
    lead_words: frozenset[str]  # folded words of the title and lead
    title_words: frozenset[str]
    bands: tuple[tuple[int, ...], ...]  # per chunk: BANDS band hashes (signed 64-bit)
    chunks: tuple[tuple[int, int], ...]  # per chunk: its range of `sequence`


def story_text(title: str, text: str, *, folded: bool = False, bands: bool = True
               ) -> StoryText:
    """Features of an article for story decisions; cheap enough for every article.

    `folded`: title and text are already folded (the archive keeps them so for full-text
    search). `bands`: compute the LSH bands too (only a new article's are looked up).
    """
    title = (title or "") if folded else fold(title or "")
    text = (text or "") if folded else fold(text or "")
    paragraphs = [p for p in text.split("\n") if p.strip()]
    title_words = {stem(w) for w in _words(title)}
    lead_text = _lead(paragraphs)
    words = _words(text)[:MAX_WORDS]
    hashes = _word_hashes(words)
    shingles = _shingles(hashes)
    chunks = [(start, max(start + 1, end - SHINGLE + 1)) for start, end in _chunks(hashes)
              if end - start >= SHINGLE]
    lead_words = _words(lead_text)
    return StoryText(
        words=len(hashes),
        sequence=tuple(shingles.tolist()),
        tokens=tuple(words),
        shingles=frozenset(shingles.tolist()),
        lead=frozenset(_shingles(_word_hashes(lead_words)).tolist()),
        lead_numbers=frozenset(_DIGITS.findall(lead_text)),
        lead_words=frozenset(w for w in {*title_words, *map(stem, lead_words)}
                             if len(w) > 2 and not w.isdigit()),
        title_words=frozenset(w for w in title_words if len(w) > 2),
        bands=_bands(shingles, chunks) if bands else (),
        chunks=tuple(chunks),
    )


def prepare_story(title: str, text: str) -> PreparedStory:
    """What placing an article with this title and text in a story computes first."""
    folded_title, folded_text = fold(title), fold(text)
    return PreparedStory(title, text, folded_title, folded_text,
                         story_text(folded_title, folded_text, folded=True))


def _words(folded: str) -> list[str]:
    return _WORD.findall(folded)


def _lead(paragraphs: list[str]) -> str:
    """The first paragraph (with the next ones while shorter than LEAD_WORDS words: a
    one-line opening is no lead), without a dispatch's dateline. Longer leads made copies
    that dropped their second paragraph look like follow-ups on the real excerpts."""
    taken: list[str] = []
    count = 0
    for paragraph in paragraphs:
        taken.append(paragraph)
        count += len(paragraph.split())
        if count >= LEAD_WORDS:
            break
    lead = " ".join(taken)
    stripped = _DATELINE.sub("", lead, count=1)
    # Only a short prefix is a dateline; a long one was the lead's own first clause.
    return stripped if len(lead.split()) - len(stripped.split()) <= 8 else lead


_PARTICLES = sorted(CLITIC_PARTICLES[1:], key=len, reverse=True)  # longest first


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """An Arabic word without its attached conjunction and particle (والأمن -> امن after
    folding), so that «بطنجة» and «طنجة» count as one word; other words as they are."""
    if not ARABIC_LETTERS.match(word):
        return word
    for conjunction in CLITIC_CONJUNCTIONS[1:]:
        if word.startswith(conjunction) and len(word) - len(conjunction) >= 3:
            word = word[len(conjunction):]
            break
    for particle in _PARTICLES:
        if word.startswith(particle) and len(word) - len(particle) >= 3:
            return word[len(particle):]
    return word


def _word_hashes(words: list[str]) -> np.ndarray:
    """A stable 64-bit hash per word (hash() changes from one process to the next),
    remembered: the words of news text recur, so most are looked up, not computed."""
    known = _HASHES
    if len(known) > _HASHES_MAX:
        known.clear()
    # difference() with a dict looks each word up; `- known.keys()` would copy the cache.
    for word in set(words).difference(known):
        encoded = word.encode()
        known[word] = zlib.crc32(encoded) << 32 | zlib.crc32(encoded, 0x9E3779B9)
    return np.fromiter(map(known.__getitem__, words), dtype=np.uint64, count=len(words))


def _shingles(hashes: np.ndarray) -> np.ndarray:
    if len(hashes) < SHINGLE:
        return hashes.copy()
    count = len(hashes) - SHINGLE + 1
    out = hashes[:count] * _MIX[0]
    with np.errstate(over="ignore"):
        for offset in range(1, SHINGLE):
            out = (out ^ (hashes[offset: count + offset] * _MIX[offset]))
    return out


def _chunks(hashes: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) word ranges of the content-defined chunks."""
    ends = (np.nonzero((hashes >> np.uint64(40)) % np.uint64(CHUNK_EVERY) == 0)[0] + 1)
    chunks, start = [], 0
    for end in [*ends.tolist(), len(hashes)]:
        while end - start > CHUNK_MAX:
            chunks.append((start, start + CHUNK_MAX))
            start += CHUNK_MAX
        if end - start >= CHUNK_MIN or (end == len(hashes) and end > start):
            chunks.append((start, end))
            start = end
    return chunks


def _bands(shingles: np.ndarray, chunks: list[tuple[int, int]]) -> tuple[tuple[int, ...], ...]:
    """Per chunk (a range of shingles), its LSH band hashes: BANDS hashes of ROWS MinHash
    values each, as signed 64-bit integers (SQLite's)."""
    if not chunks:
        return ()
    with np.errstate(over="ignore"):
        permuted = (shingles[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(16)
        signatures = np.minimum.reduceat(permuted, [a for a, _ in chunks], axis=0)
        rows = signatures.reshape(len(chunks), BANDS, ROWS) * _ROW_MIX[None, None, :]
        mixed = np.bitwise_xor.reduce(rows, axis=2) + _BAND_SALT[None, :]
    return tuple(tuple(row) for row in mixed.view(np.int64).tolist())


def matter_words(folded_title: str, folded_text: str) -> frozenset[str]:
    """The words of a title and lead (as `StoryText.lead_words`), read from the start of
    the text only: what a read-also link is checked with, for a fraction of the cost."""
    paragraphs = [p for p in folded_text[:3000].split("\n") if p.strip()]
    words = {stem(w) for w in (*_words(folded_title), *_words(_lead(paragraphs)))}
    return frozenset(w for w in words if len(w) > 2 and not w.isdigit())
