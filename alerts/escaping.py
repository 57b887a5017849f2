"""Page text made safe for where an alert puts it: one clean line, and Slack's mrkdwn.

Everything in an alert except the topic name comes from web pages, so every field is
flattened (no line breaks, control or invisible characters) and then escaped for its
destination: here for Slack, with `html.escape` for email. Pure functions.
"""

from __future__ import annotations

import re

from crawler.text import INVISIBLE

_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))
# C0/C1 controls (CR, LF, ESC...), line and paragraph separators, lone surrogates.
_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_SPACES = re.compile(r"\s+")
# Slack mrkdwn has no escape for its styling characters: swap in look-alikes.
_SLACK_STYLE = str.maketrans({"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"})


def flatten(text: str | None) -> str:
    """Page text on one line: breaks and controls become spaces, invisible characters go.

    Runs of white space shrink to one space; the ends are kept so that adjacent
    excerpt segments still join with their spaces.
    """
    if not text:
        return ""
    return _SPACES.sub(" ", _BREAKING.sub(" ", text.translate(_INVISIBLE)))


def clean_line(text: str | None) -> str:
    """`flatten`, trimmed: a safe single line for subjects, titles and logs."""
    return flatten(text).strip()


def shorten(text: str, limit: int) -> str:
    """Cut text to at most `limit` characters, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + "…"


def slack_escape(text: str) -> str:
    """Slack's three control characters, so no page can mention or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_safe(text: str) -> str:
    """Escaped and stripped of mrkdwn styling characters."""
    return slack_escape(text.translate(_SLACK_STYLE))


def slack_cut(text: str, limit: int) -> str:
    """Cut escaped Slack text to `limit` characters without splitting an entity."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def slack_link(url: str) -> str:
    """A URL escaped for the address part of Slack's <url|label>."""
    # `|` would end the address.
    return slack_escape(url).replace("|", "%7C")
