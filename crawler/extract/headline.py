"""The article's headline, without the site's name dressed around it.

A page states its headline in up to five places: the visible <h1>, og:title,
the JSON-LD headline, twitter:title and <title>. Publishers dress some of them
with their name, a section or a date ("… - Hespress", "Le360 - …",
"… – DW – 13.06.2023", "…：朝日新聞デジタル", "…-정치ㅣ한국일보") and leave
others bare. `headline` picks the bare form: a form that another one repeats
with dressing added is the headline; otherwise dressing is cut where it names
the site (og:site_name, the JSON-LD publisher, the address) or where the source
is known to put it (`SiteAffixes`, learned from its earlier pages by an
`AffixLearner`). A dash or a colon alone never cuts a headline: "Maroc-France :
la coopération" and «الرباط - باريس: …» stay whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.text import fold
from crawler.urls import host_of

# Spaced dashes, bars and dots, and the unspaced bars and full-width colon of East
# Asian sites; a colon, a bare hyphen or a guillemet is headline punctuation.
_SEPARATOR = r"\s+(?:[|\-–—•·]{1,2}|::)\s+|\s*[|｜ㅣ：]\s*"
_SEPARATORS = re.compile(f"({_SEPARATOR})")
_LEADING = re.compile(f"^(?:{_SEPARATOR})")
_TRAILING = re.compile(f"(?:{_SEPARATOR})$")
_GLUED_DASH = re.compile(r"^[-–]\S")  # "-정치ㅣ한국일보": a section glued to the headline
_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_SECOND_LEVEL = frozenset(("co", "com", "org", "net", "gov", "gouv", "ac", "edu", "press"))
_AFFIX_WORDS = 6  # dressing is a name, a section, a date: a few words at most
_NAME_WORDS = 4


@dataclass(frozen=True)
class HeadlineForms:
    """The headline as each place on the page states it (white space squashed, "" when
    absent), and the names the page gives its site (og:site_name, JSON-LD publisher)."""
    h1: str = ""
    og_title: str = ""
    ld_headline: str = ""
    twitter_title: str = ""
    document_title: str = ""
    site_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class SiteAffixes:
    """The dressing one source is known to put around its headlines, every digit
    written "0" (dates change from page to page), longest first."""
    suffixes: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()


NO_FORMS = HeadlineForms()
NOTHING_KNOWN = SiteAffixes()


def headline(forms: HeadlineForms, url: str, known: SiteAffixes = NOTHING_KNOWN) -> str:
    """The page's headline without dressing; "" when the page states none."""
    names = _site_keys(forms, url)
    h1 = forms.h1 if forms.h1 and not _names_site(forms.h1, names) else ""
    # The visible h1 when og:title or <title> repeats it, bare or dressed.
    if h1 and any(dressing(h1, shown) is not None
                  for shown in (forms.og_title, forms.document_title) if shown):
        return _undress(h1, names, known)
    # A stated form that another form repeats with dressing added is the bare headline.
    everywhere = (forms.og_title, forms.ld_headline, forms.twitter_title, forms.document_title)
    for index, candidate in enumerate(everywhere[:-1]):
        if candidate and any(other and place != index and _dresses(other, candidate)
                             for place, other in enumerate(everywhere)):
            return _undress(candidate, names, known)
    for candidate in (forms.og_title, forms.ld_headline, forms.twitter_title, h1):
        if candidate:
            return _undress(candidate, names, known)
    return _undress(forms.document_title, names, known, loose=True)


def dressing(core: str, dressed: str) -> tuple[str, str] | None:
    """("suffix" or "prefix", the affix) when `dressed` is `core` with dressing added,
    ("", "") when they are the same, None when `dressed` says something else."""
    if dressed == core:
        return "", ""
    if dressed.startswith(core):
        kind, affix = "suffix", dressed[len(core):]
        separated = _LEADING.match(affix) or (
            _GLUED_DASH.match(affix) and _SEPARATORS.search(affix[1:]))
    elif dressed.endswith(core):
        kind, affix = "prefix", dressed[: len(dressed) - len(core)]
        separated = _TRAILING.search(affix)
    else:
        return None
    # Dressing is short: "Maroc" is not the headline of "Maroc - France : la coopération".
    if not separated or len(affix) >= len(core) or _word_count(affix) > _AFFIX_WORDS:
        return None
    return kind, affix


def _dresses(dressed: str, core: str) -> bool:
    found = dressing(core, dressed)
    return found is not None and bool(found[1])


def digits_as_zero(text: str) -> str:
    return _DIGIT.sub("0", text)


def _undress(text: str, names: tuple[str, ...], known: SiteAffixes, loose: bool = False) -> str:
    """The text without a known affix, then without the parts at either end that name
    the site. With loose (a <title>, nearly always dressed), a short last part goes too."""
    if not text:
        return ""
    shape = digits_as_zero(text)
    for suffix in known.suffixes:
        if len(shape) > len(suffix) and shape.endswith(suffix):
            text, shape = text[: -len(suffix)].rstrip(), shape[: -len(suffix)].rstrip()
            break
    for prefix in known.prefixes:
        if len(shape) > len(prefix) and shape.startswith(prefix):
            text = text[len(prefix):].lstrip()
            break
    while (bare := _without_site_name(text, names)) is not None:
        text = bare  # "… - الصباح | Assabah": the name may come twice
    pieces = _SEPARATORS.split(text)
    if loose and len(pieces) >= 3:
        last = pieces[-1]
        if len(last.split()) <= _NAME_WORDS and len(last) < len(text) / 3:
            return "".join(pieces[:-2]).strip()
    return text


def _without_site_name(text: str, names: tuple[str, ...]) -> str | None:
    """The text without the part at its end (or start) that names the site, perhaps
    followed by a date or section ("… – DW – 13.06.2023"); None when no part does."""
    pieces = _SEPARATORS.split(text)
    for index in range(2, len(pieces), 2):
        if _names_site(pieces[index], names) and all(
                _word_count(p) <= 3 for p in pieces[index + 2::2]):
            return "".join(pieces[: index - 1]).strip() or None
    for index in range(len(pieces) - 3, -1, -2):
        if _names_site(pieces[index], names) and all(
                _word_count(p) <= 3 for p in pieces[:index:2]):
            return "".join(pieces[index + 2:]).strip() or None
    return None


def _site_keys(forms: HeadlineForms, url: str) -> tuple[str, ...]:
    """The site's names as compared: folded, letters and digits only."""
    keys = {"".join(_WORD.findall(fold(name))) for name in (*forms.site_names, _brand(url))}
    return tuple(key for key in keys if len(key) >= 2)


def _names_site(part: str, names: tuple[str, ...]) -> bool:
    """Whether a part is the site's name, give or take a word: "Hespress",
    "Le Monde.fr", "BBC News", "جريدة هسبريس"; not "Hespress lance une édition"."""
    words = _WORD.findall(fold(part))
    if not words or len(words) > _NAME_WORDS or not names:
        return False
    compact = "".join(words)
    for name in names:
        # A long name may be glued to a word ("hespressfr"); a short one stands whole ("DW").
        if len(name) >= 5 and name in compact and len(compact) <= len(name) + 4:
            return True
        for start in range(len(words)):
            for end in range(start + 1, len(words) + 1):
                if "".join(words[start:end]) == name and len(words) - (end - start) <= 1:
                    return True
    return False


def _word_count(text: str) -> int:
    return sum(1 for word in _WORD.findall(text) if not word.isdigit())


def _brand(url: str) -> str:
    """The name a host is registered under: "le360" for fr.le360.ma, "bbc" for news.bbc.co.uk."""
    labels = host_of(url).split(".")
    if len(labels) < 2 or labels[-1].isdigit():  # no domain, or an IP address
        return ""
    labels = labels[:-1]
    if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
        labels = labels[:-1]
    brand = labels[-1]
    return brand if len(brand) >= 3 else ""


def page_affixes(forms: HeadlineForms, url: str) -> set[tuple[str, str, bool]]:
    """The dressing one page shows, as (kind, affix with digits as "0", certain).

    Certain: the page repeats its bare headline (h1 or JSON-LD) with this dressing.
    Otherwise every short end of og:title and <title> after a separator is a guess,
    which only other pages of the source can confirm.
    """
    names = _site_keys(forms, url)
    found = set()
    dressed_forms = (forms.og_title, forms.twitter_title, forms.document_title,
                     forms.ld_headline)
    for core in (forms.h1, forms.ld_headline):
        if not core or _names_site(core, names):
            continue
        for dressed in dressed_forms:
            shown = dressing(core, dressed) if dressed else None
            if shown and shown[1]:
                found.add((shown[0], digits_as_zero(shown[1]), True))
    if found:
        return found
    for dressed in {forms.og_title, forms.document_title} - {""}:
        pieces = _SEPARATORS.split(dressed)
        for index in range(1, len(pieces), 2):
            for kind, affix in (("suffix", "".join(pieces[index:])),
                                ("prefix", "".join(pieces[:index + 1]))):
                if _word_count(affix) <= _NAME_WORDS and len(affix) < len(dressed) / 2:
                    found.add((kind, digits_as_zero(affix), False))
    return found


class AffixLearner:
    """The dressing one source puts around its headlines, learned from its pages.

    An affix is known once a page shows it for certain (see `page_affixes`), or
    once three pages and at least half of the pages seen share it: a kicker that
    two headlines happen to share is not the site's dressing.
    """

    LIMIT = 2000  # affixes remembered; past it, the rarest half is forgotten

    def __init__(self) -> None:
        self.pages = 0
        self._tally: dict[tuple[str, str], list] = {}  # (kind, affix) -> [pages, certain]
        self._known: SiteAffixes | None = NOTHING_KNOWN

    def observe(self, forms: HeadlineForms, url: str) -> None:
        if not (forms.og_title or forms.document_title):
            return
        self.pages += 1
        for kind, affix, certain in page_affixes(forms, url):
            entry = self._tally.setdefault((kind, affix), [0, False])
            entry[0] += 1
            entry[1] = entry[1] or certain
        if len(self._tally) > self.LIMIT:  # keep the certain, then the most seen
            ranked = sorted(self._tally.items(), key=lambda item: (item[1][1], item[1][0]),
                            reverse=True)
            self._tally = dict(ranked[: self.LIMIT // 2])
        self._known = None

    def known(self) -> SiteAffixes:
        if self._known is None:
            chosen: dict[str, list[str]] = {"suffix": [], "prefix": []}
            for (kind, affix), (pages, certain) in self._tally.items():
                if certain or (pages >= 3 and 2 * pages >= self.pages):
                    chosen[kind].append(affix)
            self._known = SiteAffixes(
                suffixes=tuple(sorted(chosen["suffix"], key=len, reverse=True)),
                prefixes=tuple(sorted(chosen["prefix"], key=len, reverse=True)))
        return self._known
