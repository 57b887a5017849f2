"""Links on listing and search-result pages: which are articles, which is the next page."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from lxml import etree

from crawler.extract.overrides import apply_overrides
from crawler.extract.tree import document_base, link, parse_html, text_of
from crawler.text import fold, squash_spaces

_NOT_ARTICLES = frozenset((
    "tag", "tags", "category", "categories", "categorie", "author", "authors", "auteur",
    "auteurs", "page", "feed", "rss", "wp-content", "wp-admin", "wp-includes", "wp-json",
    "wp-login.php", "xmlrpc.php", "search", "recherche", "login", "signin", "sign-in",
    "register", "inscription", "account", "compte", "user", "users", "profile", "contact",
    "about", "privacy", "cgu", "mentions-legales", "newsletter", "abonnement", "subscribe",
    "cdn-cgi", "comments", "comment-page", "share", "sharer", "print",
))
_LISTING_QUERY = frozenset(("s", "q", "query", "search", "page", "paged", "replytocom", "share",
                            "action", "cat", "tag", "author", "feed"))
_FILES = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|ico|pdf|css|js|json|xml|rss|mp[34]|zip|txt)$",
                    re.IGNORECASE)
# Arc XP-style article ids (Le360): a long run of upper-case letters and digits.
_OPAQUE_ID = re.compile(r"[-_][A-Z0-9]{16,}$")
_DIGITS = re.compile(r"\d{4,}")
_DATED_ARCHIVE = re.compile(r"^/(?:[\w-]+/)*(?:19|20)\d{2}(?:/\d{1,2}){0,2}/?$")
_PAGE_FILE = re.compile(r"(?:^|/)index(?:\.\d+)?\.(?:html?|php)$", re.IGNORECASE)
_DOCUMENT = re.compile(r"\.(?:html?|php|aspx?)$", re.IGNORECASE)
_NEXT_WORDS = frozenset(fold(word) for word in (
    "التالي", "التالية", "الصفحة التالية", "المزيد من المقالات", "suivant", "suivante",
    "page suivante", "articles suivants", "articles plus anciens", "next", "next page",
    "older posts", "older", "plus d'articles",
))
_ARROWS = re.compile(r"[»›→>\s]+")
_NOT_WORDS = re.compile(r"[^\w']+")
_NEXT_CLASS = re.compile(r"(?:^|[\s_-])next(?:$|[\s_-])|nextpostslink")
_PAGE_PATH = re.compile(r"/page/(\d+)/?$")
_PAGE_INDEX = re.compile(r"/index\.(\d+)\.html?$", re.IGNORECASE)
_PAGE_PARAMS = ("page", "paged", "pg", "pagenum", "start_page")  # not "p": WordPress post ids


def _site(url: str) -> tuple[str, int | None]:
    """Host (without "www.") and explicit port: two addresses on one site compare equal."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ("", None)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if port in (80, 443):
        port = None
    return (host, port)


def _root_and_base(html: bytes | str, base_url: str) -> tuple[etree._Element | None, str]:
    root = parse_html(html)
    if root is None:
        return None, base_url
    return root, document_base(root, base_url)


def looks_like_article(url: str) -> bool:
    """Heuristic for an article address: numeric id, .html page, dated path or long slug."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if path in ("", "/") or _FILES.search(path) or _PAGE_FILE.search(path):
        return False
    segments = [s for s in path.lower().split("/") if s]
    if any(s in _NOT_ARTICLES for s in segments):
        return False
    if any(k.lower() in _LISTING_QUERY for k, _ in parse_qsl(parts.query)):
        return False
    if _DATED_ARCHIVE.match(path):
        return False
    last = segments[-1]
    if _DIGITS.search(path) or _DOCUMENT.search(last) or _OPAQUE_ID.search(path.rstrip("/")):
        return True
    return len(re.findall(r"[-_]", last)) >= 3


def article_links(html: bytes | str, base_url: str, *, pattern: str | None = None,
                  selector: str | None = None) -> list[str]:
    """Absolute URLs of the article pages a listing or search page links to, on its own site,
    in page order, each once. With pattern (a regular expression searched in the URL's path,
    or the whole URL), it alone decides what an article is. With selector (a source's
    `listing_links` CSS), only the links it matches, or holds, count when it matches any;
    pattern, if given too, still applies to them."""
    try:
        matcher = re.compile(pattern) if pattern else None
    except re.error as problem:
        raise ValueError(f"article pattern {pattern!r} is not a valid regular expression: "
                         f"{problem}") from None
    root, base = _root_and_base(html, base_url)
    if root is None:
        return []
    site = _site(base_url)
    here = link(base_url, base_url)
    seen = {here[1]} if here else set()
    found: list[str] = []
    chosen = _selected_anchors(root, selector) if selector else []
    for anchor in chosen or root.iter("a"):
        found_link = link(anchor.get("href"), base)
        if found_link is None:
            continue
        url, key = found_link
        if _site(url) != site:
            continue
        if matcher is not None:
            path = urlsplit(url).path
            if not (matcher.search(path) or matcher.search(unquote(path)) or matcher.search(url)):
                continue
        elif not chosen and not looks_like_article(url):
            continue
        if key not in seen:
            seen.add(key)
            found.append(url)
    return found


def _selected_anchors(root: etree._Element, selector: str) -> list[etree._Element]:
    """The links a source's listing_links selector matches, or that its matches hold."""
    boxes = apply_overrides(root, {"listing_links": selector}).elements("listing_links")
    return [a for box in boxes for a in box.iter("a")]


def _page_number(url: str) -> tuple[str, int]:
    """(the address without its page number, the page number; 1 when it has none)."""
    parts = urlsplit(url)
    path, number = parts.path, 1
    match = _PAGE_PATH.search(path) or _PAGE_INDEX.search(path)
    if match:
        number = int(match.group(1))
        path = path[: match.start()] + "/"
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = []
    for key, value in query:
        if key.lower() in _PAGE_PARAMS and value.isdigit():
            number = int(value)
        else:
            kept.append((key, value))
    path = re.sub(r"/index\.html?$", "/", path).rstrip("/") or "/"
    stem = urlunsplit(("", (parts.hostname or "").removeprefix("www."), path,
                       urlencode(sorted(kept)), ""))
    return stem, number


def next_page_url(html: bytes | str, base_url: str) -> str | None:
    """The next page of a paginated listing or result page, or None on the last page."""
    root, base = _root_and_base(html, base_url)
    if root is None:
        return None
    site = _site(base_url)
    here = link(base_url, base_url)

    def usable(href: str | None) -> str | None:
        found = link(href, base)
        if found is None or _site(found[0]) != site or (here and found[1] == here[1]):
            return None
        return found[0]

    for element in root.xpath('//link[@href] | //a[@href]'):
        if "next" in (element.get("rel") or "").lower().split():
            url = usable(element.get("href"))
            if url:
                return url
    anchors = list(root.iter("a"))
    stem, number = _page_number(base_url)
    for anchor in anchors:
        url = usable(anchor.get("href"))
        if url and _page_number(url) == (stem, number + 1):
            return url
    for anchor in anchors:
        if _is_next_label(anchor):
            url = usable(anchor.get("href"))
            if url:
                return url
    return None


def _is_next_label(anchor: etree._Element) -> bool:
    text = squash_spaces(text_of(anchor)) or anchor.get("title", "") or anchor.get(
        "aria-label", "")
    if text and not _ARROWS.sub("", text):
        return True  # "»", "›", ">>"
    words = squash_spaces(_NOT_WORDS.sub(" ", fold(text)))
    if words in _NEXT_WORDS:
        return True
    marker = f"{anchor.get('class') or ''} {anchor.get('id') or ''}".lower()
    parent = anchor.getparent()
    if parent is not None and parent.tag == "li":
        marker += " " + (parent.get("class") or "").lower()
    return bool(_NEXT_CLASS.search(marker))
