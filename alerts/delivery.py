"""Delivery of due alerts from the archive's outbox, in plain Python after a crawl.

Each alert is claimed before it is sent, so that only one process sends it (see
alerts.claims); losing the claim means another process has it, which is not an
error. An alert is marked sent only after its channel's `send` returned; every
other outcome leaves it pending with a later attempt time, or marks it failed
with a reason. Nothing waits: a rate-limited channel is rescheduled and skipped
while the other channels carry on. After any transient failure a channel is
paused until that alert's next attempt (a server's Retry-After included): its
remaining alerts stay due. The pauses last the pass, or, when the caller keeps
them (the daemon's delivery job), across passes.

A send that went out whole but got no answer may have been delivered: it is
retried once, logged as possibly repeated, and then failed rather than risk
sending it again and again.

A channel with a digest schedule holds its alerts, pending, until its digest is due
(see alerts.digest); the digest's alerts are then claimed one by one, sent as one
message, and settled together: all sent, all retried at one time, or all failed.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from traceback import format_tb
from typing import Protocol
from zoneinfo import ZoneInfo

from alerts.channel import (
    Channel,
    PermanentDeliveryError,
    PossiblyDeliveredError,
    TransientDeliveryError,
)
from alerts.claims import Claims, claim, new_owner
from alerts.digest import due_digest
from alerts.escaping import clean_line
from crawler import clock
from crawler.config import AlertSettings
from storage.outbox import ClaimLost
from storage.records import AlertMessage

log = logging.getLogger("marsad.alerts")

JITTER = 0.1  # up to 10% later, so retries of many alerts spread out


class Outbox(Claims, Protocol):
    """The part of the archive that delivery uses."""

    def due_alerts(self, now: str, *, limit: int = 100) -> list[AlertMessage]: ...
    def mark_sent(self, alert_id: int, when: str, *, owner: str) -> None: ...
    def mark_retry(self, alert_id: int, error: str, next_attempt_at: str, *, owner: str,
                   uncertain: bool = False) -> None: ...
    def mark_failed(self, alert_id: int, error: str, *, owner: str) -> None: ...
    def channel_back(self, channel: str, now: str) -> int: ...


@dataclass
class ChannelTally:
    sent: int = 0
    retried: int = 0  # rescheduled after a transient failure
    failed: int = 0
    deferred: int = 0  # left for a later pass because the channel asked to slow down
    taken: int = 0  # claimed by another process first: theirs to send
    waiting: int = 0  # held for a digest that is not due yet


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

    @property
    def taken(self) -> int:
        return sum(t.taken for t in self.channels.values())


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
    timezone: str = "UTC",
    pauses: dict[str, datetime] | None = None,
) -> DeliveryReport:
    """Send every alert due now through its channel; `limit` is the batch size,
    `timezone` (crawl.timezone) the zone of "daily HH:MM" digests, and `pauses`
    (channel -> not before) the channels resting after a failure, kept by a caller
    that delivers again and again."""
    report = DeliveryReport()
    start = now()
    started = clock.utc_iso(start)
    owner = new_owner()
    seen: set[int] = set()
    paused = pauses if pauses is not None else {}
    for name in [name for name, until in paused.items() if until <= start]:
        del paused[name]
    held: dict[str, list[AlertMessage]] = {}  # per digest channel, its due alerts
    window = limit
    while True:
        rows = archive.due_alerts(started, limit=window)
        batch = [a for a in rows if a.alert_id not in seen]
        if not batch:
            # Held alerts stay due until their digest goes: look past them, so that they
            # never keep other channels' alerts out of the pass.
            wanted = limit + sum(map(len, held.values()))
            if len(rows) < window or wanted <= window:
                break
            window = max(wanted, 2 * window)
            continue
        for alert in batch:
            seen.add(alert.alert_id)
            channel = channels.get(alert.channel)
            if channel is not None and channel.digest is not None:
                # A digest shows no excerpt: the article text need not stay in memory.
                held.setdefault(alert.channel, []).append(replace(alert, text=""))
                continue
            if alert.channel in paused:
                report.tally(alert.channel).deferred += 1
                continue
            if not claim(archive, alert, owner, now):
                report.tally(alert.channel).taken += 1
                continue
            attempt = _Attempt(archive, [alert], owner, settings, now,
                               report.tally(alert.channel))
            attempt.run(channel, paused)
    for name, alerts in held.items():
        _deliver_digest(archive, channels[name], alerts, owner, settings, now, start,
                        ZoneInfo(timezone), report.tally(name))
    return report


def _deliver_digest(archive: Outbox, channel: Channel, alerts: Sequence[AlertMessage],
                    owner: str, settings: AlertSettings, now: Callable[[], datetime],
                    start: datetime, tz: ZoneInfo, tally: ChannelTally) -> None:
    """Send a channel's digest when it is due; its alerts otherwise stay pending."""
    digest = due_digest(alerts, channel.digest, tz, start) if channel.digest else None
    members = digest.messages if digest else ()
    tally.waiting += len(alerts) - len(members)
    if not digest:
        return
    claimed = [alert for alert in members if claim(archive, alert, owner, now)]
    tally.taken += len(members) - len(claimed)
    if claimed:
        # Newest first still: claiming keeps the order.
        _Attempt(archive, claimed, owner, settings, now, tally).run(
            channel, {}, digest_period=digest.label(tz))


class _Attempt:
    """One try of claimed alerts (one alert, or the alerts of one digest), and its
    outcome written back to the outbox, the same for each of them."""

    def __init__(self, archive: Outbox, alerts: Sequence[AlertMessage], owner: str,
                 settings: AlertSettings, now: Callable[[], datetime],
                 tally: ChannelTally) -> None:
        self.archive = archive
        self.alerts = alerts
        self.owner = owner
        self.settings = settings
        self.now = now
        self.tally = tally
        first = alerts[0]
        if len(alerts) == 1:
            self.label = (f"alert {first.alert_id} ({first.channel}, "
                          f"story {clean_line(first.story)[:80]!r})")
        else:
            self.label = f"digest of {len(alerts)} alerts ({first.channel})"
        self.log_fields = {"channel": first.channel}  # for JSON log lines

    def run(self, channel: Channel | None, paused: dict[str, datetime], *,
            digest_period: str | None = None) -> None:
        """Send the alert, or with `digest_period` all the alerts as one digest."""
        alert = self.alerts[0]
        if channel is None:
            self.fail(f"channel {clean_line(alert.channel)!r} is not configured")
            return
        retry_after: float | None = None
        uncertain = False
        try:
            if digest_period is None:
                channel.send(alert)
            else:
                channel.send_digest(self.alerts, period=digest_period)
        except PermanentDeliveryError as error:
            self.fail(channel.clean_reason(error.reason))
            return
        except TransientDeliveryError as error:
            reason = channel.clean_reason(error.reason)
            retry_after = error.retry_after
            uncertain = isinstance(error, PossiblyDeliveredError)
        except Exception as error:  # a channel bug must not lose the alert
            reason = channel.clean_reason(f"{type(error).__name__}: {error}")
            # Frames only (the message may hold what the channel failed to redact).
            frames = channel.redact("".join(format_tb(error.__traceback__)))
            log.debug("%s: %s raised\n%s", self.label, channel.name, frames,
                      extra=self.log_fields)
        else:
            self.settle(self.archive.mark_sent, clock.utc_iso(self.now()))
            self.tally.sent += len(self.alerts)
            log.info("%s sent: %r", self.label, clean_line(alert.title)[:120],
                     extra=self.log_fields)
            if alert.attempts:
                # It had failed before: the channel is back, and what waits out a
                # backoff (minutes, after a long outage) goes now, not then.
                self.archive.channel_back(alert.channel, clock.utc_iso(self.now()))
            return

        # A digest's alerts share one fate: the most tried of them sets the pace.
        tried = max(a.attempts for a in self.alerts)
        attempts = tried + 1
        delay = retry_delay(tried, self.settings, retry_after, jitter=random.uniform(0, JITTER))
        retry_at = self.now() + timedelta(seconds=delay)
        # Down, slow or rate-limited: its other alerts wait with this one instead of
        # each waiting out a timeout, or asking again before a Retry-After expires.
        paused[alert.channel] = max(retry_at, paused.get(alert.channel, retry_at))
        if uncertain and any(a.uncertain >= 1 for a in self.alerts):
            self.fail(f"no answer twice after sending; it may have been delivered, so it is "
                      f"not sent again: {reason}")
            return
        if attempts >= self.settings.max_attempts:
            self.fail(f"gave up after {attempts} attempts: {reason}")
            return
        next_attempt = clock.utc_iso(retry_at)
        if uncertain:
            reason = f"possibly delivered, retried once (it may repeat): {reason}"
        self.settle(self.archive.mark_retry, reason, next_attempt, uncertain=uncertain)
        self.tally.retried += len(self.alerts)
        log.warning("%s will be retried at %s: %s", self.label, next_attempt, reason,
                    extra=self.log_fields)

    def fail(self, reason: str) -> None:
        self.settle(self.archive.mark_failed, reason)
        self.tally.failed += len(self.alerts)
        log.warning("%s failed: %s", self.label, reason, extra=self.log_fields)

    def settle(self, mark: Callable[..., None], *args: object, **kwargs: object) -> None:
        for alert in self.alerts:
            try:
                mark(alert.alert_id, *args, owner=self.owner, **kwargs)
            except ClaimLost as lost:
                # Our claim was judged stale and taken over: the new owner settles it.
                log.warning("%s: %s", self.label, lost, extra=self.log_fields)
