"""The one clock and the one timestamp format. Everything that asks "what time is it"
asks here, and every timestamp the archive keeps is written by `utc_iso`.

``MARSAD_NOW`` (ISO 8601 with offset) freezes the clock, so tests and the demo can
render and read relative dates ("منذ 3 ساعات") against a known instant.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    frozen = os.environ.get("MARSAD_NOW")
    if frozen:
        value = datetime.fromisoformat(frozen)
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.now(UTC)


def utc_iso(moment: datetime) -> str:
    """The archive's timestamp format: ISO 8601 in UTC with "+00:00", whole seconds; a
    moment without offset is taken as UTC. One uniform format lets SQL compare and sort
    timestamps as plain strings."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def monotonic() -> float:
    """Seconds on a clock that never goes back, for timeouts and backoff waits."""
    return time.monotonic()
