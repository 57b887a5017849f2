"""Alert channels (email, Slack, console), the registry that builds them from their
configuration, and the delivery of due alerts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from alerts.channel import (
    Channel,
    DeliveryError,
    PermanentDeliveryError,
    TransientDeliveryError,
    config_problem,
)
from alerts.console import ConsoleChannel
from alerts.delivery import DeliveryReport, deliver_due
from alerts.email import EmailChannel
from alerts.sample_alert import sample_alert, send_sample_alert
from alerts.slack import SlackChannel
from crawler.config import (
    ChannelConfig,
    ConsoleChannelConfig,
    EmailChannelConfig,
    SlackChannelConfig,
)

# The channel class for each configuration type. Each class takes its own configuration
# type only, which its key guarantees: hence Any in the builder's signature.
CHANNEL_TYPES: dict[type[ChannelConfig], Callable[[Any], Channel]] = {
    EmailChannelConfig: EmailChannel,
    SlackChannelConfig: SlackChannel,
    ConsoleChannelConfig: ConsoleChannel,
}


def build_channels(configs: Mapping[str, ChannelConfig]) -> dict[str, Channel]:
    """One ready channel per configured name (the console when there is none); raises
    ConfigError on a bad entry."""
    channels: dict[str, Channel] = {}
    for name, config in configs.items():
        build = CHANNEL_TYPES.get(type(config))
        if build is None:
            raise config_problem(name, "type", f"unknown channel type {type(config).__name__}")
        channels[name] = build(config)
    if not channels:
        channels["console"] = ConsoleChannel(ConsoleChannelConfig(name="console"))
    return channels


__all__ = [
    "CHANNEL_TYPES",
    "Channel",
    "DeliveryError",
    "DeliveryReport",
    "PermanentDeliveryError",
    "TransientDeliveryError",
    "build_channels",
    "deliver_due",
    "sample_alert",
    "send_sample_alert",
]
