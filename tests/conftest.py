"""Fixtures shared by every test folder: the real `marsad` command and the sample sites."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.samples import SampleSites

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


class Marsad:
    """Runs `python -m crawler.cli` in a child process, as a user would run `marsad`."""

    def __init__(self, cwd: Path, env: dict[str, str]):
        self.cwd = cwd
        self.env = env

    def __call__(self, *args: str, stdin: str | None = None, timeout: float = 120,
                 check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "crawler.cli", *args],
            cwd=self.cwd, env=self.env, input=stdin, capture_output=True, text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"marsad {' '.join(args)} exited {result.returncode}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
        return result


@pytest.fixture
def marsad(tmp_path: Path) -> Marsad:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONIOENCODING"] = "utf-8"
    return Marsad(tmp_path, env)


# Sample news sites on loopback, and a configuration that points marsad at them.

def write_config(folder: Path, sites: SampleSites, extra: str = "", tail: str = "") -> Path:
    path = folder / "marsad.toml"
    path.write_text(
        f"""database = "archive.db"

[crawl]
download_delay = "0s"
concurrency_per_domain = 8
timeout = "5s"
read_also_depth = 2
{extra}

{sites.sources_toml()}
{tail}
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def sites() -> Iterator[SampleSites]:
    with SampleSites() as served:
        yield served


@pytest.fixture
def site_config(sites: SampleSites, tmp_path: Path):
    """Writes a marsad.toml for the sample sites into tmp_path; returns its path."""

    def make(extra: str = "", tail: str = "") -> Path:
        return write_config(tmp_path, sites, extra, tail)

    return make


# What makes a test slow is what it starts: a `marsad` child process or the sample
# sites on loopback (a crawl). Such tests are marked `slow` here, by the fixtures they
# use or their folder, so that none is forgotten; `pytest -m "not slow"` keeps the rest,
# the pure and in-process tests. Every test of tests/spiders crawls, but for the unit
# tests of the spider's callbacks and requests, which build Scrapy's responses in memory.
SLOW_FIXTURES = frozenset({"marsad", "sites", "site_config"})
SLOW_FOLDERS = (REPO / "tests" / "spiders",)
IN_MEMORY = frozenset({REPO / "tests" / "spiders" / "test_news.py",
                       REPO / "tests" / "spiders" / "test_pages.py"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        in_slow_folder = (item.path not in IN_MEMORY
                          and any(folder in item.path.parents for folder in SLOW_FOLDERS))
        if SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())) or in_slow_folder:
            item.add_marker(pytest.mark.slow)
