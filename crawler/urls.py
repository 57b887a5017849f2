"""The one URL canonicaliser.

`normalize_url` gives the form we store and show: still a fetchable address.
`url_key` goes further, to the identity under which URL variants of one
article collapse: tracking parameters, AMP pages, mobile hosts, ``www.``,
scheme and trailing slashes do not make a different article.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|xtor|xtref|at_\w+)$",
    re.IGNORECASE,
)
_AMP_QUERY_VALUES = {"amp", "1"}
_MOBILE_PREFIXES = ("www.", "m.", "mobile.", "amp.")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SAFE_PATH = "/:@!$&'()*+,;=-._~%"
_SAFE_QUERY = "/:@!$'()*+,;-._~%?"


class BadURL(ValueError):
    """Raised for text that is not an absolute http(s) URL."""


def is_http_url(url: str) -> bool:
    """An absolute http(s) URL with a host (and a valid port, if any): the only kind the
    crawl fetches, the configuration accepts, and an alert makes clickable."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 -- raises ValueError for a port out of range
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def absolute_url(href: str, base: str) -> str | None:
    """Resolve a link found on a page; None for javascript:, mailto:, data: and the like."""
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return None
    try:
        url = urljoin(base, href)
    except ValueError:
        return None
    return url if is_http_url(url) else None


def host_of(url: str) -> str:
    """The lower-case host of a URL, without port ("" when there is none)."""
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def host_matches(host: str, domains: list[str] | tuple[str, ...] | set[str]) -> bool:
    """True when host is one of domains or a subdomain of one (Scrapy's rule)."""
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def _requote(text: str, safe: str) -> str:
    # Unquote then quote, so "%D8%A7" and "ا" (and "%d8%a7") end up identical.
    return quote(unquote(text), safe=safe)


# A crawl asks for the same few thousand URLs many times (listing, dedup, storage).
@lru_cache(maxsize=1 << 16)
def normalize_url(url: str) -> str:
    """Lower-case scheme and host, default port and fragment dropped, tracking
    parameters removed, remaining parameters sorted, percent-encoding made uniform."""
    if not is_http_url(url):
        raise BadURL(f"not an http(s) URL: {url!r}")
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    netloc = host
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    path = _requote(parts.path or "/", _SAFE_PATH)
    if "/." in path:
        trailing = path.endswith("/")
        path = posixpath.normpath(path)
        if trailing and not path.endswith("/"):
            path += "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _TRACKING.match(k)]
    query.sort()
    return urlunsplit((scheme, netloc, path, urlencode(query, safe=_SAFE_QUERY), ""))


@lru_cache(maxsize=1 << 16)
def url_key(url: str) -> str:
    """Identity of the article behind a URL: every variant of one article gives the same key."""
    parts = urlsplit(normalize_url(url))
    host = parts.hostname or ""
    for prefix in _MOBILE_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
            break
    netloc = f"{host}:{parts.port}" if parts.port else host
    path = parts.path
    for suffix in ("/amp/", "/amp"):
        if path.endswith(suffix):
            path = path[: -len(suffix) + 1]
            break
    if path.startswith("/amp/"):
        path = path[4:]
    if path.endswith(".amp.html"):
        path = path[: -len(".amp.html")] + ".html"
    for index in ("index.html", "index.php", "index.htm"):
        if path.endswith("/" + index):
            path = path[: -len(index)]
    path = path.rstrip("/") or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not (k.lower() in ("amp", "outputtype") and v.lower() in _AMP_QUERY_VALUES | {""})]
    return urlunsplit(("", netloc, path, urlencode(query, safe=_SAFE_QUERY), "")).lstrip("/")
