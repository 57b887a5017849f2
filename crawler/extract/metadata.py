"""Title, canonical URL, publication date, author and language from a parsed page.

Structured data first (meta tags, JSON-LD, microdata), visible markup after:
publishers fill the former for search engines, so it is usually cleaner.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import etree

from crawler import bounded_json
from crawler.extract.dates import parse_date, zone
from crawler.extract.headline import HeadlineForms
from crawler.extract.tree import PageIndex, Selector, link, text_of
from crawler.extract.visible_dates import visible_date
from crawler.text import squash_spaces

_ARTICLE_TYPES = re.compile(r"article|posting|report", re.IGNORECASE)
_DATE_META = ("article:published_time", "og:article:published_time", "datepublished",
              "publishdate", "pubdate", "publish-date", "date", "dc.date.issued", "dc.date",
              "dcterms.created", "sailthru.date", "parsely-pub-date", "article.published")
_AUTHOR_META = ("author", "article:author", "og:article:author", "dc.creator", "byl",
                "sailthru.author", "parsely-author")
_AUTHOR_PREFIX = re.compile(r"^(?:par|by|بقلم|كتبه|كتب|إعداد|اعداد|تحرير)\s*:?\s+", re.IGNORECASE)
DATE_CLASSES = r"date|time|publi|posted"
AUTHOR_CLASSES = r"author|byline|auteur|signature|writer"
_BYLINE_TAGS = frozenset(("span", "div", "p", "a", "address"))
_LANGUAGE = re.compile(r"^([a-z]{2,3})(?:[-_][A-Za-z0-9]+)*$")
# Real headlines stay under 300 characters; anything past this is a page stuffing its
# metadata, and it would be stored, indexed and matched whole.
TITLE_MAX = 1000
_FORM_MAX = 2 * TITLE_MAX


@dataclass
class PageMeta:
    """Structured data of a page, gathered in one pass over its meta tags and JSON-LD."""
    meta: dict[str, list[str]] = field(default_factory=dict)
    articles: list[dict[str, Any]] = field(default_factory=list)  # JSON-LD Article objects

    def first(self, *names: str) -> str | None:
        for name in names:
            for value in self.meta.get(name, ()):
                if value.strip():
                    return squash_spaces(value)
        return None


def read_meta(root: etree._Element) -> PageMeta:
    page = PageMeta()
    for tag in root.iter("meta"):
        content = tag.get("content")
        if content is None:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = tag.get(attribute)
            if key:
                page.meta.setdefault(key.strip().lower(), []).append(content)
    for script in root.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:  # too deep, or not JSON: the page is read without it
            data = bounded_json.loads(script.text, strict=False)
        except ValueError:
            continue
        page.articles.extend(_article_objects(data))
    return page


def _article_objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _article_objects(item, depth + 1)
    elif isinstance(data, dict):
        kind = data.get("@type", "")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds):
            yield data
        # Not itemListElement: lists hold other articles (related, most read).
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in data:
                yield from _article_objects(data[key], depth + 1)


def _ld_string(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if isinstance(value, str) and value.strip():
        return squash_spaces(html.unescape(value))
    return None


def canonical_url(index: PageIndex, page: PageMeta, url: str) -> str | None:
    hrefs = [e.get("href") for e in index.rels.get("canonical", ()) if e.tag == "link"]
    for href in [*hrefs, page.first("og:url")]:
        found = link(href, url)
        if found:
            return found[0]
    return None


def selected_title(root: etree._Element, selector: Selector) -> str:
    """The title a source's CSS selector points at, as it stands ("" when none)."""
    for element in selector(root):
        text = _text(element)
        if text:
            return text
    return ""


def headline_forms(root: etree._Element, page: PageMeta) -> HeadlineForms:
    """Every place the page states its headline, for `headline.headline` to choose from."""
    document_title = next(root.iter("title"), None)
    headlines = (_ld_string(a.get("headline")) for a in page.articles)
    publishers = (_ld_string(a.get("publisher")) for a in page.articles)
    # Cut long before the work of undressing grows with a stuffed title's length; the
    # headline is capped at TITLE_MAX anyway.
    return HeadlineForms(
        h1=_article_h1(root)[:_FORM_MAX],
        og_title=(page.first("og:title") or "")[:_FORM_MAX],
        ld_headline=next((h for h in headlines if h), "")[:_FORM_MAX],
        twitter_title=(page.first("twitter:title") or "")[:_FORM_MAX],
        document_title=(_text(document_title) if document_title is not None else "")[
            :_FORM_MAX],
        site_names=tuple(dict.fromkeys(name[:_FORM_MAX] for name in (
            page.first("og:site_name"), *publishers) if name)),
    )


def capped_title(text: str, limit: int = TITLE_MAX) -> str:
    """The title, or when it is longer than `limit` characters its start, cut after a
    whole word and ended with "…"."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:  # one giant word is cut where it must be
        head = head[:space]
    return head.rstrip() + "…"


def _article_h1(root: etree._Element) -> str:
    """The h1 inside the article when there is one: a site logo is often an h1 too."""
    headings = [h for h in root.iter("h1") if _text(h)]
    if not headings:
        return ""
    for heading in headings:
        if any(a.tag in ("article", "main") for a in heading.iterancestors()):
            return _text(heading)
    return max((_text(h) for h in headings), key=len)


def published(root: etree._Element, page: PageMeta, timezone: str, now: datetime,
              selector: Selector | None = None, index: PageIndex | None = None) -> datetime | None:
    def parse(text: str | None, relative: bool = True) -> datetime | None:
        return parse_date(text, timezone=timezone, now=now, relative=relative) if text else None

    if selector is not None:
        for element in selector(root):
            found = parse(element.get("datetime") or element.get("content")) or parse(
                _text(element))
            if found:
                return found
    for article in page.articles:
        found = parse(_ld_string(article.get("datePublished")) or _ld_string(
            article.get("dateCreated")))
        if found:
            return found
    for name in _DATE_META:
        found = parse(page.first(name))
        if found:
            return found
    index = index or PageIndex()
    props = index.props
    for element in [*props.get("datepublished", ()), *props.get("dc:date", ()),
                    *props.get("dc:created", ()), *props.get("pubdate", ())]:
        found = parse(element.get("datetime") or element.get("content")) or parse(
            _text(element))
        if found:
            return found
    return visible_date(root, index, parse, zone(timezone), now)


def author(root: etree._Element, page: PageMeta, selector: Selector | None = None,
           index: PageIndex | None = None) -> str | None:
    if selector is not None:
        for element in selector(root):
            name = _clean_author(_text(element))
            if name:
                return name
    for name in _AUTHOR_META:
        value = page.first(name)
        if value and not value.startswith("http"):
            return _clean_author(value)
    for article in page.articles:
        name = _ld_string(article.get("author"))
        if name and not name.startswith("http"):
            return _clean_author(name)
    index = index or PageIndex()
    for element in [*index.rels.get("author", ()), *index.props.get("author", ())]:
        if element.tag == "meta" or (element.tag == "link" and element.get("href")):
            continue
        name = _clean_author(element.get("content") or _text(element))
        if name:
            return name
    for element in index.role("author", _BYLINE_TAGS):
        name = _clean_author(_text(element))
        if name:
            return name
    return None


def _text(element: etree._Element) -> str:
    return squash_spaces(text_of(element))


def _clean_author(text: str) -> str | None:
    name = _AUTHOR_PREFIX.sub("", squash_spaces(text))
    return name if name and len(name) <= 80 else None


def language(root: etree._Element, page: PageMeta) -> str | None:
    for value in (root.get("lang"), root.get("xml:lang"), page.first("og:locale"),
                  page.first("content-language", "language", "dc.language")):
        if value:
            match = _LANGUAGE.match(value.strip().lower())
            if match:
                return match.group(1).lower()
    return None
