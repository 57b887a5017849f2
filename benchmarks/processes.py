"""What Linux's /proc tells of a process and its children, for the benchmarks that
measure memory (crawl.py, soak.py)."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def proc_status(pid: int | str, names: tuple[str, ...] = ("VmRSS", "Threads")
                ) -> dict[str, int]:
    """The named fields of /proc/PID/status as integers (memory in KiB)."""
    figures = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in names:
            figures[name] = int(value.split()[0])
    return figures


def children(pid: int | str) -> list[int]:
    """The process's children, started by any of its threads."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except FileNotFoundError:  # the thread ended meanwhile
            continue
    return found


def command_line(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(
        errors="replace")


class WorkerPeaks:
    """The peak RSS (VmHWM) of each multiprocessing worker this process starts, read
    every `every` seconds while it runs (a context manager). ru_maxrss cannot say it: it
    keeps the peak of the process that forked the worker, as that was before exec."""

    def __init__(self, every: float = 0.25) -> None:
        self.every = every
        self.peaks_kib: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="worker-peaks", daemon=True)

    def __enter__(self) -> WorkerPeaks:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        me = os.getpid()
        while not self._stop.wait(self.every):
            for pid in children(me):
                try:
                    if "spawn_main" not in command_line(pid):  # not the resource tracker
                        continue
                    peak = proc_status(pid, ("VmHWM",)).get("VmHWM", 0)
                except (FileNotFoundError, ProcessLookupError):  # it ended meanwhile
                    continue
                self.peaks_kib[pid] = max(peak, self.peaks_kib.get(pid, 0))


def own_peak_kib() -> int:
    """This process's peak RSS since its exec (VmHWM)."""
    return proc_status("self", ("VmHWM",))["VmHWM"]
