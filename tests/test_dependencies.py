"""Every library the code imports is declared in pyproject.toml: the packages' imports by the
project's dependencies, the tests' by those and the `test` extra, the benchmarks' by those
and the `bench` extra. Read from the source (ast), every import counted, so that a clean
install of `.[test]` runs the tests and one of `.[bench]` the benchmarks."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterator
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PACKAGES = ("crawler", "spiders", "alerts", "storage")
STATEMENT = ast.stmt | ast.excepthandler | ast.match_case


def normal(name: str) -> str:
    """A distribution's name as the packaging standards compare it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(*extras: str) -> set[str]:
    requirements = PROJECT["dependencies"] + [r for extra in extras
                                              for r in PROJECT["optional-dependencies"][extra]]
    return {normal(re.match(r"[A-Za-z0-9._-]+", r)[0]) for r in requirements}


def names(node: ast.expr | None) -> set[str]:
    """The names an `if` test or an `except` clause is made of: TYPE_CHECKING, ImportError."""
    return {part.id if isinstance(part, ast.Name) else part.attr
            for part in ast.walk(node) if isinstance(part, ast.Name | ast.Attribute)
            } if node is not None else set()


def needed(tree: ast.AST) -> Iterator[str]:
    """Top-level modules a piece of code imports when it runs: not those imported under
    `if TYPE_CHECKING:` (types only), nor those tried with `except ImportError` (optional)."""
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in names(node.test):
            pending += node.orelse
        elif isinstance(node, ast.Try) and any(
                names(handler.type) & {"ImportError", "ModuleNotFoundError"}
                for handler in node.handlers):
            pending += [*node.handlers, *node.orelse, *node.finalbody]
        else:
            # Imports are statements: expressions hold none, and skipping them makes
            # the walk about ten times shorter.
            pending += (child for child in ast.iter_child_nodes(node)
                        if isinstance(child, STATEMENT))


def imported(folder: Path) -> Iterator[tuple[str, Path]]:
    """(top-level module, file) of every absolute import under a folder."""
    for path in sorted(folder.rglob("*.py")):
        for module in needed(ast.parse(path.read_text(encoding="utf-8"))):
            yield module, path


@cache
def providers() -> dict[str, list[str]]:
    """The installed distributions that provide each top-level module (a slow scan)."""
    return packages_distributions()


def undeclared(folder: str, *extras: str, root: Path = REPO) -> list[str]:
    """The third-party imports under a folder that no declared distribution provides."""
    allowed = declared(*extras)
    # The project's packages, the folder itself and its own modules (tests' helpers).
    local = {*PACKAGES, folder} | {path.stem for path in (root / folder).rglob("*.py")}
    missing = set()
    for module, path in imported(root / folder):
        if module in sys.stdlib_module_names or module in local:
            continue
        # A module not installed here (an extra CI leaves out) is known by its own name.
        if not {normal(name) for name in providers().get(module, [module])} & allowed:
            missing.add(f"{path.relative_to(root)}: {module}")
    return sorted(missing)


def test_the_packages_import_only_their_dependencies():
    assert [line for folder in PACKAGES for line in undeclared(folder)] == []


def test_the_tests_import_only_what_the_test_extra_installs():
    assert undeclared("tests", "test") == []


def test_the_benchmarks_import_only_what_the_bench_extra_installs():
    assert undeclared("benchmarks", "bench") == []


def test_an_undeclared_import_is_found(tmp_path):
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "uses.py").write_text(
        "import json\nimport pytest\nfrom scrapy.http import Request\nimport uses\n"
        "if TYPE_CHECKING:\n    import typeshed_only\n"
        "try:\n    import optional\nexcept ImportError:\n    optional = None\n",
        encoding="utf-8")
    assert undeclared("probe", root=tmp_path) == ["probe/uses.py: pytest"]
    assert undeclared("probe", "test", root=tmp_path) == []


@pytest.mark.parametrize("name, expected", [("pyOpenSSL", "pyopenssl"),
                                            ("sqlite_utils", "sqlite-utils"),
                                            ("Beautifulsoup4", "beautifulsoup4")])
def test_distribution_names_compare_as_the_standard_says(name, expected):
    assert normal(name) == expected
