"""Story identity: pure functions deciding which copies of an article are one story."""

from __future__ import annotations

import hashlib

from crawler.text import fold, squash_spaces

# Below this many characters (after folding) a body is too generic to prove
# that two pages carry the same story: such an article gets a story of its own.
MIN_FINGERPRINT_CHARS = 200
STORY_KEY_CHARS = 16


def fingerprint(text: str) -> str | None:
    """SHA-256 of the folded, space-squashed body; None for empty or very short bodies."""
    body = squash_spaces(fold(text or ""))
    if len(body) < MIN_FINGERPRINT_CHARS:
        return None
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def story_key_for_fingerprint(print_: str) -> str:
    return print_[:STORY_KEY_CHARS]


def story_key_for_url_key(key: str) -> str:
    """The story of a short-bodied article: its own, named after its URL identity."""
    # The prefix keeps these keys apart from fingerprint-derived ones.
    return hashlib.sha256(f"url:{key}".encode()).hexdigest()[:STORY_KEY_CHARS]


def body_length(text: str) -> int:
    """How much body text an article has, the measure for "better content"."""
    return len(squash_spaces(text or ""))
