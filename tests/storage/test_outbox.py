"""The alert outbox: one alert per (story, channel), ever; due/retry/sent/failed."""

from __future__ import annotations

import pytest

from storage import Archive, StorageError
from storage.records import TopicMatchRecord

TOPIC = "morocco-france-security"
MATCH = TopicMatchRecord(TOPIC, 3.0, ("المغرب", "فرنسا", "الأمن"))
BOTH = [(TOPIC, "email"), (TOPIC, "slack")]
NOW = "2025-04-20T10:00:00+00:00"
LEASE = "2025-04-20T10:30:00+00:00"
OWNER = "host:1:a"


def claimed(archive: Archive, alert_id: int, owner: str = OWNER) -> int:
    assert archive.claim_alert(alert_id, owner, LEASE)
    return alert_id


def test_one_alert_per_story_and_channel_across_copies_and_reopen(db_path, make_article,
                                                                  bodies) -> None:
    with Archive(db_path) as archive:
        first = archive.store_article(make_article(), matches=[MATCH], alerts=BOTH)
        assert first.alerts_created == 2
        again = archive.store_article(make_article(), matches=[MATCH], alerts=BOTH)
        assert again.alerts_created == 0
        copy = archive.store_article(make_article(
            url="https://alyaoum24.com/1234567.html", source="alyaoum24"),
            matches=[MATCH], alerts=BOTH)
        assert copy.alerts_created == 0 and copy.story == first.story
    with Archive(db_path) as reopened:
        later = reopened.store_article(make_article(
            url="https://www.barlamane.com/x/", source="barlamane"),
            matches=[MATCH], alerts=[*BOTH, ("other-topic", "email")])
        assert later.alerts_created == 0
        other = reopened.store_article(make_article(
            url="https://fr.hespress.com/1.html", text=bodies.fr), matches=[MATCH], alerts=BOTH)
        assert other.alerts_created == 2
        alerts = reopened.list_alerts()
    assert sorted((a["story"], a["channel"]) for a in alerts) == sorted(
        [(first.story, "email"), (first.story, "slack"),
         (other.story, "email"), (other.story, "slack")])


def test_a_copy_can_bring_the_alert_a_channel_did_not_yet_have(archive: Archive,
                                                               make_article) -> None:
    first = archive.store_article(make_article(), matches=[MATCH], alerts=[(TOPIC, "email")])
    copy = archive.store_article(make_article(url="https://alyaoum24.com/1.html",
                                              source="alyaoum24"),
                                 matches=[MATCH], alerts=BOTH)
    assert (first.alerts_created, copy.alerts_created) == (1, 1)
    by_channel = {a["channel"]: a for a in archive.list_alerts()}
    assert by_channel["email"]["story"] == by_channel["slack"]["story"] == first.story
    # Both show the story's first article, whichever copy brought the alert.
    assert by_channel["email"]["url"] == "https://www.hespress.com/politique/436105.html"
    assert by_channel["slack"]["url"] == "https://www.hespress.com/politique/436105.html"
    [brought] = archive.db.execute("SELECT article_id FROM alerts WHERE channel = 'slack'")
    assert brought[0] == copy.article_id


def test_due_alert_shows_the_story_first_article_and_other_sources(archive: Archive,
                                                                   make_article) -> None:
    # The barlamane copy arrives first, the alert comes with the alyaoum24 one; the
    # alert shows the original, published earliest.
    archive.store_article(make_article(url="https://barlamane.com/a/", source="barlamane",
                                       published="2025-04-20T11:00:00+01:00"))
    archive.store_article(make_article(url="https://alyaoum24.com/1.html", source="alyaoum24",
                                       published="2025-04-20T12:00:00+01:00"),
                          matches=[MATCH], alerts=[(TOPIC, "slack")])
    archive.store_article(make_article())
    archive.store_article(make_article(url="https://www.hespress.com/copy.html",
                                       published="2025-04-20T13:00:00+01:00"))
    [message] = archive.due_alerts(NOW)
    assert message.channel == "slack" and message.topic == TOPIC
    assert message.url == "https://www.hespress.com/politique/436105.html"
    assert message.source == "hespress"
    assert message.title == "تعاون أمني بين المغرب وفرنسا"
    assert message.published == "2025-04-20T10:06:00+01:00"
    assert message.language == "ar"
    assert message.matched == ("المغرب", "فرنسا", "الأمن")
    assert message.other_sources == ("alyaoum24", "barlamane")
    assert message.attempts == 0 and message.created_at == NOW
    assert message.text.startswith("أعلنت")


def test_due_retry_sent_failed_transitions(archive: Archive, make_article, bodies) -> None:
    archive.store_article(make_article(), matches=[MATCH], alerts=BOTH)
    email, slack = archive.due_alerts(NOW)
    assert (email.channel, slack.channel) == ("email", "slack")
    assert archive.due_alerts("2025-04-20T09:59:59+00:00") == []

    archive.mark_retry(claimed(archive, email.alert_id), "SMTP 451 try later",
                       "2025-04-20T10:05:00+00:00", owner=OWNER)
    assert [m.channel for m in archive.due_alerts(NOW)] == ["slack"]
    # Offsets are normalised: 11:05+01:00 is 10:05 UTC, when the retry is due.
    assert [m.channel for m in archive.due_alerts("2025-04-20T11:05:00+01:00")] == [
        "email", "slack"]

    archive.mark_sent(claimed(archive, slack.alert_id), "2025-04-20T10:00:05+00:00",
                      owner=OWNER)
    archive.mark_retry(claimed(archive, email.alert_id), "SMTP 451 again",
                       "2025-04-20T10:10:00+00:00", owner=OWNER)
    archive.mark_failed(claimed(archive, email.alert_id), "SMTP 550 rejected", owner=OWNER)
    assert archive.due_alerts("2030-01-01T00:00:00+00:00") == []

    rows = {row["channel"]: row for row in archive.list_alerts()}
    assert rows["slack"]["status"] == "sent"
    assert rows["slack"]["attempts"] == 1
    assert rows["slack"]["sent_at"] == "2025-04-20T10:00:05+00:00"
    assert rows["email"]["status"] == "failed"
    assert rows["email"]["attempts"] == 3
    assert rows["email"]["last_error"] == "SMTP 550 rejected"
    for row in rows.values():
        assert {"story", "channel", "status", "attempts", "last_error", "title", "url",
                "topic", "created_at", "sent_at", "source"} <= set(row)

    with pytest.raises(StorageError, match="already sent"):
        archive.mark_retry(slack.alert_id, "late", NOW, owner=OWNER)
    with pytest.raises(StorageError, match="already failed"):
        archive.mark_sent(email.alert_id, NOW, owner=OWNER)
    with pytest.raises(StorageError, match="no alert 999"):
        archive.mark_failed(999, "x", owner=OWNER)
    assert not archive.claim_alert(slack.alert_id, OWNER, LEASE)  # sent: nothing to claim


def test_pending_alerts_survive_a_restart(db_path, make_article) -> None:
    with Archive(db_path) as archive:
        archive.store_article(make_article(), matches=[MATCH], alerts=BOTH)
        [email, _] = archive.due_alerts(NOW)
        archive.mark_retry(claimed(archive, email.alert_id), "connection refused",
                           "2025-04-20T10:01:00+00:00", owner=OWNER)
    with Archive(db_path) as reopened:
        due = reopened.due_alerts("2025-04-20T10:01:00+00:00")
        assert [(m.channel, m.attempts) for m in due] == [("email", 1), ("slack", 0)]


def test_due_alerts_oldest_first_and_limited(archive: Archive, make_article, bodies,
                                             monkeypatch) -> None:
    monkeypatch.setenv("MARSAD_NOW", "2025-04-20T10:00:00+00:00")
    archive.store_article(make_article(url="https://a.ma/2.html", text=bodies.fr),
                          matches=[MATCH], alerts=[(TOPIC, "email")])
    monkeypatch.setenv("MARSAD_NOW", "2025-04-20T09:00:00+00:00")
    archive.store_article(make_article(url="https://a.ma/1.html"),
                          matches=[MATCH], alerts=[(TOPIC, "email")])
    due = archive.due_alerts("2025-04-20T12:00:00+00:00")
    assert [m.url for m in due] == ["https://a.ma/1.html", "https://a.ma/2.html"]
    assert [m.url for m in archive.due_alerts("2025-04-20T12:00:00+00:00", limit=1)] == [
        "https://a.ma/1.html"]


def test_failed_alerts_can_be_queued_again(tmp_path):
    from storage import Archive
    from storage.records import ArticleRecord, TopicMatchRecord

    with Archive(tmp_path / "a.db") as archive:
        record = ArticleRecord(url="https://example.org/a.html", source="s", title="t",
                               text="x" * 300, discovered_via="listing",
                               fetched_at="2026-01-01T00:00:00+00:00")
        archive.store_article(record, matches=[TopicMatchRecord("topic", 1.0, ("x",))],
                              alerts=[("topic", "email"), ("topic", "slack")])
        due = archive.due_alerts("2999-01-01T00:00:00+00:00")
        archive.claim_alert(due[0].alert_id, OWNER, LEASE)
        archive.mark_failed(due[0].alert_id, "550 mailbox unavailable", owner=OWNER)
        assert archive.requeue_failed() == 1
        assert archive.requeue_failed() == 0
        rows = {row["channel"]: row for row in archive.list_alerts()}
        failed_channel = due[0].channel
        assert rows[failed_channel]["status"] == "pending"
        assert rows[failed_channel]["attempts"] == 0
        assert len(archive.due_alerts("2999-01-01T00:00:00+00:00")) == 2


# -- claims: one sender per alert ---------------------------------------------------------

def test_only_one_owner_wins_a_claim_and_only_it_settles(archive: Archive,
                                                         make_article) -> None:
    archive.store_article(make_article(), matches=[MATCH], alerts=[(TOPIC, "email")])
    [alert] = archive.due_alerts(NOW)
    assert archive.claim_alert(alert.alert_id, "host:1:a", LEASE)
    assert not archive.claim_alert(alert.alert_id, "host:2:b", LEASE)
    [held] = archive.due_alerts(NOW)  # still listed, with who holds it
    assert (held.claimed_by, held.lease_until) == ("host:1:a", LEASE)
    assert archive.list_alerts()[0]["status"] == "sending"
    with pytest.raises(StorageError, match="taken over"):
        archive.mark_sent(alert.alert_id, NOW, owner="host:2:b")
    archive.mark_sent(alert.alert_id, NOW, owner="host:1:a")
    assert archive.list_alerts()[0]["status"] == "sent"
    assert archive.due_alerts(NOW) == []


def test_a_stale_claim_is_taken_over_once_and_counted_uncertain(archive: Archive,
                                                                make_article) -> None:
    archive.store_article(make_article(), matches=[MATCH], alerts=[(TOPIC, "email")])
    [alert] = archive.due_alerts(NOW)
    assert archive.claim_alert(alert.alert_id, "host:1:dead", LEASE)
    # Two processes find the claim stale; only the first takes it over.
    assert archive.claim_alert(alert.alert_id, "host:2:b", LEASE, taken_from="host:1:dead")
    assert not archive.claim_alert(alert.alert_id, "host:3:c", LEASE, taken_from="host:1:dead")
    [held] = archive.due_alerts(NOW)
    assert held.claimed_by == "host:2:b" and held.uncertain == 1
    archive.mark_retry(alert.alert_id, "timeout", NOW, owner="host:2:b", uncertain=True)
    [again] = archive.due_alerts(NOW)
    assert again.claimed_by is None and again.uncertain == 2 and again.attempts == 1
