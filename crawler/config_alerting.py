"""The alerting part of the configuration: [channels.<name>] and [[topics]]."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import fields
from email.utils import getaddresses
from typing import Any

from crawler.config import (
    ChannelConfig,
    ConsoleChannelConfig,
    DigestSchedule,
    EmailChannelConfig,
    SlackChannelConfig,
)
from crawler.config_schema import Table, format_duration, parse_duration, shown, type_name
from crawler.matching import Topic, builtin_topics, topic_from_mapping

_HOST = re.compile(r"[^\s/:@?#]+")
_ADDRESS = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+")
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


def _address(table: Table, key: str, text: str) -> str:
    addresses = getaddresses([text])
    if len(addresses) != 1 or not _ADDRESS.fullmatch(addresses[0][1]):
        raise table.error(key, f"must be one email address, not {shown(text)}")
    return text


def email_channel(table: Table, name: str) -> EmailChannelConfig:
    table.check_keys(("type", "host", "port", "security", "username", "password", "from", "to",
                      "timeout", "digest"))
    host = table.string("host", required=True)
    if not _HOST.fullmatch(host):
        raise table.error("host", f"must be a host name, not {shown(host)}")
    security = table.string("security", "starttls")
    if security not in _SMTP_PORTS:
        raise table.error("security", f"must be starttls, ssl or none, not {shown(security)}")
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
        to=tuple(_address(table, f"to[{i}]", address) for i, address in enumerate(recipients)),
        sender=_address(table, "from", table.string("from", required=True)),
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
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise table.error("digest", f"{_DIGEST_HINT}, not {value}")
        seconds = float(value)  # a bare number of seconds, as for any duration
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


_CHANNEL_TYPES = {"email": email_channel, "slack": slack_channel, "console": console_channel}


def topics(tables: list[Table] | None, channels: Mapping[str, ChannelConfig]) -> tuple[Topic, ...]:
    """The [[topics]]; when the key is absent, the built-in ones (an empty array means none)."""
    if tables is None:
        return builtin_topics()
    seen: dict[str, str] = {}
    result = []
    for table in tables:
        topic = topic_config(table, channels)
        if topic.name in seen:
            raise table.error("name", f"duplicate topic name {shown(topic.name)} "
                                      f"(also {seen[topic.name]})")
        seen[topic.name] = table.key_path()
        result.append(topic)
    return tuple(result)


def topic_config(table: Table, channels: Mapping[str, ChannelConfig]) -> Topic:
    """One [[topics]] table. The contract's keys are checked here, with their full key
    paths; any other Topic field is left to the matcher's own validation."""
    names = [f.name for f in fields(Topic)]
    table.check_keys(names)
    name = table.string("name", required=True)
    _term_groups(table)
    table.strings("none_of")
    table.strings("queries")
    for index, channel in enumerate(table.strings("channels")):
        if channel not in channels:
            raise table.error(f"channels[{index}]", f"channel {shown(channel)} is not defined "
                              f"(no [channels.{channel}] table)")
    data = {key: _expanded(table, key, value) for key, value in table.raw.items()}
    data["name"] = name
    try:
        return topic_from_mapping(data)
    except (TypeError, ValueError) as problem:
        message = " ".join(str(problem).split())
        key, colon, rest = message.partition(": ")
        if colon and key in names:
            raise table.error(key, rest) from None
        raise table.error(None, message) from None


def _term_groups(table: Table) -> None:
    if not table.has("all_of"):
        raise table.error("all_of", "is required (an array of groups of terms)")
    groups = table.raw["all_of"]
    if not isinstance(groups, list) or not groups:
        raise table.error("all_of", "must be a non-empty array of arrays of terms")
    for index, group in enumerate(groups):
        key = f"all_of[{index}]"
        if not isinstance(group, list) or not group:
            raise table.error(key, "must be a non-empty array of terms such as "
                                   "[\"المغرب\", \"Maroc\"]")
        for position, term in enumerate(group):
            if not table.text(f"{key}[{position}]", term).strip():
                raise table.error(f"{key}[{position}]", "must not be empty")


def _expanded(table: Table, key: str, value: Any) -> Any:
    """A TOML value with ${VAR} expanded in every string it holds; numbers must be finite
    (a nan weight or score would silently never, or always, compare true)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise table.error(key, f"must be a finite number, not {value}")
    if isinstance(value, str):
        return table.text(key, value).strip()
    if isinstance(value, list):
        return [_expanded(table, f"{key}[{i}]", item) for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {name: _expanded(table, f"{key}.{name}", item) for name, item in value.items()}
    return value
