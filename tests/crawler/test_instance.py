"""One daemon per archive: a second `marsad run` is refused naming the first, a lock left
by a process killed with SIGKILL is taken over, and a crawl by hand beside the daemon is
refused, or with --wait runs between the daemon's cycles."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

import pytest

from crawler.instance import (
    AnotherInstance,
    claim_daemon,
    crawl_turn,
    cycle_lock_path,
    lock_path,
    running_daemon,
)
from storage import Archive

REPO = Path(__file__).resolve().parents[2]


def test_a_second_claim_is_refused_naming_the_holder_until_it_lets_go(tmp_path, monkeypatch):
    monkeypatch.setattr("crawler.instance.CLAIM_PATIENCE", 0.1)  # the refusal, not the patience
    database = tmp_path / "archive.db"
    assert running_daemon(database) is None
    first = claim_daemon(database)
    try:
        held = running_daemon(database)
        assert (held.pid, held.host) == (os.getpid(), socket.gethostname())
        with pytest.raises(AnotherInstance) as refused:
            claim_daemon(database)
        message = str(refused.value)
        assert f"a daemon already runs on {database}: pid {os.getpid()} on " \
               f"{socket.gethostname()}, since " in message
        assert "\n" not in message
    finally:
        first.release()
    assert running_daemon(database) is None
    claim_daemon(database).release()


def test_crawls_by_hand_run_freely_without_a_daemon_and_wait_their_turn_beside_one(tmp_path):
    database = tmp_path / "archive.db"
    with crawl_turn(database), crawl_turn(database):  # side by side, as before
        pass
    assert not lock_path(database).exists() and not cycle_lock_path(database).exists()
    daemon = claim_daemon(database)
    try:
        with pytest.raises(AnotherInstance) as refused:
            with crawl_turn(database):
                pytest.fail("a crawl by hand ran beside the daemon")
        assert f"the daemon (pid {os.getpid()} on " in str(refused.value)
        assert "marsad crawl --wait" in str(refused.value)
        ran = False
        with crawl_turn(database, wait=True):
            ran = True
        assert ran
    finally:
        daemon.release()


def child_python(code: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code], cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})})


@pytest.mark.slow
def test_the_daemons_own_cycles_are_not_refused(tmp_path):
    database = tmp_path / "archive.db"
    daemon = claim_daemon(database)
    try:
        # A child of the lock's holder, as the daemon starts each cycle.
        child = child_python(f"from pathlib import Path\nfrom crawler.instance import crawl_turn\n"
                             f"with crawl_turn(Path({str(database)!r})):\n    print('ran')")
        out, err = child.communicate(timeout=60)
        assert (child.returncode, out, err) == (0, "ran\n", "")
    finally:
        daemon.release()


@pytest.mark.slow
def test_a_lock_held_by_a_process_killed_with_sigkill_is_taken_over(tmp_path):
    database = tmp_path / "archive.db"
    holder = child_python(
        "import sys, time\nfrom pathlib import Path\nfrom crawler.instance import claim_daemon\n"
        f"lock = claim_daemon(Path({str(database)!r}))\nprint('held', flush=True)\n"
        "time.sleep(120)")
    try:
        assert holder.stdout.readline() == "held\n"
        assert running_daemon(database).pid == holder.pid
        with pytest.raises(AnotherInstance, match=f"pid {holder.pid} on "):
            claim_daemon(database)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    assert running_daemon(database) is None  # the kernel let go of it with the process
    taken = claim_daemon(database)
    try:
        assert running_daemon(database).pid == os.getpid()
        written = json.loads(lock_path(database).read_text(encoding="utf-8"))
        assert written["pid"] == os.getpid()
    finally:
        taken.release()


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def runs(database: Path) -> list[dict]:
    if not database.exists():
        return []
    with Archive(database) as archive:
        return [dict(r) for r in archive.db.query("select * from runs order by id")]


@pytest.mark.slow
def test_one_daemon_per_archive_and_a_crawl_by_hand_refused_or_waiting(site_config, marsad):
    fast = site_config()
    text = fast.read_text(encoding="utf-8")
    # The daemon's cycles are slow enough that its first one is still going when the
    # crawls by hand have started; those read the same archive at full speed.
    config = fast.with_name("daemon.toml")
    config.write_text(text.replace('download_delay = "0s"', 'download_delay = "1s"').replace(
        "concurrency_per_domain = 8", "concurrency_per_domain = 1")
        + '\n[schedule]\ninterval = "1h"\n', encoding="utf-8")
    database = config.parent / "archive.db"
    daemon = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "--config", str(config), "run"],
        cwd=marsad.cwd, env=marsad.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    waiting = None
    try:
        assert wait_for(lambda: runs(database), 60), "the daemon's first cycle never started"
        waiting = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "--config", str(fast), "crawl", "--wait"],
            cwd=marsad.cwd, env=marsad.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)

        second = marsad("--config", str(config), "run", check=False, timeout=60)
        assert second.returncode == 1
        assert second.stderr.startswith(f"marsad: a daemon already runs on {database}: "
                                        f"pid {daemon.pid} on {socket.gethostname()}, since ")
        assert second.stderr.count("\n") == 1

        by_hand = marsad("--config", str(config), "crawl", check=False, timeout=60)
        assert by_hand.returncode == 1 and by_hand.stdout == ""
        assert by_hand.stderr.startswith(f"marsad: the daemon (pid {daemon.pid} on ")
        assert "--wait" in by_hand.stderr and by_hand.stderr.count("\n") == 1

        status = json.loads(marsad("--config", str(config), "status", "--json",
                                   check=False).stdout)
        assert (status["daemon"]["state"], status["daemon"]["pid"]) == ("running", daemon.pid)

        # The crawl by hand says it waits, as it does while the daemon's cycle goes on.
        said = waiting.stderr.readline()
        assert said.startswith(f"marsad: waiting for the daemon's cycle to end (pid "
                               f"{daemon.pid} on {socket.gethostname()}, since "), said
        _, err = waiting.communicate(timeout=180)
        assert waiting.returncode == 0, err
        done = runs(database)
        assert len(done) == 2 and all(run["finished_at"] for run in done)
        for earlier, later in pairwise(done):
            assert later["started_at"] >= earlier["finished_at"], "two cycles ran at once"

        daemon.send_signal(signal.SIGTERM)
        _, err = daemon.communicate(timeout=12)
        assert daemon.returncode == 0, err
    finally:
        for process in (daemon, waiting):
            if process is not None and process.poll() is None:
                process.kill()
    status = json.loads(marsad("--config", str(config), "status", "--json").stdout)
    assert status["healthy"] is True and status["daemon"]["state"] == "stopped"
