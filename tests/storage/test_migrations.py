"""An archive made before the claims and drops migration opens, migrates, and keeps every
article and alert as it was."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage import Archive
from storage.migrations import m001_initial
from storage.records import TopicMatchRecord

TOPIC = "morocco-france-security"


def test_an_archive_of_the_first_schema_keeps_everything(db_path, make_article, bodies):
    first = Migrations("marsad")
    first(name="m001_initial")(m001_initial)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    old = Database(sqlite3.connect(str(db_path), isolation_level=None))
    first.apply(old)
    old.execute("INSERT INTO stories (key, created_at) VALUES ('s1', '2025-01-01T00:00:00+00:00')")
    old.execute("""INSERT INTO articles (id, url, url_key, source, title, text, discovered_via,
                   fetched_at, story) VALUES (1, 'https://www.hespress.com/a.html', 'k1',
                   'hespress', 'عنوان', 'نص', 'listing', '2025-01-01T00:00:00+00:00', 's1')""")
    for n, (channel, status, attempts) in enumerate(
            [("email", "sent", 1), ("slack", "failed", 8), ("console", "pending", 2)], 1):
        old.execute("""INSERT INTO alerts (id, story, channel, topic, article_id, status, attempts,
                       last_error, created_at, next_attempt_at) VALUES (?, 's1', ?, ?, 1, ?, ?,
                       'x', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00')""",
                    [n, channel, TOPIC, status, attempts])
    old.execute("INSERT INTO runs (id, started_at) VALUES (1, '2025-01-01T00:00:00+00:00')")
    old.execute("INSERT INTO run_sources (run_id, source, fetched) VALUES (1, 'hespress', 3)")
    old.conn.close()

    with Archive(db_path) as archive:
        alerts = {a["channel"]: a for a in archive.list_alerts()}
        assert {c: (a["status"], a["attempts"]) for c, a in alerts.items()} == {
            "email": ("sent", 1), "slack": ("failed", 8), "console": ("pending", 2)}
        assert all(a["uncertain"] == 0 for a in alerts.values())
        [article] = archive.export_articles()
        assert (article["title"], article["text_capped"]) == ("عنوان", False)
        [stats] = archive.source_stats()
        assert stats["last_run_dropped"] == {}
        # The migrated outbox works: its pending alert can be claimed and sent.
        [due] = archive.due_alerts("2026-01-01T00:00:00+00:00")
        assert archive.claim_alert(due.alert_id, "h:1:a", "2026-01-01T01:00:00+00:00")
        archive.mark_sent(due.alert_id, "2026-01-01T00:00:01+00:00", owner="h:1:a")
        stored = archive.store_article(make_article(text=bodies.fr),
                                       matches=[TopicMatchRecord(TOPIC, 2.0, ("Maroc",))],
                                       alerts=[(TOPIC, "email")])
        assert stored.alerts_created == 1


LEAD = ("أعلنت المديرية العامة للأمن الوطني، اليوم الثلاثاء، عن تفكيك خلية إرهابية تتكون من "
        "خمسة عناصر تنشط بمدينتي طنجة وتطوان، وذلك بتنسيق وثيق مع المديرية العامة للأمن "
        "الداخلي الفرنسية في إطار التعاون الأمني بين البلدين.")
REST = ("وأوضح بلاغ للمديرية أن عمليات التفتيش المنجزة بمنازل المشتبه فيهم أسفرت عن حجز أجهزة "
        "إلكترونية ومخطوطات ذات طابع متطرف، إضافة إلى مواد كيميائية يشتبه في استعمالها لصناعة "
        "عبوات ناسفة كانت معدة لتنفيذ مخططات إرهابية داخل المملكة.")


def test_wire_copies_of_old_archives_become_one_story_with_one_alert_per_channel(db_path):
    """Before near-copy stories, a copy with a dateline was a story of its own, alerted
    again; the migration joins it to its original and keeps one alert per channel."""
    from storage.migrations import m002_claims_caps_drops

    upto = Migrations("marsad")
    upto(name="m001_initial")(m001_initial)
    upto(name="m002_claims_caps_drops")(m002_claims_caps_drops)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    old = Database(sqlite3.connect(str(db_path), isolation_level=None))
    upto.apply(old)
    texts = {1: f"{LEAD}\n\n{REST}", 2: f"الرباط (و م ع) – {LEAD}\n\n{REST}"}
    for n, text in texts.items():
        old.execute("INSERT INTO stories (key, created_at) VALUES (?, '2025-01-01T00:00:00+00:00')",
                    [f"old{n}"])
        old.execute("""INSERT INTO articles (id, url, url_key, source, title, text, published,
                       discovered_via, fetched_at, story) VALUES (?, ?, ?, ?, 'عنوان', ?, ?,
                       'listing', '2025-01-01T00:00:00+00:00', ?)""",
                    [n, f"https://site{n}.ma/a.html", f"k{n}", f"site{n}", text,
                     f"2025-01-0{n}T10:00:00+01:00", f"old{n}"])
        for channel, status in (("email", "sent"), ("slack", "pending" if n == 1 else "sent")):
            old.execute("""INSERT INTO alerts (story, channel, topic, article_id, status,
                           created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?,
                           '2025-01-0' || ? || 'T10:00:00+00:00', '2025-01-01T00:00:00+00:00')""",
                        [f"old{n}", channel, TOPIC, n, status, n])
    old.conn.close()

    with Archive(db_path) as archive:
        stories = {row["url"]: row["story"] for row in archive.export_articles()}
        assert len(set(stories.values())) == 1
        alerts = archive.list_alerts()
        assert sorted((a["channel"], a["status"]) for a in alerts) == [
            ("email", "sent"), ("slack", "sent")]  # a sent alert is kept before a pending one
        assert {a["story"] for a in alerts} == set(stories.values())
        assert archive.db.execute("SELECT COUNT(*) FROM stories").fetchone()[0] == 1


def test_placing_again_reports_its_progress(archive: Archive, make_article) -> None:
    from storage.restory import restory

    for n, word in enumerate(("عاجل:", "خبر:", "جديد:")):  # three copies of one dispatch
        archive.store_article(make_article(url=f"https://www.hespress.com/{n}.html",
                                           text=f"{word} {LEAD}\n\n{REST}"))
    seen: list[tuple[int, int]] = []
    restory(archive.db.conn, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(3, 3)]
    assert len({row["story"] for row in archive.export_articles()}) == 1


def test_matches_of_an_archive_from_before_found_words_still_render(db_path, make_article):
    """Every migration before m007 (the previous release), a pending alert whose match
    kept only the rule's terms: it still renders, with those terms; new matches keep the
    words they fired on."""
    from alerts.render import render_text
    from storage.migrations import migrations

    before = Migrations("marsad")
    for step in migrations._migrations:
        if step.name == "m007_found_words":
            break
        before(name=step.name)(step.fn)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    old = Database(sqlite3.connect(str(db_path), isolation_level=None))
    before.apply(old)
    old.execute("INSERT INTO stories (key, created_at) VALUES ('s1', '2025-01-01T00:00:00+00:00')")
    old.execute("""INSERT INTO articles (id, url, url_key, source, title, text, discovered_via,
                   fetched_at, story, event_time) VALUES (1, 'https://www.hespress.com/a.html',
                   'k1', 'hespress', 'وفد أمني فرنسي', 'الشرطة الفرنسية والمغرب', 'listing',
                   '2025-01-01T00:00:00+00:00', 's1', '2025-01-01T00:00:00+00:00')""")
    old.execute("""INSERT INTO topic_matches (article_id, topic, score, matched)
                   VALUES (1, ?, 2.0, '["فرنسي*", "المغرب"]')""", [TOPIC])
    old.execute("""INSERT INTO alerts (story, channel, topic, article_id, created_at,
                   next_attempt_at) VALUES ('s1', 'console', ?, 1, '2025-01-01T00:00:00+00:00',
                   '2025-01-01T00:00:00+00:00')""", [TOPIC])
    old.conn.close()

    with Archive(db_path) as archive:
        [due] = archive.due_alerts("2026-01-01T00:00:00+00:00")
        assert due.matched == ("فرنسي*", "المغرب") and due.found is None
        assert "Matched:   فرنسي*, المغرب\n" in render_text(due)
        archive.store_article(
            make_article(url="https://www.hespress.com/b.html"),
            matches=[TopicMatchRecord(TOPIC, 2.0, ("فرنسي*",), ("الفرنسية",))],
            alerts=[(TOPIC, "email")])
        fresh = [m for m in archive.due_alerts("2026-01-01T00:00:00+00:00")
                 if m.channel == "email"]
        assert [m.found for m in fresh] == [("الفرنسية",)]


def test_an_archive_from_before_the_heartbeat_gains_it_and_keeps_its_runs(db_path):
    """Every migration before m006: the archive's cycles stay as they were, status reads
    them, and the daemon's heartbeat can be recorded."""
    from storage.migrations import migrations

    db_path.parent.mkdir(parents=True, exist_ok=True)
    old = Database(sqlite3.connect(str(db_path), isolation_level=None))
    migrations.apply(old, stop_before="m006_heartbeat")
    assert not old["heartbeat"].exists()
    for n, finished in ((1, "2025-04-20T08:05:00+00:00"), (2, None)):
        old.execute("INSERT INTO runs (id, started_at, finished_at, status) VALUES (?, ?, ?, ?)",
                    [n, f"2025-04-20T0{7 + n}:00:00+00:00", finished,
                     "finished" if finished else "running"])
    old.conn.close()

    with Archive(db_path) as archive:
        status = archive.status()
        assert status["daemon"] is None
        assert (status["last_cycle"]["id"], status["last_finished_cycle"]["id"]) == (2, 1)
        archive.record_heartbeat(pid=4321, host="observatory", started_at="2025-04-20T07:00Z",
                                 beat_at="2025-04-20T09:59:00+00:00",
                                 next_cycle_at="2025-04-20T10:15:00+01:00")
        assert archive.status()["daemon"] == {
            "pid": 4321, "host": "observatory", "started_at": "2025-04-20T07:00:00+00:00",
            "beat_at": "2025-04-20T09:59:00+00:00", "next_cycle_at": "2025-04-20T09:15:00+00:00",
            "stopped_at": None}


def test_an_archive_from_before_source_health_keeps_its_outbox_and_runs(db_path):
    """Every migration before m005: its story alerts and cycles come through the outbox
    rebuild as they were, cycles recorded then have no dated or bodied counts, and a
    source health notice can then be queued and delivered beside the story alerts."""
    from storage.migrations import migrations

    before = Migrations("marsad")
    for step in migrations._migrations:
        if step.name == "m005_source_health":
            break
        before(name=step.name)(step.fn)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    old = Database(sqlite3.connect(str(db_path), isolation_level=None))
    before.apply(old)
    old.execute("INSERT INTO stories (key, created_at) VALUES ('s1', '2025-01-01T00:00:00+00:00')")
    old.execute("""INSERT INTO articles (id, url, url_key, source, title, text, discovered_via,
                   fetched_at, story, event_time) VALUES (1, 'https://www.hespress.com/a.html',
                   'k1', 'hespress', 'عنوان', 'نص', 'listing', '2025-01-01T00:00:00+00:00',
                   's1', '2025-01-01T00:00:00+00:00')""")
    for n, (channel, status, claimed_by) in enumerate(
            [("email", "sent", None), ("slack", "sending", "h:1:a"),
             ("console", "pending", None)], 1):
        old.execute("""INSERT INTO alerts (id, story, channel, topic, article_id, status,
                       attempts, created_at, next_attempt_at, claimed_by, uncertain)
                       VALUES (?, 's1', ?, ?, 1, ?, ?, '2025-01-01T00:00:00+00:00',
                       '2025-01-01T00:00:00+00:00', ?, ?)""",
                    [n, channel, TOPIC, status, n, claimed_by, n - 1])
    for run, new in ((1, 5), (2, 0), (3, 0)):
        old.execute("INSERT INTO runs (id, started_at, finished_at, status) VALUES"
                    " (?, '2025-01-01T00:00:00+00:00', '2025-01-01T00:01:00+00:00',"
                    " 'finished')", [run])
        old.execute("INSERT INTO run_sources (run_id, source, fetched, new, errors)"
                    " VALUES (?, 'hespress', 3, ?, 0)", [run, new])
    old.conn.close()

    with Archive(db_path) as archive:
        alerts = archive.list_alerts()
        assert [(a["id"], a["channel"], a["status"], a["attempts"], a["uncertain"], a["kind"])
                for a in alerts] == [(1, "email", "sent", 1, 0, "story"),
                                     (2, "slack", "sending", 2, 1, "story"),
                                     (3, "console", "pending", 3, 2, "story")]
        assert {a["story"] for a in alerts} == {"s1"}
        assert archive.db.execute("SELECT claimed_by FROM alerts WHERE id = 2").fetchone() == (
            "h:1:a",)
        assert archive.db.execute(
            "SELECT blocked, refusal, dated, with_text FROM run_sources").fetchall() == [
            (0, None, None, None)] * 3
        [stats] = archive.source_stats()
        assert stats["health"] is None
        # The old cycles count: three cycles, the last two without a new article.
        [judged] = archive.judge_sources(3, ["hespress"], silent_cycles=2, failed_cycles=2,
                                         channels=["console"], urls={})
        assert judged.verdict.reason == "no new article in 2 cycles (used to yield 5 a cycle)"
        assert judged.verdict.dated_share is None
        due = archive.due_alerts("2030-01-01T00:00:00+00:00")
        assert [(m.channel, m.title) for m in due] == [
            ("slack", "عنوان"), ("console", "عنوان"),
            ("console", "Source looks broken: hespress")]
        # A story alert still needs its story and article, and a notice row neither.
        with pytest.raises(sqlite3.IntegrityError):
            archive.db.execute("INSERT INTO alerts (channel, topic, article_id, created_at,"
                               " next_attempt_at) VALUES ('email', 't', 1, 'x', 'x')")
