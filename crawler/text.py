"""The one text folder: Arabic- and Latin-aware normalisation for search and matching.

Folding makes spellings that readers treat as the same word compare equal:
hamza carriers (أ إ آ ٱ ؤ ئ), ta marbuta (ة → ه), alif maqsura (ى → ي),
diacritics, tatweel, Eastern Arabic digits, Latin case and accents.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that show nothing, yet change how text reads or compares: bidi embeddings,
# overrides and isolates, direction marks, joiners and the BOM. A page could use them to
# make a title read differently from what it is. Folding drops them, and so does every
# line of page text an alert shows (alerts.escaping.flatten).
INVISIBLE = (
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings, pop, overrides
    "\u2066\u2067\u2068\u2069"  # isolates
    "\u200e\u200f\u061c"  # left-to-right, right-to-left and Arabic letter marks
    "\u200c\u200d"  # zero-width non-joiner and joiner
    "\ufeff"  # byte order mark
)

_EXTRA: dict[str, str | None] = {
    "ة": "ه",
    "ى": "ي",
    "ٱ": "ا",
    "ـ": None,  # tatweel
    "œ": "oe",
    "Œ": "oe",
    "æ": "ae",
    "Æ": "ae",
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    **dict.fromkeys(INVISIBLE),
}


def _combining_marks() -> re.Pattern[str]:
    marks = [cp for cp in range(0x300, 0x10000) if unicodedata.category(chr(cp)) == "Mn"]
    ranges, start, previous = [], marks[0], marks[0]
    for cp in [*marks[1:], -1]:
        if cp != previous + 1:
            ranges.append(f"\\u{start:04x}-\\u{previous:04x}")
            start = cp
        previous = cp
    return re.compile(f"[{''.join(ranges)}]+")


# str.translate looks every character up in a dict, which is slow on long Arabic
# texts; one regex pass for the marks and str.replace for the few others is ~5x faster.
_MARKS = _combining_marks()
_REPLACEMENTS = tuple(
    [(k, v or "") for k, v in _EXTRA.items()]
    + [(chr(zero + i), str(i)) for zero in (0x660, 0x6F0) for i in range(10)]
)
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Fold text for comparison: the same function at indexing and at query time.

    NFKD splits hamza carriers into a base letter plus a combining hamza,
    which is then dropped with the other combining marks.
    """
    if not text:
        return ""
    text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    for old, new in _REPLACEMENTS:
        if old in text:
            text = text.replace(old, new)
    return text.casefold()


def squash_spaces(text: str) -> str:
    """Collapse runs of white space to one space and trim the ends."""
    return _SPACES.sub(" ", text).strip()


ARABIC_LETTERS = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]")
LATIN_LETTERS = re.compile(r"[A-Za-z\u00C0-\u024F]")


def guess_language(text: str, default: str | None = None) -> str | None:
    """"ar" when Arabic letters dominate, "fr" or "en" for Latin text, else default."""
    sample = text[:4000]
    arabic = len(ARABIC_LETTERS.findall(sample))
    latin = len(LATIN_LETTERS.findall(sample))
    if arabic == 0 and latin == 0:
        return default
    if arabic >= latin:
        return "ar"
    words = set(re.findall(r"[a-zà-ÿ']+", sample.lower()))
    french = len(words & _FRENCH_WORDS)
    english = len(words & _ENGLISH_WORDS)
    if french == english == 0:
        return default if default in ("fr", "en") else "fr"
    return "fr" if french >= english else "en"


_FRENCH_WORDS = frozenset(
    "le la les des du un une et est dans pour que qui sur par avec au aux ces cette "
    "ont été sont pas plus il elle ils selon entre lors".split()
)
_ENGLISH_WORDS = frozenset(
    "the of and to in is that for on with as was by are from at this have has "
    "were which said its their".split()
)
