"""`extract_article`: one fetched page in, the article's fields out.

The page is parsed once; metadata and read-also links are read from the tree
first, then body extraction strips it down to the article text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType

from crawler import clock
from crawler.extract import metadata
from crawler.extract.body import CONTENT_CLASSES, article_text
from crawler.extract.dates import DEFAULT_TIMEZONE, zone
from crawler.extract.headline import NO_FORMS, NOTHING_KNOWN, HeadlineForms, SiteAffixes, headline
from crawler.extract.overrides import (
    SELECTOR_KEYS,
    apply_overrides,
    check_selectors,
    compile_selector,
)
from crawler.extract.read_also import ReadAlso, find_read_also, read_also_in
from crawler.extract.tree import ClassRoles, index_page, parse_html
from crawler.text import guess_language

# SELECTOR_KEYS and compile_selector are the selectors' own, kept importable from here.
__all__ = ["SELECTOR_KEYS", "ExtractedArticle", "PageHints", "compile_selector", "extract_article"]
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


@dataclass(frozen=True)
class PageHints:
    """What a source tells extraction: its clock, its language, and optional CSS selectors
    (`overrides.SELECTOR_KEYS`) that override the generic rules where they match."""
    timezone: str = DEFAULT_TIMEZONE
    language: str | None = None
    selectors: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        zone(self.timezone)  # raises ValueError for an unknown zone
        check_selectors(self.selectors)
        object.__setattr__(self, "selectors", MappingProxyType(dict(self.selectors)))

    def __reduce__(self) -> tuple[type[PageHints], tuple[str, str | None, dict[str, str]]]:
        # For the extraction workers: a MappingProxyType does not pickle.
        return (PageHints, (self.timezone, self.language, dict(self.selectors)))


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
    found = apply_overrides(root, hints.selectors)
    selector = found.selector("title")
    title = metadata.capped_title(
        (metadata.selected_title(root, selector) if selector is not None else "")
        or headline(forms, url, affixes))
    published = metadata.published(root, page, hints.timezone, now, found.selector("date"),
                                   index)
    author = metadata.author(root, page, found.selector("author"), index)
    canonical = metadata.canonical_url(index, page, url)
    declared_language = metadata.language(root, page)
    read_also = find_read_also(root, url)
    boxes = found.elements("read_also")
    if boxes:  # the source's boxes give the links; all read-also blocks stay out of the body
        boxed = read_also_in(boxes, root, url)
        read_also = replace(boxed, blocks=[*read_also.blocks, *boxed.blocks])
    text = article_text(root, leave_out=read_also.blocks, selector=found.selector("body"),
                        title=title, index=index)
    language = declared_language or guess_language(f"{title}\n{text}", default=hints.language)
    return ExtractedArticle(title=title, published=published, language=language, author=author,
                            text=text, canonical_url=canonical, read_also=read_also.links,
                            headline_forms=forms)
