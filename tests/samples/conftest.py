"""Shared fixtures for the sample-site tests: one set of servers per module, and a
plain urllib client that never goes through a proxy."""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from crawler.samples import SampleSites

# A fixed instant keeps every date, path and ETag reproducible within a test run.
FIXED_NOW = datetime(2024, 7, 26, 14, 5, tzinfo=UTC)

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_RAW_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


@dataclass
class Fetched:
    status: int
    headers: dict[str, str]
    body: bytes

    def text(self) -> str:
        match = re.search(r"charset=([\w-]+)", self.headers.get("content-type", ""))
        return self.body.decode(match.group(1) if match else "utf-8")

    def visible(self) -> str:
        """The page text with tags removed and entities decoded, spaces squashed."""
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", self.text(), flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
        return re.sub(r"\s+", " ", text)


def _fetch(url: str, headers: dict[str, str] | None = None, method: str = "GET",
          follow: bool = True) -> Fetched:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    opener = _OPENER if follow else _RAW_OPENER
    try:
        with opener.open(request, timeout=10) as response:
            return Fetched(response.status, {k.lower(): v for k, v in response.headers.items()},
                           response.read())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


@pytest.fixture(scope="module")
def sites():
    with SampleSites(now=FIXED_NOW) as running:
        yield running


@pytest.fixture(scope="session")
def fetch():
    """``fetch(url, headers=None, method="GET", follow=True) -> Fetched``."""
    return _fetch


@pytest.fixture(scope="session")
def fixed_now() -> datetime:
    return FIXED_NOW
