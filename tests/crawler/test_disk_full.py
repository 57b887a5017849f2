"""A full disk fails the cycle, loses nothing: once space is freed the next cycle finds all.

The archive lives on a real 400 KB tmpfs. The first cycle cannot commit, so it
must exit 1, name the error and save no validators (or the listing pages would
answer 304 and the lost articles would never be found again). After the
filesystem is grown, one more cycle stores exactly what a cycle on a roomy disk
stores, with the same alerts.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import Archive

pytestmark = pytest.mark.slow


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 400 KB filesystem (tmpfs), grown by `grow(small_disk)`."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command on this machine: a small filesystem cannot be made")
    mounted = _mount("-t", "tmpfs", "-o", "size=400k", "tmpfs", str(folder))
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def grow(folder: Path) -> None:
    grown = _mount("-o", "remount,size=64m", str(folder))
    assert grown.returncode == 0, grown.stderr


def urls_and_alerts(database: Path) -> tuple[set[str], int]:
    with Archive(database) as archive:
        urls = {row["url"] for row in archive.export_articles()}
        alerts = len(archive.list_alerts())
    return urls, alerts


def test_a_full_disk_fails_the_cycle_and_the_next_one_finds_everything(
        site_config, marsad, small_disk: Path, tmp_path: Path) -> None:
    reference = site_config("min_free_space = 0")
    assert marsad("--config", str(reference), "crawl").returncode == 0
    expected_urls, expected_alerts = urls_and_alerts(tmp_path / "archive.db")
    assert len(expected_urls) > 30 and expected_alerts > 10

    config = tmp_path / "small.toml"
    config.write_text(reference.read_text(encoding="utf-8").replace(
        'database = "archive.db"', 'database = "disk/archive.db"'), encoding="utf-8")
    full = marsad("--config", str(config), "crawl", "--json", check=False)
    assert full.returncode == 1
    [error] = [line for line in full.stderr.splitlines() if line.startswith("marsad:")]
    assert "cycle failed" in error and "disk is full" in error
    assert "Traceback" not in full.stderr
    summary = json.loads(full.stdout)
    assert "disk is full" in summary["failure"]
    dropped = sum(s["dropped"].get("database", 0) for s in summary["sources"])
    assert dropped > 0 and summary["articles_new"] < len(expected_urls)

    grow(small_disk)
    after = marsad("--config", str(config), "crawl")
    assert after.returncode == 0, after.stderr
    urls, alerts = urls_and_alerts(small_disk / "archive.db")
    assert urls == expected_urls
    assert alerts == expected_alerts


def test_a_cycle_refuses_to_start_under_the_free_space_floor(
        site_config, marsad, small_disk: Path, tmp_path: Path) -> None:
    config = tmp_path / "small.toml"
    config.write_text(site_config('min_free_space = "1MB"').read_text(encoding="utf-8").replace(
        'database = "archive.db"', 'database = "disk/archive.db"'), encoding="utf-8")
    refused = marsad("--config", str(config), "crawl", check=False)
    assert refused.returncode == 1
    assert refused.stdout == ""
    [line] = refused.stderr.splitlines()
    assert "min_free_space" in line and "no cycle started" in line
    assert not (small_disk / "archive.db").exists()
