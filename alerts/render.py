"""Pure rendering of one alert: plain text, email HTML and Slack Block Kit.

Everything in an AlertMessage except the topic name comes from web pages, so every
field is sanitised and then escaped for its destination (alerts.escaping). Rendering
functions have no side effects.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from alerts.escaping import (
    clean_line,
    flatten,
    shorten,
    slack_cut,
    slack_escape,
    slack_link,
    slack_safe,
)
from crawler.matching import excerpt
from crawler.text import guess_language
from crawler.urls import is_http_url
from storage.records import AlertMessage

Segment = tuple[str, bool]  # a piece of article text; True where a matched term occurs

EXCERPT_WIDTH = 300
TITLE_MAX = 500
SUBJECT_MAX = 200
SLACK_HEADER_MAX = 150
SLACK_SECTION_MAX = 3000
SLACK_FIELD_MAX = 2000
SLACK_TEXT_MAX = 40000
SLACK_BLOCKS_MAX = 50

_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})?")


@dataclass(frozen=True)
class AlertView:
    """The display-ready fields of one alert: sanitised, not yet escaped."""

    title: str
    topic: str
    matched: tuple[str, ...]  # the words the topic's terms fired on, as the article has them
    source: str
    other_sources: tuple[str, ...]
    published: str
    url: str
    linkable: bool
    language: str | None
    rtl: bool
    excerpt: tuple[Segment, ...]
    follows_title: str = ""  # set for a follow-up: the earlier story's title and link
    follows_url: str = ""


def view_of(message: AlertMessage, segments: Sequence[Segment] | None = None) -> AlertView:
    """Sanitise an alert for display; `segments` overrides the computed excerpt."""
    title = shorten(clean_line(message.title), TITLE_MAX) or "(untitled)"
    language = message.language if _LANGUAGE_TAG.fullmatch(message.language or "") else None
    primary = (language or "").split("-")[0].lower()
    rtl = primary == "ar" or (language is None and guess_language(title) == "ar")
    if segments is None:
        segments = excerpt(message.text or "", list(message.matched), width=EXCERPT_WIDTH)
    pieces = tuple((flatten(text), bool(marked)) for text, marked in segments if text)
    source = clean_line(message.source)
    others: list[str] = []
    for other in message.other_sources:
        name = clean_line(other)
        if name and name != source and name not in others:
            others.append(name)
    url = clean_line(message.url)
    return AlertView(
        title=title,
        topic=clean_line(message.topic),
        # Matches recorded before the words were kept show the terms as the topic has them.
        matched=tuple(t for t in (clean_line(m) for m in message.found or message.matched) if t),
        source=source or "unknown source",
        other_sources=tuple(others),
        published=format_published(message.published),
        url=url,
        linkable=is_http_url(url),
        language="ar" if rtl else language,
        rtl=rtl,
        excerpt=_trim_ends(pieces),
        follows_title=(shorten(clean_line(message.follows.title), TITLE_MAX) or "(untitled)"
                       if message.follows else ""),
        follows_url=clean_line(message.follows.url) if message.follows else "",
    )


def headline(view: AlertView) -> str:
    """The title, marked as a follow-up where it is one."""
    return f"Follow-up: {view.title}" if view.follows_title else view.title


def _trim_ends(pieces: tuple[Segment, ...]) -> tuple[Segment, ...]:
    items = list(pieces)
    if items:
        items[0] = (items[0][0].lstrip(), items[0][1])
        items[-1] = (items[-1][0].rstrip(), items[-1][1])
    return tuple((text, marked) for text, marked in items if text)


def format_published(published: str | None) -> str:
    """ISO 8601 -> '2024-07-25 10:30 +01:00' (date only when no time is known)."""
    raw = clean_line(published)
    if not raw:
        return "date unknown"
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return shorten(raw, 60)
    if len(raw) <= 10:
        return moment.strftime("%Y-%m-%d")
    shown = moment.strftime("%Y-%m-%d %H:%M")
    if moment.tzinfo is not None:
        offset = moment.strftime("%z")
        shown += f" {offset[:3]}:{offset[3:5]}"
    return shown


def sources_line(view: AlertView) -> str:
    if not view.other_sources:
        return view.source
    return f"{view.source} (also: {', '.join(view.other_sources)})"


def render_subject(message: AlertMessage) -> str:
    """The email subject: one clean line."""
    view = view_of(message, segments=())
    return shorten(f"[marsad] {view.topic}: {headline(view)}", SUBJECT_MAX)


def render_text(message: AlertMessage, segments: Sequence[Segment] | None = None) -> str:
    """Plain text: the email's text part and the console output; terms in «»."""
    view = view_of(message, segments)
    body = "".join(f"«{text}»" if marked else text for text, marked in view.excerpt)
    lines = [
        headline(view),
        "",
        *([f"Follows:   {view.follows_title}", f"           {view.follows_url}"]
          if view.follows_title else []),
        f"Topic:     {view.topic}",
        f"Matched:   {', '.join(view.matched) or '-'}",
        f"Source:    {sources_line(view)}",
        f"Published: {view.published}",
        f"Link:      {view.url or '-'}",
    ]
    if body:
        lines += ["", body]
    return "\n".join(lines) + "\n"


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def html_title(view: AlertView) -> str:
    """The headline as HTML: escaped, linked to the article, marked as a follow-up."""
    title = _h(view.title)
    if view.linkable:
        title = f'<a href="{_h(view.url)}">{title}</a>'
    return f"Follow-up: {title}" if view.follows_title else title


def html_rows(view: AlertView) -> list[tuple[str, str]]:
    """The alert's facts as (label, HTML) rows, page text escaped and isolated (<bdi>)."""
    earlier = f"<bdi>{_h(view.follows_title)}</bdi>"
    if is_http_url(view.follows_url):
        earlier = f'<a href="{_h(view.follows_url)}">{earlier}</a>'
    link = f'<a href="{_h(view.url)}">{_h(view.url)}</a>' if view.linkable else _h(view.url)
    matched = ", ".join(f"<bdi>{_h(term)}</bdi>" for term in view.matched) or "-"
    others = ", ".join(f"<bdi>{_h(name)}</bdi>" for name in view.other_sources)
    return [
        *([("Follows", earlier)] if view.follows_title else []),
        ("Topic", f"<bdi>{_h(view.topic)}</bdi>"),
        ("Matched", matched),
        ("Source", f"<bdi>{_h(view.source)}</bdi>" + (f" (also: {others})" if others else "")),
        ("Published", _h(view.published)),
        ("Link", link or "-"),
    ]


def render_html(message: AlertMessage, segments: Sequence[Segment] | None = None) -> str:
    """The email's HTML part; Arabic articles read right to left."""
    view = view_of(message, segments)
    direction = "rtl" if view.rtl else "ltr"
    lang = f' lang="{_h(view.language)}"' if view.language else ""
    title = html_title(view)
    body = "".join(
        f"<mark><strong>{_h(text)}</strong></mark>" if marked else _h(text)
        for text, marked in view.excerpt
    )
    rows = html_rows(view)
    table = "\n".join(
        f'<tr><th align="left" style="padding-right:1em">{name}</th><td>{value}</td></tr>'
        for name, value in rows
    )
    excerpt_block = f'<p style="line-height:1.6">{body}</p>\n' if body else ""
    return (
        "<!DOCTYPE html>\n"
        '<html><head><meta charset="utf-8"></head>\n'
        '<body style="font-family:sans-serif">\n'
        f'<div dir="{direction}"{lang}>\n'
        f'<h2 style="font-size:1.25em">{title}</h2>\n'
        f"{excerpt_block}"
        "</div>\n"
        f'<table dir="ltr" style="font-size:0.9em">\n{table}\n</table>\n'
        '<p style="color:#777;font-size:0.8em">marsad news monitor</p>\n'
        "</body></html>\n"
    )


def _slack_earlier(view: AlertView) -> str:
    title = slack_safe(view.follows_title)
    if is_http_url(view.follows_url):
        return f"<{slack_link(view.follows_url)}|{title.replace('|', '¦')}>"
    return title


def render_slack(message: AlertMessage, segments: Sequence[Segment] | None = None) -> dict:
    """The webhook payload: Block Kit blocks plus the `text` notification fallback."""
    view = view_of(message, segments)
    fields = [
        *([("Follows", _slack_earlier(view))] if view.follows_title else []),
        ("Source", slack_safe(sources_line(view))),
        ("Published", slack_safe(view.published)),
        ("Topic", slack_safe(view.topic)),
        ("Matched", slack_safe(", ".join(view.matched) or "-")),
    ]
    blocks: list[dict] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": slack_cut(slack_escape(headline(view)), SLACK_HEADER_MAX),
                "emoji": False,
            },
        },
        {
            "type": "section",
            "fields": [
                {
                    "type": "mrkdwn",
                    "text": slack_cut(f"*{name}*\n{value}", SLACK_FIELD_MAX),
                    "verbatim": True,
                }
                for name, value in fields
            ],
        },
    ]
    pieces = []
    for text, marked in view.excerpt:
        safe = slack_safe(text)
        if marked and safe.strip():
            # Bold only renders when the asterisks hug the word.
            lead, core, tail = _split_spaces(safe)
            safe = f"{lead}*{core}*{tail}"
        pieces.append(safe)
    if pieces:
        text = slack_cut("".join(pieces), SLACK_SECTION_MAX)
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": text, "verbatim": True}}
        )
    if view.linkable and len(view.url) < SLACK_SECTION_MAX - 50:
        link = f"<{slack_link(view.url)}|Open the article>"
    else:
        link = slack_cut(slack_safe(view.url or "-"), SLACK_SECTION_MAX)
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": link}]})
    fallback = slack_safe(f"[marsad] {view.topic}: {headline(view)} ({sources_line(view)}) ")
    fallback += slack_escape(view.url)  # URLs keep their underscores
    return {
        "text": slack_cut(fallback, SLACK_TEXT_MAX),
        "blocks": blocks[:SLACK_BLOCKS_MAX],
        "unfurl_links": False,
        "unfurl_media": False,
    }


def _split_spaces(text: str) -> tuple[str, str, str]:
    core = text.strip()
    start = text.index(core)
    return text[:start], core, text[start + len(core) :]
