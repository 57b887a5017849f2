"""Delivery of due alerts from the archive's outbox, in plain Python after a crawl.

An alert is marked sent only after its channel's `send` returned; every other
outcome leaves it pending with a later attempt time, or marks it failed with a
reason. Nothing waits: a rate-limited channel is rescheduled and skipped while
the other channels carry on. After any transient failure a channel is paused
for the rest of the pass: its remaining alerts stay due for the next one.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from traceback import format_tb
from typing import Protocol

from alerts.channel import Channel, PermanentDeliveryError, TransientDeliveryError
from alerts.render import clean_line
from crawler import clock
from crawler.config import AlertSettings
from storage.records import AlertMessage

log = logging.getLogger("marsad.alerts")

JITTER = 0.1  # up to 10% later, so retries of many alerts spread out


class Outbox(Protocol):
    """The part of the archive that delivery uses."""

    def due_alerts(self, now: str, *, limit: int = 100) -> list[AlertMessage]: ...
    def mark_sent(self, alert_id: int, when: str) -> None: ...
    def mark_retry(self, alert_id: int, error: str, next_attempt_at: str) -> None: ...
    def mark_failed(self, alert_id: int, error: str) -> None: ...


@dataclass
class ChannelTally:
    sent: int = 0
    retried: int = 0  # rescheduled after a transient failure
    failed: int = 0
    deferred: int = 0  # left for a later pass because the channel asked to slow down


@dataclass
class DeliveryReport:
    channels: dict[str, ChannelTally] = field(default_factory=dict)

    def tally(self, channel: str) -> ChannelTally:
        return self.channels.setdefault(channel, ChannelTally())

    @property
    def sent(self) -> int:
        return sum(t.sent for t in self.channels.values())

    @property
    def retried(self) -> int:
        return sum(t.retried for t in self.channels.values())

    @property
    def failed(self) -> int:
        return sum(t.failed for t in self.channels.values())

    @property
    def deferred(self) -> int:
        return sum(t.deferred for t in self.channels.values())


def iso(moment: datetime) -> str:
    """The archive's timestamp format: UTC, whole seconds."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def retry_delay(
    attempts: int, settings: AlertSettings, retry_after: float | None = None, *, jitter: float = 0.0
) -> float:
    """Seconds until the next try after `attempts` failed ones (0 before the first failure).

    Exponential backoff capped at retry_max, stretched by `jitter` (a fraction),
    and never sooner than a server's Retry-After.
    """
    delay = min(settings.retry_max, settings.retry_base * 2 ** min(attempts, 60))
    delay *= 1.0 + jitter
    if retry_after is not None and retry_after > delay:
        delay = retry_after
    return delay


def deliver_due(
    archive: Outbox,
    channels: Mapping[str, Channel],
    settings: AlertSettings,
    *,
    now: Callable[[], datetime] = clock.now,
    limit: int = 100,
) -> DeliveryReport:
    """Send every alert due now through its channel; `limit` is the batch size."""
    report = DeliveryReport()
    started = iso(now())
    seen: set[int] = set()
    paused: set[str] = set()  # channels that failed transiently in this pass
    while True:
        batch = [a for a in archive.due_alerts(started, limit=limit) if a.alert_id not in seen]
        if not batch:
            return report
        for alert in batch:
            seen.add(alert.alert_id)
            if alert.channel in paused:
                report.tally(alert.channel).deferred += 1
                continue
            _deliver_one(archive, alert, channels, settings, now, report, paused)


def _deliver_one(
    archive: Outbox,
    alert: AlertMessage,
    channels: Mapping[str, Channel],
    settings: AlertSettings,
    now: Callable[[], datetime],
    report: DeliveryReport,
    paused: set[str],
) -> None:
    tally = report.tally(alert.channel)
    label = f"alert {alert.alert_id} ({alert.channel}, story {clean_line(alert.story)[:80]!r})"
    channel = channels.get(alert.channel)
    if channel is None:
        reason = f"channel {clean_line(alert.channel)!r} is not configured"
        archive.mark_failed(alert.alert_id, reason)
        tally.failed += 1
        log.warning("%s failed: %s", label, reason)
        return
    retry_after: float | None = None
    try:
        channel.send(alert)
    except PermanentDeliveryError as error:
        reason = channel.redact(clean_line(error.reason))
        archive.mark_failed(alert.alert_id, reason)
        tally.failed += 1
        log.warning("%s failed: %s", label, reason)
        return
    except TransientDeliveryError as error:
        reason = channel.redact(clean_line(error.reason))
        retry_after = error.retry_after
    except Exception as error:  # a channel bug must not lose the alert
        reason = channel.redact(clean_line(f"{type(error).__name__}: {error}"))[:500]
        # Frames only (the message may hold what the channel failed to redact).
        frames = channel.redact("".join(format_tb(error.__traceback__)))
        log.debug("%s: %s raised\n%s", label, channel.name, frames)
    else:
        archive.mark_sent(alert.alert_id, iso(now()))
        tally.sent += 1
        log.info("%s sent: %r", label, clean_line(alert.title)[:120])
        return

    # Down, slow or rate-limited: its other alerts wait for the next pass
    # instead of each waiting out a timeout now.
    paused.add(alert.channel)
    attempts = alert.attempts + 1
    if attempts >= settings.max_attempts:
        reason = f"gave up after {attempts} attempts: {reason}"
        archive.mark_failed(alert.alert_id, reason)
        tally.failed += 1
        log.warning("%s failed: %s", label, reason)
        return
    delay = retry_delay(alert.attempts, settings, retry_after, jitter=random.uniform(0, JITTER))
    next_attempt = iso(now() + timedelta(seconds=delay))
    archive.mark_retry(alert.alert_id, reason, next_attempt)
    tally.retried += 1
    log.warning("%s will be retried at %s: %s", label, next_attempt, reason)
