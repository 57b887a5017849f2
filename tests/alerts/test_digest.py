"""Digest delivery against a real Archive in tmp_path, a real SMTP server (aiosmtpd) and
the Slack-compatible endpoint: one message per period, nothing lost or repeated."""

from __future__ import annotations

import io
from collections import Counter
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from html import unescape

from alerts.channel import Channel
from alerts.console import ConsoleChannel
from alerts.delivery import deliver_due
from alerts.email import EmailChannel
from alerts.slack import SlackChannel
from crawler.config import (
    AlertSettings,
    ConsoleChannelConfig,
    DigestSchedule,
    EmailChannelConfig,
    SlackChannelConfig,
)
from storage import Archive
from storage.records import AlertMessage, ArticleRecord, TopicMatchRecord

TOPIC = "morocco-france-security"
ZONE = "Africa/Casablanca"  # +01:00 in June: the 18:00 UTC boundary reads 19:00
HOURLY = DigestSchedule(every=3600.0)
SETTINGS = AlertSettings(max_attempts=5, retry_base=60.0, retry_max=3600.0)
# Distinct stories: (title, language, text).
STORIES = {
    "A": ("Tanger : une cellule terroriste démantelée avec l'appui de la DGSI", "fr",
          "Les services marocains ont arrêté cinq suspects à Tanger mardi, en coordination "
          "avec la Direction générale de la sécurité intérieure française."),
    "B": ("حموشي يستقبل وفدا أمنيا فرنسيا في الرباط", "ar",
          "استقبل المدير العام للأمن الوطني وفدا من الشرطة الفرنسية لبحث تبادل المعلومات "
          "حول شبكات تهريب المخدرات عبر المتوسط."),
    "C": ("Cybercriminalité : Rabat et Paris signent un protocole d'échange de données", "fr",
          "Le protocole prévoit des équipes communes d'enquête sur les rançongiciels et la "
          "fraude bancaire en ligne visant des entreprises des deux rives."),
    "D": ("Marseille : un baron du cannabis extradé vers le Maroc", "fr",
          "La cour d'appel d'Aix-en-Provence a validé l'extradition d'un trafiquant recherché "
          "par la justice marocaine depuis 2019 pour importation de résine."),
}


def at(clock_time: str) -> datetime:
    return datetime.fromisoformat(f"2025-06-02T{clock_time}+00:00")


def store(archive: Archive, monkeypatch, key: str, when: str, channels) -> None:
    """Store story `key`, its alerts created at `when` (the archive's frozen clock)."""
    monkeypatch.setenv("MARSAD_NOW", at(when).isoformat())
    title, language, text = STORIES[key]
    result = archive.store_article(
        ArticleRecord(url=f"https://fr.le360.com/{key.lower()}.html", source="le360",
                      title=title, text=text, discovered_via="listing",
                      fetched_at=at(when).isoformat(), published=f"2025-06-02T{when}+01:00",
                      language=language),
        matches=[TopicMatchRecord(TOPIC, 3.0, ("Maroc", "France", "sécurité"))],
        alerts=[(TOPIC, channel) for channel in channels])
    assert result.new_story and result.alerts_created == len(channels)


def deliver(archive, channels, when: str, **options):
    return deliver_due(archive, channels, SETTINGS, now=lambda: at(when), timezone=ZONE,
                       **options)


def email(name: str, port: int, digest: DigestSchedule | None = HOURLY) -> EmailChannel:
    return EmailChannel(EmailChannelConfig(
        name=name, host="127.0.0.1", port=port, security="none", sender="marsad@example.org",
        to=("desk@example.org",), timeout=5.0, digest=digest))


def alerts_of(archive: Archive, channel: str) -> list[dict]:
    return [row for row in archive.list_alerts() if row["channel"] == channel]


def parsed(sink) -> list:
    return [message_from_bytes(m["raw"], policy=policy.default) for m in sink.messages]


def titles_in(text: str) -> list[str]:
    """The stories a digest's text names, in the order it names them."""
    found = [(text.index(STORIES[key][0]), key) for key in STORIES if STORIES[key][0] in text]
    return [key for _, key in sorted(found)]


def test_one_message_per_period_then_the_next_after_a_restart(tmp_path, monkeypatch,
                                                               smtp_server, slack_server):
    digest_sink, digest_port = smtp_server()
    plain_sink, plain_port = smtp_server()
    channels = {
        "digest-mail": email("digest-mail", digest_port),
        "slack": SlackChannel(SlackChannelConfig(name="slack", webhook_url=slack_server.url,
                                                 timeout=5.0, digest=HOURLY)),
        "mail": email("mail", plain_port, digest=None),
    }
    names = list(channels)
    with Archive(tmp_path / "marsad.db") as archive:
        store(archive, monkeypatch, "A", "17:05:00", names)
        store(archive, monkeypatch, "B", "17:20:00", names)
        store(archive, monkeypatch, "C", "17:40:00", names)

        report = deliver(archive, channels, "17:59:59")
        assert digest_sink.messages == [] and slack_server.requests == []
        assert len(plain_sink.messages) == 3  # no digest: one message per story
        assert report.channels["slack"].waiting == 3 and report.sent == 3

        store(archive, monkeypatch, "D", "18:10:00", names)
        report = deliver(archive, channels, "18:15:00")
        assert report.channels["digest-mail"].sent == report.channels["slack"].sent == 3
        assert report.channels["slack"].waiting == 1

        [mail] = parsed(digest_sink)
        assert mail["Subject"] == (
            "[marsad] digest: 3 stories (2025-06-02 18:00–19:00 Africa/Casablanca)")
        assert titles_in(mail.get_body(("plain",)).get_content()) == ["C", "B", "A"]
        html = mail.get_body(("html",)).get_content()
        assert titles_in(unescape(html)) == ["C", "B", "A"]
        assert html.count('<div dir="rtl" lang="ar"') == 1
        assert html.count('<div dir="ltr" lang="fr"') == 2
        [post] = slack_server.payloads
        assert post["blocks"][0]["text"]["text"].startswith("marsad digest: 3 stories")
        assert [titles_in(block["text"]["text"]) for block in post["blocks"][1:]] == [
            ["C"], ["B"], ["A"]]
        assert len(plain_sink.messages) == 4

        for name in ("digest-mail", "slack"):
            states = {row["title"]: (row["status"], row["attempts"])
                      for row in alerts_of(archive, name)}
            assert states == {STORIES["A"][0]: ("sent", 1), STORIES["B"][0]: ("sent", 1),
                              STORIES["C"][0]: ("sent", 1), STORIES["D"][0]: ("pending", 0)}

        report = deliver(archive, channels, "18:16:00")
        assert report.sent == 0
        assert (len(digest_sink.messages), len(slack_server.requests)) == (1, 1)

    # A new process: a new Archive object on the same file, a new delivery pass.
    with Archive(tmp_path / "marsad.db") as archive:
        assert deliver(archive, channels, "18:59:59").sent == 0
        assert deliver(archive, channels, "19:00:30").sent == 2
        assert all(row["status"] == "sent" and row["attempts"] == 1
                   for row in archive.list_alerts())
        ids = [row["id"] for row in alerts_of(archive, "digest-mail")]

    first, second = parsed(digest_sink)
    assert second["Subject"] == (
        "[marsad] digest: 1 story (2025-06-02 19:00–20:00 Africa/Casablanca)")
    named = Counter(titles_in(first.get_body(("plain",)).get_content())
                    + titles_in(second.get_body(("plain",)).get_content()))
    assert named == Counter("ABCD")  # every story once, none twice
    assert first["Message-ID"] != second["Message-ID"]
    held = [AlertMessage(alert_id=i, story="", channel="", topic="", title="", url="",
                         source="", published=None, language=None, text="") for i in ids[3:]]
    assert second["Message-ID"] == channels["digest-mail"].digest_message_id(held)
    assert [titles_in(p["blocks"][1]["text"]["text"]) for p in slack_server.payloads] == [
        ["C"], ["D"]]


def test_a_failing_server_leaves_the_whole_digest_pending_with_backoff(tmp_path, monkeypatch,
                                                                       smtp_server):
    sink, port = smtp_server()
    sink.reply_rcpt = "451 4.3.0 mailbox busy, try again later"
    channels = {"digest-mail": email("digest-mail", port)}
    with Archive(tmp_path / "marsad.db") as archive:
        store(archive, monkeypatch, "A", "17:05:00", channels)
        store(archive, monkeypatch, "B", "17:20:00", channels)

        report = deliver(archive, channels, "18:01:00")
        assert (report.sent, report.retried) == (0, 2)
        rows = archive.list_alerts()
        assert [(row["status"], row["attempts"]) for row in rows] == [("pending", 1)] * 2
        assert all("451" in row["last_error"] for row in rows)
        retry = {row["next_attempt_at"] for row in rows}
        assert len(retry) == 1  # one backoff for the whole digest
        wait = datetime.fromisoformat(retry.pop()) - at("18:01:00")
        assert timedelta(seconds=60) <= wait <= timedelta(seconds=67)

        assert deliver(archive, channels, "18:01:59").retried == 0  # still backing off
        sink.reply_rcpt = None
        assert deliver(archive, channels, "18:03:10").sent == 2
        assert [(row["status"], row["attempts"]) for row in archive.list_alerts()] == [
            ("sent", 2)] * 2
    [mail] = parsed(sink)
    assert titles_in(mail.get_body(("plain",)).get_content()) == ["B", "A"]


def test_a_refused_digest_fails_every_alert_of_it(tmp_path, monkeypatch, smtp_server):
    sink, port = smtp_server()
    sink.reply_rcpt = "550 5.1.1 no such mailbox"
    channels = {"digest-mail": email("digest-mail", port)}
    with Archive(tmp_path / "marsad.db") as archive:
        store(archive, monkeypatch, "A", "17:05:00", channels)
        store(archive, monkeypatch, "C", "17:40:00", channels)
        assert deliver(archive, channels, "18:00:00").failed == 2
        assert {row["status"] for row in archive.list_alerts()} == {"failed"}
    assert sink.messages == []


def test_held_alerts_never_keep_other_channels_waiting(tmp_path, monkeypatch, slack_server,
                                                       smtp_server):
    sink, port = smtp_server()
    channels = {
        "slack": SlackChannel(SlackChannelConfig(name="slack", webhook_url=slack_server.url,
                                                 timeout=5.0, digest=HOURLY)),
        "mail": email("mail", port, digest=None),
    }
    with Archive(tmp_path / "marsad.db") as archive:
        for key, when in (("A", "17:05:00"), ("B", "17:10:00"), ("C", "17:15:00")):
            store(archive, monkeypatch, key, when, ["slack"])
        store(archive, monkeypatch, "D", "17:30:00", ["mail"])
        report = deliver(archive, channels, "17:45:00", limit=2)
        assert report.channels["mail"].sent == 1
        assert report.channels["slack"].waiting == 3
    assert slack_server.requests == [] and len(sink.messages) == 1


def test_a_daily_digest_goes_at_that_local_time(tmp_path, monkeypatch):
    stream = io.StringIO()
    daily = DigestSchedule(daily=(8, 0))  # 07:00 UTC in Casablanca in June
    channels = {"desk": ConsoleChannel(ConsoleChannelConfig(name="desk", digest=daily), stream)}
    with Archive(tmp_path / "marsad.db") as archive:
        store(archive, monkeypatch, "B", "06:30:00", channels)
        assert deliver(archive, channels, "06:59:59").sent == 0
        assert stream.getvalue() == ""
        assert deliver(archive, channels, "07:00:00").sent == 1
    assert "marsad digest: 1 story (2025-06-01 08:00 – 2025-06-02 08:00 Africa/Casablanca)" in (
        stream.getvalue())
    assert STORIES["B"][0] in stream.getvalue()


class NoDigest(Channel):
    """A channel that never learned to send digests."""

    name = "odd"
    digest = HOURLY

    def send(self, message):
        raise AssertionError("a digest channel must not send alerts one by one")


def test_a_channel_without_send_digest_keeps_its_alerts(tmp_path, monkeypatch):
    with Archive(tmp_path / "marsad.db") as archive:
        store(archive, monkeypatch, "A", "17:05:00", ["odd"])
        report = deliver(archive, {"odd": NoDigest()}, "18:00:00")
        [row] = archive.list_alerts()
    assert report.retried == 1
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert "NotImplementedError" in row["last_error"]
