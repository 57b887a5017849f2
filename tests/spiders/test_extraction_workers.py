"""A crawl whose extraction worker is killed mid-crawl stores every article a crawl
without workers stores: the pages in hand and the rest are read in the crawl's process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from storage import Archive

PROC = Path("/proc")
ARTICLES_BEFORE_KILL = 5

pytestmark = pytest.mark.skipif(not PROC.is_dir(), reason="finding the worker reads /proc")


def stored_paths(database: Path) -> set[str]:
    with Archive(database) as archive:
        return {urlsplit(row["url"]).path for row in archive.export_articles()}


def workers_of(pid: int) -> list[int]:
    """The spawned multiprocessing children of a process."""
    found = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # The command name in field 2 may hold spaces and parentheses: split after it.
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue  # ended meanwhile
        if parent == pid and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


def kill_worker_after_articles(sites, crawl: subprocess.Popen, killed: list[int]) -> None:
    """Waits until the crawl has asked for a few article pages, then kills its worker."""
    deadline = time.monotonic() + 60
    while crawl.poll() is None and time.monotonic() < deadline:
        articles = [t for _, t, _ in list(sites.requests) if urlsplit(t).path.endswith(".html")]
        workers = workers_of(crawl.pid)
        if len(articles) >= ARTICLES_BEFORE_KILL and workers:
            for pid in workers:
                os.kill(pid, signal.SIGKILL)
            killed.extend(workers)
            return
        time.sleep(0.005)


def test_a_worker_killed_mid_crawl_loses_no_article(sites, site_config, marsad, tmp_path):
    database = tmp_path / "archive.db"
    marsad("--config", str(site_config("listing_pages = 3\nextract_workers = 0")), "crawl")
    reference = stored_paths(database)
    assert len(reference) >= 20
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    sites.requests.clear()

    config = site_config("listing_pages = 3\nextract_workers = 1")
    crawl = subprocess.Popen([sys.executable, "-m", "crawler.cli", "--config", str(config),
                              "crawl"], cwd=tmp_path, env=marsad.env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    killed: list[int] = []
    killer = threading.Thread(target=kill_worker_after_articles, args=(sites, crawl, killed))
    killer.start()
    _, err = crawl.communicate(timeout=120)
    killer.join()
    assert crawl.returncode == 0, err
    assert killed, "the crawl ended before its worker could be killed"
    warnings = [line for line in err.splitlines() if "extraction worker ended" in line]
    assert len(warnings) == 1 and "Traceback" not in err
    assert stored_paths(database) == reference
