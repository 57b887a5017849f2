"""`marsad status` in this process, on archives built in tmp_path: healthy or not (stale
or failed last cycle, failed alerts), the daemon as its lock and heartbeat tell, --json,
and bad input refused on one stderr line."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from crawler.instance import claim_daemon
from storage import Archive
from storage.records import ArticleRecord, TopicMatchRecord

NOW = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)
TOPIC = "morocco-france-security"
TEXT = ("أعلنت المديرية العامة للأمن الوطني عن تفكيك خلية إرهابية بتنسيق وثيق مع المديرية "
        "العامة للأمن الداخلي الفرنسية في إطار التعاون الأمني بين المغرب وفرنسا.")


def ago(minutes: float) -> str:
    return (NOW - timedelta(minutes=minutes)).isoformat()


@pytest.fixture
def database(tmp_path, monkeypatch):
    """tmp_path/marsad.toml: a cycle every 15 minutes, email and slack channels, and the
    archive data/archive.db (not created)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MARSAD_NOW", NOW.isoformat())
    (tmp_path / "marsad.toml").write_text(
        'database = "data/archive.db"\n\n[schedule]\ninterval = "15m"\n\n'
        '[channels.email]\ntype = "console"\n\n[channels.slack]\ntype = "console"\n',
        encoding="utf-8")
    return tmp_path / "data" / "archive.db"


def cycle(database, started: float, finished: float | None, status: str = "finished") -> None:
    """A crawl run that started and finished so many minutes before NOW."""
    with Archive(database) as archive:
        run = archive.start_run(ago(started))
        if finished is not None:
            archive.finish_run(run, ago(finished), status)


def alert(database, channel: str, outcome: str) -> None:
    """One story alerted on `channel`, left pending, or failed after its attempts."""
    with Archive(database) as archive:
        archive.store_article(
            ArticleRecord(url=f"https://www.hespress.com/{channel}-{outcome}.html",
                          source="hespress", title="تعاون أمني", text=f"{channel} {TEXT}",
                          discovered_via="listing", fetched_at=ago(90), language="ar"),
            matches=[TopicMatchRecord(TOPIC, 1.0, ("فرنسا",))], alerts=[(TOPIC, channel)])
        if outcome == "failed":
            [row] = [a for a in archive.list_alerts() if a["status"] == "pending"
                     and a["channel"] == channel]
            assert archive.claim_alert(row["id"], "test", ago(-60))
            archive.mark_failed(row["id"], "channel refused the message", owner="test")


def marsad(capsys, *args: str) -> tuple[int, str, str]:
    from crawler.cli import main

    try:
        code = main(["--config", "marsad.toml", "status", *args])
    except SystemExit as exited:  # argparse's own refusals
        code = exited.code
    out, err = capsys.readouterr()
    return code, out, err


def test_a_recent_cycle_and_nothing_failed_is_healthy(database, capsys):
    cycle(database, started=12, finished=10)
    alert(database, "email", "pending")
    code, out, err = marsad(capsys)
    assert (code, err) == (0, "")
    assert "last cycle: started 2025-06-03 11:48Z, finished 2025-06-03 11:50Z (finished)" in out
    assert "alerts: email: 1 pending, 0 failed; slack: 0 pending, 0 failed" in out
    assert "oldest pending alert: 2025-06-03 12:00Z on email" in out
    assert "daemon: none has run on this archive" in out
    assert out.rstrip().endswith("\nhealthy")


def test_a_stale_last_cycle_is_unhealthy_beyond_three_intervals_or_max_age(database, capsys):
    cycle(database, started=52, finished=50)
    cycle(database, started=5, finished=None)  # a cycle under way does not count yet
    code, out, _ = marsad(capsys)
    assert code == 1
    assert "last cycle: started 2025-06-03 11:55Z, not finished" in out
    assert "last finished cycle: 2025-06-03 11:10Z (finished)" in out
    assert "unhealthy: the last cycle finished 50m ago, longer than 45m" in out
    assert marsad(capsys, "--max-age", "1h")[0] == 0
    code, out, _ = marsad(capsys, "--max-age", "30m")
    assert code == 1 and "longer than 30m" in out


def test_a_failed_last_cycle_or_none_at_all_is_unhealthy(database, capsys):
    with Archive(database):
        pass
    code, out, _ = marsad(capsys)
    assert code == 1 and "unhealthy: no cycle has finished yet" in out
    cycle(database, started=3, finished=1, status="failed: database is locked")
    code, out, _ = marsad(capsys)
    assert code == 1 and "unhealthy: the last cycle failed: database is locked" in out


def test_a_failed_alert_is_unhealthy_and_names_its_channel(database, capsys):
    cycle(database, started=3, finished=1)
    alert(database, "slack", "failed")
    alert(database, "email", "pending")
    code, out, _ = marsad(capsys)
    assert code == 1
    assert "slack: 0 pending, 1 failed" in out
    assert "unhealthy: 1 failed alert on slack" in out


def test_json_is_one_object_on_one_line(database, capsys):
    cycle(database, started=70, finished=68)
    alert(database, "slack", "failed")
    code, out, _ = marsad(capsys, "--json")
    assert code == 1 and out.count("\n") == 1
    status = json.loads(out)
    assert status["healthy"] is False
    assert status["problems"] == ["the last cycle finished 1h 8m ago, longer than 45m",
                                  "1 failed alert on slack"]
    assert status["last_finished_cycle"]["finished_at"] == "2025-06-03T10:52:00+00:00"
    assert status["alerts"]["slack"] == {"pending": 0, "sending": 0, "failed": 1}
    assert status["alerts"]["email"] == {"pending": 0, "sending": 0, "failed": 0}
    assert status["max_age"] == 2700 and status["daemon"] == {"state": "never"}
    assert status["unhealthy_sources"] == [] and status["oldest_pending_alert"] is None


@pytest.mark.parametrize("value", ["soon", "0s", "-5m", "15", "10000000000d"])
def test_a_bad_max_age_is_a_usage_error(database, capsys, value):
    cycle(database, started=3, finished=1)
    code, out, err = marsad(capsys, f"--max-age={value}")
    assert code == 2 and out == ""
    assert err.startswith("marsad: status: --max-age: ") and err.count("\n") == 1


def test_no_archive_is_one_line_and_exit_1_and_creates_nothing(database, capsys):
    code, out, err = marsad(capsys)
    assert (code, out) == (1, "")
    assert err == f"marsad: status: no archive at {database}: no cycle has run yet\n"
    code, out, _ = marsad(capsys, "--json")
    assert code == 1 and json.loads(out)["healthy"] is False
    assert not database.parent.exists()


def test_the_daemon_running_stopped_or_gone_as_its_lock_and_heartbeat_tell(database, capsys):
    cycle(database, started=3, finished=1)
    lock = claim_daemon(database)
    try:
        with Archive(database) as archive:
            archive.record_heartbeat(pid=lock.holder.pid, host=lock.holder.host,
                                     started_at=ago(30), beat_at=ago(0.5),
                                     next_cycle_at=ago(-14))
        code, out, _ = marsad(capsys, "--json")
        daemon = json.loads(out)["daemon"]
        assert code == 0 and daemon["state"] == "running"
        assert (daemon["pid"], daemon["next_cycle_at"]) == (lock.holder.pid,
                                                            "2025-06-03T12:14:00+00:00")
        assert "next cycle: 2025-06-03 12:14Z" in marsad(capsys)[1]
    finally:
        lock.release()
    # The lock is gone but no stop was recorded: the daemon died (killed, or a crash).
    code, out, _ = marsad(capsys)
    assert code == 0 and "daemon: not running: ended without stopping after " \
                         "2025-06-03 11:59Z" in out and "next cycle" not in out
    with Archive(database) as archive:
        archive.record_heartbeat(pid=lock.holder.pid, host=lock.holder.host,
                                 started_at=ago(30), beat_at=ago(0.2), next_cycle_at=None,
                                 stopped_at=ago(0.2))
        # A beat that comes after its daemon's stop leaves the stop in place.
        archive.record_heartbeat(pid=lock.holder.pid, host=lock.holder.host,
                                 started_at=ago(30), beat_at=ago(0.1),
                                 next_cycle_at=ago(-14))
    assert json.loads(marsad(capsys, "--json")[1])["daemon"]["state"] == "stopped"


def test_a_broken_source_is_unhealthy_with_its_reason(database, capsys):
    with Archive(database) as archive:
        for minutes in (40, 25, 10):  # three cycles in a row in which the site failed
            run = archive.start_run(ago(minutes + 2))
            archive.record_source(run, "hespress", fetched=0, new=0, errors=3,
                                  last_error="connection refused")
            archive.finish_run(run, ago(minutes), "finished")
            archive.judge_sources(run, ["hespress"], silent_cycles=6, failed_cycles=3,
                                  channels=["email"], urls={"hespress": None})
    code, out, _ = marsad(capsys, "--json")
    status = json.loads(out)
    assert code == 1
    [source] = status["unhealthy_sources"]
    assert (source["source"], source["state"], source["broken"]) == ("hespress", "broken", True)
    assert status["problems"] == [f"source hespress: {source['reason']}"]
    # The "source looks broken" notice waits in the outbox like any alert.
    assert status["alerts"]["email"]["pending"] == 1
    assert status["oldest_pending_alert"]["notice"] is not None
    code, out, _ = marsad(capsys)
    assert f"sources: hespress: {source['reason']}" in out
    assert "(source health notice, 0 attempts)" in out


def test_a_source_with_a_shorter_interval_of_its_own_sets_the_default_max_age(database,
                                                                            capsys):
    config = database.parent.parent / "marsad.toml"
    config.write_text(config.read_text(encoding="utf-8") + (
        '\n[[sources]]\nname = "wire"\nlisting_urls = ["https://wire.example.ma/"]\n'
        'interval = "5m"\n\n[[sources]]\nname = "weekly"\n'
        'listing_urls = ["https://weekly.example.ma/"]\n'), encoding="utf-8")
    cycle(database, started=22, finished=20)
    code, out, _ = marsad(capsys, "--json")
    assert code == 1 and json.loads(out)["max_age"] == 900
