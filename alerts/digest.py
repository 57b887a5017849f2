"""Digests: one message per period for a channel instead of one per story.

The schedule is plain date arithmetic. A period's boundaries are its multiples since
the Unix epoch in UTC, so "1h" falls on the hour; "daily HH:MM" falls at that wall-clock
time in crawl.timezone each day, across clock changes. Rendering reuses the single
alert's sanitised view and escaping, so a digest is exactly as safe as an alert.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from alerts.escaping import shorten, slack_cut, slack_escape, slack_link, slack_safe
from alerts.render import (
    SLACK_BLOCKS_MAX,
    SLACK_HEADER_MAX,
    SLACK_SECTION_MAX,
    SUBJECT_MAX,
    AlertView,
    headline,
    html_rows,
    html_title,
    sources_line,
    view_of,
)
from crawler.config import DigestSchedule
from crawler.urls import is_http_url
from storage.records import AlertMessage

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A Slack line whose link would be longer loses the link rather than be cut inside it;
# two such lines stay within one section's limit.
SLACK_LINK_BUDGET = 1400
SLACK_FALLBACK_MAX = 3000  # the notification text, not the message


# --- when ---------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _period(schedule: DigestSchedule) -> timedelta:
    # timedelta arithmetic is exact (whole microseconds): boundaries never drift by rounding.
    return timedelta(seconds=schedule.every or 0)


def _daily_at(day: date, at: tuple[int, int], tz: tzinfo) -> datetime:
    # fold=0: a wall time a clock change repeats is its first occurrence; one it skips is
    # read in the offset before the change (02:30 in a 02:00 -> 03:00 jump is 03:30).
    return datetime(day.year, day.month, day.day, *at, tzinfo=tz).astimezone(UTC)


def next_boundary(created_at: datetime, schedule: DigestSchedule, tz: tzinfo) -> datetime:
    """The first digest boundary strictly after `created_at` (naive means UTC), in UTC."""
    moment = _utc(created_at)
    if schedule.daily is None:
        period = _period(schedule)
        return EPOCH + period * ((moment - EPOCH) // period + 1)
    today = moment.astimezone(tz).date()
    # Compared in UTC: aware datetimes that share a tzinfo compare by wall time.
    candidates = (_daily_at(today + timedelta(days=k), schedule.daily, tz) for k in (0, 1, 2))
    return next(boundary for boundary in candidates if boundary > moment)


def last_boundary(moment: datetime, schedule: DigestSchedule, tz: tzinfo) -> datetime:
    """The latest digest boundary at or before `moment` (naive means UTC), in UTC."""
    moment = _utc(moment)
    if schedule.daily is None:
        period = _period(schedule)
        return EPOCH + period * ((moment - EPOCH) // period)
    today = moment.astimezone(tz).date()
    candidates = (_daily_at(today + timedelta(days=k), schedule.daily, tz) for k in (0, -1, -2))
    return next(boundary for boundary in candidates if boundary <= moment)


@dataclass(frozen=True)
class Digest:
    """What one digest holds, newest first, and the period its alerts were created in."""

    messages: tuple[AlertMessage, ...]
    start: datetime
    end: datetime

    def label(self, tz: tzinfo) -> str:
        """'2025-06-02 17:00–18:00 Africa/Casablanca', in the configured zone."""
        start, end = self.start.astimezone(tz), self.end.astimezone(tz)
        if start.date() == end.date():
            return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} {tz}"
        return f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M} {tz}"


def due_digest(alerts: Sequence[AlertMessage], schedule: DigestSchedule, tz: tzinfo,
               now: datetime) -> Digest | None:
    """The digest due at `now` out of one channel's due alerts; None before its boundary.

    It is due at the first boundary after the oldest alert was created, and holds every
    alert created before the latest boundary passed: after a pause, one digest rather than
    one per missed period. Alerts created since then wait for the next boundary.
    """
    if not alerts:
        return None
    dated = [(created_time(alert), alert) for alert in alerts]
    oldest = min(created for created, _ in dated)
    if next_boundary(oldest, schedule, tz) > _utc(now):
        return None
    end = last_boundary(now, schedule, tz)
    held = [pair for pair in dated if pair[0] < end]
    held.sort(key=lambda pair: (pair[0], _published_key(pair[1]), pair[1].alert_id),
              reverse=True)
    return Digest(tuple(alert for _, alert in held), last_boundary(oldest, schedule, tz), end)


def created_time(alert: AlertMessage) -> datetime:
    """When the alert was queued; an unreadable time counts as long ago (due at once)."""
    try:
        return _utc(datetime.fromisoformat(alert.created_at))
    except ValueError:
        return EPOCH


def _published_key(alert: AlertMessage) -> float:
    try:
        return _utc(datetime.fromisoformat(alert.published or "")).timestamp()
    except ValueError:
        return float("-inf")


# --- what ---------------------------------------------------------------------------


def digest_title(count: int, period: str = "") -> str:
    """'digest: 3 stories (2025-06-02 17:00–18:00 UTC)'."""
    stories = "story" if count == 1 else "stories"
    return f"digest: {count} {stories}" + (f" ({period})" if period else "")


def render_digest_subject(messages: Sequence[AlertMessage], period: str = "") -> str:
    return shorten(f"[marsad] {digest_title(len(messages), period)}", SUBJECT_MAX)


def render_digest_text(messages: Sequence[AlertMessage], period: str = "") -> str:
    """Plain text: the email's text part and the console output."""
    lines = [f"marsad {digest_title(len(messages), period)}"]
    for number, message in enumerate(messages, 1):
        view = view_of(message, segments=())
        lines += ["", f"{number}. {headline(view)}"]
        if view.follows_title:
            lines += [f"   Follows:   {view.follows_title}", f"              {view.follows_url}"]
        lines += [
            f"   Topic:     {view.topic}",
            f"   Matched:   {', '.join(view.matched) or '-'}",
            f"   Source:    {sources_line(view)}",
            f"   Published: {view.published}",
            f"   Link:      {view.url or '-'}",
        ]
    return "\n".join(lines) + "\n"


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def render_digest_html(messages: Sequence[AlertMessage], period: str = "") -> str:
    """The email's HTML part: one block per story, each in its own reading direction."""
    items = "".join(_html_item(view_of(message, segments=())) for message in messages)
    return (
        "<!DOCTYPE html>\n"
        '<html><head><meta charset="utf-8"></head>\n'
        '<body style="font-family:sans-serif">\n'
        f'<h1 style="font-size:1.3em">marsad {_h(digest_title(len(messages), period))}</h1>\n'
        f"{items}"
        '<p style="color:#777;font-size:0.8em">marsad news monitor</p>\n'
        "</body></html>\n"
    )


def _html_item(view: AlertView) -> str:
    direction = "rtl" if view.rtl else "ltr"
    lang = f' lang="{_h(view.language)}"' if view.language else ""
    title = html_title(view)
    rows = html_rows(view)
    table = "\n".join(
        f'<tr><th align="left" style="padding-right:1em">{name}</th><td>{value}</td></tr>'
        for name, value in rows
    )
    return (
        f'<div dir="{direction}"{lang} style="border-top:1px solid #ddd;padding-top:0.5em">\n'
        f'<h2 style="font-size:1.1em">{title}</h2>\n'
        f'<table dir="ltr" style="font-size:0.9em">\n{table}\n</table>\n'
        "</div>\n"
    )


def render_digest_slack(messages: Sequence[AlertMessage], period: str = "") -> dict:
    """The webhook payload: a header, a section per story, and the `text` fallback.

    Slack takes at most 50 blocks: past that, a last block says how many more stories
    the digest holds (all of them are marked sent, and `marsad alerts` lists them)."""
    title = digest_title(len(messages), period)
    room = SLACK_BLOCKS_MAX - 1  # after the header
    shown = len(messages) if len(messages) <= room else room - 1
    views = [view_of(message, segments=()) for message in messages]
    blocks: list[dict] = [{
        "type": "header",
        "text": {"type": "plain_text", "emoji": False,
                 "text": slack_cut(slack_escape(f"marsad {title}"), SLACK_HEADER_MAX)},
    }]
    blocks += [_slack_story(view) for view in views[:shown]]
    if len(views) > shown:
        more = f"…and {len(views) - shown} more: `marsad alerts` lists every one."
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": more}]})
    fallback = f"[marsad] {title}: " + "; ".join(headline(view) for view in views)
    return {
        "text": slack_cut(slack_safe(fallback), SLACK_FALLBACK_MAX),
        "blocks": blocks,
        "unfurl_links": False,
        "unfurl_media": False,
    }


def _slack_story(view: AlertView) -> dict:
    lines = [("Follow-up: " if view.follows_title else "")
             + f"*{_slack_linked(slack_safe(view.title), view.url)}*"]
    if view.follows_title:
        lines.append("Follows: " + _slack_linked(slack_safe(view.follows_title), view.follows_url))
    lines.append(slack_safe(f"{sources_line(view)} · {view.published}"))
    lines.append(slack_safe(f"{view.topic}: {', '.join(view.matched) or '-'}"))
    text = slack_cut("\n".join(lines), SLACK_SECTION_MAX)
    return {"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": True}}


def _slack_linked(label: str, url: str) -> str:
    """An escaped label as a link to `url` when that fits SLACK_LINK_BUDGET, else alone."""
    if is_http_url(url):
        linked = f"<{slack_link(url)}|{label.replace('|', '¦')}>"
        if len(linked) <= SLACK_LINK_BUDGET:
            return linked
    return slack_cut(label, SLACK_LINK_BUDGET)
