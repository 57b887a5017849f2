"""`marsad run`: crawl cycles on a schedule, and alerts delivered on their own clock.

Crawls: a cycle at once, then one every `schedule.interval`; a source with its own
`interval` (a busy wire site every 5 minutes, a weekly magazine every 6 hours) has
cycles of its own on that schedule instead. Each cycle runs in a child process
(`marsad crawl --no-deliver`), because Scrapy's reactor cannot be restarted within
one process, and one child runs at a time: cycles of several schedules that fall
due together run one after the other, so no two cycles write the archive at once
and no source is ever crawled twice at the same time.

Delivery: the daemon itself sends due alerts every DELIVERY_EVERY seconds
(alerts.dispatcher), so an alert queued by a running crawl leaves within seconds,
a retry when its backoff expires, and a channel's Retry-After holds across passes.
A digest goes out by the same pass when its time comes (alerts.digest decides),
so digest times need no trigger of their own.

APScheduler's jobs live in memory: they are rebuilt from the configuration at each
start, and everything worth keeping (articles, alerts and their next attempts, the
runs) is in the archive, so a persistent job store would only hold stale copies of
the configuration. After a suspend, the missed runs of a schedule are coalesced
into one (misfire grace of a day: a late cycle is better than none).

SIGTERM or SIGINT stops the daemon within 10 s: the child gets SIGINT (Scrapy's
graceful stop), a second one after a few seconds, then SIGKILL. Nothing is lost:
articles and alerts are committed by the crawl, and alerts still pending are sent
by the next daemon.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from alerts.dispatcher import DELIVERY_EVERY, DeliveryJob
from crawler import clock, instance
from crawler.config import Config

logger = logging.getLogger("marsad.daemon")

GRACE_FIRST = 4.0  # seconds for a graceful Scrapy stop
GRACE_SECOND = 3.0  # after a second SIGINT, before SIGKILL
HEARTBEAT_EVERY = 60.0  # seconds, or every cycle when cycles come more often
MISFIRE_GRACE = int(timedelta(days=1).total_seconds())


class Daemon:
    def __init__(self, config: Config, *, log_options: list[str] | None = None) -> None:
        self.config = config
        self.log_options = log_options or []  # --log-format and -v, given to each crawl
        self.stopping = threading.Event()
        self.child: subprocess.Popen[bytes] | None = None
        self.crawling = threading.Lock()  # one crawl child at a time
        self.cycles = 0

    def schedules(self) -> dict[str, tuple[float, list[str]]]:
        """Job id -> (interval, sources crawled; [] for every source)."""
        own = [s for s in self.config.sources if s.interval is not None]
        shared = [s.name for s in self.config.sources if s.interval is None]
        jobs: dict[str, tuple[float, list[str]]] = {}
        if shared:
            jobs["cycle"] = (self.config.schedule_interval, shared if own else [])
        for source in own:
            assert source.interval is not None
            jobs[f"cycle:{source.name}"] = (source.interval, [source.name])
        return jobs

    def crawl_command(self, sources: list[str]) -> list[str]:
        command = [sys.executable, "-m", "crawler.cli", *self.log_options]
        if self.config.path is not None:
            command += ["--config", str(self.config.path)]
        command += ["crawl", "--no-deliver"]
        for name in sources:
            command += ["--source", name]
        return command

    def cycle(self, sources: list[str]) -> None:
        # Wait for a cycle in progress, but stay responsive to a stop.
        while not self.crawling.acquire(timeout=0.5):
            if self.stopping.is_set():
                return
        try:
            if self.stopping.is_set():
                return
            self.cycles += 1
            which = ", ".join(sources) if sources else "all sources"
            print(f"[{clock.now():%Y-%m-%d %H:%M:%S}Z] cycle {self.cycles} starts ({which})",
                  flush=True)
            self.child = subprocess.Popen(self.crawl_command(sources))
            code = self.child.wait()
            if code and not self.stopping.is_set():
                print(f"cycle {self.cycles} failed with exit status {code}", flush=True)
        finally:
            self.child = None
            self.crawling.release()

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

    @staticmethod
    def _next_cycle(scheduler: BackgroundScheduler) -> datetime | None:
        times = [job.next_run_time for job in scheduler.get_jobs()
                 if job.id.startswith("cycle") and job.next_run_time is not None]
        return min(times, default=None)

    def _beat(self, lock: instance.DaemonLock, scheduler: BackgroundScheduler) -> None:
        instance.record_heartbeat(lock, self._next_cycle(scheduler))

    def run(self) -> int:
        # One daemon per archive: a second one is refused, naming this one.
        lock = instance.claim_daemon(self.config.database)
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        # A skipped run (the previous cycle still going) is expected, not worth a log line.
        logging.getLogger("apscheduler").setLevel(logging.ERROR)
        schedules = self.schedules()
        # Crawl jobs wait for each other in their own threads; delivery and the
        # heartbeat have theirs, so a long cycle never holds them up.
        scheduler = BackgroundScheduler(timezone="UTC", executors={
            "default": ThreadPoolExecutor(2),
            "crawls": ThreadPoolExecutor(max(1, len(schedules)))})
        now = clock.now()
        for job_id, (interval, sources) in schedules.items():
            scheduler.add_job(self.cycle, "interval", args=[sources], seconds=interval,
                              next_run_time=now, max_instances=1, coalesce=True,
                              misfire_grace_time=MISFIRE_GRACE, id=job_id,
                              executor="crawls")
        delivery = DeliveryJob(self.config)
        scheduler.add_job(delivery, "interval", seconds=DELIVERY_EVERY, next_run_time=now,
                          max_instances=1, coalesce=True, id="delivery")
        scheduler.add_job(self._beat, "interval", args=[lock, scheduler], id="heartbeat",
                          seconds=min(HEARTBEAT_EVERY, self.config.schedule_interval),
                          next_run_time=now, max_instances=1, coalesce=True)
        scheduler.start()
        own = len(schedules) - ("cycle" in schedules)
        print(f"marsad daemon: a cycle every {self.config.schedule_interval:g}s"
              + (f" ({own} source(s) on their own interval)" if own else "")
              + ", alerts sent as they are due; SIGTERM or Ctrl-C stops it", flush=True)
        while not self.stopping.wait(0.5):
            pass
        scheduler.shutdown(wait=False)
        self._stop_child()
        delivery.close()
        instance.record_heartbeat(lock, None, stopped=True)
        lock.release()
        print("marsad daemon stopped", flush=True)
        return 0
