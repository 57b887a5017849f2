"""An archive made before the claims and drops migration opens, migrates, and keeps every
article and alert as it was."""

from __future__ import annotations

import sqlite3

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
