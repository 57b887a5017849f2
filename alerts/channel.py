"""The common face of every alert channel and its failure kinds. The channels themselves
are built in `alerts/__init__.py`, from the registry of configuration types."""

from __future__ import annotations

import html
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from urllib.parse import quote, quote_plus

from alerts.escaping import clean_line, flatten, shorten
from crawler.config import ConfigError, DigestSchedule
from storage.records import AlertMessage

MASK = "***"
REASON_MAX = 200  # characters of a stored or printed failure reason


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
    digest: DigestSchedule | None = None  # set: alerts go out grouped, one message a period

    @abstractmethod
    def send(self, message: AlertMessage) -> None:
        """Deliver one alert or raise a DeliveryError; returning means delivered."""

    def send_digest(self, messages: Sequence[AlertMessage], *, period: str = "") -> None:
        """Deliver several alerts as one message (newest first; `period` says which one
        they belong to) or raise a DeliveryError; returning means all were delivered."""
        raise NotImplementedError(f"{type(self).__name__} cannot send digests")

    def secrets(self) -> tuple[str, ...]:
        """Values that must never appear in logs or stored errors (each is also masked in
        the encoded forms `encoded_forms` lists)."""
        return ()

    def redact(self, text: str) -> str:
        """`text` with every secret of this channel masked, in any of its encoded forms
        and whatever its letter case (masking too much costs only a word of a message)."""
        pattern, _ = self._redaction()
        return pattern.sub(MASK, text) if pattern else text

    def clean_reason(self, text: str, *, partial: bool = False) -> str:
        """A failure reason fit to store, print or log: secrets masked, then one line of
        at most REASON_MAX characters. `partial`: `text` ends where a longer answer was
        cut, so its last characters may hold the start of a secret: they are dropped."""
        if partial:
            _, longest = self._redaction()
            text = text[: max(len(text) - longest, 0)]
        # Masked before flattening (which could split a form) and after (which could join one).
        return shorten(self.redact(clean_line(self.redact(text))), REASON_MAX)

    def _redaction(self) -> tuple[re.Pattern[str] | None, int]:
        """The pattern matching every form of every secret, and the longest form's length;
        built again only when `secrets()` changes."""
        secrets = tuple(secret for secret in self.secrets() if secret)
        cached = self.__dict__.get("_redaction_cache")
        if cached is None or cached[0] != secrets:
            forms = sorted(set().union(*map(encoded_forms, secrets)), key=len, reverse=True)
            # Longest first: where one form holds another, the whole of it is masked.
            pattern = re.compile("|".join(map(re.escape, forms)), re.IGNORECASE) if forms else None
            cached = (secrets, pattern, len(forms[0]) if forms else 0)
            self.__dict__["_redaction_cache"] = cached
        return cached[1], cached[2]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


def encoded_forms(secret: str) -> set[str]:
    """The ways a server may write a secret back: as is, percent-encoded (path, component
    and form style), escaped for JSON or HTML, and flattened onto one line."""
    forms = {
        secret,
        quote(secret, safe=""),
        quote(secret),
        quote(secret, safe="/:@"),
        quote_plus(secret),
        quote_plus(secret, safe="/:"),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1].replace("/", "\\/"),
        html.escape(secret),
        flatten(secret).strip(),
    }
    return {form for form in forms if form}


def config_problem(name: str, key: str, problem: str) -> ConfigError:
    """A one-line configuration error naming the channel key."""
    return ConfigError(problem, key=f"channels.{name}.{key}")
