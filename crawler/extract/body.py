"""The article body: the main text block of a page, without the page around it.

Find the container (a hint selector, ``itemprop=articleBody``, a content class
such as ``article-content`` or ``entry-content``, else the element that
collects the most paragraph text), strip what does not belong to the article
(menus, share bars, tags, ads, captions, "most read" boxes, read-also lines),
then read its text blocks in order: ``<p>``, headings, list items, and text
set directly in ``<div>``s between ``<br>``s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lxml import etree

from crawler.extract.read_also import is_label_only
from crawler.extract.tree import ClassRule, PageIndex, Selector, drop, text_of
from crawler.text import fold, squash_spaces

_DEAD = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas",
         "video", "audio", "link", "meta", "head", "select", "textarea", "input", "button",
         "dialog", "map", "picture", "source")
_OUTSIDE = frozenset(("nav", "aside", "footer", "header", "figure", "figcaption", "menu"))
_BLOCKS = frozenset((
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
    "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "td", "th", "tbody", "thead",
    "center", "address", "hr", "body", "html",
))
_JUNK = ClassRule(
    r"(?:^|[-_])(?:nav|navbar|navigation|menu|breadcrumbs?|share|shares|sharing|social|"
    r"sharebar|tags?|tagcloud|keywords|comments?|disqus|related|relatedposts|most-?read|"
    r"popular|trending|newsletter|subscribe|subscription|cookies?|consent|gdpr|footer|sidebar|"
    r"widgets?|ads?|advert|advertisement|adsbygoogle|banner|promo|sponsored|outbrain|taboola|"
    r"dfp|crosslinking|pagination|pager|author-box|read-?also|see-also|modal|popup|toolbar|"
    r"meta|byline|caption|credits?|legend|inread|paywall|signup|prev|next|prev-?next|"
    r"date|dates|time|timestamp|authors?|auteurs?|signature|"
    r"time-?to-?read|time_to_read|reading-?time|read-?time)(?:$|[-_\d])"
    # Hiding classes only as whole tokens: "overflow-hidden" wraps visible text.
    r"|^(?:hidden|hide|is-hidden|u-hide|d-none|invisible|sr-only|visually-hidden"
    r"|screen-reader-text)$"
)
_LAYOUT_JUNK = re.compile(r"sidebar|widget|menu|meta", re.IGNORECASE)
_JUNK_ROLES = frozenset(("navigation", "banner", "complementary", "contentinfo", "dialog",
                         "search", "menu", "menubar", "toolbar"))
CONTENT_CLASSES = (
    r"(?:article|entry|post|story|news|single|blog|node|details?)[-_]*(?:[a-z]+[-_]+)?"
    r"(?:content|body|text|corps|contenu|texte)(?:$|[-_])"
    r"|(?:^|[-_])(?:content[-_]*body|body[-_]*content|articlebody|storybody)(?:$|[-_])"
)
_CONTENT = ClassRule(CONTENT_CLASSES)
_CONTAINER_TAGS = frozenset(("div", "section", "article", "td", "main"))
_MOST_READ = tuple(fold(label) for label in (
    "الأكثر قراءة", "الأكثر مشاهدة", "الأكثر تعليقا", "الأكثر تداولا", "الأكثر شعبية",
    "Les plus lus", "Les plus partagés", "Most read", "Most popular", "Trending",
))
# Boilerplate lines, on folded text: prefixes that only boilerplate starts with, and
# words that are boilerplate when they are the whole line ("شارك" also starts news).
_NOISE = re.compile(
    r"^(?:il vous reste [\d.,]+ ?%|la suite est reservee|vous devez etre abonne|abonnez-vous|"
    r"suivez-nous|follow us|share (?:this|on)|inscrivez-vous|tags ?:|mots-cles ?:|"
    r"الوسوم ?:|كلمات مفتاحيه ?:|كلمات دلاليه ?:|تابعونا علي|اشترك في)"
    r"|^(?:partager|partagez|publicite|advertisement|newsletter|lire la suite|read more|"
    r"شارك|شارك المقال|اعلان|اقرا المزيد|المزيد)\W*$"
)
_RESPONSIVE_SHOW = re.compile(r"\bd-(?:sm|md|lg|xl|xxl)-(?:block|flex|inline|grid|table)")
_WORD = re.compile(r"[^\W_]")
MIN_BODY = 200  # characters: less from a container means the container was the wrong one
MIN_BRIEF = 40


def article_text(root: etree._Element, *, leave_out: Iterable[etree._Element] = (),
                 selector: Selector | None = None, title: str = "",
                 index: PageIndex | None = None) -> str:
    """The article's paragraphs joined by blank lines. Mutates root (it strips junk)."""
    etree.strip_elements(root, *_DEAD, with_tail=False)
    for element in leave_out:
        drop(element)
    folded_title = fold(title)
    if selector is not None:
        chosen = [e for e in selector(root) if e.getparent() is not None]
        text = _join(p for element in chosen for p in _paragraphs(element, folded_title))
        if text:
            return text
    best = ""
    for container, enough in _containers(root, index or PageIndex()):
        text = _join(_paragraphs(container, folded_title))
        if len(text) >= enough:
            return text
        if len(text) > len(best):
            best = text
    return best


def _join(paragraphs: Iterable[str]) -> str:
    kept: list[str] = []
    for paragraph in paragraphs:
        if not kept or kept[-1] != paragraph:
            kept.append(paragraph)
    return "\n\n".join(kept)


def _containers(root: etree._Element,
                index: PageIndex) -> Iterator[tuple[etree._Element, int]]:
    """Likely article containers, most specific first, each with the text length that
    makes it believable; computed lazily, as the first one usually holds the article."""
    seen: set[etree._Element] = set()

    def fresh(elements: list[etree._Element],
              enough: int = MIN_BODY) -> Iterator[tuple[etree._Element, int]]:
        for element in elements:
            if element not in seen:
                seen.add(element)
                yield element, enough

    def attached(elements: Iterable[etree._Element]) -> list[etree._Element]:
        # The index predates the clean-up: leave out what went with a removed block.
        return [e for e in elements if e.getroottree().getroot() is root]

    # A container the page names as the article body is believed with a short brief.
    yield from fresh(_largest(attached(index.props.get("articlebody", ()))), MIN_BRIEF)
    yield from fresh(_largest(attached(index.role("content", _CONTAINER_TAGS))), MIN_BRIEF)
    yield from fresh(_largest(list(root.iter("article"))))
    dense = _densest(root)
    if dense is not None:
        yield from fresh([dense])
    body = root.find("body")
    yield from fresh([body if body is not None else root])


def _largest(elements: list[etree._Element]) -> list[etree._Element]:
    """The element with the most text; the innermost one of those holding nearly as much."""
    if not elements:
        return []
    sizes = {e: len(text_of(e).strip()) for e in elements}
    top = max(sizes.values())
    if top < MIN_BRIEF:
        return []
    good = [e for e in elements if sizes[e] >= 0.7 * top]
    outer = {ancestor for e in good for ancestor in e.iterancestors()}
    inner = [e for e in good if e not in outer]
    return [max(inner, key=sizes.__getitem__)]


def _densest(root: etree._Element) -> etree._Element | None:
    """Readability's idea: paragraphs vote for their parent (and half for the grandparent)."""
    scores: dict[etree._Element, float] = {}
    for element in root.iter("p", "pre", "blockquote", "div", "td"):
        if element.tag in ("div", "td"):
            length = len((element.text or "").strip()) + sum(
                len((child.tail or "").strip()) for child in element.iterchildren("br"))
        else:
            length = len(text_of(element).strip())
        if length < 25:
            continue
        score = 1 + min(length / 100, 3)
        target = element if element.tag in ("div", "td") else element.getparent()
        if target is None:
            continue
        scores[target] = scores.get(target, 0) + score
        grand = target.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0) + score / 2
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)[:5]
    return max(ranked, key=lambda item: item[1] * (1 - _link_density(item[0])))[0]


def _link_density(element: etree._Element) -> float:
    total = len(text_of(element))
    if not total:
        return 1.0
    return sum(len(text_of(a)) for a in element.iter("a")) / total


def _is_junk(element: etree._Element, container_size: int) -> bool:
    tag = element.tag
    if tag in _OUTSIDE:
        return True
    if tag == "form":  # ASP.NET sites wrap the whole page in one <form>
        return len(text_of(element)) < 0.6 * container_size
    if element.get("role") in _JUNK_ROLES or element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    if style:
        style = style.replace(" ", "").lower()
        if "display:none" in style or "visibility:hidden" in style:
            return True
    found = _JUNK.find(element)
    if found is None or _CONTENT.find(element):
        return False
    if "none" in found and _RESPONSIVE_SHOW.search(element.get("class") or ""):
        return False  # hidden on phones only
    if _LAYOUT_JUNK.search(found):
        # A wrapper called "page-with-sidebar" may hold the article itself.
        return len(text_of(element)) < 0.6 * container_size
    return True


def _clean(container: etree._Element) -> None:
    size = len(text_of(container))
    doomed: list[etree._Element] = []
    walker = etree.iterwalk(container, events=("start",))
    for _event, element in walker:
        if element is container or not isinstance(element.tag, str):
            continue
        if _is_junk(element, size) or _is_link_list(element):
            doomed.append(element)
            walker.skip_subtree()
        elif _is_most_read(element):
            doomed.append(element)
            box = element.getnext()
            if box is not None and _link_density(box) > 0.5:
                doomed.append(box)
            walker.skip_subtree()
    for element in doomed:
        drop(element)


def _is_most_read(element: etree._Element) -> bool:
    text = (element.text or "").strip()
    return bool(text) and len(text) <= 40 and fold(text).startswith(_MOST_READ)


def _is_link_list(element: etree._Element) -> bool:
    if element.tag not in ("ul", "ol", "div", "section", "table"):
        return False
    anchors = element.findall(".//a")
    return len(anchors) >= 3 and _link_density(element) > 0.7


def _paragraphs(container: etree._Element, folded_title: str) -> list[str]:
    """Text blocks of a container in order, boilerplate lines left out."""
    _clean(container)
    paragraphs: list[str] = []
    parts: list[str] = []
    linked = 0
    in_link = 0

    def flush() -> None:
        nonlocal linked
        if parts:
            raw = "".join(parts)
            parts.clear()
            if not raw.isspace():
                text = squash_spaces(raw)
                if linked < 0.9 * len(text) and not _is_noise(text, folded_title):
                    paragraphs.append(text)
        linked = 0

    for event, element in etree.iterwalk(container, events=("start", "end")):
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if event == "start":
            if tag in _BLOCKS or tag == "br":
                flush()
            if tag == "a":
                in_link += 1
            if element.text and tag != "br":
                parts.append(element.text)
                if in_link:
                    linked += len(element.text.strip())
        else:
            if tag in _BLOCKS:
                flush()
            if tag == "a":
                in_link -= 1
            if element is not container and element.tail:
                parts.append(element.tail)
                if in_link:
                    linked += len(element.tail.strip())
    flush()
    return paragraphs


def _is_noise(text: str, folded_title: str) -> bool:
    if len(text) > 200:
        return False
    if not _WORD.search(text):
        return True  # the ":" left behind by a removed read-also label
    folded = fold(text)
    return (bool(_NOISE.match(folded)) or (bool(folded_title) and folded == folded_title)
            or is_label_only(text))
