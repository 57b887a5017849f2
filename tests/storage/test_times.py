"""The archive's one timestamp format: crawler.clock.utc_iso, and archive_time in front of
it for the values callers give the archive."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crawler.clock import utc_iso
from storage import Archive, StorageError
from storage.times import archive_time

CASABLANCA = timezone(timedelta(hours=1))


@pytest.mark.parametrize(("moment", "stamp"), [
    (datetime(2025, 4, 20, 10, 6, 30, 999_999, tzinfo=CASABLANCA), "2025-04-20T09:06:30+00:00"),
    (datetime(2025, 4, 20, 9, 6, 30), "2025-04-20T09:06:30+00:00"),  # no offset: UTC
    (datetime(2025, 1, 1, 0, 30, tzinfo=CASABLANCA), "2024-12-31T23:30:00+00:00"),
])
def test_utc_iso_is_utc_to_the_second(moment: datetime, stamp: str) -> None:
    assert utc_iso(moment) == stamp


def test_archive_time_takes_text_or_datetime_alike() -> None:
    moment = datetime(2025, 4, 20, 10, 6, tzinfo=CASABLANCA)
    assert archive_time(moment) == archive_time(" 2025-04-20T10:06:00+01:00 ") == utc_iso(moment)
    assert archive_time("2025-04-20T09:06:00") == "2025-04-20T09:06:00+00:00"


def test_a_bad_timestamp_is_a_storage_error_naming_its_field(archive: Archive) -> None:
    with pytest.raises(StorageError, match=r"^sent time: not an ISO 8601 date-time: 'yesterday'$"):
        archive_time("yesterday", field="sent time")
    with pytest.raises(StorageError, match=r"^now: "):
        archive.due_alerts("20/04/2025")
