"""Telling a site that refuses bots from a site that is broken.

A 403, a 429, or a challenge page from a bot-protection service (Cloudflare,
Sucuri, Imperva, DataDome, DDoS-Guard, Akamai) says "not you", not "down": the
crawl summary and `marsad probe` report such a source as *blocked*, never as an
error. marsad does not try to get past a challenge; it only names it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from crawler.extract.feeds import is_feed

# A challenge page is small; a news page that merely loads a service's script is not
# read past this (Cloudflare adds /cdn-cgi/challenge-platform/ scripts to normal pages).
_SNIFF_BYTES = 64 * 1024

# (service, markers found only in its challenge or block pages, lower-cased). Normal pages
# behind these services load their scripts too, so script addresses alone are no marker.
_PAGE_MARKERS = (
    ("Cloudflare", (b"<title>just a moment...</title>", b"window._cf_chl_opt",
                    b"cf-browser-verification", b"attention required! | cloudflare")),
    ("Sucuri", (b"sucuri_cloudproxy_js", b"sucuri website firewall")),
    ("Imperva", (b"incapsula incident id", b'<iframe id="main-iframe" src="/_incapsula_resource')),
    ("DataDome", (b"geo.captcha-delivery.com", b"ct.captcha-delivery.com")),
    ("DDoS-Guard", (b"<title>ddos-guard</title>",)),
    ("PerimeterX", (b'id="px-captcha"',)),
)
# The services' own marks on every answer, naming who refused a 403.
_SERVICE_HEADERS = (("server", "cloudflare", "Cloudflare"), ("server", "ddos-guard", "DDoS-Guard"),
                    ("server", "sucuri", "Sucuri"), ("server", "akamaighost", "Akamai"),
                    ("x-sucuri-id", "", "Sucuri"), ("x-datadome", "", "DataDome"),
                    ("x-iinfo", "", "Imperva"))
_CHALLENGE_STATUSES = frozenset((200, 202, 403, 429, 503))
_SPACES = re.compile(rb"\s+")
# The longest whitespace-free piece of each marker: a page holding none of them holds no
# marker, and the whitespace folding below (a millisecond a page) is skipped for it.
_HINTS = frozenset(max(marker.split(), key=len) for _, markers in _PAGE_MARKERS
                   for marker in markers)


def block_reason(status: int, header: Callable[[str], str], body: bytes) -> str | None:
    """Why an answer means the site refuses marsad ("bot protection (Cloudflare), HTTP
    503"), or None when it does not. ``header(name)`` gives a response header's value,
    or "" when it is absent."""
    if status not in _CHALLENGE_STATUSES:
        return None
    service = _challenge(header, body)
    if service is not None:
        return f"bot protection ({service}), HTTP {status}"
    if status == 403:
        server = _server(header)
        return f"HTTP 403 ({server})" if server else "HTTP 403"
    if status == 429:
        return "HTTP 429 (too many requests)"
    return None


def _challenge(header: Callable[[str], str], body: bytes) -> str | None:
    # Cloudflare marks its challenges (and only them) with this header.
    if header("cf-mitigated").lower() == "challenge":
        return "Cloudflare"
    if len(body) > _SNIFF_BYTES or is_feed(body):
        # A whole page of content is no challenge, whatever scripts it loads; nor is a
        # feed, whose entries' titles could say anything.
        return None
    head = bytes(body).lower()
    if not any(hint in head for hint in _HINTS):
        return None
    head = _SPACES.sub(b" ", head)
    for service, markers in _PAGE_MARKERS:
        if any(marker in head for marker in markers):
            return service
    return None


def _server(header: Callable[[str], str]) -> str | None:
    for name, part, service in _SERVICE_HEADERS:
        value = header(name).lower()
        if value and part in value:
            return service
    return None


def scrapy_header(headers: object) -> Callable[[str], str]:
    """``header(name)`` over Scrapy's response headers (bytes, any case)."""

    def header(name: str) -> str:
        value = headers.get(name.encode("latin-1"))  # type: ignore[attr-defined]
        return value.decode("latin-1").strip() if value else ""

    return header
