"""Source health in a real archive: cycles read back, verdicts kept, and one notice when
a source breaks and one when it works again, queued in the outbox and delivered by the
normal delivery."""

from __future__ import annotations

import io
import json
import sqlite3

import pytest

import storage.health
from alerts.console import ConsoleChannel
from alerts.delivery import deliver_due
from alerts.render import render_html, render_slack
from crawler.config import AlertSettings
from storage import Archive, StorageError

CHANNELS = ("email", "slack")
URLS = {"hespress": "https://www.hespress.com/", "le360": "https://le360.ma/"}
LATER = "2030-01-01T00:00:00+00:00"

YIELD = {"fetched": 14, "new": 12, "errors": 0, "dated": 12, "with_text": 12}
QUIET = {"fetched": 2, "new": 0, "errors": 0}
DOWN = {"fetched": 0, "new": 0, "errors": 2, "last_error": "HTTP 503 for https://x/"}
REFUSED = {"fetched": 0, "new": 0, "errors": 0, "blocked": 2,
           "refusal": "https://www.hespress.com/ (HTTP 403)"}


class Cycles:
    """Runs recorded the way the crawl records them, then judged."""

    def __init__(self, archive: Archive, **rules: int) -> None:
        self.archive = archive
        self.rules = {"silent_cycles": 3, "failed_cycles": 2, **rules}
        self.count = 0

    def run(self, status: str = "finished", **sources: dict) -> list[storage.health.Judged]:
        self.count += 1
        run = self.archive.start_run(f"2025-04-20T{self.count % 24:02}:00:00+00:00")
        for name, figures in sources.items():
            self.archive.record_source(run, name, **{"last_error": None, **figures})
        self.archive.finish_run(run, f"2025-04-20T{self.count % 24:02}:05:00+00:00", status)
        if status != "finished":
            return []
        return self.archive.judge_sources(run, list(sources), channels=CHANNELS, urls=URLS,
                                          **self.rules)


def notices(archive: Archive) -> list[tuple]:
    return [tuple(row) for row in archive.db.execute(
        "SELECT source, kind, title FROM health_notices ORDER BY id")]


def test_a_failing_source_raises_one_notice_and_one_when_it_yields_again(archive):
    cycles = Cycles(archive)
    cycles.run(hespress=YIELD)
    assert [j.verdict.state for j in cycles.run(hespress=DOWN)] == ["degraded"]
    [judged] = cycles.run(hespress=DOWN)
    assert (judged.verdict.state, judged.notice) == ("broken", "broken")
    for figures in (DOWN, DOWN, QUIET):  # still broken: nothing more is queued
        [judged] = cycles.run(hespress=figures)
        assert judged.verdict.state == "broken" and judged.notice is None
    [judged] = cycles.run(hespress={**YIELD, "new": 3})
    assert (judged.verdict.state, judged.notice) == ("ok", "recovered")
    cycles.run(hespress=YIELD)
    assert notices(archive) == [("hespress", "broken", "Source looks broken: hespress"),
                                ("hespress", "recovered", "Source works again: hespress")]
    alerts = archive.list_alerts()
    assert [(a["kind"], a["channel"], a["title"]) for a in alerts] == [
        ("health", "email", "Source looks broken: hespress"),
        ("health", "slack", "Source looks broken: hespress"),
        ("health", "email", "Source works again: hespress"),
        ("health", "slack", "Source works again: hespress")]
    assert all(a["story"] is None and a["url"] == URLS["hespress"] and a["status"] == "pending"
               and a["source"] == "hespress" for a in alerts)


def test_notices_carry_the_reason_and_are_delivered_like_story_alerts(archive, make_article):
    archive.store_article(make_article(), matches=(), alerts=())
    cycles = Cycles(archive)
    cycles.run(hespress=YIELD)
    for _ in range(3):
        cycles.run(hespress=QUIET)
    due = archive.due_alerts(LATER)
    assert [(m.channel, m.title, m.source, m.topic) for m in due] == [
        (channel, "Source looks broken: hespress", "hespress", "source health")
        for channel in CHANNELS]
    assert due[0].text == "broken: no new article in 3 cycles (used to yield 12 a cycle)"
    assert due[0].story != due[1].story or due[0].channel != due[1].channel
    stream = io.StringIO()
    report = deliver_due(archive, {"email": ConsoleChannel(stream=stream),
                                   "slack": ConsoleChannel(stream=stream)},
                         AlertSettings(), limit=10)
    assert report.sent == 2
    assert stream.getvalue().count("Source looks broken: hespress") == 2
    assert "no new article in 3 cycles (used to yield 12 a cycle)" in stream.getvalue()
    assert archive.due_alerts(LATER) == []
    assert {a["status"] for a in archive.list_alerts()} == {"sent"}


def test_a_refused_source_is_blocked_and_a_change_between_broken_states_is_not_news(archive):
    cycles = Cycles(archive)
    cycles.run(hespress=YIELD)
    cycles.run(hespress=REFUSED)
    [judged] = cycles.run(hespress=REFUSED)
    assert judged.verdict.state == "blocked" and judged.notice == "broken"
    assert "refused marsad in 2 cycles in a row: https://www.hespress.com/ (HTTP 403)" in (
        judged.verdict.reason)
    [judged] = cycles.run(hespress=DOWN)
    [judged] = cycles.run(hespress=DOWN)
    assert judged.verdict.state == "broken" and judged.notice is None
    assert notices(archive) == [("hespress", "broken", "Source looks blocked: hespress")]
    [unhealthy] = archive.unhealthy_sources()
    assert unhealthy["reason"].startswith("broken: failed 4 cycles in a row")
    assert unhealthy["since"] == "2025-04-20T10:00:00+00:00"  # the frozen clock


def test_cycles_that_did_not_run_to_their_end_say_nothing(archive):
    cycles = Cycles(archive)
    cycles.run(hespress=YIELD)
    cycles.run(hespress=DOWN)
    cycles.run("shutdown", hespress=DOWN)
    cycles.run("failed: archive: disk I/O error", hespress=QUIET)
    [judged] = cycles.run(hespress=YIELD)
    assert judged.verdict.state == "ok"
    assert [c.outcome for c in storage.health.cycles(archive.db, "hespress")] == [
        "yielded", "failed", "yielded"]
    assert notices(archive) == []


def test_each_source_is_judged_on_its_own_cycles(archive):
    cycles = Cycles(archive)
    cycles.run(hespress=YIELD, le360=YIELD)
    cycles.run(hespress=DOWN, le360=YIELD)
    cycles.run(hespress=DOWN, le360=QUIET)
    cycles.run(le360=QUIET)  # a crawl of one source judges that source only
    assert [row["source"] for row in archive.unhealthy_sources()] == ["hespress"]
    stats = {row["name"]: row["health"] for row in archive.source_stats()}
    assert stats["hespress"]["state"] == "broken"
    assert stats["hespress"]["failed_cycles"] == 2
    assert stats["le360"]["state"] == "ok"
    assert stats["le360"]["reason"] == "last new article 2 cycles ago"
    assert stats["le360"]["dated_share"] == 1.0


def test_unhealthy_sources_lists_the_worst_first(archive):
    cycles = Cycles(archive)
    cycles.run(hespress=YIELD, le360=YIELD, goud=YIELD)
    cycles.run(hespress=DOWN, le360=QUIET, goud={**YIELD, "dated": 1})
    cycles.run(hespress=QUIET, le360=QUIET, goud={**YIELD, "dated": 2})
    cycles.run(hespress=QUIET, le360=QUIET, goud={**YIELD, "dated": 2})
    assert [(u["source"], u["state"], u["broken"]) for u in archive.unhealthy_sources()] == [
        ("hespress", "broken", True), ("le360", "broken", True), ("goud", "degraded", False)]
    cycles.run(hespress=YIELD, le360=YIELD, goud={**YIELD, "dated": 0})
    assert [(u["source"], u["state"], u["broken"]) for u in archive.unhealthy_sources()] == [
        ("goud", "degraded", False)]
    assert archive.unhealthy_sources()[0]["reason"] == (
        "degraded: only 17 of its latest 60 new articles had a date")


def test_a_notice_that_cannot_be_queued_is_queued_by_the_next_judgement(archive):
    cycles = Cycles(archive)
    cycles.run(hespress=YIELD)
    cycles.run(hespress=DOWN)
    run = archive.start_run("2025-04-20T20:00:00+00:00")
    archive.record_source(run, "hespress", **DOWN)
    archive.finish_run(run, "2025-04-20T20:05:00+00:00", "finished")
    with pytest.raises(sqlite3.IntegrityError):  # a channel without a name: nothing kept
        archive.judge_sources(run, ["hespress"], channels=("email", None), urls=URLS,
                              silent_cycles=3, failed_cycles=2)
    assert notices(archive) == [] and archive.list_alerts() == []
    assert archive.unhealthy_sources()[0]["state"] == "degraded"
    [judged] = archive.judge_sources(run, ["hespress"], channels=CHANNELS, urls=URLS,
                                     silent_cycles=3, failed_cycles=2)
    assert judged.notice == "broken" and len(archive.list_alerts()) == 2


def test_one_row_per_channel(archive):
    cycles = Cycles(archive, failed_cycles=1)
    cycles.run(hespress=YIELD)
    run = archive.start_run("2025-04-20T21:00:00+00:00")
    archive.record_source(run, "hespress", **DOWN)
    archive.finish_run(run, "2025-04-20T21:05:00+00:00", "finished")
    archive.judge_sources(run, ["hespress"], channels=("email", "email", "slack"), urls={},
                          silent_cycles=3, failed_cycles=1)
    assert sorted(a["channel"] for a in archive.list_alerts()) == ["email", "slack"]
    assert {a["url"] for a in archive.list_alerts()} == {""}


def test_a_long_dead_source_stays_broken(archive, monkeypatch):
    monkeypatch.setattr(storage.health, "MAX_DRY_CYCLES", 4)
    cycles = Cycles(archive)
    cycles.run(hespress=YIELD)
    for _ in range(8):
        [judged] = cycles.run(hespress=QUIET)
    assert judged.verdict.state == "broken"
    assert judged.verdict.reason == "no new article in 4 cycles (used to yield 12 a cycle)"
    assert len(notices(archive)) == 1


def test_new_article_quality_counts_dates_and_bodies(archive, make_article):
    archive.store_article(make_article(url="https://www.hespress.com/old.html"))
    before = archive.last_article_id()
    archive.store_article(make_article(url="https://www.hespress.com/1.html"))
    archive.store_article(make_article(url="https://www.hespress.com/2.html", published=None,
                                       text="Une légende de photo."))
    archive.store_article(make_article(url="https://le360.ma/3.html", source="le360",
                                       published=None))
    assert archive.new_article_quality(before) == {"hespress": (1, 1), "le360": (0, 1)}
    assert archive.new_article_quality(archive.last_article_id()) == {}


def test_figures_must_be_counts(archive):
    run = archive.start_run("2025-04-20T09:00:00+00:00")
    for bad in ({"blocked": -1}, {"dated": "3"}, {"with_text": -2}):
        with pytest.raises(StorageError, match="must be a count"):
            archive.record_source(run, "hespress", **{**QUIET, "last_error": None, **bad})
    archive.record_source(run, "hespress", **REFUSED, last_error=None)
    row = archive.db.execute("SELECT blocked, refusal, dated, with_text FROM run_sources"
                             ).fetchone()
    assert row == (2, "https://www.hespress.com/ (HTTP 403)", None, None)


def test_server_text_in_a_notice_is_escaped_where_it_goes(archive):
    cycles = Cycles(archive, failed_cycles=1)
    cycles.run(hespress=YIELD)
    cycles.run(hespress={**DOWN, "last_error": "HTTP 500: <!channel> <script>x</script> &"})
    [due, _] = archive.due_alerts(LATER)
    slack = json.dumps(render_slack(due), ensure_ascii=False)
    assert "<!channel>" not in slack and "&lt;!channel&gt;" in slack
    page = render_html(due)
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt; &amp;" in page


def test_a_source_no_longer_configured_is_forgotten(archive):
    cycles = Cycles(archive, failed_cycles=1)
    cycles.run(hespress=YIELD, le360=YIELD)
    cycles.run(hespress=DOWN, le360=YIELD)
    assert [u["source"] for u in archive.unhealthy_sources()] == ["hespress"]
    run = archive.start_run("2025-04-20T22:00:00+00:00")
    archive.record_source(run, "le360", **YIELD, last_error=None)
    archive.finish_run(run, "2025-04-20T22:05:00+00:00", "finished")
    archive.judge_sources(run, ["le360"], channels=CHANNELS, urls=URLS, silent_cycles=3,
                          failed_cycles=1, configured=["le360"])
    assert archive.unhealthy_sources() == []
    assert {row["name"]: row["health"] is None for row in archive.source_stats()} == {
        "hespress": True, "le360": False}
    assert len(notices(archive)) == 1  # what was sent stays on record
