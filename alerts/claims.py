"""Claims on alerts: only the process that claimed an alert sends it.

A claim names its owner (host, pid and a token) and holds until its lease ends. On one
host a dead owner is seen at once and its claim taken over; a process on another host
cannot tell, and waits for the lease (see storage.outbox).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from crawler.clock import utc_iso
from storage.records import AlertMessage

log = logging.getLogger("marsad.alerts")

# How long a claim holds against a process on another host, which cannot tell whether
# the owner still lives: longer than any send can take (channel timeouts are at most
# 10 minutes a step). On one host a dead owner's claim is taken over at once.
LEASE_SECONDS = 30 * 60.0
HOST = socket.gethostname()


class Claims(Protocol):
    """The part of the archive that claims alerts."""

    def claim_alert(self, alert_id: int, owner: str, lease_until: str, *,
                    taken_from: str | None = None) -> bool: ...


def new_owner() -> str:
    """Who claims alerts: this host and process, and a token against reused pids."""
    return f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claim_is_stale(owner: str, lease_until: str | None, now: str) -> bool:
    """True when the process that claimed an alert can no longer be sending it."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host == HOST and pid_text.isdigit():
        return not _alive(int(pid_text))
    return lease_until is None or lease_until <= now


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def claim(archive: Claims, alert: AlertMessage, owner: str,
          now: Callable[[], datetime]) -> bool:
    """Claim the alert for this pass; False when it is another process's to send."""
    lease_until = utc_iso(now() + timedelta(seconds=LEASE_SECONDS))
    if alert.claimed_by is None:
        return archive.claim_alert(alert.alert_id, owner, lease_until)
    if not claim_is_stale(alert.claimed_by, alert.lease_until, utc_iso(now())):
        return False
    if not archive.claim_alert(alert.alert_id, owner, lease_until, taken_from=alert.claimed_by):
        return False
    log.warning("alert %s (%s): taken over from a delivery that stopped mid-send; "
                "it may be repeated", alert.alert_id, alert.channel,
                extra={"channel": alert.channel})
    return True
