"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds, and (news) sitemaps: the entries' links,
titles and dates.

Dates are read by `parse_date`: RFC 822 with named zones ("Thu, 25 Jul 2024
10:30:00 EST") by the standard library's reader, ISO 8601 and the rest as pages
write them; a date without a zone is the source's local time.

Feeds in the wild carry junk (stray bytes before the declaration, HTML
entities XML does not know, unclosed tags), so the XML parser recovers
instead of failing, and never fetches or expands external entities.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from crawler.extract.dates import DEFAULT_TIMEZONE, parse_date
from crawler.extract.tree import document_base, link, parse_html
from crawler.text import squash_spaces
from crawler.urls import absolute_url

_FEED_TYPES = ("rss", "atom", "rdf")
_ROOT = re.compile(rb"<(?:[\w-]+:)?(rss|feed|RDF|urlset)\b", re.IGNORECASE)
_DOCUMENT_START = re.compile(rb"<\?xml|<(?:[\w-]+:)?(?:rss|feed|RDF|urlset)\b")
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                         re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]{0,500}>")
_SNIFF_BYTES = 2048


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str
    published: datetime | None


def is_feed(body: bytes, content_type: str | None = None) -> bool:
    """True for an RSS or Atom document or a sitemap; the bytes decide, the header only
    breaks ties."""
    if not isinstance(body, bytes | bytearray | memoryview):
        raise TypeError(f"is_feed expects bytes, not {type(body).__name__}")
    head = bytes(body[:_SNIFF_BYTES]).lstrip(b"\xef\xbb\xbf \t\r\n")
    if _HTML_START.match(head):
        return False
    if _ROOT.search(head):
        return True
    kind = (content_type or "").lower()
    return any(f"{name}+xml" in kind for name in _FEED_TYPES)


_ANNOUNCED_TYPES = frozenset(("application/rss+xml", "application/atom+xml",
                              "application/rdf+xml"))


def announced_feeds(html_page: bytes | str, base_url: str) -> list[str]:
    """The feeds an HTML page announces (``<link rel="alternate" type="application/rss+xml"
    href=...>``), absolute, in page order, each once."""
    root = parse_html(html_page)
    if root is None:
        return []
    base = document_base(root, base_url)
    found: list[str] = []
    for element in root.iter("link"):
        relations = (element.get("rel") or "").lower().split()
        kind = (element.get("type") or "").lower().split(";")[0].strip()
        target = link(element.get("href"), base)
        if "alternate" in relations and kind in _ANNOUNCED_TYPES and target:
            if target[0] not in found:
                found.append(target[0])
    return found


def _parser() -> etree.XMLParser:
    return etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                           load_dtd=False, huge_tree=False, remove_comments=True)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def feed_entries(body: bytes, base_url: str, *, timezone: str = DEFAULT_TIMEZONE,
                 now: datetime | None = None) -> list[FeedEntry]:
    """The entries of a feed, in feed order, one per URL; [] for anything that is not a feed."""
    if not isinstance(body, bytes | bytearray | memoryview):
        raise TypeError(f"feed_entries expects bytes, not {type(body).__name__}")
    data = bytes(body)
    # Junk before the document (PHP warnings, stray bytes) would become the root.
    found = _DOCUMENT_START.search(data)
    start = found.start() if found else data.find(b"<")
    if start < 0:
        return []
    try:
        root = etree.fromstring(data[start:], parser=_parser())
    except (etree.XMLSyntaxError, ValueError):
        return []
    if root is None:
        # A recovering parser gives None for a document without an element (b"<!-- -->"),
        # though types-lxml says fromstring always returns one.
        return []  # type: ignore[unreachable]
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for item in root.iter(etree.Element):
        kind = _local(item.tag)
        if kind in ("item", "entry"):
            entry = _entry(item, base_url, timezone, now)
        elif kind == "url":
            entry = _sitemap_entry(item, base_url, timezone, now)
        else:
            continue
        if entry is None:
            continue
        linked = link(entry.url, base_url)
        if linked is None:
            continue
        key = linked[1]
        if key not in seen:
            seen.add(key)
            entries.append(entry)
    return entries


def _entry(item: etree._Element, base_url: str, timezone: str,
           now: datetime | None) -> FeedEntry | None:
    link = title = date_text = updated = guid = None
    for child in item:
        name = _local(child.tag)
        text = (child.text or "").strip()
        if name == "link":
            href = child.get("href")
            relation = child.get("rel", "alternate")
            if href and relation == "alternate" and link is None:
                link = href
            elif not href and text and link is None:
                link = text
        elif name == "title" and title is None:
            title = _plain(child)
        elif name in ("pubdate", "published", "date", "issued", "created") and not date_text:
            date_text = text
        elif name in ("updated", "modified") and not updated:
            # An edit's date, taken only when the entry gives no publication date,
            # wherever the two stand in the entry.
            updated = text
        elif name == "guid" and child.get("isPermaLink", "true").lower() != "false":
            guid = text
    if link is None and item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"):
        link = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
    url = absolute_url(link or guid or "", base_url)
    if url is None:
        return None
    published = next((found for found in (parse_date(text, timezone=timezone, now=now)
                                          for text in (date_text, updated) if text)
                      if found is not None), None)
    return FeedEntry(url=url, title=title or "", published=published)


def _sitemap_entry(item: etree._Element, base_url: str, timezone: str,
                   now: datetime | None) -> FeedEntry | None:
    """A sitemap <url>: <loc>, and the news extension's title and date when present."""
    fields: dict[str, str] = {}
    for child in item.iter(etree.Element):
        name = _local(child.tag)
        if name in ("loc", "title", "publication_date", "lastmod") and name not in fields:
            fields[name] = (child.text or "").strip()
    url = absolute_url(fields.get("loc", ""), base_url)
    if url is None:
        return None
    date_text = fields.get("publication_date") or fields.get("lastmod")
    published = parse_date(date_text, timezone=timezone, now=now) if date_text else None
    return FeedEntry(url=url, title=squash_spaces(fields.get("title", "")), published=published)


def _plain(element: etree._Element) -> str:
    """A title as text: escaped markup (Atom type="html", double-escaped RSS) unwrapped."""
    text = "".join(element.itertext())
    if "<" in text or "&" in text:
        text = html.unescape(_TAGS.sub(" ", text))
    return squash_spaces(text)
