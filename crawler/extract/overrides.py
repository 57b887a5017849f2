"""A source's own CSS selectors, evaluated with BeautifulSoup's soupsieve.

Public scrapers of the monitored sites are written with BeautifulSoup, so a source's
`selectors` are soupsieve selectors and may be copied from them as they are, with
soupsieve's extensions: ``div:-soup-contains("اقرأ أيضا") a``, ``article:has(> h1) time``.

Only pages of sources that set selectors pay for BeautifulSoup: it is imported on
first use and the generic path never parses twice. The soup is parsed from the lxml
tree's own serialization, so both hold the same elements in the same document order,
and each match is handed back as the lxml element at its position: the readers of
titles, dates, authors, bodies and links then work on it as on any other element.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING

from lxml import etree

from crawler.extract.tree import Selector

if TYPE_CHECKING:
    from soupsieve import SoupSieve

# title, date, body, author: the article's fields; read_also: the boxes whose links are
# the read-also links; listing_links: the article links of a listing page.
SELECTOR_KEYS = ("title", "date", "body", "author", "read_also", "listing_links")


@lru_cache(maxsize=256)
def compile_selector(css: str) -> SoupSieve:
    """A compiled soupsieve selector; ValueError naming the selector when it is not one."""
    import soupsieve

    try:
        with warnings.catch_warnings():
            # ":contains()", soupsieve's older name of ":-soup-contains()", still works,
            # and selectors copied from scrapers use it.
            warnings.simplefilter("ignore", FutureWarning)
            return soupsieve.compile(css)
    except (soupsieve.SelectorSyntaxError, NotImplementedError, ValueError, TypeError) as problem:
        detail = str(problem).strip().splitlines()
        reason = f" ({detail[0]})" if detail else ""
        raise ValueError(f"not a valid CSS selector: {css!r}{reason}") from None


def check_selectors(selectors: Mapping[str, str]) -> None:
    """Raises ValueError for an unknown key or a selector that does not compile."""
    unknown = sorted(set(selectors) - set(SELECTOR_KEYS))
    if unknown:
        raise ValueError(f"unknown selector key {unknown[0]!r} (expected one of "
                         f"{', '.join(SELECTOR_KEYS)})")
    for css in selectors.values():
        if css:
            compile_selector(css)


@dataclass(frozen=True)
class Overrides:
    """What each selector matched on one page: elements of its lxml tree in document
    order (see `_NESTING`). A key that matched nothing is absent."""
    matched: Mapping[str, tuple[etree._Element, ...]] = field(
        default_factory=lambda: MappingProxyType({}))

    def elements(self, key: str) -> tuple[etree._Element, ...]:
        return self.matched.get(key, ())

    def selector(self, key: str) -> Selector | None:
        """The matches as a selector for the field readers; None when nothing matched,
        so that the field falls back to the generic rules."""
        found = self.matched.get(key)
        if not found:
            return None
        return lambda _root: list(found)


NO_OVERRIDES = Overrides()


def apply_overrides(root: etree._Element, selectors: Mapping[str, str]) -> Overrides:
    """The elements of a parsed page (from `tree.parse_html`, not yet stripped) that
    each of a source's selectors matches. Pure: the tree is read, never changed."""
    wanted = {key: compile_selector(css) for key, css in selectors.items() if css}
    if not wanted:
        return NO_OVERRIDES
    from bs4 import BeautifulSoup

    elements = list(root.iter(etree.Element))
    try:
        soup = BeautifulSoup(etree.tostring(root, method="html", encoding="unicode"), "lxml")
        tags = soup.find_all(True)
        if len(tags) != len(elements) or any(
                tag.name != element.tag for tag, element in zip(tags, elements, strict=True)):
            # The reparse disagrees with the tree (libxml2 may restructure its own output
            # in rare malformed nestings): no match could be placed for sure, so every
            # field stays generic.
            return NO_OVERRIDES
        position = {id(tag): index for index, tag in enumerate(tags)}
        matched = {key: [elements[position[id(tag)]] for tag in sieve.select(soup)]
                   for key, sieve in wanted.items()}
    except RecursionError:
        return NO_OVERRIDES
    return Overrides(MappingProxyType({key: _NESTING.get(key, tuple)(found)
                                       for key, found in matched.items() if found}))


def _outermost(found: list[etree._Element]) -> tuple[etree._Element, ...]:
    """The matches that lie inside no other match."""
    chosen = set(found)
    return tuple(element for element in found
                 if not any(parent in chosen for parent in element.iterancestors()))


def _innermost(found: list[etree._Element]) -> tuple[etree._Element, ...]:
    """The matches that hold no other match."""
    around = {parent for element in found for parent in element.iterancestors()}
    return tuple(element for element in found if element not in around)


# Matches may nest: ":-soup-contains()" matches every element around its text too. A body
# is read from the outermost matches, each paragraph once; links come from the innermost
# boxes, not from the page around them; title, date and author take the first usable
# match in page order, as BeautifulSoup's select_one() would.
_NESTING = {"body": _outermost, "read_also": _innermost, "listing_links": _innermost}
