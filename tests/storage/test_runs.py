"""Crawl runs, per-source figures, and conditional-request validators."""

from __future__ import annotations

import pytest

from storage import Archive, StorageError


def test_source_stats_follow_runs(archive: Archive, make_article, bodies) -> None:
    archive.store_article(make_article())
    archive.store_article(make_article(url="https://www.hespress.com/2.html", text=bodies.fr))
    first = archive.start_run("2025-04-20T09:00:00+00:00")
    archive.record_source(first, "hespress", fetched=12, new=2, errors=0, last_error=None)
    archive.record_source(first, "le360", fetched=0, new=0, errors=1,
                          last_error="timeout after 30 s")
    archive.finish_run(first, "2025-04-20T09:05:00+00:00", "ok")
    second = archive.start_run("2025-04-20T10:15:00+01:00")  # 09:15 UTC
    archive.record_source(second, "hespress", fetched=0, new=0, errors=3,
                          last_error="HTTP 503")
    archive.record_source(second, "le360", fetched=4, new=0, errors=0, last_error=None)
    archive.finish_run(second, "2025-04-20T09:20:00Z", "ok")
    assert second > first
    stats = {row["name"]: row for row in archive.source_stats()}
    assert set(stats) == {"hespress", "le360"}
    assert stats["hespress"]["articles"] == 2
    assert stats["hespress"]["last_success"] == "2025-04-20T09:00:00+00:00"
    assert stats["hespress"]["last_error"] == "HTTP 503"
    assert stats["hespress"]["last_run"] == "2025-04-20T09:15:00+00:00"
    assert stats["le360"]["articles"] == 0
    assert stats["le360"]["last_success"] == "2025-04-20T09:15:00+00:00"
    assert stats["le360"]["last_error"] == "timeout after 30 s"
    assert stats["le360"]["last_error_at"] == "2025-04-20T09:00:00+00:00"
    run = archive.db["runs"].get(second)
    assert run["status"] == "ok" and run["finished_at"] == "2025-04-20T09:20:00+00:00"


def test_recording_a_source_twice_replaces_its_figures(archive: Archive) -> None:
    run = archive.start_run("2025-04-20T09:00:00+00:00")
    archive.record_source(run, "goud", fetched=1, new=1, errors=1, last_error="x")
    archive.record_source(run, "goud", fetched=5, new=2, errors=0, last_error=None)
    row = archive.db.execute("SELECT fetched, new, errors, last_error FROM run_sources").fetchall()
    assert row == [(5, 2, 0, None)]
    assert archive.source_stats()[0]["last_error"] is None


def test_run_errors_are_clear(archive: Archive) -> None:
    with pytest.raises(StorageError, match="no crawl run 99"):
        archive.record_source(99, "goud", fetched=0, new=0, errors=0, last_error=None)
    with pytest.raises(StorageError, match="no crawl run 99"):
        archive.finish_run(99, "2025-04-20T09:00:00+00:00", "ok")
    run = archive.start_run("2025-04-20T09:00:00+00:00")
    with pytest.raises(StorageError, match="fetched must be a count"):
        archive.record_source(run, "goud", fetched=-1, new=0, errors=0, last_error=None)
    with pytest.raises(StorageError, match="run start"):
        archive.start_run("not a time")


def test_validators_round_trip(archive: Archive) -> None:
    feed = "https://www.hespress.com/feed"
    assert archive.validators(feed) == (None, None)
    archive.save_validators([
        (feed, '"abc123"', "Sun, 20 Apr 2025 09:00:00 GMT"),
        ("https://www.goud.ma/feed/", None, "Sun, 20 Apr 2025 08:00:00 GMT"),
    ])
    assert archive.validators(feed) == ('"abc123"', "Sun, 20 Apr 2025 09:00:00 GMT")
    # Same resource under a normalised spelling (host case, tracking parameter).
    assert archive.validators("https://WWW.hespress.com/feed?utm_source=x") == (
        '"abc123"', "Sun, 20 Apr 2025 09:00:00 GMT")
    assert archive.validators("https://www.goud.ma/feed/") == (
        None, "Sun, 20 Apr 2025 08:00:00 GMT")
    archive.save_validators([(feed, '"def"', None)])
    assert archive.validators(feed) == ('"def"', None)
    archive.save_validators([(feed, None, None)])
    assert archive.validators(feed) == (None, None)
    with pytest.raises(StorageError, match="not an http"):
        archive.validators("file:///etc/passwd")
