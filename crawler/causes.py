"""Why a download failed, in words a user acts on, and the failures of a cycle per source.

Scrapy wraps Twisted's network errors in its own (CannotResolveHostError around
DNSLookupError, DownloadFailedError around ResponseNeverReceived around an
OpenSSL error...), and their text is a repr of the inner one. `name_cause`
walks down to the error that says what happened and names it: "DNS lookup
failed for www.hespress.com", "connection refused by 127.0.0.9:8080". The same
words go to the log and to the source's last error.

A host that cannot be reached fails every request of the cycle the same way:
`SourceFailures` keeps one line per source and cause, with the count of the
other requests it stopped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    ResponseDataLossError,
)
from twisted.internet import error as tx
from twisted.web.client import ResponseFailed, ResponseNeverReceived

try:
    from OpenSSL.SSL import Error as TLSError
except ImportError:  # pragma: no cover - Scrapy installs pyOpenSSL
    TLSError = ()  # type: ignore[assignment,misc]

_TOOK = re.compile(r"took longer than ([\d.]+) seconds")


@dataclass(frozen=True)
class Cause:
    """`text`: one line naming what happened to a request. `key`: the same for every
    request the same cause stops (the URL left out), so that they are counted once."""

    text: str
    key: str


def _address(url: str) -> str:
    """host:port as the connection saw it (userinfo left out: it may hold a password)."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        return "?"
    port = port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    return f"{host}:{port}" if port else host


def _errors(error: BaseException) -> Iterator[BaseException]:
    """The error and those inside it: the exception it was raised from, and the reasons
    Twisted's HTTP client gives for a response that failed."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, ResponseFailed):
            pending += [reason.value for reason in current.reasons
                        if isinstance(getattr(reason, "value", None), BaseException)]
        for inner in (current.__cause__, current.__context__):
            if inner is not None:
                pending.append(inner)


def _tls_detail(error: BaseException) -> str:
    """"wrong version number" out of OpenSSL's [('SSL routines', '', 'wrong version number')]."""
    found = error.args[0] if error.args else None
    if isinstance(found, list) and found and isinstance(found[-1], tuple):
        return str(found[-1][-1])
    return str(error) or type(error).__name__


def name_cause(error: BaseException, url: str, *, timeout: float | None = None) -> Cause | None:
    """The cause of a download failure of `url`, or None when it is not a network failure
    (an HTTP error status, a dropped request, a bug)."""
    errors = list(_errors(error))
    where, host = _address(url), (_address(url).rsplit(":", 1)[0])

    def first(*kinds: type[BaseException] | tuple) -> BaseException | None:
        return next((e for e in errors if isinstance(e, tuple(kinds))), None)

    if first(CannotResolveHostError, tx.DNSLookupError):
        text = f"DNS lookup failed for {host}"
        return Cause(text, text)
    if first(DownloadConnectionRefusedError, tx.ConnectionRefusedError, ConnectionRefusedError):
        text = f"connection refused by {where}"
        return Cause(text, text)
    timed_out = first(DownloadTimeoutError, tx.TimeoutError, tx.TCPTimedOutError, TimeoutError)
    if timed_out is not None:
        found = _TOOK.search(str(timed_out))
        seconds = timeout if timeout is not None else (float(found[1]) if found else None)
        after = f"timed out after {seconds:g} s" if seconds is not None else "timed out"
        return Cause(f"{after}: {url}", f"{after} at {where}")
    tls = first(TLSError)
    if tls is not None:
        text = f"TLS handshake failed with {where}: {_tls_detail(tls)}"
        return Cause(text, f"TLS handshake failed with {where}")
    if first(ResponseNeverReceived) and first(tx.ConnectionClosed):
        text = f"connection closed by {where} before any answer"
        return Cause(text, text)
    if first(ResponseFailed, ResponseDataLossError, tx.ConnectionClosed):
        return Cause(f"connection to {where} lost mid-answer: {url}",
                     f"connection to {where} lost mid-answer")
    refused = first(tx.ConnectError)
    if refused is not None:
        text = f"could not connect to {where}: {refused.__class__.__name__}"
        return Cause(text, text)
    return None


class SourceFailures:
    """The failures of one cycle, one entry per source and cause, in the order met."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], list] = {}  # (source, key) -> [first text, count]

    def note(self, source: str, text: str, key: str | None = None) -> None:
        entry = self._seen.setdefault((source, key or text), [text, 0])
        entry[1] += 1

    def lines(self) -> Iterator[tuple[str, str, int]]:
        """(source, the first failure's text, how many more requests it stopped)."""
        for (source, _), (text, count) in self._seen.items():
            yield source, text, count - 1


def more_requests(count: int) -> str:
    """" (and 33 more requests)", or "" when the failure stopped one request."""
    if count <= 0:
        return ""
    return f" (and {count} more request{'s' if count > 1 else ''})"
