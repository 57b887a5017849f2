"""The common face of every alert channel, its two failure kinds, and the factory."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

from crawler.config import (
    ChannelConfig,
    ConfigError,
    ConsoleChannelConfig,
    EmailChannelConfig,
    SlackChannelConfig,
)
from storage.records import AlertMessage


class DeliveryError(Exception):
    """A send that did not happen. `reason` is one line, free of secrets."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TransientDeliveryError(DeliveryError):
    """Worth retrying later: the service is down, slow, busy or rate-limiting."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class PossiblyDeliveredError(TransientDeliveryError):
    """The request went out whole but no answer came in time: the service may have
    acted on it. Delivery retries such an alert at most once, and says it may repeat."""


class PermanentDeliveryError(DeliveryError):
    """Retrying cannot help: bad credentials, refused recipient, dead webhook."""


class Channel(ABC):
    """Somewhere alerts go. Subclasses check their configuration in __init__."""

    name: str

    @abstractmethod
    def send(self, message: AlertMessage) -> None:
        """Deliver one alert or raise a DeliveryError; returning means delivered."""

    def secrets(self) -> tuple[str, ...]:
        """Values that must never appear in logs or stored errors."""
        return ()

    def redact(self, text: str) -> str:
        """`text` with every secret of this channel masked."""
        for secret in self.secrets():
            if secret:
                text = text.replace(secret, "***")
        return text

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


def config_problem(name: str, key: str, problem: str) -> ConfigError:
    """A one-line configuration error naming the channel key."""
    return ConfigError(f"channels.{name}.{key}: {problem}")


def build_channels(configs: Mapping[str, ChannelConfig]) -> dict[str, Channel]:
    """One ready channel per configured name; raises ConfigError on a bad entry."""
    from alerts.console import ConsoleChannel
    from alerts.email import EmailChannel
    from alerts.slack import SlackChannel

    channels: dict[str, Channel] = {}
    for name, config in configs.items():
        if isinstance(config, EmailChannelConfig):
            channels[name] = EmailChannel(config)
        elif isinstance(config, SlackChannelConfig):
            channels[name] = SlackChannel(config)
        elif isinstance(config, ConsoleChannelConfig):
            channels[name] = ConsoleChannel(config)
        else:
            raise config_problem(name, "type", f"unknown channel type {type(config).__name__}")
    if not channels:
        channels["console"] = ConsoleChannel(ConsoleChannelConfig(name="console"))
    return channels
