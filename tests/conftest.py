"""Fixtures shared by every test folder: the real `marsad` command, in a child process or
in this one, and the sample sites."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.samples import OFFSITE, SITE_NAMES, SampleArticle, SampleSites
from crawler.samples.catalog import build_world, ground_truth
from crawler.samples.site import Response

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


class MarsadMain:
    """Runs `crawler.cli.main(argv)` in this process, as `Marsad` runs the command: in its
    folder, with no MARSAD_* variable but those of `env`, stdin given, and the exit
    status and outputs returned. For what needs no process of its own."""

    def __init__(self, cwd: Path, env: dict[str, str] | None = None):
        self.cwd = cwd
        self.env = dict(env or {})

    def __call__(self, *args: str, stdin: str = "",
                 check: bool = True) -> subprocess.CompletedProcess[str]:
        from crawler.cli import main  # here: every test needs conftest, few the CLI

        written = (io.BytesIO(), io.BytesIO())
        out, err = (io.TextIOWrapper(raw, encoding="utf-8") for raw in written)
        with pytest.MonkeyPatch.context() as patch:
            for name in [name for name in os.environ if name.startswith("MARSAD_")]:
                patch.delenv(name)
            for name, value in self.env.items():
                patch.setenv(name, value)
            patch.chdir(self.cwd)
            patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")),
                                                         encoding="utf-8"))
            patch.setattr(sys, "stdout", out)
            patch.setattr(sys, "stderr", err)
            try:
                code = main(list(args))
            except SystemExit as stop:  # argparse: usage errors and --help
                code = stop.code if isinstance(stop.code, int) else 0
        out.flush()
        err.flush()
        printed = [raw.getvalue().decode("utf-8") for raw in written]
        result = subprocess.CompletedProcess(["marsad", *args], code, *printed)
        if check and code != 0:
            raise AssertionError(f"marsad {' '.join(args)} exited {code}\n"
                                 f"stdout:\n{printed[0]}\nstderr:\n{printed[1]}")
        return result


@pytest.fixture
def marsad_main(tmp_path: Path) -> MarsadMain:
    return MarsadMain(tmp_path)


@pytest.fixture(scope="session")
def marsad_main_in() -> type[MarsadMain]:
    """MarsadMain itself, for fixtures that run the command in a folder of their own."""
    return MarsadMain


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


class SampleWeb:
    """What each sample site would answer, asked in this process: the pages the sample
    sites serve, with no server. They are dated against `now`, which a test reading their
    relative dates ("منذ 3 ساعات") sets as the clock (MARSAD_NOW)."""

    now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

    def __init__(self) -> None:
        self.hosts = {**dict(zip(SITE_NAMES, ("127.0.0.2", "127.0.0.3", "127.0.0.4",
                                              "127.0.0.5"), strict=True)),
                      OFFSITE: "127.0.0.9"}
        self.world = build_world(self.now)
        for name, host in self.hosts.items():
            self.world.base_urls[name] = f"http://{host}"
        self.truth: list[SampleArticle] = ground_truth(self.world)

    def url(self, article: SampleArticle) -> str:
        return self.world.base_urls[article.site] + article.path

    def answer(self, url: str) -> Response:
        parts = urlsplit(url)
        [site] = [self.world.sites[name] for name, host in self.hosts.items()
                  if host == parts.hostname]
        return site.respond(parts.path + (f"?{parts.query}" if parts.query else ""), Message())

    def sources_toml(self) -> str:
        blocks = []
        for name in SITE_NAMES:
            site, base = self.world.sites[name], self.world.base_urls[name]
            blocks.append(f'[[sources]]\nname = "{name}"\n'
                          f'allowed_domains = ["{self.hosts[name]}"]\n'
                          f'listing_urls = ["{base}{site.listing_path}"]\n'
                          f'feed_urls = ["{base}{site.feed_path}"]\n'
                          f'search_url = "{base}{site.search_path}"\n'
                          f'language = "{site.language}"\ntimezone = "{site.timezone}"\n')
        return "\n".join(blocks)


@pytest.fixture(scope="session")
def sample_web() -> SampleWeb:
    return SampleWeb()


# What makes a test slow is what it starts: a `marsad` child process or the sample
# sites on loopback (a crawl). Such tests are marked `slow` here, by the fixtures they
# use or their folder, so that none is forgotten; `pytest -m "not slow"` keeps the rest,
# the pure and in-process tests. Every test of tests/spiders crawls, but for the unit
# tests of the spider's callbacks and requests, which build Scrapy's responses in memory.
SLOW_FIXTURES = frozenset({"marsad", "sites", "site_config"})
SLOW_FOLDERS = (REPO / "tests" / "spiders",)
IN_MEMORY = frozenset({REPO / "tests" / "spiders" / "test_news.py",
                       REPO / "tests" / "spiders" / "test_pages.py"})


# A module whose every test is slow says so (`pytestmark = pytest.mark.slow`), or lies in
# a slow folder. `pytest -m "not slow"` does not even import it: importing and rewriting
# the asserts of modules whose tests would all be deselected took about 3 s of the lane.
SLOW_MODULE = "\npytestmark = pytest.mark.slow"


def _in_slow_folder(path: Path) -> bool:
    return path not in IN_MEMORY and any(folder in path.parents for folder in SLOW_FOLDERS)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if (" ".join(str(config.getoption("markexpr", "")).split()) != "not slow"
            or collection_path.suffix != ".py" or not collection_path.name.startswith("test_")):
        return None
    if _in_slow_folder(collection_path) or SLOW_MODULE in collection_path.read_text("utf-8"):
        return True
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if (SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ()))
                or _in_slow_folder(item.path)):
            item.add_marker(pytest.mark.slow)
