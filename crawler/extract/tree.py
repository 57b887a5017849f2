"""One parse per page, and the few tree helpers every extractor shares.

Plain ``lxml.etree`` elements rather than ``lxml.html`` ones: the latter run a
Python class lookup for every node, which costs more than the parse itself.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lxml import etree

from crawler.extract.encoding import decode_html
from crawler.urls import absolute_url, url_key

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_MARKUP = re.compile(r"<[A-Za-z!/]")
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b",
                 b"RIFF", b"OggS", b"ID3", b"\x00\x00\x00")
# UTF-16 and UTF-32 text has NULs by nature.
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
# The elements a source's selector matched, handed to a field reader (`overrides.Overrides`).
Selector = Callable[[etree._Element], list[etree._Element]]
_parsers = threading.local()
_string = etree.XPath("string()", smart_strings=False)


def _parser() -> etree.HTMLParser:
    # lxml parsers must not be shared between threads.
    parser = getattr(_parsers, "html", None)
    if parser is None:
        # huge_tree lifts libxml2's nesting limit: pages with hundreds of unclosed
        # <div>s otherwise lose everything below depth 256. Size is capped upstream.
        parser = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True,
                                  no_network=True)
        _parsers.html = parser
    return parser


def parse_html(html: bytes | str, declared_encoding: str | None = None) -> etree._Element | None:
    """Parse a page once into an lxml tree; None for input that is not HTML (empty,
    binary, plain text or JSON without a single tag)."""
    if isinstance(html, bytes | bytearray | memoryview):
        html = bytes(html)
        if html.startswith(_BINARY_MAGIC) or (b"\x00" in html[:1024]
                                               and not html.startswith(_WIDE_BOMS)):
            return None
        text = decode_html(html, declared_encoding)
    elif isinstance(html, str):
        text = html
    else:
        raise TypeError(f"expected HTML as bytes or str, not {type(html).__name__}")
    # lxml refuses str input that carries an XML encoding declaration; NULs are noise.
    text = _XML_DECLARATION.sub("", text, count=1)
    if "\x00" in text:
        text = text.replace("\x00", "")
    if not _MARKUP.search(text, 0, 65536):
        return None
    try:
        root = etree.fromstring(text, parser=_parser())
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return root


def document_base(root: etree._Element, url: str) -> str:
    """What relative links resolve against: the page's <base href>, else its own address."""
    for base in root.iterfind("head/base[@href]"):
        found = absolute_url(base.get("href", ""), url)
        if found:
            return found
    return url


def link(href: str | None, base: str) -> tuple[str, str] | None:
    """A link found on a page as (absolute URL without fragment, identity key), or None
    when it leads nowhere fetchable (javascript:, mailto:, a port out of range...)."""
    url = absolute_url(href or "", base)
    if url is None:
        return None
    url = url.split("#", 1)[0]
    try:
        return url, url_key(url)
    except ValueError:  # BadURL, or urllib refusing the port
        return None


def text_of(element: etree._Element) -> str:
    """All text inside an element (not its tail)."""
    return _string(element)


def marker(element: etree._Element) -> str:
    """The class and id of an element, the words sites name their blocks with."""
    return f"{element.get('class') or ''} {element.get('id') or ''}"


class ClassRoles:
    """Named regular expressions over class/id tokens, all answered in one pass.

    Each token's answer (a bit mask of the names it matches) is remembered:
    pages repeat the same few hundred class names on thousands of elements.
    """

    def __init__(self, patterns: Mapping[str, str]) -> None:
        self.bits = {name: 1 << index for index, name in enumerate(patterns)}
        self._rules = [(re.compile(pattern, re.IGNORECASE).search, self.bits[name])
                       for name, pattern in patterns.items()]
        self._masks: dict[str, int] = {}

    def tokens_mask(self, value: str) -> int:
        """The names matched by any token of a class or id attribute value."""
        mask = 0
        for token in value.split():
            bits = self._masks.get(token)
            if bits is None:
                bits = sum(bit for search, bit in self._rules if search(token))
                if len(self._masks) < 50000:
                    self._masks[token] = bits
            mask |= bits
        return mask


@dataclass
class PageIndex:
    """The elements extraction looks up by attribute, gathered in one pass over the page."""
    roles: dict[str, list[etree._Element]] = field(default_factory=dict)  # class/id roles
    props: dict[str, list[etree._Element]] = field(default_factory=dict)  # itemprop, property
    rels: dict[str, list[etree._Element]] = field(default_factory=dict)

    def role(self, name: str, tags: frozenset[str] | None = None) -> list[etree._Element]:
        found = self.roles.get(name, [])
        return found if tags is None else [e for e in found if e.tag in tags]


def index_page(root: etree._Element, roles: ClassRoles) -> PageIndex:
    index = PageIndex(roles={name: [] for name in roles.bits})
    named = list(roles.bits.items())
    props, rels = index.props, index.rels
    # Plain iteration and one items() call per element: lxml's XPath engine and
    # attribute proxies are slower at testing attributes than this.
    for element in root.iter(etree.Element):
        for name, value in element.items():
            if name == "class" or name == "id":
                mask = roles.tokens_mask(value)
                if mask:
                    for role, bit in named:
                        if mask & bit:
                            found = index.roles[role]
                            if not found or found[-1] is not element:
                                found.append(element)
            elif name == "itemprop" or name == "property":
                for token in value.lower().split():
                    props.setdefault(token, []).append(element)
                    if ":" in token:  # "schema:articlebody" is also "articlebody"
                        props.setdefault(token.rsplit(":", 1)[1], []).append(element)
            elif name == "pubdate":
                props.setdefault("pubdate", []).append(element)
            elif name == "rel":
                for token in value.lower().split():
                    rels.setdefault(token, []).append(element)
    return index


class ClassRule:
    """A regular expression over class/id tokens, with each token's answer remembered:
    pages repeat the same few hundred class names on thousands of elements."""

    def __init__(self, pattern: str) -> None:
        self._search: Callable[[str], re.Match[str] | None] = re.compile(
            pattern, re.IGNORECASE).search
        self._answers: dict[str, str | None] = {}

    def find(self, element: etree._Element) -> str | None:
        """The first token (of class, then id) that matches, or None."""
        for attribute in ("class", "id"):
            value = element.get(attribute)
            if not value:
                continue
            for token in value.split():
                try:
                    answer = self._answers[token]
                except KeyError:
                    found = self._search(token)
                    answer = found.group(0) if found else None
                    if len(self._answers) < 50000:
                        self._answers[token] = answer
                if answer is not None:
                    return answer
        return None


def drop(element: etree._Element) -> None:
    """Remove an element and what it holds, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)
