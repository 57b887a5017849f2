"""`marsad run`: a cycle at once, then one every `schedule.interval`.

Each cycle runs in a child process (`marsad crawl`), because Scrapy's reactor
cannot be restarted within one process. The scheduler never starts a cycle
while one is running. SIGTERM or SIGINT stops the daemon within 10 s: the
child gets SIGINT (Scrapy's graceful stop), a second one after a few seconds,
then SIGKILL. Nothing is lost: every article and alert is written in its own
transaction, and alerts still pending are sent by the next cycle.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from types import FrameType

from apscheduler.schedulers.background import BackgroundScheduler

from crawler import clock
from crawler.config import Config

logger = logging.getLogger("marsad.daemon")

GRACE_FIRST = 4.0  # seconds for a graceful Scrapy stop
GRACE_SECOND = 3.0  # after a second SIGINT, before SIGKILL


class Daemon:
    def __init__(self, config: Config, *, command: list[str] | None = None):
        self.config = config
        self.command = command or self._crawl_command(config)
        self.stopping = threading.Event()
        self.child: subprocess.Popen[bytes] | None = None
        self.lock = threading.Lock()
        self.cycles = 0

    @staticmethod
    def _crawl_command(config: Config) -> list[str]:
        command = [sys.executable, "-m", "crawler.cli"]
        if config.path is not None:
            command += ["--config", str(config.path)]
        return [*command, "crawl"]

    def cycle(self) -> None:
        if self.stopping.is_set() or not self.lock.acquire(blocking=False):
            return
        try:
            self.cycles += 1
            print(f"[{clock.now():%Y-%m-%d %H:%M:%S}Z] cycle {self.cycles} starts", flush=True)
            self.child = subprocess.Popen(self.command)
            code = self.child.wait()
            if code and not self.stopping.is_set():
                print(f"cycle {self.cycles} failed with exit status {code}", flush=True)
        finally:
            self.child = None
            self.lock.release()

    def stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        self.stopping.set()

    def _stop_child(self) -> None:
        child = self.child
        if child is None or child.poll() is not None:
            return
        for wait, action in ((GRACE_FIRST, child.send_signal), (GRACE_SECOND, child.send_signal)):
            action(signal.SIGINT)
            try:
                child.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue
        child.kill()
        child.wait()

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        # A skipped run (the previous cycle still going) is expected, not worth a log line.
        logging.getLogger("apscheduler").setLevel(logging.ERROR)
        scheduler = BackgroundScheduler(timezone="UTC")
        scheduler.add_job(
            self.cycle, "interval", seconds=self.config.schedule_interval,
            next_run_time=clock.now(), max_instances=1, coalesce=True,
            misfire_grace_time=int(timedelta(hours=1).total_seconds()), id="cycle",
        )
        scheduler.start()
        print(f"marsad daemon: a cycle every {self.config.schedule_interval:g}s; "
              "SIGTERM or Ctrl-C stops it", flush=True)
        while not self.stopping.wait(0.5):
            pass
        scheduler.shutdown(wait=False)
        self._stop_child()
        print("marsad daemon stopped", flush=True)
        return 0
