"""The import structure of marsad's packages: no module imports a module that imports
it back, however many modules lie between them, and every module imports on its own.

The graph is read from the source (ast): top-level imports and imports inside
functions both count, since a cycle hidden in a function still ties the two modules
together; imports under `if TYPE_CHECKING:` never run and do not count. An import of
`package.module` is an edge to that module, not to the package's `__init__` as well
(that one runs first, but only ties the two when it imports the module back).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("crawler", "spiders", "alerts", "storage")
# Run as scripts (`python -m crawler.samples`), not imported: importing serves the sites.
SCRIPTS = frozenset({"crawler.samples.__main__"})


def module_files() -> dict[str, Path]:
    """Every module of the packages, by dotted name."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(nodes: Iterable[ast.AST]) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement in `nodes`, at any depth, but those under `if TYPE_CHECKING:`."""
    for node in nodes:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _imports(node.orelse)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        else:
            # Imports are statements: expressions hold none, so they are not walked.
            yield from _imports(child for child in ast.iter_child_nodes(node)
                                if isinstance(child, ast.stmt | ast.excepthandler | ast.match_case))


def imported_modules(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package modules that module `name` imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _imports([ast.parse(path.read_bytes(), str(path))]):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from a import b` imports module a.b when there is one, else a name of a.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                       for alias in node.names]
        for target in targets:
            # `import a.b.c` of a name that is no module: the nearest module holding it.
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = module_files()
    return {name: imported_modules(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[tuple[list[str], list[str]]]:
    """Each group of modules tied by imports (a strongly connected component, by
    Tarjan's algorithm): one import path through it, [a, b, ..., a], each module
    importing the next, and all its modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [(_loop(graph, group), sorted(group)) for group in groups]


def _loop(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """The shortest import path from the group's first module back to itself."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & group):
                if target == start:
                    return paths[node] + [start]
                if target not in paths:
                    paths[target] = paths[node] + [target]
                    following.append(target)
        frontier = following
    raise AssertionError(f"no loop through {start}")  # a group always holds one


def test_the_graph_sees_every_kind_of_import(tmp_path):
    """The reader finds relative, nested and `from package import module` imports, and
    leaves out what only a type checker reads."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from . import a\n")
    (package / "a.py").write_text("def f():\n    from .b import thing\n")
    (package / "b.py").write_text("import pkg.c.d\nfrom typing import TYPE_CHECKING\n"
                                  "if TYPE_CHECKING:\n    from pkg import a\nelse:\n"
                                  "    import pkg.e\n")
    (package / "c").mkdir()
    (package / "c" / "__init__.py").write_text("")
    (package / "c" / "d.py").write_text("from pkg.b import x\n")
    (package / "e.py").write_text("")
    modules = {"pkg": package / "__init__.py", "pkg.a": package / "a.py",
               "pkg.b": package / "b.py", "pkg.c": package / "c" / "__init__.py",
               "pkg.c.d": package / "c" / "d.py", "pkg.e": package / "e.py"}
    graph = {name: imported_modules(name, path, modules) for name, path in modules.items()}
    assert graph == {"pkg": {"pkg.a"}, "pkg.a": {"pkg.b"}, "pkg.b": {"pkg.c.d", "pkg.e"},
                     "pkg.c": set(), "pkg.c.d": {"pkg.b"}, "pkg.e": set()}
    assert cycles(graph) == [(["pkg.b", "pkg.c.d", "pkg.b"], ["pkg.b", "pkg.c.d"])]


def test_no_module_imports_a_module_that_imports_it_back():
    graph = import_graph()
    assert len(graph) > 100  # the walk found the packages
    found = [f"{' -> '.join(loop)}  (tied together: {', '.join(group)})"
             for loop, group in cycles(graph)]
    assert not found, "import cycles:\n" + "\n".join(found)


# Run in a child interpreter: for each module, every module of the packages is
# forgotten, then that one alone is imported. Third-party modules stay loaded (they
# are not under test), which keeps a walk of over a hundred modules to seconds.
_IMPORT_EACH_ALONE = """
import importlib, sys, traceback
ours = {packages!r}
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m.split(".")[0] in ours]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except BaseException:
        print(f"{{name}}: " + traceback.format_exc().strip().splitlines()[-1])
"""


def failing_alone(names: list[str], packages: tuple[str, ...], folder: Path) -> str:
    """One line per module of `names` that fails to import alone: its name and error."""
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_EACH_ALONE.format(packages=packages), *names],
        cwd=folder, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.slow
def test_a_module_that_needs_another_imported_first_fails_alone(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("import pkg\npkg.ready = True\n")
    (package / "b.py").write_text("import pkg\nassert pkg.ready\n")
    assert failing_alone(["pkg.a", "pkg.b"], ("pkg",), tmp_path) == (
        "pkg.b: AttributeError: module 'pkg' has no attribute 'ready'\n")


@pytest.mark.slow
def test_every_module_imports_alone():
    names = sorted(set(module_files()) - SCRIPTS)
    failed = failing_alone(names, PACKAGES, REPO)
    assert failed == "", "modules that fail to import alone:\n" + failed
