"""Translating a user's search query into an FTS5 expression over folded text (pure).

The user keeps FTS5's syntax: AND / OR / NOT (upper case), "phrases", prefix*,
parentheses, NEAR(a b, N) and title: / text: column filters. Every word and
phrase is folded exactly as the index was (crawler.text.fold); a word that is
not a valid FTS5 bareword after folding (l'armée, Paris-Rabat) becomes a quoted
phrase, so punctuation can never be read as syntax.

An Arabic word also finds itself with attached clitics, as topic terms do
(crawler.topics.terms, same list): «إرهاب» becomes an OR group of «إرهاب», «الإرهاب»,
«والإرهاب», «بالإرهاب», «للإرهاب»…, and «الإرهاب» drops its own article first, so it
finds «إرهاب» and «بإرهاب» too. Only prefixes are added: «من» never finds «أمن». A
quoted phrase stays exact (folding only), so quotes are how to ask for one form;
words inside NEAR(…) stay exact too, since FTS5 takes only phrases there. FTS5 has no
implicit AND next to a parenthesised group, and an implicit AND binds tighter than NOT,
so a run of words holding such a group becomes "(a AND b)": the same meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.text import fold
from crawler.topics.terms import CLITIC_CONJUNCTIONS, CLITIC_PARTICLES, parse_term
from storage.errors import SearchSyntaxError

OPERATORS = frozenset({"AND", "OR", "NOT"})
COLUMNS = ("title", "text")
_TOKEN = re.compile(r'\s+|"(?:[^"]|"")*"|"|[(),*]|[^\s"(),*]+')
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]\w*")


@dataclass(frozen=True)
class FtsQuery:
    expression: str  # what goes to MATCH, as a parameter
    # The folded words searched for, written as topic terms (a prefix keeps its `*`), so
    # that the result's snippet finds them as the index did (crawler.matching.excerpt).
    terms: tuple[str, ...]


def _shown(query: str) -> str:
    return repr(query if len(query) <= 80 else query[:77] + "...")


def _bareword_ok(word: str) -> bool:
    return all(ord(c) > 127 or (c.isascii() and (c.isalnum() or c == "_")) for c in word)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _has_letters(text: str) -> bool:
    return any(c.isalnum() for c in text)


@dataclass
class _Operand:
    """One searched word or phrase: its alternative forms, column filter and `*`."""

    forms: list[str]
    column: str = ""
    star: bool = False

    @property
    def grouped(self) -> bool:
        return len(self.forms) > 1

    def render(self) -> str:
        star = "*" if self.star else ""
        if not self.grouped:
            return self.column + self.forms[0] + star
        return self.column + "(" + " OR ".join(form + star for form in self.forms) + ")"


def translate(query: str) -> FtsQuery:
    """The FTS5 expression for a user query; SearchSyntaxError when it cannot be one."""
    shown = _shown(query)
    pieces = [t for t in _TOKEN.findall(query or "") if not t.isspace()]
    items: list[str | _Operand] = []
    terms: list[str] = []
    groups: list[int | None] = []  # open parentheses; a NEAR( group keeps where it began
    last_was_term = False
    last_added = False  # the last piece added words to `terms`
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        index += 1
        is_term = False
        before = len(terms)
        if piece == '"':
            raise SearchSyntaxError(f"bad search query {shown}: a quoted phrase is not closed")
        if piece.startswith('"'):
            phrase = fold(piece[1:-1].replace('""', '"'))
            items.append(_Operand([_quote(phrase)]))
            terms.extend(re.findall(r"\w+", phrase))
            is_term = True
        elif piece == "*":
            last = items[-1] if last_was_term else None
            if not isinstance(last, _Operand):
                raise SearchSyntaxError(
                    f"bad search query {shown}: '*' must end a word, as in secur*")
            last.star = True
            if last_added:
                terms[-1] += "*"
        elif piece == "(":
            groups.append(None)
            items.append("(")
        elif piece == ")":
            if not groups:
                raise SearchSyntaxError(f"bad search query {shown}: ')' has no matching '('")
            start = groups.pop()
            items.append(")")
            if start is not None:  # a NEAR group is one operand of what surrounds it
                near = " ".join(_render(items[start:]))
                items[start:] = [_Operand([near])]
        elif piece == ",":
            if groups and groups[-1] is not None:
                _check_distance(pieces, index, shown)
                items.append(",")  # NEAR(a b, 5); anywhere else a comma separates words
        elif piece in OPERATORS:
            items.append(piece)
        elif piece == "NEAR" and index < len(pieces) and pieces[index] == "(":
            index += 1
            groups.append(len(items))
            items.append("NEAR(")
        else:
            in_near = bool(groups) and groups[-1] is not None
            is_term = _word(piece, items, terms, expand=not in_near)
        last_was_term = is_term
        last_added = len(terms) > before
    if groups:
        raise SearchSyntaxError(f"bad search query {shown}: '(' is not closed")
    if not terms:
        raise SearchSyntaxError(f"bad search query {shown}: no word to search for")
    return FtsQuery(" ".join(_render(items)), tuple(dict.fromkeys(terms)))


def _check_distance(pieces: list[str], index: int, shown: str) -> None:
    """NEAR(a b, N): after the comma comes a whole number, then the closing parenthesis.
    FTS5 itself would fail on anything else with an error that is not about syntax."""
    distance = fold(pieces[index]) if index < len(pieces) else ""
    after = pieces[index + 1] if index + 1 < len(pieces) else ")"
    if not (distance.isascii() and distance.isdigit()) or after != ")":
        raise SearchSyntaxError(
            f"bad search query {shown}: NEAR(…, N) takes a whole number of words as N")


def _render(items: list[str | _Operand]) -> list[str]:
    """The expression's parts; a run of operands holding an OR group is bracketed."""
    out: list[str] = []
    run: list[_Operand] = []
    for item in [*items, ""]:
        if isinstance(item, _Operand):
            run.append(item)
            continue
        if len(run) > 1 and any(operand.grouped for operand in run):
            out.append("(" + " AND ".join(operand.render() for operand in run) + ")")
        else:
            out.extend(operand.render() for operand in run)
        run = []
        if item:
            out.append(item)
    return out


def clitic_forms(word: str) -> list[str]:
    """A folded word and the same word with attached Arabic clitics, itself first."""
    if not _ARABIC_WORD.fullmatch(word):
        return [word]
    stem = parse_term(word)[0][0]  # «الإرهاب» drops its own article, as a topic term does
    if len(stem) < 2:
        return [word]
    return list(dict.fromkeys(
        c + p + stem for c in CLITIC_CONJUNCTIONS for p in CLITIC_PARTICLES))


def _word(piece: str, items: list[str | _Operand], terms: list[str], *, expand: bool) -> bool:
    """Append one bareword (maybe with a column filter); False when nothing searchable."""
    column = ""
    for name in COLUMNS:
        if piece.lower().startswith(name + ":"):
            column = name + ": "
            piece = piece[len(name) + 1:]
            break
    folded = fold(piece)
    if not _has_letters(folded):
        if column:
            items.append(column.strip())  # title:(a OR b): the filter takes the group
        return False
    forms = clitic_forms(folded) if expand else [folded]
    if len(forms) > 1:
        items.append(_Operand([_quote(form) for form in forms], column))
        terms.append(forms[0])
    else:
        items.append(_Operand([folded if _bareword_ok(folded) else _quote(folded)], column))
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

