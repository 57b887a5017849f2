"""`marsad run`: the daemon runs cycles one at a time and stops cleanly on a signal."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

import pytest

from storage import Archive

pytestmark = pytest.mark.slow  # every test here crawls or runs marsad in a child


def start_daemon(marsad, config: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "--config", str(config), "run"],
        cwd=marsad.cwd, env=marsad.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def run_then_sigterm(marsad, config: Path, ready) -> str:
    """Start the daemon, wait until ready() holds, send SIGTERM; it must exit 0 within 10 s.
    Returns its stderr."""
    daemon = start_daemon(marsad, config)
    try:
        assert wait_for(ready, 60), "the daemon never got ready"
        daemon.send_signal(signal.SIGTERM)
        started = time.monotonic()
        _, err = daemon.communicate(timeout=12)
        assert time.monotonic() - started < 10
    finally:
        if daemon.poll() is None:
            daemon.kill()
    assert daemon.returncode == 0, err
    return err


def finished_runs(database: Path) -> list[dict]:
    if not database.exists():
        return []
    with Archive(database) as archive:
        return [dict(r) for r in archive.db.query(
            "select * from runs where finished_at is not null order by id")]


def test_cycles_never_overlap_and_sigterm_stops_within_10s(site_config, marsad):
    config = site_config("listing_pages = 3")
    text = config.read_text(encoding="utf-8").replace(
        'database = "archive.db"', 'database = "archive.db"\n\n[schedule]\ninterval = "1s"')
    config.write_text(text, encoding="utf-8")
    database = config.parent / "archive.db"
    err = run_then_sigterm(marsad, config, lambda: len(finished_runs(database)) >= 3)
    assert "Traceback" not in err
    runs = finished_runs(database)
    for earlier, later in pairwise(runs):
        assert later["started_at"] >= earlier["finished_at"], "two cycles ran at once"
    with Archive(database) as archive:
        urls = [row["url"] for row in archive.export_articles()]
    assert urls and len(urls) == len(set(urls))


def test_sigterm_during_a_slow_cycle_stops_within_10s_and_loses_nothing(site_config, marsad):
    config = site_config('download_delay = "0.5s"\nconcurrency_per_domain = 1')
    text = config.read_text(encoding="utf-8")
    # The generated [crawl] table already sets these keys: keep only the slow values.
    text = text.replace('download_delay = "0s"\n', "").replace("concurrency_per_domain = 8\n", "")
    config.write_text(text, encoding="utf-8")
    database = config.parent / "archive.db"

    def some_stored() -> bool:
        if not database.exists():
            return False
        with Archive(database) as archive:
            return archive.db["articles"].count >= 2

    run_then_sigterm(marsad, config, some_stored)
    with Archive(database) as archive:
        stored = archive.db["articles"].count
        assert stored >= 2
        assert {a["status"] for a in archive.list_alerts()} <= {"pending", "sent"}
    # The next cycle picks up where this one stopped, without duplicates.
    marsad("--config", str(config), "crawl", timeout=180)
    with Archive(database) as archive:
        urls = [row["url"] for row in archive.export_articles()]
    assert len(urls) > stored and len(urls) == len(set(urls))
