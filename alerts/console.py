"""Alerts printed as plain text: the channel used when none is configured."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from alerts.channel import Channel, TransientDeliveryError
from alerts.digest import render_digest_text
from alerts.render import render_text
from crawler.config import ConsoleChannelConfig
from storage.records import AlertMessage

SEPARATOR = "-" * 60


class ConsoleChannel(Channel):
    """Writes each alert to `stream` (standard output, looked up at send time)."""

    def __init__(
        self, config: ConsoleChannelConfig | None = None, stream: TextIO | None = None
    ) -> None:
        self.name = config.name if config else "console"
        self.digest = config.digest if config else None
        self._stream = stream

    def send(self, message: AlertMessage) -> None:
        self._write(render_text(message))

    def send_digest(self, messages: Sequence[AlertMessage], *, period: str = "") -> None:
        self._write(render_digest_text(messages, period))

    def _write(self, text: str) -> None:
        stream = self._stream or sys.stdout
        try:
            stream.write(f"{SEPARATOR}\n{text}")
            stream.flush()
        except (OSError, ValueError) as error:  # closed or broken stream
            raise TransientDeliveryError(
                self.clean_reason(f"console: {type(error).__name__}: {error}")) from None
