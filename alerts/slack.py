"""Slack alerts through an incoming webhook (plain urllib, JSON body).

The webhook URL is a credential: anyone holding it can post. It appears in no
repr, log line or error message; errors say "slack webhook" instead.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from email.utils import parsedate_to_datetime

from alerts.channel import (
    Channel,
    PermanentDeliveryError,
    TransientDeliveryError,
    config_problem,
)
from alerts.render import clean_line, is_http_link, render_slack
from crawler import clock
from crawler.config import SlackChannelConfig
from storage.records import AlertMessage

PERMANENT_STATUSES = frozenset({400, 401, 403, 404, 410, 413})
MAX_RETRY_AFTER = 24 * 3600.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A webhook never redirects; following one would re-send the body elsewhere as GET."""

    def redirect_request(self, *args, **kwargs) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class SlackChannel(Channel):
    def __init__(self, config: SlackChannelConfig) -> None:
        if not is_http_link(config.webhook_url or ""):
            # Say what is wrong without echoing the value.
            raise config_problem(config.name, "webhook_url", "must be an http(s) URL")
        if config.timeout <= 0:
            raise config_problem(config.name, "timeout", "must be positive")
        self.name = config.name
        self.timeout = config.timeout
        self._webhook_url = config.webhook_url

    def __repr__(self) -> str:
        return f"<SlackChannel {self.name!r} webhook=***>"

    def secrets(self) -> tuple[str, ...]:
        return (self._webhook_url,)

    def send(self, message: AlertMessage) -> None:
        payload = json.dumps(render_slack(message), ensure_ascii=False).encode("utf-8")
        self.post(payload)

    def post(self, payload: bytes) -> None:
        """POST a JSON body to the webhook, classifying every failure."""
        request = urllib.request.Request(
            self._webhook_url,
            data=payload,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                response.read(4096)
        except urllib.error.HTTPError as error:
            raise _status_error(error) from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise TransientDeliveryError("slack webhook: timed out") from None
            raise TransientDeliveryError(f"slack webhook: {_reason(error.reason)}") from None
        except TimeoutError:
            raise TransientDeliveryError("slack webhook: timed out") from None
        except (OSError, http.client.HTTPException) as error:
            raise TransientDeliveryError(f"slack webhook: {_reason(error)}") from None


def _status_error(error: urllib.error.HTTPError) -> Exception:
    try:
        body = error.read(500).decode("utf-8", "replace")
    except OSError:
        body = ""
    finally:
        error.close()
    detail = clean_line(body)[:200]
    reason = f"slack webhook: HTTP {error.code}" + (f" {detail}" if detail else "")
    if error.code == 429:
        return TransientDeliveryError(
            reason, retry_after=retry_after(error.headers.get("Retry-After"))
        )
    if error.code in PERMANENT_STATUSES or 300 <= error.code < 400:
        return PermanentDeliveryError(reason)
    return TransientDeliveryError(reason)


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
    if isinstance(error, OSError) and error.strerror:
        return clean_line(error.strerror)
    return clean_line(str(error))[:200] or type(error).__name__
