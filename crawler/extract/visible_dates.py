"""The publication date a page prints, when it declares none in its markup.

Where to look, best first: `<time>` elements, elements whose class says "date",
then any short line near the headline (a `<font>` under the `<h1>` of an old
table layout, a plain `<p>`, a `<td>`). What to leave alone: dates in the site's
top bar ("today's date"), in navigation, sidebars, related and most-read lists,
comments, and anything after the start of the article body.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time, tzinfo

from lxml import etree

from crawler.extract.tree import ClassRule, PageIndex, text_of
from crawler.text import squash_spaces

# parse(text, relative) -> the date the text holds, or None
Parse = Callable[[str, bool], datetime | None]

_DATED_TAGS = frozenset(("span", "div", "p", "li", "small", "em", "abbr", "td", "font", "b",
                         "strong"))
_FENCE_TAGS = frozenset(("aside", "nav", "footer", "header", "form"))
# Inside the article, a <header> or <footer> holds its byline and date (HTML5, Drupal).
_FENCE_TAGS_INSIDE = frozenset(("aside", "nav", "form"))
# Blocks whose dates belong to other articles or to the site, not to this article.
_FENCE = ClassRule(r"related|sidebar|widget|ticker|breaking|trend|popular|most|more|recommend"
                   r"|similar|comment|footer|top-?bar|navbar|menu|teaser|latest|also|outbrain"
                   r"|taboola")
_SKIPPED = frozenset(("script", "style", "noscript", "template", "select", "button"))
_CLASSED_TEXT = (6, 160)  # a date element's text, from «منذ ساعة» to a long byline
_LINE = 80  # a date line beside a headline is short; a sentence that cites a date is not
_BODY = 300  # a text this long is the article body: what follows is not the header
_AFTER = 800  # characters of header (lede, byline, captions) read after the headline
_BEFORE = 200  # characters read before it: a kicker or date line above the title


def visible_date(root: etree._Element, index: PageIndex, parse: Parse,
                 local: tzinfo, now: datetime) -> datetime | None:
    """The article's printed date, read as `parse` reads text, or None."""
    scope = next(root.iter("article", "main"), None)
    headline = _headline(root, scope)
    anchors = _anchors(headline if headline is not None else scope)
    today = now.astimezone(local).date()

    def inside(element: etree._Element) -> bool:
        return scope is not None and scope in element.iterancestors()

    def plausible(found: datetime | None, element: etree._Element) -> bool:
        # A bare date of today outside the article is the site's "today's date".
        return found is not None and (inside(element) or not _midnight(found, local, today))

    times = [t for t in root.iter("time") if not _fenced(t, anchors, inside(t))]
    for element in sorted(times, key=lambda t: not inside(t)):
        found = parse(element.get("datetime") or "", True) or parse(_text(element), True)
        if plausible(found, element):
            return found
    classed = [c for c in index.role("date", _DATED_TAGS)
               if not _fenced(c, anchors, inside(c))]
    found = _classed_date([c for c in classed if inside(c)], parse, plausible)
    if found is None and headline is not None:
        found = _near(headline, parse, local, today)
    if found is None:
        found = _classed_date([c for c in classed if not inside(c)], parse, plausible)
    return found


def _classed_date(elements: list[etree._Element], parse: Parse,
                  plausible: Callable[[datetime | None, etree._Element], bool]
                  ) -> datetime | None:
    shortest, longest = _CLASSED_TEXT
    for element in elements:
        text = _text(element)
        found = parse(text, True) if shortest <= len(text) <= longest else None
        if plausible(found, element):
            return found
    return None


def _headline(root: etree._Element, scope: etree._Element | None) -> etree._Element | None:
    """The article's h1: the one inside the article, else the longest (a logo is an h1 too)."""
    headings = [(h, len(_text(h))) for h in root.iter("h1")]
    headings = [(h, size) for h, size in headings if size]
    for heading, _ in headings:
        if scope is not None and scope in heading.iterancestors():
            return heading
    return max(headings, key=lambda pair: pair[1])[0] if headings else None


def _anchors(element: etree._Element | None) -> set[etree._Element]:
    """The headline (or article) and its ancestors: the blocks that hold the article."""
    if element is None:
        return set()
    return {element, *element.iterancestors()}


def _fenced(element: etree._Element, anchors: set[etree._Element], inside: bool) -> bool:
    """True when a block between the element and the headline marks it as site furniture."""
    tags = _FENCE_TAGS_INSIDE if inside else _FENCE_TAGS
    node: etree._Element | None = element
    while node is not None and node not in anchors:
        if _furniture(node, tags):
            return True
        node = node.getparent()
    return False


def _furniture(element: etree._Element, tags: frozenset[str] = _FENCE_TAGS) -> bool:
    return element.tag in tags or _FENCE.find(element) is not None


def _midnight(found: datetime, local: tzinfo, today: date) -> bool:
    moment = found.astimezone(local)
    return moment.date() == today and moment.time() == time()


def _near(headline: etree._Element, parse: Parse, local: tzinfo,
          today: date) -> datetime | None:
    """A short line with an absolute date just after the headline, else just before it
    (where today's date in a top bar is not taken)."""
    spent = 0
    for line in _after(headline):
        if line is None:
            break
        spent += len(line)
        if spent > _AFTER:
            break
        found = parse(line, False) if len(line) <= _LINE else None
        if found is not None:
            return found
    spent = 0
    for line in _before(headline):
        if line is None:
            break
        spent += len(line)
        if spent > _BEFORE:
            break
        found = parse(line, False) if len(line) <= _LINE else None
        if found is not None and not _midnight(found, local, today):
            return found
    return None


def _after(headline: etree._Element) -> Iterator[str | None]:
    """Text lines that follow the headline in document order, climbing out of the
    blocks that hold it (a title cell, a header block) up to two levels."""
    node = headline
    for _level in range(3):
        yield from _tail(node)
        for sibling in node.itersiblings():
            yield from _lines(sibling)
            yield from _tail(sibling)
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return
        node = parent


def _before(headline: etree._Element) -> Iterator[str | None]:
    """Text lines just above the headline, nearest first, within the block that holds it."""
    node = headline
    for _level in range(2):
        for sibling in node.itersiblings(preceding=True):
            yield from _tail(sibling)
            yield from reversed(list(_lines(sibling)))
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return
        node = parent


def _lines(element: etree._Element) -> Iterator[str | None]:
    """The element's text as short lines; None at the first body-sized text."""
    if not isinstance(element.tag, str) or element.tag in _SKIPPED or _furniture(element):
        return
    text = _bounded_text(element, _BODY)
    if text is not None:
        if text:
            yield text
        return
    if len(element) == 0:
        yield None
        return
    yield from _piece(element.text)
    for child in element:
        yield from _lines(child)
        yield from _tail(child)


def _tail(element: etree._Element) -> Iterator[str | None]:
    yield from _piece(element.tail)


def _piece(text: str | None) -> Iterator[str | None]:
    line = squash_spaces(text or "")
    if len(line) > _BODY:
        yield None
    elif line:
        yield line


def _bounded_text(element: etree._Element, limit: int) -> str | None:
    """The element's text squashed, or None when it runs past `limit` characters."""
    parts, size = [], 0
    for part in element.itertext():
        size += len(part)
        if size > 2 * limit:  # white space counts until squashed: leave some room
            return None
        parts.append(part)
    text = squash_spaces("".join(parts))
    return text if len(text) <= limit else None


def _text(element: etree._Element) -> str:
    return squash_spaces(text_of(element))

