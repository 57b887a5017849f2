"""Slack alerts through an incoming webhook (plain urllib, JSON body).

The webhook URL is a credential: anyone holding it can post. It appears in no
repr, log line or error message; errors say "slack webhook" instead, and what
a server answers is masked for the URL and each secret part of it (a proxy's
"Cannot POST /services/T…/B…/…" page echoes the path).
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from alerts.channel import (
    Channel,
    PermanentDeliveryError,
    PossiblyDeliveredError,
    TransientDeliveryError,
    config_problem,
)
from alerts.digest import render_digest_slack
from alerts.render import render_slack
from crawler import clock
from crawler.config import SlackChannelConfig
from crawler.urls import is_http_url
from storage.records import AlertMessage

PERMANENT_STATUSES = frozenset({400, 401, 403, 404, 410, 413})
MAX_RETRY_AFTER = 24 * 3600.0
ANSWER_READ = 4096  # bytes of an error page read for its reason
# Path words that name the service, not the credential.
_PUBLIC_SEGMENTS = frozenset({"services", "hooks", "hook", "webhook", "webhooks", "incoming",
                              "triggers", "workflows", "slack", "api"})
# Failures while waiting for the answer to a request written whole: the endpoint
# may have acted on it.
_NO_ANSWER = (TimeoutError, ConnectionError, http.client.BadStatusLine)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A webhook never redirects; following one would re-send the body elsewhere as GET."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class SlackChannel(Channel):
    def __init__(self, config: SlackChannelConfig) -> None:
        if not is_http_url(config.webhook_url or ""):
            # Say what is wrong without echoing the value.
            raise config_problem(config.name, "webhook_url", "must be an http(s) URL")
        if config.timeout <= 0:
            raise config_problem(config.name, "timeout", "must be positive")
        self.name = config.name
        self.timeout = config.timeout
        self.digest = config.digest
        self._webhook_url = config.webhook_url
        self._secrets = webhook_secrets(config.webhook_url)

    def __repr__(self) -> str:
        return f"<SlackChannel {self.name!r} webhook=***>"

    def secrets(self) -> tuple[str, ...]:
        return self._secrets

    def send(self, message: AlertMessage) -> None:
        payload = json.dumps(render_slack(message), ensure_ascii=False).encode("utf-8")
        self.post(payload)

    def send_digest(self, messages: Sequence[AlertMessage], *, period: str = "") -> None:
        payload = render_digest_slack(messages, period)
        self.post(json.dumps(payload, ensure_ascii=False).encode("utf-8"))

    def post(self, payload: bytes) -> None:
        """POST a JSON body to the webhook, classifying every failure."""
        request = urllib.request.Request(
            self._webhook_url,
            data=payload,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        try:
            response = _OPENER.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            raise self._status_error(error) from None
        except urllib.error.URLError as error:
            # urllib wraps what fails while connecting and writing the request: the
            # endpoint cannot have acted on a request it did not get whole.
            cause = error.reason
            detail = "timed out" if isinstance(cause, TimeoutError) else _reason(cause)
            raise TransientDeliveryError(self.clean_reason(f"slack webhook: {detail}")) from None
        except _NO_ANSWER as error:
            # Raised unwrapped, so while waiting for the answer to a request sent whole.
            what = "timed out" if isinstance(error, TimeoutError) else _reason(error)
            raise PossiblyDeliveredError(self.clean_reason(
                f"slack webhook: {what} waiting for the answer; the message may have been "
                "delivered")) from None
        except (OSError, http.client.HTTPException) as error:
            raise TransientDeliveryError(
                self.clean_reason(f"slack webhook: {_reason(error)}")) from None
        with response:
            try:
                response.read(ANSWER_READ)
            except (OSError, http.client.HTTPException):
                pass  # a success status came: the message is delivered

    def _status_error(self, error: urllib.error.HTTPError) -> Exception:
        try:
            raw = error.read(ANSWER_READ)
        except (OSError, http.client.HTTPException):
            raw = b""
        finally:
            error.close()
        reason = self.clean_reason(f"slack webhook: HTTP {error.code} "
                                   + raw.decode("utf-8", "replace"),
                                   partial=len(raw) >= ANSWER_READ)
        if error.code == 429:
            return TransientDeliveryError(
                reason, retry_after=retry_after(error.headers.get("Retry-After"))
            )
        if error.code in PERMANENT_STATUSES or 300 <= error.code < 400:
            return PermanentDeliveryError(reason)
        return TransientDeliveryError(reason)


def webhook_secrets(url: str) -> tuple[str, ...]:
    """What to mask of a webhook URL: the whole of it, with and without its scheme, its
    path and query, its user and password, and each part of the path or query long or
    odd enough to be a credential (Slack's T…, B… and token), plain and decoded."""
    parts = urlsplit(url)
    found = [url, url.split("://", 1)[-1], parts.password or "", parts.username or ""]
    segments = [piece for segment in parts.path.split("/")
                for piece in {segment, unquote(segment)} if _secret_part(piece)]
    values = [value for _, value in parse_qsl(parts.query, keep_blank_values=True)
              if _secret_part(value)]
    if segments:
        found.append(parts.path)
    if values:
        found.append(parts.query)
    if segments or values:
        found.append(f"{parts.path}?{parts.query}" if parts.query else parts.path)
    found += segments + values
    return tuple(dict.fromkeys(part for part in found if part))


def _secret_part(text: str) -> bool:
    """Long enough, or holding a digit, to be an identifier or a token rather than a word
    such as "services"; a short part is not worth masking everywhere it occurs."""
    if len(text) < 4 or text.lower() in _PUBLIC_SEGMENTS:
        return False
    return len(text) >= 6 or any(char.isdigit() for char in text)


def retry_after(value: str | None) -> float | None:
    """Retry-After in seconds: a number of seconds or an HTTP date; None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = (parsedate_to_datetime(value) - clock.now()).total_seconds()
        except (TypeError, ValueError):
            return None
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _reason(error: object) -> str:
    """What went wrong, for `clean_reason` to mask and cut."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
