"""One daemon per archive, and crawls by hand kept out of its way.

`marsad run` holds an OS lock (flock) on `<database>.lock` for its whole life. The
kernel drops the lock when the process ends, however it ends: a daemon killed with
SIGKILL leaves nothing stale behind, and the next one simply takes the lock. The
file holds who took it (pid, host, since) so that a refusal can name the holder.

A crawl started by hand while a daemon runs on the same archive is refused: the
daemon crawls on its own schedule, and a second cycle beside one of its own would
break its promise of one cycle at a time. `crawl --wait` runs it between the
daemon's cycles instead: every cycle of a daemon's archive takes
`<database>.cycle.lock` for its duration, so the crawl by hand waits for the
daemon's cycle in progress, and the daemon's next cycle waits for it. The daemon's
own cycles (its child processes) are told apart by their parent's pid. Without a
daemon, crawls by hand run as they always have: side by side if need be, the
outbox's claims keeping any alert from being sent twice.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from crawler import clock
from crawler.disk import CycleRefused

logger = logging.getLogger("marsad.instance")

# A crawl's look at the lock holds it for microseconds: a daemon starting at that
# very moment tries again for this long before it refuses.
CLAIM_PATIENCE = 1.0  # seconds


class AnotherInstance(CycleRefused):
    """The archive already has a daemon: one line naming it, exit 1."""


@dataclass(frozen=True)
class Holder:
    """The process that holds an archive's daemon lock, as its lock file tells."""

    pid: int
    host: str
    since: str  # ISO 8601, UTC; "" when the file could not be read

    def describe(self) -> str:
        if not self.pid:
            return "a process that did not say who it is"
        return f"pid {self.pid} on {self.host}, since {self.since[:19].replace('T', ' ')}Z"

    def is_parent(self) -> bool:
        """True in a cycle that this daemon started as its child process."""
        return self.pid == os.getppid() and self.host == socket.gethostname()


UNKNOWN = Holder(0, "", "")


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def cycle_lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".cycle.lock")


class DaemonLock:
    """The daemon's hold on its archive, from `claim_daemon` until `release` or exit."""

    def __init__(self, database: Path, fd: int, holder: Holder):
        self.database = database
        self.holder = holder
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None


def claim_daemon(database: Path) -> DaemonLock:
    """Take the archive's daemon lock, or raise AnotherInstance naming its holder."""
    path = lock_path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    deadline = clock.monotonic() + CLAIM_PATIENCE
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if clock.monotonic() >= deadline:
                holder = _read_holder(fd)
                os.close(fd)
                raise AnotherInstance(
                    f"a daemon already runs on {database}: {holder.describe()} "
                    f"(lock file {path})") from None
            time.sleep(0.05)
    holder = Holder(os.getpid(), socket.gethostname(), clock.now().isoformat(timespec="seconds"))
    os.ftruncate(fd, 0)
    os.pwrite(fd, (json.dumps(asdict(holder)) + "\n").encode(), 0)
    return DaemonLock(database, fd, holder)


def running_daemon(database: Path) -> Holder | None:
    """The daemon that holds the archive's lock now, or None (nothing is created)."""
    try:
        fd = os.open(lock_path(database), os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None  # no daemon ever ran on this archive
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return _read_holder(fd)
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _read_holder(fd: int) -> Holder:
    """Who wrote the lock file; it may be caught between the holder's flock and its
    write, so an empty file is read again for a moment."""
    deadline = clock.monotonic() + CLAIM_PATIENCE
    while True:
        raw = os.pread(fd, 4096, 0)
        try:
            fields = json.loads(raw)
            return Holder(int(fields["pid"]), str(fields["host"]), str(fields["since"]))
        except (ValueError, TypeError, KeyError):
            if clock.monotonic() >= deadline:
                return UNKNOWN
            time.sleep(0.05)


@contextmanager
def crawl_turn(database: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold what a crawl needs to run on this archive now (see the module's docstring).
    Raises AnotherInstance for a crawl by hand beside a daemon, unless `wait`."""
    daemon = running_daemon(database)
    if daemon is None:
        yield
        return
    if not wait and not daemon.is_parent():
        raise AnotherInstance(
            f"the daemon ({daemon.describe()}) crawls {database} on its own schedule; "
            "stop it first, or use `marsad crawl --wait` to crawl between its cycles")
    fd = os.open(cycle_lock_path(database), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not daemon.is_parent():
                print(f"marsad: waiting for the daemon's cycle to end ({daemon.describe()})",
                      file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def record_heartbeat(lock: DaemonLock, next_cycle: datetime | None, *,
                     stopped: bool = False) -> None:
    """Write the daemon's heartbeat to its archive (see storage.status). A heartbeat that
    cannot be written is logged and skipped: the daemon's work matters more."""
    from storage import Archive, StorageError

    holder = lock.holder
    now = clock.now()
    try:
        with Archive(lock.database) as archive:
            archive.record_heartbeat(
                pid=holder.pid, host=holder.host, started_at=holder.since,
                beat_at=now, next_cycle_at=None if stopped else next_cycle,
                stopped_at=now if stopped else None)
    except (sqlite3.Error, StorageError, OSError) as error:
        logger.warning("Heartbeat not recorded: %s", error)
