"""Timestamps as the archive keeps them: ISO 8601, UTC, "+00:00", whole seconds.

One uniform format lets SQL compare and sort them as plain strings.
"""

from __future__ import annotations

from datetime import UTC, datetime

from storage.errors import StorageError


def utc_iso(value: str | datetime, *, field: str = "timestamp") -> str:
    """Normalise an ISO 8601 string or datetime to UTC; a value without offset is taken as UTC."""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise StorageError(f"{field}: not an ISO 8601 date-time: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def check_iso(value: str | None, *, field: str) -> str | None:
    """Validate (but keep as given) a date that may carry its own offset, or be a bare date."""
    if value is None or value == "":
        return None
    try:
        datetime.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise StorageError(f"{field}: not an ISO 8601 date: {value!r}") from None
    return value.strip()
