"""Email header values built here, so that every mail client reads them back whole.

The standard library's folding of a long unstructured header can lose the space at an
encoded-word boundary, or leave an encoded-word unterminated, on Arabic and accented
subjects. So a header carrying page text is folded here and stored as is
(`Message.set_raw`): plain ASCII words folded at their spaces, or, when the text holds
anything else, RFC 2047 base64 encoded-words. Each encoded-word holds whole characters,
its spaces included: readers drop the folding white space between two encoded-words
(RFC 2047 §6.2), so that white space carries nothing. Every line fits in 76 characters,
which keeps the policy from folding the value again.
"""

from __future__ import annotations

import base64

LINE_MAX = 76  # RFC 2047 §2: a line holding encoded-words is at most 76 characters
FOLD = "\r\n "
_OPEN, _CLOSE = "=?utf-8?b?", "?="


def header_value(name: str, text: str) -> str:
    """The value of header `name` carrying `text`, folded (CRLF and a space between
    lines) with each line of the header, its name included, within LINE_MAX."""
    first = LINE_MAX - len(name) - len(": ")
    if not text:
        return ""
    if _plain(text, first):
        return FOLD.join(_folded(text.split(" "), first))
    return FOLD.join(_encoded_words(text, first))


def _plain(text: str, first: int) -> bool:
    """Printable ASCII that no reader could take for an encoded-word, single-spaced
    (folding only ever adds or removes the line break before a space), and whose every
    word fits on a line of its own."""
    if not text.isascii() or not text.isprintable() or "=?" in text:
        return False
    words = text.split(" ")
    if not all(words):  # a leading, trailing or double space
        return False
    return len(words[0]) <= first and all(len(word) < LINE_MAX for word in words)


def _folded(words: list[str], first: int) -> list[str]:
    lines = [words[0]]
    room = first
    for word in words[1:]:
        if len(lines[-1]) + 1 + len(word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
            room = LINE_MAX - len(" ")  # a continuation line starts with the folding space
    return lines


def _capacity(room: int) -> int:
    """The most bytes whose base64 encoded-word fits in `room` characters."""
    return (room - len(_OPEN) - len(_CLOSE)) // 4 * 3


def _encoded_words(text: str, first: int) -> list[str]:
    """`text` as base64 encoded-words, never splitting a character's bytes."""
    words: list[str] = []
    chunk = b""
    limit = _capacity(first)
    for char in text:
        # A lone surrogate cannot be UTF-8: it becomes "?" rather than a broken word.
        data = char.encode("utf-8", "replace")
        if chunk and len(chunk) + len(data) > limit:
            words.append(_OPEN + base64.b64encode(chunk).decode("ascii") + _CLOSE)
            chunk = b""
            limit = _capacity(LINE_MAX - len(" "))
        chunk += data
    words.append(_OPEN + base64.b64encode(chunk).decode("ascii") + _CLOSE)
    return words
