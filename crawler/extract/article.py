"""`extract_article`: one fetched page in, the article's fields out.

The page is parsed once; metadata and read-also links are read from the tree
first, then body extraction strips it down to the article text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from types import MappingProxyType

from lxml import etree

from crawler import clock
from crawler.extract import metadata
from crawler.extract.body import CONTENT_CLASSES, article_text
from crawler.extract.dates import DEFAULT_TIMEZONE, zone
from crawler.extract.headline import NO_FORMS, NOTHING_KNOWN, HeadlineForms, SiteAffixes, headline
from crawler.extract.read_also import ReadAlso, find_read_also
from crawler.extract.tree import ClassRoles, Selector, index_page, parse_html
from crawler.text import guess_language

SELECTOR_KEYS = ("title", "body", "date", "author")
_ROLES = ClassRoles({"content": CONTENT_CLASSES, "date": metadata.DATE_CLASSES,
                     "author": metadata.AUTHOR_CLASSES})


@dataclass(frozen=True)
class ExtractedArticle:
    title: str
    published: datetime | None  # timezone-aware
    language: str | None
    author: str | None
    text: str  # body paragraphs joined by "\n\n"
    canonical_url: str | None
    read_also: tuple[ReadAlso, ...]
    # Where the page stated its headline: what a source's AffixLearner learns from.
    headline_forms: HeadlineForms = field(default=NO_FORMS, compare=False, repr=False)


EMPTY = ExtractedArticle(title="", published=None, language=None, author=None, text="",
                         canonical_url=None, read_also=())


@lru_cache(maxsize=256)
def compile_selector(css: str) -> Selector:
    """A compiled CSS selector; ValueError naming the selector when it is not valid CSS."""
    from cssselect import SelectorError
    from lxml.cssselect import CSSSelector

    try:
        return CSSSelector(css)
    except (SelectorError, etree.XPathError) as problem:
        raise ValueError(f"not a valid CSS selector: {css!r} ({problem})") from None


@dataclass(frozen=True)
class PageHints:
    """What a source tells extraction: its clock, its language, and optional CSS selectors
    (keys title, body, date, author) that override the generic rules."""
    timezone: str = DEFAULT_TIMEZONE
    language: str | None = None
    selectors: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        zone(self.timezone)  # raises ValueError for an unknown zone
        unknown = sorted(set(self.selectors) - set(SELECTOR_KEYS))
        if unknown:
            raise ValueError(f"unknown selector key {unknown[0]!r} (expected one of "
                             f"{', '.join(SELECTOR_KEYS)})")
        for css in self.selectors.values():
            if css:
                compile_selector(css)
        object.__setattr__(self, "selectors", MappingProxyType(dict(self.selectors)))

    def selector(self, key: str) -> Selector | None:
        css = self.selectors.get(key)
        return compile_selector(css) if css else None


def extract_article(html: bytes | str, url: str, *, hints: PageHints | None = None,
                    now: datetime | None = None, declared_encoding: str | None = None,
                    affixes: SiteAffixes = NOTHING_KNOWN) -> ExtractedArticle:
    """Extract title, date, language, author, body text, canonical URL and read-also links.

    `affixes`: what the source is known to dress its headlines with (learned from
    its earlier pages' `headline_forms` by a `headline.AffixLearner`).
    Pure: no network, no storage. Empty or non-HTML input gives empty fields;
    only arguments of the wrong type raise (TypeError).
    """
    if not isinstance(url, str):
        raise TypeError(f"url must be str, not {type(url).__name__}")
    if hints is not None and not isinstance(hints, PageHints):
        raise TypeError(f"hints must be PageHints, not {type(hints).__name__}")
    if not isinstance(affixes, SiteAffixes):
        raise TypeError(f"affixes must be SiteAffixes, not {type(affixes).__name__}")
    hints = hints or PageHints()
    root = parse_html(html, declared_encoding)
    if root is None:
        return EMPTY
    now = now or clock.now()
    page = metadata.read_meta(root)
    index = index_page(root, _ROLES)
    forms = metadata.headline_forms(root, page)
    selector = hints.selector("title")
    title = metadata.capped_title(
        (metadata.selected_title(root, selector) if selector is not None else "")
        or headline(forms, url, affixes))
    published = metadata.published(root, page, hints.timezone, now, hints.selector("date"),
                                   index)
    author = metadata.author(root, page, hints.selector("author"), index)
    canonical = metadata.canonical_url(index, page, url)
    declared_language = metadata.language(root, page)
    read_also = find_read_also(root, url)
    text = article_text(root, leave_out=read_also.blocks, selector=hints.selector("body"),
                        title=title, index=index)
    language = declared_language or guess_language(f"{title}\n{text}", default=hints.language)
    return ExtractedArticle(title=title, published=published, language=language, author=author,
                            text=text, canonical_url=canonical, read_also=read_also.links,
                            headline_forms=forms)
