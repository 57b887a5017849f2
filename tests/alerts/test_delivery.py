"""Delivery against a real Archive (SQLite in tmp_path) and real SMTP/webhook servers."""

import logging
import socket
from datetime import datetime, timedelta

import pytest

from alerts.channel import Channel
from alerts.delivery import deliver_due, retry_delay
from alerts.email import EmailChannel
from alerts.slack import SlackChannel
from crawler.config import AlertSettings, EmailChannelConfig, SlackChannelConfig
from storage import Archive
from storage.records import ArticleRecord, TopicMatchRecord

TOPIC = "morocco-france-security"
START = datetime.fromisoformat("2025-04-20T10:00:00+00:00")
SETTINGS = AlertSettings(max_attempts=3, retry_base=60.0, retry_max=3600.0)
SUBJECTS = [
    "coopération antiterroriste renforcée entre services de renseignement",
    "visite officielle du ministre de l'Intérieur à Rabat et accord signé",
    "démantèlement d'une cellule terroriste grâce à l'échange d'informations",
    "formation commune des forces de police aux frontières et aux ports",
]


class Clock:
    """A hand-moved clock for the delivery passes."""

    def __init__(self) -> None:
        self.moment = START

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    monkeypatch.setenv("MARSAD_NOW", START.isoformat())  # the archive stamps new alerts with it
    return Clock()


@pytest.fixture
def archive(tmp_path, clock):
    with Archive(tmp_path / "marsad.db") as opened:
        yield opened


def queue_stories(archive: Archive, count: int, channels=("email", "slack"), title=None) -> None:
    for n in range(count):
        archive.store_article(
            ArticleRecord(
                url=f"https://fr.hespress.com/{n + 1}.html",
                source="hespress-fr",
                title=title or f"Maroc-France : {SUBJECTS[n]}",
                text=f"Le Maroc et la France annoncent une {SUBJECTS[n]} pour la sécurité. " * 3,
                discovered_via="listing",
                fetched_at=START.isoformat(),
                published="2025-04-20T09:00:00+01:00",
                language="fr",
            ),
            matches=[TopicMatchRecord(TOPIC, 3.0, ("Maroc", "France", "sécurité"))],
            alerts=[(TOPIC, channel) for channel in channels],
        )


def statuses(archive: Archive) -> list[tuple[str, str, int]]:
    return [(a["channel"], a["status"], a["attempts"]) for a in archive.list_alerts()]


def by_channel(archive: Archive, channel: str) -> list[dict]:
    return [a for a in archive.list_alerts() if a["channel"] == channel]


def email_channel(port: int) -> EmailChannel:
    config = EmailChannelConfig(
        name="email",
        host="127.0.0.1",
        port=port,
        security="none",
        sender="marsad@example.org",
        to=("analyst@example.org",),
        timeout=2.0,
    )
    return EmailChannel(config)


def slack_channel(url: str) -> SlackChannel:
    return SlackChannel(SlackChannelConfig(name="slack", webhook_url=url, timeout=2.0))


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Broken(Channel):
    """A channel with a bug, holding a secret that must not leak through its error."""

    name = "slack"

    def secrets(self):
        return ("hunter2",)

    def send(self, message):
        raise RuntimeError("token hunter2 rejected")


def test_every_due_alert_is_sent_once(archive, clock, smtp_server, slack_server):
    queue_stories(archive, 2)
    sink, port = smtp_server()
    channels = {"email": email_channel(port), "slack": slack_channel(slack_server.url)}
    report = deliver_due(archive, channels, SETTINGS, now=clock)
    assert (report.sent, report.retried, report.failed) == (4, 0, 0)
    assert report.channels["email"].sent == report.channels["slack"].sent == 2
    assert len(sink.messages) == 2 and len(slack_server.requests) == 2
    assert all(status == "sent" for _, status, _ in statuses(archive))
    again = deliver_due(archive, channels, SETTINGS, now=clock)
    assert again.sent == 0 and len(sink.messages) == 2  # never twice


def test_transient_failure_backs_off_then_succeeds(archive, clock, slack_server):
    queue_stories(archive, 1, channels=("slack",))
    channels = {"slack": slack_channel(slack_server.url)}
    slack_server.answer(status=500, body="oops")
    report = deliver_due(archive, channels, SETTINGS, now=clock)
    assert report.channels["slack"].retried == 1
    [alert] = archive.list_alerts()
    assert (alert["status"], alert["attempts"]) == ("pending", 1)
    assert "HTTP 500 oops" in alert["last_error"]
    delay = (datetime.fromisoformat(alert["next_attempt_at"]) - START).total_seconds()
    assert 60 <= delay <= 66  # retry_base, plus at most 10% jitter

    clock.advance(30)  # not due yet: nothing is sent
    assert deliver_due(archive, channels, SETTINGS, now=clock).sent == 0
    assert len(slack_server.requests) == 1

    slack_server.answer(status=503)
    clock.advance(40)
    deliver_due(archive, channels, SETTINGS, now=clock)
    [alert] = archive.list_alerts()
    delay = (datetime.fromisoformat(alert["next_attempt_at"]) - clock()).total_seconds()
    assert 120 <= delay <= 132  # doubled

    clock.advance(200)
    assert deliver_due(archive, channels, SETTINGS, now=clock).sent == 1
    assert statuses(archive) == [("slack", "sent", 3)]


def test_rate_limit_defers_that_channel_only(archive, clock, smtp_server, slack_server):
    queue_stories(archive, 3)
    sink, port = smtp_server()
    channels = {"email": email_channel(port), "slack": slack_channel(slack_server.url)}
    slack_server.answer(status=429, body="rate_limited", headers={"Retry-After": "600"})
    started = datetime.now()
    report = deliver_due(archive, channels, SETTINGS, now=clock)
    assert (datetime.now() - started).total_seconds() < 5  # it did not sleep
    assert report.channels["email"].sent == 3 and len(sink.messages) == 3
    assert report.channels["slack"].retried == 1 and report.channels["slack"].deferred == 2
    assert len(slack_server.requests) == 1  # no hammering after the 429
    first, *rest = by_channel(archive, "slack")
    wait = (datetime.fromisoformat(first["next_attempt_at"]) - START).total_seconds()
    assert wait == 600  # Retry-After beats the 60 s backoff
    assert all(a["attempts"] == 0 and a["status"] == "pending" for a in rest)

    clock.advance(60)  # the deferred ones are due on the next pass; the 429'd one is not
    assert deliver_due(archive, channels, SETTINGS, now=clock).channels["slack"].sent == 2
    clock.advance(600)
    assert deliver_due(archive, channels, SETTINGS, now=clock).channels["slack"].sent == 1
    assert all(status == "sent" for _, status, _ in statuses(archive))


def test_gives_up_after_max_attempts(archive, clock, slack_server):
    queue_stories(archive, 1, channels=("slack",))
    channels = {"slack": slack_channel(slack_server.url)}
    settings = AlertSettings(max_attempts=2, retry_base=10.0, retry_max=100.0)
    for _ in range(2):
        slack_server.answer(status=502, body="bad gateway")
    assert deliver_due(archive, channels, settings, now=clock).retried == 1
    clock.advance(20)
    assert deliver_due(archive, channels, settings, now=clock).failed == 1
    [alert] = archive.list_alerts()
    assert alert["status"] == "failed" and alert["attempts"] == 2
    assert alert["last_error"].startswith("gave up after 2 attempts: slack webhook: HTTP 502")


def test_permanent_failure_is_marked_failed_at_once(archive, clock, slack_server):
    queue_stories(archive, 1, channels=("slack",))
    slack_server.answer(status=404, body="no_service")
    report = deliver_due(archive, {"slack": slack_channel(slack_server.url)}, SETTINGS, now=clock)
    assert report.failed == 1
    [alert] = archive.list_alerts()
    assert (
        alert["status"] == "failed" and alert["last_error"] == "slack webhook: HTTP 404 no_service"
    )
    assert slack_server.url not in alert["last_error"]


def test_nothing_is_lost_while_smtp_is_down(archive, clock, smtp_server):
    queue_stories(archive, 2, channels=("email",))
    down = {"email": email_channel(closed_port())}
    report = deliver_due(archive, down, SETTINGS, now=clock)
    # One real try; the other alert waits for the next pass instead of another timeout.
    assert (report.retried, report.channels["email"].deferred, report.sent) == (1, 1, 0)
    assert [a["status"] for a in archive.list_alerts()] == ["pending", "pending"]
    assert "smtp 127.0.0.1" in archive.list_alerts()[0]["last_error"]

    sink, port = smtp_server()
    clock.advance(3600)
    report = deliver_due(archive, {"email": email_channel(port)}, SETTINGS, now=clock)
    assert report.sent == 2 and len(sink.messages) == 2


def test_unconfigured_channel_fails_with_a_reason(archive, clock):
    queue_stories(archive, 1, channels=("pager",))
    report = deliver_due(archive, {}, SETTINGS, now=clock)
    assert report.channels["pager"].failed == 1
    [alert] = archive.list_alerts()
    assert alert["status"] == "failed"
    assert alert["last_error"] == "channel 'pager' is not configured"


def test_channel_bug_is_retried_and_secrets_masked(archive, clock, caplog):
    queue_stories(archive, 1, channels=("slack",))
    with caplog.at_level(logging.DEBUG, logger="marsad.alerts"):
        report = deliver_due(archive, {"slack": Broken()}, SETTINGS, now=clock)
    assert report.retried == 1 and report.sent == 0
    [alert] = archive.list_alerts()
    assert alert["status"] == "pending"
    assert alert["last_error"] == "RuntimeError: token *** rejected"
    assert "hunter2" not in caplog.text


def test_logs_keep_hostile_titles_on_one_line(archive, clock, caplog, slack_server):
    queue_stories(archive, 1, channels=("slack",), title="Maroc\r\nFAKE LOG LINE\u2028France")
    with caplog.at_level(logging.INFO, logger="marsad.alerts"):
        deliver_due(archive, {"slack": slack_channel(slack_server.url)}, SETTINGS, now=clock)
    [record] = [r for r in caplog.records if "sent" in r.getMessage()]
    message = record.getMessage()
    assert "\n" not in message and "\r" not in message and "\u2028" not in message
    assert "FAKE LOG LINE" in message
    assert slack_server.url not in caplog.text


def test_batches_cover_more_than_one_limit(archive, clock, slack_server):
    queue_stories(archive, 4, channels=("slack",))
    report = deliver_due(
        archive, {"slack": slack_channel(slack_server.url)}, SETTINGS, now=clock, limit=3
    )
    assert report.sent == 4


def test_retry_delay_doubles_up_to_the_cap():
    settings = AlertSettings(retry_base=30.0, retry_max=300.0)
    assert [retry_delay(n, settings) for n in range(6)] == [30, 60, 120, 240, 300, 300]
    assert retry_delay(0, settings, jitter=0.1) == pytest.approx(33.0)
    assert retry_delay(1, settings, retry_after=500.0) == 500.0
    assert retry_delay(3, settings, retry_after=5.0) == 240.0
    assert retry_delay(10_000, settings) == 300.0


@pytest.mark.slow
def test_an_answer_lost_after_a_full_send_is_retried_once_only(archive, clock, slack_server,
                                                               caplog):
    """The endpoint acts on each post but answers after the client's timeout: the alert
    may well have been delivered, so it is sent once more at most, and said so."""
    queue_stories(archive, 1, channels=("slack",))
    channels = {"slack": SlackChannel(SlackChannelConfig(
        name="slack", webhook_url=slack_server.url, timeout=1.0))}
    for _ in range(3):
        slack_server.answer(status=200, body="ok", delay=2.5)
    settings = AlertSettings(max_attempts=8, retry_base=60.0, retry_max=3600.0)
    with caplog.at_level(logging.WARNING, logger="marsad.alerts"):
        first = deliver_due(archive, channels, settings, now=clock)
    assert first.retried == 1
    [alert] = archive.list_alerts()
    assert (alert["status"], alert["uncertain"]) == ("pending", 1)
    assert "possibly delivered" in alert["last_error"]
    assert any("may repeat" in record.getMessage() for record in caplog.records)

    for _ in range(5):  # however often the endpoint keeps silent, one more send at most
        clock.advance(3600)
        deliver_due(archive, channels, settings, now=clock)
    [alert] = archive.list_alerts()
    assert alert["status"] == "failed" and alert["attempts"] == 2
    assert "may have been delivered" in alert["last_error"]
    assert len(slack_server.requests) == 2
