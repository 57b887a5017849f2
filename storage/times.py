"""Timestamps given to the archive: checked, then kept in the one format of
`crawler.clock.utc_iso` (ISO 8601, UTC, "+00:00", whole seconds)."""

from __future__ import annotations

from datetime import datetime

from crawler.clock import utc_iso
from storage.errors import StorageError


def archive_time(value: str | datetime, *, field: str = "timestamp") -> str:
    """A caller's ISO 8601 string or datetime in the archive's format; a value without
    offset is taken as UTC. A string that is not ISO 8601 is a StorageError naming `field`."""
    if isinstance(value, datetime):
        return utc_iso(value)
    try:
        moment = datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise StorageError(f"{field}: not an ISO 8601 date-time: {value!r}") from None
    return utc_iso(moment)


def check_iso(value: str | None, *, field: str) -> str | None:
    """Validate (but keep as given) a date that may carry its own offset, or be a bare date."""
    if value is None or value == "":
        return None
    try:
        datetime.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise StorageError(f"{field}: not an ISO 8601 date: {value!r}") from None
    return value.strip()
