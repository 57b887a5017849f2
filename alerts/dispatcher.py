"""The daemon's delivery job: due alerts sent on their own clock, not a crawl's.

`marsad run` calls the job every few seconds. An alert is sent within seconds of
being committed by a running crawl, a retry as soon as its backoff expires, and
everything pending soon after a channel comes back. Channels resting after a
failure (a server's Retry-After included) are remembered from one pass to the
next, so no request reaches a channel before it said it would answer.

The job keeps one archive connection and one set of channels for the daemon's
life. The archive may be busy (a crawl's batch, another writer): a pass that
cannot read or claim gives one log line and the next pass tries again; the
alerts stay pending in the outbox, so nothing is lost.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from datetime import datetime

from alerts import Channel, build_channels
from alerts.delivery import DeliveryReport, deliver_due
from crawler.config import Config
from storage import Archive
from storage.errors import StorageError

log = logging.getLogger("marsad.alerts")

# Seconds between passes: an indexed look at the outbox costs well under a
# millisecond, and "within a few seconds" is what a user waits for.
DELIVERY_EVERY = 2.0


class DeliveryJob:
    """One pass over the outbox per call; the pauses and the connection carry over."""

    def __init__(self, config: Config, channels: dict[str, Channel] | None = None) -> None:
        self.config = config
        self.channels = channels if channels is not None else build_channels(config.channels)
        self.pauses: dict[str, datetime] = {}  # channel -> no request before
        self.archive: Archive | None = None
        self.passes = 0
        self._trouble: str | None = None  # the last pass's error, logged once
        self._busy = threading.Lock()  # held by a pass; close() waits for it

    def __call__(self) -> DeliveryReport | None:
        with self._busy:
            return self._pass()

    def _pass(self) -> DeliveryReport | None:
        self.passes += 1
        try:
            if self.archive is None:
                self.archive = Archive(self.config.database)
            report = deliver_due(self.archive, self.channels, self.config.alerts,
                                 timezone=self.config.crawl.timezone, pauses=self.pauses)
        except (sqlite3.Error, StorageError) as error:
            reason = f"delivery waits: archive: {error}"
            if reason != self._trouble:
                log.warning("%s (alerts stay pending)", reason)
            self._trouble = reason
            self._drop()
            return None
        if self._trouble:
            log.info("delivery resumed")
            self._trouble = None
        return report

    def close(self, wait: float = 5.0) -> None:
        """Close the archive once a pass in progress ends (waiting at most `wait` s:
        an alert still being sent then stays claimed, and the next daemon takes it
        over as possibly repeated)."""
        if self._busy.acquire(timeout=wait):
            try:
                self._drop()
            finally:
                self._busy.release()

    def _drop(self) -> None:
        if self.archive is not None:
            try:
                self.archive.close()
            except sqlite3.Error:
                pass  # a connection that failed is being dropped anyway
            self.archive = None
