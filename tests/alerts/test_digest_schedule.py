"""Digest schedules and rendering, as pure functions: boundaries (DST included), which
alerts a due digest holds, and the email, Slack and plain forms of a digest."""

from __future__ import annotations

import io
import re
from datetime import datetime
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest

from alerts.channel import Channel
from alerts.console import ConsoleChannel
from alerts.digest import (
    due_digest,
    last_boundary,
    next_boundary,
    render_digest_html,
    render_digest_slack,
    render_digest_text,
)
from alerts.email import EmailChannel
from crawler.config import ConsoleChannelConfig, DigestSchedule, EmailChannelConfig
from storage.records import EarlierStory

HOURLY = DigestSchedule(every=3600.0)

# created_at (UTC), schedule, zone -> the first boundary after it (UTC)
NEXT = [
    ("2025-06-02T17:20:00", HOURLY, "UTC", "2025-06-02T18:00:00"),
    ("2025-06-02T18:00:00", HOURLY, "UTC", "2025-06-02T19:00:00"),  # strictly after
    ("2025-06-02T17:59:59", HOURLY, "Africa/Casablanca", "2025-06-02T18:00:00"),
    ("2025-03-30T00:59:59", HOURLY, "Europe/Paris", "2025-03-30T01:00:00"),  # UTC-based
    ("2025-06-02T17:21:30", DigestSchedule(every=300.0), "UTC", "2025-06-02T17:25:00"),
    ("2025-06-02T17:20:00", DigestSchedule(every=5400.0), "UTC", "2025-06-02T18:00:00"),
    # 7 days from the epoch (a Thursday): Thursdays at midnight UTC.
    ("2025-06-02T17:20:00", DigestSchedule(every=604800.0), "UTC", "2025-06-05T00:00:00"),
    ("2025-06-02T07:59:00", DigestSchedule(daily=(8, 0)), "UTC", "2025-06-02T08:00:00"),
    ("2025-06-02T08:00:00", DigestSchedule(daily=(8, 0)), "UTC", "2025-06-03T08:00:00"),
    # Casablanca: +01, but +00 during Ramadan
    # (2025-02-23 03:00 -> 02:00, 2025-04-06 02:00 -> 03:00).
    ("2025-06-02T06:30:00", DigestSchedule(daily=(8, 0)), "Africa/Casablanca",
     "2025-06-02T07:00:00"),
    ("2025-02-22T07:30:00", DigestSchedule(daily=(8, 0)), "Africa/Casablanca",
     "2025-02-23T08:00:00"),
    ("2025-04-05T08:30:00", DigestSchedule(daily=(8, 0)), "Africa/Casablanca",
     "2025-04-06T07:00:00"),
    # 02:30 happens twice on 2025-02-23: the first one, and once only.
    ("2025-02-23T00:00:00", DigestSchedule(daily=(2, 30)), "Africa/Casablanca",
     "2025-02-23T01:30:00"),
    ("2025-02-23T01:30:00", DigestSchedule(daily=(2, 30)), "Africa/Casablanca",
     "2025-02-24T02:30:00"),
    # 02:30 never happens on 2025-04-06: read at +00, so 03:30 local.
    ("2025-04-06T00:00:00", DigestSchedule(daily=(2, 30)), "Africa/Casablanca",
     "2025-04-06T02:30:00"),
    # Paris: 2025-03-30 02:00 CET -> 03:00 CEST, 2025-10-26 03:00 CEST -> 02:00 CET.
    ("2025-03-29T07:30:00", DigestSchedule(daily=(8, 0)), "Europe/Paris", "2025-03-30T06:00:00"),
    ("2025-10-25T06:30:00", DigestSchedule(daily=(8, 0)), "Europe/Paris", "2025-10-26T07:00:00"),
    ("2025-03-30T00:00:00", DigestSchedule(daily=(2, 30)), "Europe/Paris", "2025-03-30T01:30:00"),
    ("2025-10-25T23:00:00", DigestSchedule(daily=(2, 30)), "Europe/Paris", "2025-10-26T00:30:00"),
    ("2025-10-26T00:30:00", DigestSchedule(daily=(2, 30)), "Europe/Paris", "2025-10-27T01:30:00"),
]


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text + "+00:00")


@pytest.mark.parametrize(("created", "schedule", "zone", "expected"), NEXT)
def test_next_boundary(created, schedule, zone, expected):
    boundary = next_boundary(utc(created), schedule, ZoneInfo(zone))
    assert boundary == utc(expected)
    assert boundary.utcoffset().total_seconds() == 0


@pytest.mark.parametrize(("moment", "schedule", "zone", "expected"), [
    ("2025-06-02T18:00:00", HOURLY, "UTC", "2025-06-02T18:00:00"),  # at or before
    ("2025-06-02T18:59:59", HOURLY, "UTC", "2025-06-02T18:00:00"),
    ("2025-03-30T07:00:00", DigestSchedule(daily=(8, 0)), "Europe/Paris", "2025-03-30T06:00:00"),
    ("2025-03-30T05:59:59", DigestSchedule(daily=(8, 0)), "Europe/Paris", "2025-03-29T07:00:00"),
    ("2025-02-23T02:30:00", DigestSchedule(daily=(2, 30)), "Africa/Casablanca",
     "2025-02-23T01:30:00"),
])
def test_last_boundary(moment, schedule, zone, expected):
    assert last_boundary(utc(moment), schedule, ZoneInfo(zone)) == utc(expected)


def test_a_digest_is_due_at_the_boundary_after_its_oldest_alert(make_alert):
    alerts = [make_alert(alert_id=n, created_at=f"2025-06-02T{at}+00:00")
              for n, at in [(1, "17:05:00"), (2, "17:40:00"), (3, "18:00:00"), (4, "18:20:00")]]
    tz = ZoneInfo("UTC")
    assert due_digest(alerts, HOURLY, tz, utc("2025-06-02T17:59:59")) is None
    digest = due_digest(alerts, HOURLY, tz, utc("2025-06-02T18:00:00"))
    assert [m.alert_id for m in digest.messages] == [2, 1]  # newest first; 18:00 waits
    assert (digest.start, digest.end) == (utc("2025-06-02T17:00:00"), utc("2025-06-02T18:00:00"))
    assert digest.label(ZoneInfo("Africa/Casablanca")) == (
        "2025-06-02 18:00–19:00 Africa/Casablanca")
    assert due_digest(alerts[2:], HOURLY, tz, utc("2025-06-02T18:59:00")) is None


def test_after_a_pause_one_digest_holds_every_missed_period(make_alert):
    alerts = [make_alert(alert_id=n, created_at=at) for n, at in [
        (1, "2025-06-01T09:00:00+00:00"), (2, "2025-06-02T06:00:00+00:00"),
        (3, "2025-06-02T07:30:00+00:00")]]
    daily = DigestSchedule(daily=(8, 0))
    tz = ZoneInfo("Africa/Casablanca")  # 08:00 there is 07:00 UTC
    digest = due_digest(alerts, daily, tz, utc("2025-06-02T07:45:00"))
    assert [m.alert_id for m in digest.messages] == [2, 1]
    assert digest.label(tz) == "2025-06-01 08:00 – 2025-06-02 08:00 Africa/Casablanca"


def test_same_creation_time_orders_by_publication_then_id(make_alert):
    at = "2025-06-02T17:05:00+00:00"
    alerts = [make_alert(alert_id=1, created_at=at, published="2025-06-02T10:00:00+01:00"),
              make_alert(alert_id=2, created_at=at, published=None),
              make_alert(alert_id=3, created_at=at, published="2025-06-02T12:00:00+01:00")]
    digest = due_digest(alerts, HOURLY, ZoneInfo("UTC"), utc("2025-06-02T18:00:00"))
    assert [m.alert_id for m in digest.messages] == [3, 1, 2]


@pytest.fixture
def stories(make_alert, arabic_alert):
    earlier = EarlierStory("story-0", "Rabat et Paris relancent leur coopération",
                           "https://le360.ma/rabat-paris-0", True)
    return [
        make_alert(alert_id=3, title="Follow-up story", follows=earlier),
        arabic_alert,
        make_alert(alert_id=2, title="Deuxième accord", other_sources=()),
    ]


def test_plain_text_names_every_field_and_the_follow_up(stories):
    text = render_digest_text(stories, "2025-06-02 17:00–18:00 UTC")
    assert text.startswith("marsad digest: 3 stories (2025-06-02 17:00–18:00 UTC)\n")
    first, second, third = (text.index(s.title) for s in stories)
    assert first < second < third
    assert "1. Follow-up: Follow-up story" in text
    assert "Follows:   Rabat et Paris relancent leur coopération" in text
    assert "https://le360.ma/rabat-paris-0" in text
    assert "Source:    hespress-fr (also: le360-fr, barlamane-fr)" in text
    assert "Published: 2024-07-25 10:30 +01:00" in text
    assert "Matched:   المغرب, فرنسا, أمني" in text
    assert text.count("Link:      https://") == 3


def test_html_gives_each_story_its_direction_and_escapes_page_text(stories, make_alert,
                                                                  hostile_title):
    page = render_digest_html([*stories, make_alert(alert_id=9, title=hostile_title)])
    items = re.findall(r'<div dir="(rtl|ltr)"(?: lang="(\w+)")?', page)
    assert items == [("ltr", "fr"), ("rtl", "ar"), ("ltr", "fr"), ("ltr", "fr")]
    assert 'Follow-up: <a href="https://fr.hespress.com/123-maroc-france.html">' in page
    assert '<a href="https://le360.ma/rabat-paris-0"><bdi>Rabat et Paris' in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\u202e" not in page and "Bcc: victim" in page  # on one line, not a header


def test_slack_escapes_and_links_each_story(stories, make_alert, hostile_title):
    payload = render_digest_slack([*stories, make_alert(alert_id=9, title=hostile_title)],
                                  "2025-06-02 17:00–18:00 UTC")
    header, *sections = payload["blocks"]
    assert header["text"]["text"] == "marsad digest: 4 stories (2025-06-02 17:00–18:00 UTC)"
    assert len(sections) == 4
    first = sections[0]["text"]["text"]
    assert first.startswith(
        "Follow-up: *<https://fr.hespress.com/123-maroc-france.html|Follow-up story>*")
    assert "\nFollows: <https://le360.ma/rabat-paris-0|Rabat et Paris" in first
    hostile = sections[3]["text"]["text"]
    assert "<!channel>" not in hostile and "&lt;!channel&gt;" in hostile
    assert "<@U123>" not in hostile and "*bold*" not in hostile
    assert payload["text"].startswith("[marsad] digest: 4 stories (2025-06-02 17:00–18:00 UTC): ")
    assert "<!channel>" not in payload["text"]


def test_slack_keeps_to_fifty_blocks_and_says_how_many_more(make_alert):
    many = [make_alert(alert_id=n, title=f"Story {n}") for n in range(60)]
    blocks = render_digest_slack(many)["blocks"]
    assert len(blocks) == 50
    assert blocks[-1]["type"] == "context"
    assert "and 12 more" in blocks[-1]["elements"][0]["text"]
    assert "Story 47" in blocks[-2]["text"]["text"]
    exact = render_digest_slack(many[:49])["blocks"]
    assert len(exact) == 50 and exact[-1]["type"] == "section"


def test_slack_sections_stay_under_the_limit_without_breaking_a_link(make_alert):
    huge = make_alert(title="&" * 500, url="https://example.org/" + "a" * 5000,
                      follows=EarlierStory("s0", "<" * 300, "https://example.org/b", True))
    text = render_digest_slack([huge])["blocks"][1]["text"]["text"]
    assert len(text) <= 3000
    assert "https://example.org/aaa" not in text  # too long to link: the title stands alone
    assert "<https://example.org/b|&lt;&lt;" in text
    assert text.count("<") == text.count(">") == 1


def test_email_digest_has_both_parts_and_a_stable_message_id(stories):
    channel = EmailChannel(EmailChannelConfig(
        name="desk", host="127.0.0.1", to=("a@example.org",), sender="m@example.org"))
    raw = channel.build_digest(stories, "2025-06-02 17:00–18:00 UTC").as_bytes()
    mail = message_from_bytes(raw, policy=policy.default)
    assert mail["Subject"] == "[marsad] digest: 3 stories (2025-06-02 17:00–18:00 UTC)"
    assert mail.get_body(("plain",)).get_content().startswith("marsad digest: 3 stories")
    assert 'dir="rtl" lang="ar"' in mail.get_body(("html",)).get_content()
    again = channel.build_digest(list(reversed(stories)), "other label")
    assert again["Message-ID"] == mail["Message-ID"]
    assert channel.build_digest(stories[:2])["Message-ID"] != mail["Message-ID"]


def test_console_digest_and_the_base_class_default(stories):
    stream = io.StringIO()
    console = ConsoleChannel(ConsoleChannelConfig(name="c", digest=HOURLY), stream=stream)
    assert console.digest == HOURLY
    console.send_digest(stories, period="P")
    assert "marsad digest: 3 stories (P)" in stream.getvalue()

    class Plain(Channel):
        name = "plain"

        def send(self, message):
            pass

    with pytest.raises(NotImplementedError):
        Plain().send_digest(stories)
