"""Read-also links: «إقرأ أيضا : <a>…</a>», «Lire aussi :», related-article boxes.

A label («اقرأ أيضاً», «À lire aussi», «See also», …) is matched on folded
text at the start of an element. Either the label and its link share one
line (inline form), or the label stands alone in its element and the links
follow it (the next siblings, e.g. Le Monde's ``catcher`` and Le Figaro's
``fig-body-link``). The elements found are also handed to body extraction,
which leaves them out of the article text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from lxml import etree

from crawler.extract.metadata import capped_title
from crawler.extract.tree import document_base, link, parse_html, text_of
from crawler.text import fold, squash_spaces

_LABELS = (
    "إقرأ أيضا", "اقرأ أيضاً", "اقرأ كذلك", "طالع أيضا", "مقالات ذات صلة", "أخبار ذات صلة",
    "مواضيع ذات صلة", "شاهد أيضاً", "قد يعجبك أيضاً",
    "À lire aussi", "Lire aussi", "À lire également", "Lire également", "À lire", "Lire",
    "Voir aussi", "Sur le même sujet", "Read also", "Also read", "Read more", "See also",
    "Related articles",
)
# Words too common to be a label unless they stand alone before a colon or a link.
_STRICT = {fold(label) for label in ("Lire", "À lire", "Read more")}
_FOLDED = sorted({fold(label) for label in _LABELS}, key=len, reverse=True)
_LABEL = re.compile(
    r"^[\W_]{0,3}?(" + "|".join(re.escape(label) for label in _FOLDED)
    + r")(?!\w)\s*([:：»›>\-–—]*)"
)
# Every label, before folding and in lower case, contains one of these.
_STEMS = ("قرأ", "قرا", "صلة", "صله", "شاهد", "يعجبك", "طالع", "lire", "read", "see also",
          "voir aussi", "sujet")
_PUNCTUATION = re.compile(r"^[\W_]*$")
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_SKIP = frozenset(("script", "style", "noscript", "template", "head", "title", "option"))
_BLOCK_TAGS = frozenset(("p", "div", "section", "article", "ul", "ol", "table", "blockquote",
                         "h1", "h2", "h3", "h4", "h5", "h6", "figure", "header", "footer"))
_MAX_GAP = 60  # characters allowed between an inline label and its first link


@dataclass(frozen=True)
class ReadAlso:
    url: str
    title: str


@dataclass
class ReadAlsoFinding:
    """What one pass over a page found: the links, and the elements that carried them."""
    links: tuple[ReadAlso, ...]
    blocks: list[etree._Element]


def _text(element: etree._Element) -> str:
    return squash_spaces(text_of(element))


def _label_at_start(text: str | None) -> re.Match[str] | None:
    if not text:
        return None
    lowered = text.lower()
    return _LABEL.match(fold(text)) if any(stem in lowered for stem in _STEMS) else None


def _candidates(root: etree._Element) -> list[etree._Element]:
    """Elements whose own leading text holds a label stem, in document order.

    Searching one joined string with str.find keeps the scan in C: a regular
    expression per text node costs more than parsing the page.
    """
    elements: list[etree._Element] = []
    pieces: list[str] = []
    offsets: list[int] = []
    position = 0
    for element in root.iter(etree.Element):
        text = element.text
        if text and element.tag not in _SKIP:
            elements.append(element)
            pieces.append(text)
            offsets.append(position)
            position += len(text) + 1
    joined = "\n".join(pieces)
    lowered = joined.lower()
    if len(lowered) != len(joined):  # a few letters grow when lowered; offsets would drift
        lowered = "\n".join(piece.lower().ljust(len(piece))[: len(piece)] for piece in pieces)
    hits: set[int] = set()
    for stem in _STEMS:
        start = lowered.find(stem)
        while start >= 0:
            hits.add(bisect_right(offsets, start) - 1)
            start = lowered.find(stem, start + len(stem))
    return [elements[index] for index in sorted(hits)]


def is_label_only(text: str) -> bool:
    """True when text is nothing but a read-also label (and punctuation)."""
    match = _label_at_start(text)
    return match is not None and _PUNCTUATION.match(fold(text)[match.end():]) is not None


def _is_label_only(element: etree._Element) -> bool:
    return is_label_only(_text(element))


def find_read_also(root: etree._Element, page_url: str) -> ReadAlsoFinding:
    """Every read-also link on a parsed page, in order, with the blocks holding them."""
    introduced: list[tuple[etree._Element, str]] = []
    blocks: list[etree._Element] = []
    taken: set[etree._Element] = set()
    for element in _candidates(root):
        if element in taken:
            continue
        match = _label_at_start(element.text)
        if not match:
            continue
        strict = match.group(1) in _STRICT
        colon = bool(match.group(2).strip("-–—"))
        found = _read_label(element, match, strict, colon)
        if found is None:
            continue
        anchors, holders = found
        for holder in holders:
            taken.update(holder.iter())
        blocks.extend(holders)
        introduced.extend(anchors)
    return ReadAlsoFinding(links=_collect(introduced, root, page_url), blocks=blocks)


def read_also_in(boxes: list[etree._Element] | tuple[etree._Element, ...], root: etree._Element,
                 page_url: str) -> ReadAlsoFinding:
    """The links inside boxes a source names as its read-also boxes (a box may be a link
    itself), with the boxes as the blocks that hold them."""
    anchors = [a for box in boxes for a in box.iter("a") if a.get("href")]
    return ReadAlsoFinding(links=_collect([(a, _anchor_title(a)) for a in anchors], root,
                                          page_url), blocks=list(boxes))


def _collect(anchors: list[tuple[etree._Element, str]], root: etree._Element,
             page_url: str) -> tuple[ReadAlso, ...]:
    """Read-also links in page order, each once, never the page itself."""
    base = document_base(root, page_url)
    own = link(page_url, page_url)
    collected: dict[str, ReadAlso] = {}
    for anchor, title in anchors:
        found_link = link(anchor.get("href"), base)
        if found_link is None or (own is not None and found_link[1] == own[1]):
            continue
        url, key = found_link
        known = collected.get(key)
        if known is None:
            collected[key] = ReadAlso(url=url, title=capped_title(title))
        elif title and not known.title:  # an image link first, its headline after
            collected[key] = ReadAlso(url=known.url, title=capped_title(title))
    return tuple(collected.values())


def read_also_links(page: etree._Element | bytes | str, page_url: str) -> tuple[ReadAlso, ...]:
    """The read-also links of a page (a parsed lxml tree, or its HTML)."""
    if isinstance(page, bytes | str):
        parsed = parse_html(page)
        if parsed is None:
            return ()
        page = parsed
    return find_read_also(page, page_url).links


def _anchor_title(anchor: etree._Element) -> str:
    return _text(anchor) or squash_spaces(anchor.get("title", ""))


Found = tuple[list[tuple[etree._Element, str]], list[etree._Element]]


def _read_label(element: etree._Element, match: re.Match[str], strict: bool,
                colon: bool) -> Found | None:
    """The links a label introduces and the elements to leave out of the body, or None."""
    if element.tag == "a" or next(element.iterancestors("a"), None) is not None:
        return None if strict and not colon else _label_in_link(element)
    if _is_label_only(element):
        label = element
        parent = label.getparent()
        while (parent is not None and parent.tag not in ("body", "html", "article", "main")
               and _is_label_only(parent)):
            label, parent = parent, parent.getparent()
        return _links_after(label, strict, colon)
    anchors, holders = _line_links(element)
    rest = fold(element.text or "")[match.end():]
    if strict and not (_PUNCTUATION.match(rest) and (colon or _only_links(element, anchors))):
        return None  # "Lire" the verb, not the label
    if not anchors:
        # A read-also line whose link was lost still does not belong in the body.
        return ([], holders) if not strict and len(_text(element)) < 250 else None
    if len(squash_spaces(rest)) > _MAX_GAP:
        return None
    return [(a, _anchor_title(a)) for a in anchors], holders


def _line_links(element: etree._Element) -> tuple[list[etree._Element], list[etree._Element]]:
    """The links on the label's line, and what to leave out of the body.

    Usually the line is the whole element (a <p>); when the label opens a block
    that goes on with paragraphs, only the links before the first of them count.
    """
    blocks = [child for child in element if child.tag in _BLOCK_TAGS]
    if not blocks:
        return [a for a in element.iter("a") if a.get("href")], [element]
    anchors: list[etree._Element] = []
    for child in element:
        if child.tag in _BLOCK_TAGS:
            break
        anchors.extend(a for a in child.iter("a") if a.get("href"))
    return anchors, anchors


def _only_links(element: etree._Element, anchors: list[etree._Element]) -> bool:
    """True when, label aside, the element's text is all link text."""
    if not anchors:
        return False
    linked = sum(len(_text(a)) for a in anchors)
    label = len(squash_spaces(element.text or ""))
    return len(_text(element)) - label - linked <= 3


def _label_in_link(element: etree._Element) -> Found | None:
    """«<a href=…>Lire aussi : title</a>»: the link text after the label is the title."""
    anchor = element if element.tag == "a" else next(element.iterancestors("a"))
    text = _text(anchor)
    label = _label_at_start(text)
    if label is None:
        return None
    title = squash_spaces(_after(text, label.end()))
    if not title:
        return None  # a bare "Read more" button, not a read-also link
    return [(anchor, title)], [anchor]


def _after(text: str, folded_end: int) -> str:
    """The part of text after its first folded_end folded characters (folding drops marks)."""
    for cut in range(len(text) + 1):
        if len(fold(text[:cut])) >= folded_end:
            return text[cut:]
    return ""


def _links_after(label: etree._Element, strict: bool, colon: bool) -> Found | None:
    """Links in the siblings after a label element, up to the end of its box."""
    anchors: list[tuple[etree._Element, str]] = []
    holders = [label]
    if strict and not colon:
        following = label.getnext()
        if following is None or following.tag != "a" or not _PUNCTUATION.match(label.tail or ""):
            return None
    skipped = 0
    for sibling in label.itersiblings():
        if not isinstance(sibling.tag, str) or sibling.tag in _SKIP:
            continue
        if sibling.tag in _HEADINGS:
            break
        if sibling.tag == "a":
            if sibling.get("href"):
                anchors.append((sibling, _anchor_title(sibling)))
                holders.append(sibling)
            continue
        inner = [a for a in sibling.iter("a") if a.get("href")]
        total = len(_text(sibling))
        if inner:
            linked = sum(len(_text(a)) for a in inner)
            if total - linked > max(60, 0.5 * total):
                break  # prose with a link in it, not a box of links
            anchors.extend((a, _anchor_title(a)) for a in inner)
            holders.append(sibling)
            break
        if total > 60 or skipped >= 2:
            break
        skipped += 1
        holders.append(sibling)
    if not anchors:
        return None
    return anchors, holders
