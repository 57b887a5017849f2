"""The [channels.<name>] sections: where alerts go, each key checked where it is read."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from crawler.config.model import (
    ChannelConfig,
    ConsoleChannelConfig,
    DigestSchedule,
    EmailChannelConfig,
    SlackChannelConfig,
)
from crawler.config.reader import Table
from crawler.config.values import format_duration, parse_duration, shown, type_name

_HOST = re.compile(r"[^\s/:@?#]+")
_SMTP_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
# Seconds one connection or post may take: an alert waits on it, and so does the cycle.
CHANNEL_TIMEOUT_RANGE = (1.0, 600.0)
# A digest more often than every 5 minutes is a stream; one less often than weekly is stale news.
DIGEST_RANGE = (300.0, 7 * 86400.0)
_DAILY = re.compile(r"daily\s+(\d{1,2}):(\d{2})", re.IGNORECASE)
_DIGEST_HINT = 'use a period from "5m" to "7d", or "daily HH:MM"'


def channel_configs(table: Table) -> dict[str, ChannelConfig]:
    """The [channels.<name>] tables; none at all means one console channel."""
    channels: dict[str, ChannelConfig] = {}
    for name, raw in table.raw.items():
        if not name.strip():
            raise table.error(None, "a channel name must not be empty")
        if not isinstance(raw, dict):
            raise table.error(name, f"must be a table ([channels.{name}]), not {type_name(raw)}")
        channel = table.child(name, raw)
        kind = channel.string("type", required=True)
        build = _CHANNEL_TYPES.get(kind)
        if build is None:
            raise channel.error("type", f"unknown channel type {shown(kind)} "
                                        "(use email, slack or console)")
        channels[name] = build(channel, name)
    return channels or {"console": ConsoleChannelConfig(name="console")}


def email_channel(table: Table, name: str) -> EmailChannelConfig:
    table.check_keys(("type", "host", "port", "security", "username", "password", "from", "to",
                      "timeout", "digest"))
    host = table.string("host", required=True)
    if not _HOST.fullmatch(host):
        raise table.error("host", f"must be a host name, not {shown(host)}")
    security = table.choice("security", "starttls", tuple(_SMTP_PORTS))
    # An empty value (e.g. from an empty environment variable) means "no login".
    username = table.string("username", empty=True) or None
    password = table.string("password", secret=True, empty=True) or None
    if username and not password:
        raise table.error("password", "is required when username is set")
    if password and not username:
        raise table.error("username", "is required when password is set")
    if not table.has("to"):
        raise table.error("to", "is required")
    recipients = table.strings("to", single=True)
    if not recipients:
        raise table.error("to", "must name at least one address")
    return EmailChannelConfig(
        name=name,
        host=host,
        to=tuple(table.address(f"to[{i}]", address) for i, address in enumerate(recipients)),
        sender=table.address("from", table.string("from", required=True)),
        port=table.integer("port", _SMTP_PORTS[security], minimum=1, maximum=65535),
        security=security,
        username=username,
        password=password,
        timeout=_timeout(table),
        digest=digest_schedule(table),
    )


def _timeout(table: Table) -> float:
    low, high = CHANNEL_TIMEOUT_RANGE
    return table.duration("timeout", 30.0, minimum=low, maximum=high)


def digest_schedule(table: Table) -> DigestSchedule | None:
    """The optional `digest` key of any channel: "1h"-style periods or "daily HH:MM"."""
    if not table.has("digest"):
        return None
    value = table.raw["digest"]
    if isinstance(value, str):
        text = table.text("digest", value).strip()
        daily = _DAILY.fullmatch(text)
        if daily:
            hour, minute = int(daily.group(1)), int(daily.group(2))
            if hour > 23 or minute > 59:
                raise table.error("digest", f"{shown(text)} is not a time of day (00:00 to 23:59)")
            return DigestSchedule(daily=(hour, minute))
        try:
            seconds = parse_duration(text)
        except ValueError:
            raise table.error("digest", f"{_DIGEST_HINT}, not {shown(text)}") from None
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise table.error("digest", f"{_DIGEST_HINT}, not {value}")
        seconds = value  # a bare number of seconds, as for any duration
    elif isinstance(value, int) and not isinstance(value, bool):
        seconds = float(max(-1, min(value, DIGEST_RANGE[1] + 1)))  # no float overflow
    else:
        raise table.error("digest", f"{_DIGEST_HINT}, not {type_name(value)}")
    low, high = DIGEST_RANGE
    if not low <= seconds <= high:
        raise table.error("digest", f"must be from {format_duration(low)} to "
                                    f"{format_duration(high)}, not {shown(value)}")
    return DigestSchedule(every=seconds)


def slack_channel(table: Table, name: str) -> SlackChannelConfig:
    table.check_keys(("type", "webhook_url", "timeout", "digest"))
    webhook_url = table.string("webhook_url", required=True, secret=True).strip()
    return SlackChannelConfig(
        name=name,
        webhook_url=table.url("webhook_url", webhook_url, secret=True),
        timeout=_timeout(table),
        digest=digest_schedule(table),
    )


def console_channel(table: Table, name: str) -> ConsoleChannelConfig:
    table.check_keys(("type", "digest"))
    return ConsoleChannelConfig(name=name, digest=digest_schedule(table))


_CHANNEL_TYPES: dict[str, Callable[[Table, str], ChannelConfig]] = {
    "email": email_channel, "slack": slack_channel, "console": console_channel,
}
