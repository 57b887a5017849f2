"""Translating a user's search query into an FTS5 expression over folded text (pure).

The user keeps FTS5's syntax: AND / OR / NOT (upper case), "phrases", prefix*,
parentheses, NEAR(a b, N) and title: / text: column filters. Every word and
phrase is folded exactly as the index was (crawler.text.fold); a word that is
not a valid FTS5 bareword after folding (l'armée, Paris-Rabat) becomes a quoted
phrase, so punctuation can never be read as syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.text import fold
from storage.errors import SearchSyntaxError

OPERATORS = frozenset({"AND", "OR", "NOT"})
COLUMNS = ("title", "text")
_TOKEN = re.compile(r'\s+|"(?:[^"]|"")*"|"|[(),*]|[^\s"(),*]+')


@dataclass(frozen=True)
class FtsQuery:
    expression: str  # what goes to MATCH, as a parameter
    terms: tuple[str, ...]  # folded words searched for, to pick an excerpt


def _shown(query: str) -> str:
    return repr(query if len(query) <= 80 else query[:77] + "...")


def _bareword_ok(word: str) -> bool:
    return all(ord(c) > 127 or (c.isascii() and (c.isalnum() or c == "_")) for c in word)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _has_letters(text: str) -> bool:
    return any(c.isalnum() for c in text)


def translate(query: str) -> FtsQuery:
    """The FTS5 expression for a user query; SearchSyntaxError when it cannot be one."""
    shown = _shown(query)
    pieces = [t for t in _TOKEN.findall(query or "") if not t.isspace()]
    out: list[str] = []
    terms: list[str] = []
    groups: list[bool] = []  # open parentheses; True for a NEAR( group
    last_was_term = False
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        index += 1
        is_term = False
        if piece == '"':
            raise SearchSyntaxError(f"bad search query {shown}: a quoted phrase is not closed")
        if piece.startswith('"'):
            phrase = fold(piece[1:-1].replace('""', '"'))
            out.append(_quote(phrase))
            terms.extend(re.findall(r"\w+", phrase))
            is_term = True
        elif piece == "*":
            if not last_was_term:
                raise SearchSyntaxError(
                    f"bad search query {shown}: '*' must end a word, as in secur*")
            out[-1] += "*"
        elif piece == "(":
            groups.append(False)
            out.append("(")
        elif piece == ")":
            if not groups:
                raise SearchSyntaxError(f"bad search query {shown}: ')' has no matching '('")
            groups.pop()
            out.append(")")
        elif piece == ",":
            if groups and groups[-1]:
                out.append(",")  # NEAR(a b, 5); anywhere else a comma separates words
        elif piece in OPERATORS:
            out.append(piece)
        elif piece == "NEAR" and index < len(pieces) and pieces[index] == "(":
            index += 1
            groups.append(True)
            out.append("NEAR(")
        else:
            is_term = _word(piece, out, terms)
        last_was_term = is_term
    if groups:
        raise SearchSyntaxError(f"bad search query {shown}: '(' is not closed")
    if not terms:
        raise SearchSyntaxError(f"bad search query {shown}: no word to search for")
    return FtsQuery(" ".join(out), tuple(dict.fromkeys(terms)))


def _word(piece: str, out: list[str], terms: list[str]) -> bool:
    """Append one bareword (maybe with a column filter); False when nothing searchable."""
    for column in COLUMNS:
        if piece.lower().startswith(column + ":"):
            out.append(column + ":")
            piece = piece[len(column) + 1:]
            break
    folded = fold(piece)
    if not _has_letters(folded):
        return False
    out.append(folded if _bareword_ok(folded) else _quote(folded))
    terms.extend(re.findall(r"\w+", folded))
    return True


def explain_fts_error(query: str, message: str) -> str:
    """A one-line user message for an SQLite FTS5 error about this query."""
    shown = _shown(query)
    found = re.search(r'syntax error near "(.*)"', message)
    if found is not None:
        near = found.group(1)
        if not near:
            return (f"bad search query {shown}: it ends too early"
                    " (an operator or NEAR has no term after it)")
        return (f"bad search query {shown}: unexpected {near!r}"
                " (AND, OR, NOT and NEAR need a term on each side)")
    return f"bad search query {shown}: {message.splitlines()[0] if message else 'invalid'}"


def excerpt(text: str, terms: tuple[str, ...], *, words: int = 30) -> str:
    """About `words` words of the original text around the first searched term."""
    parts = text.split()
    if not parts:
        return ""
    first = next(
        (i for i, part in enumerate(parts) if any(term in fold(part) for term in terms)), None
    )
    start = 0 if first is None else max(0, first - words // 3)
    piece = " ".join(parts[start:start + words])
    if start > 0:
        piece = "… " + piece
    if start + words < len(parts):
        piece += " …"
    return piece
