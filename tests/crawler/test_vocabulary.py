"""crawler.vocabulary declares every stats key and request meta key: the crawl's code names
them through its constants, never as string literals, and every constant it declares is
used. The source is read as Python syntax, so that no spelling of an access escapes."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from crawler import vocabulary

REPO = Path(__file__).resolve().parents[2]
VOCABULARY = REPO / "crawler" / "vocabulary.py"
STATS_CALLS = {"inc_value", "set_value", "get_value", "max_value", "min_value"}
# The helpers whose arguments name a figure: figures.count(stats, source, FETCHED), ...
FIGURE_CALLS = {"count", "count_drop", "source_key", "dropped", "is_source_figure"}
DICT_READS = {"get", "setdefault", "pop"}


def sources() -> Iterator[Path]:
    for folder in ("crawler", "spiders"):
        for path in sorted((REPO / folder).rglob("*.py")):
            if path != VOCABULARY and "samples" not in path.parts:
                yield path


def literal(node: ast.AST) -> bool:
    """A string written in place: "x", f"x{y}", or one inside an expression (prefix + "x")."""
    return any(isinstance(part, ast.JoinedStr)
               or (isinstance(part, ast.Constant) and isinstance(part.value, str))
               for part in ast.walk(node))


def called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def names_a_figure(node: ast.Call) -> bool:
    """figures.count(...), vocabulary.source_key(...), count(...), the spider's own
    self._count_figure(...); not str.count and the like."""
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in FIGURE_CALLS
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return ((func.value.id in ("figures", "vocabulary") and func.attr in FIGURE_CALLS)
                or func.attr == "_count_figure")
    return False


def holds_keys(node: ast.AST) -> bool:
    """An expression for request meta or a stats dict: `x.meta`, `meta`, `stats`."""
    if isinstance(node, ast.Attribute):
        return node.attr in ("meta", "stats")
    return isinstance(node, ast.Name) and node.id in ("meta", "stats")


def literal_keys(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = called(node)
            if name in STATS_CALLS and node.args and literal(node.args[0]):
                yield node.lineno, f"{name}() with a literal key"
            if names_a_figure(node) and any(literal(arg) for arg in node.args[1:]):
                yield node.lineno, f"{name}() with a literal figure"
            if (name in DICT_READS and isinstance(node.func, ast.Attribute)
                    and holds_keys(node.func.value) and node.args and literal(node.args[0])):
                yield node.lineno, f".{name}() with a literal key"
            for keyword in node.keywords:
                if (keyword.arg == "meta" and isinstance(keyword.value, ast.Dict)
                        and any(key is not None and literal(key) for key in keyword.value.keys)):
                    yield node.lineno, "meta={...} with a literal key"
        elif isinstance(node, ast.Subscript) and holds_keys(node.value) and literal(node.slice):
            yield node.lineno, "[...] with a literal key"
        elif (isinstance(node, ast.Compare) and literal(node.left)
              and any(holds_keys(right) for right in node.comparators)):
            yield node.lineno, "`in` with a literal key"


def test_no_stats_or_meta_key_is_written_as_a_literal() -> None:
    found = [f"{path.relative_to(REPO)}:{line}: {what}"
             for path in sources()
             for line, what in literal_keys(ast.parse(path.read_text(encoding="utf-8")))]
    assert found == []


def test_the_check_catches_every_spelling_of_a_literal_key() -> None:
    spellings = [
        'stats.inc_value("marsad/x")', 'self.crawler.stats.set_value(f"marsad/{a}", 1)',
        'stats.get("finish_reason")', 'request.meta.get("source")', 'response.meta["kind"]',
        'response.meta.setdefault("article_links", [])', 'Request(u, meta={KIND: k, "x": 1})',
        '"chain" in response.meta', 'figures.count(stats, source, "fetched")',
        'stats.get_value(prefix + "errors")', 'self._count_figure(source.name, "empty")',
        'source_key(source, f"dropped/{reason}")',
    ]
    for code in spellings:
        assert list(literal_keys(ast.parse(code))), code
    fine = ['stats.inc_value(NOT_MODIFIED)', 'request.meta.get(SOURCE, "")',
            'Request(u, meta={SOURCE: s}, cb_kwargs={"via": v})', 'query.get("page")',
            'text.count("a")', 'figures.note_error(stats, source, f"HTTP {status}")']
    for code in fine:
        assert not list(literal_keys(ast.parse(code))), code


def test_every_declared_name_is_used() -> None:
    declared = {name for name, value in vars(vocabulary).items()
                if name.isupper() or (callable(value)
                                      and getattr(value, "__module__", "") == vocabulary.__name__)}
    used: set[str] = set()
    for path in [*sources(), VOCABULARY]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                used.add(node.id)
            elif isinstance(node, ast.Attribute):
                used.add(node.attr)
    assert declared and sorted(declared - used) == []


def test_each_key_is_declared_once_with_its_meaning() -> None:
    keys = {name: value for name, value in vars(vocabulary).items()
            if name.isupper() and isinstance(value, str)}
    assert len(set(keys.values())) == len(keys)
    # A drop reason's meaning is its text in DROP_REASONS; every other key says its own.
    for line in VOCABULARY.read_text(encoding="utf-8").splitlines():
        name = line.split(" = ")[0]
        if name in keys and keys[name] not in vocabulary.DROP_REASONS:
            assert "  # " in line, f"no meaning given: {line}"
