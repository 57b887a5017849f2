"""The one clock. Everything that asks "what time is it" asks here.

``MARSAD_NOW`` (ISO 8601 with offset) freezes it, so tests and the demo can
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


def monotonic() -> float:
    """Seconds on a clock that never goes back, for timeouts and backoff waits."""
    return time.monotonic()
