"""The articles of the sample sites: loading them from the data files, dating them.

Each article stores an age ("3h", "45m", or "2d 10:30" = two calendar days
back at 10:30 local time) rather than a date, so that the sites always show
fresh news: publication dates are computed against an anchor instant (the
clock's `now()` when the sites are built).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

SITE_NAMES = ("almokhbir", "albawaba24", "lequotidien", "sadaatlas")
OFFSITE = "offsite"
# The keyword searches the ground truth's "search" reachability is computed for.
SEARCH_QUERIES = ("حموشي فرنسا", "Hammouchi France")

# What an article's page shows of its date: "minute" (date and time), "day" (the
# date only), "feed" (nothing: only its feed entry dates it, to the minute).
DATE_SHOWN = ("minute", "day", "feed")
_AGE = re.compile(r"^\s*(?:(\d+)\s*([hm])|(\d+)d\s+(\d{1,2}):(\d{2}))\s*$")


@dataclass(frozen=True)
class SampleArticle:
    """Ground truth for one sample article, for tests and benchmarks.

    ``via`` says exactly how the article can be discovered:
    "listing" (on listing page ``listing_page``), "feed", "search" (returned by
    its site's search for one of ``SEARCH_QUERIES``), "read_also" (linked by a
    read-also link from another discoverable, crawlable article, at any depth).
    It is empty for robots-forbidden and off-site articles; ``reachable`` is
    ``bool(via)``. ``read_also`` holds the canonical paths of the articles this
    one links to (the link itself may be a variant: AMP, tracking parameters,
    no trailing slash); paths are unique across all sites.

    Stories: articles sharing a ``story_group`` are one story (a wire dispatch
    and its copies on other sites); ``copy_of`` is the path of the article a
    copy was made from. ``follows`` names the story group an article follows
    up (a later development, linked to the earlier story by a read-also link
    or taking up a paragraph of it).

    ``date_shown`` says how much of ``published`` a reader of the site can know:
    "minute" (the page shows date and time), "day" (the date only: an old archive
    page), "feed" (the page shows none; its feed entry gives date and time).
    """

    site: str
    path: str
    title: str
    language: str
    published: datetime
    body_snippets: tuple[str, ...]
    not_in_body: tuple[str, ...]
    on_topic: bool
    reachable: bool
    via: tuple[str, ...]
    forbidden: bool
    story_group: str | None
    read_also: tuple[str, ...]
    listing_page: int | None = None
    copy_of: str | None = None
    follows: str | None = None
    date_shown: str = "minute"


@dataclass(frozen=True)
class Link:
    """A read-also link in an article: target key, URL variant and display style."""

    target: str
    variant: str = ""  # "", "amp", "utm", "noslash"
    style: str = ""  # Le Quotidien: "" (Lire aussi), "catcher", "a-lire"


Block = str | Link


@dataclass
class Article:
    """One article as a site renders it."""

    key: str
    site: str
    id: str
    title: str
    body: tuple[Block, ...]
    published: datetime
    author: str
    slug: str
    section: str = ""
    language: str = "ar"
    on_topic: bool = False
    listed: bool = True
    in_feed: bool = True
    forbidden: bool = False
    story: str | None = None
    copy_of: str | None = None  # key of the article this one copies
    follows: str | None = None  # story group this one follows up
    encoding: str = "utf-8"
    broken: bool = False
    eastern_digits: bool = False
    related: tuple[Link, ...] = ()
    related_title: str = ""
    tags: tuple[str, ...] = ()
    snippets: tuple[str, ...] = ()
    path: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    date_shown: str = "minute"  # one of DATE_SHOWN
    feed_zone: str = ""  # the feed writes the date in this named zone ("EST", "GMT")

    @property
    def paragraphs(self) -> list[str]:
        return [block for block in self.body if isinstance(block, str)]

    @property
    def links(self) -> list[Link]:
        return [b for b in self.body if isinstance(b, Link)] + list(self.related)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    def excerpt(self, words: int = 30) -> str:
        first = self.paragraphs[0].split() if self.paragraphs else []
        return " ".join(first[:words]) + (" …" if len(first) > words else "")


def published_at(age: str, now: datetime, tz: ZoneInfo) -> datetime:
    """The publication instant for an age, in the site's time zone, to the minute."""
    match = _AGE.match(age)
    if not match:
        raise ValueError(f"bad article age {age!r}: use '3h', '45m' or '2d 10:30'")
    hours_or_minutes, unit, days, hour, minute = match.groups()
    if unit:
        delta = timedelta(hours=int(hours_or_minutes)) if unit == "h" else timedelta(
            minutes=int(hours_or_minutes))
        return (now - delta).astimezone(tz).replace(second=0, microsecond=0)
    day = now.astimezone(tz).date() - timedelta(days=int(days))
    return datetime.combine(day, time(int(hour), int(minute)), tzinfo=tz)


def parse_block(text: str) -> Block:
    """A body entry: a paragraph, or "@also KEY [variant] [style]" for a read-also link."""
    if not text.startswith("@also "):
        return text.strip()
    parts = text.split()[1:]
    styles = {"catcher", "a-lire"}
    style = next((p for p in parts[1:] if p in styles), "")
    variant = next((p for p in parts[1:] if p not in styles), "")
    return Link(parts[0], variant, style)


def parse_link(text: str) -> Link:
    """A read-also box entry: "KEY [variant]"."""
    key, *variant = text.split()
    return Link(key, variant[0] if variant else "")


@cache
def site_data(site: str) -> dict:
    """The parsed data file of one site (cached: the files never change at run time)."""
    source = resources.files("crawler.samples").joinpath("data", f"{site}.toml")
    with source.open("rb") as handle:
        return tomllib.load(handle)


def load_articles(site: str, now: datetime) -> list[Article]:
    """The articles of a site's data file, dated against ``now``."""
    data = site_data(site)
    tz = ZoneInfo(data["timezone"])
    articles = []
    for spec in data["articles"]:
        body = copied_body(spec) if "syndicates" in spec else spec.get("body", ())
        listed = spec.get("listed", True)
        shown = spec.get("date_shown", "minute")
        if shown not in DATE_SHOWN or (shown == "feed" and not spec.get("feed", listed)):
            raise ValueError(f"sample article {spec['key']!r}: date_shown must be one of "
                             f"{DATE_SHOWN}, and 'feed' needs the article in the feed")
        articles.append(Article(
            key=spec["key"],
            site=site,
            id=str(spec.get("id") or arc_id(spec["key"])),
            title=spec["title"],
            body=tuple(parse_block(p) for p in body),
            published=published_at(spec["age"], now, tz),
            author=spec.get("author", data.get("default_author", "")),
            slug=spec.get("slug") or (slugify(spec["title"], arabic=True)
                                      if site == "almokhbir" else spec["key"]),
            section=spec.get("section", ""),
            language=spec.get("language", data["language"]),
            on_topic=spec.get("topic", False),
            listed=listed,
            in_feed=spec.get("feed", listed),
            forbidden=spec.get("forbidden", False),
            story=spec.get("story"),
            copy_of=spec.get("syndicates"),
            follows=spec.get("follows"),
            encoding=spec.get("encoding", "utf-8"),
            broken=spec.get("broken", False),
            eastern_digits=spec.get("eastern_digits", False),
            related=tuple(parse_link(r) for r in spec.get("related", ())),
            related_title=spec.get("related_title", ""),
            tags=tuple(spec.get("tags", ())),
            snippets=tuple(spec.get("snippets", ())),
            extra={k: spec[k] for k in ("listing_variant", "layout") if k in spec},
            date_shown=shown,
            feed_zone=spec.get("feed_zone", ""),
        ))
    return articles


def copied_body(spec: dict) -> list[str]:
    """A syndicated copy: the original's words, not its links, edited as republishing
    sites do. ``dateline`` goes before the lead, ``drop_last`` paragraphs are cut from
    the end, ``replace`` pairs change words, ``append`` paragraphs close the copy."""
    body = [b for b in _find_spec(spec["syndicates"])["body"] if not b.startswith("@also")]
    body = body[:len(body) - spec.get("drop_last", 0)]
    for old, new in spec.get("replace", ()):
        if not any(old in paragraph for paragraph in body):
            # An edit that no longer applies would silently make a verbatim copy.
            raise ValueError(f"copy {spec['key']!r}: {old!r} is not in {spec['syndicates']!r}")
        body = [paragraph.replace(old, new) for paragraph in body]
    if spec.get("dateline"):
        body[0] = spec["dateline"] + body[0]
    return [*body, *spec.get("append", ())]


def _find_spec(key: str) -> dict:
    for site in (*SITE_NAMES, OFFSITE):
        for spec in site_data(site)["articles"]:
            if spec["key"] == key:
                return spec
    raise KeyError(f"syndicated article {key!r} not found in any data file")


def arc_id(key: str) -> str:
    """A 26-character identifier in the style of Arc XP article URLs."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    return "".join(alphabet[b % 32] for b in digest[:26])


def first_sentence(paragraph: str) -> str:
    """The paragraph's first sentence, with its closing mark."""
    match = re.search(r"^.+?[.!?؟](?=\s|$)", paragraph)
    return (match.group(0) if match else paragraph).strip()


def body_snippets(article: Article) -> tuple[str, ...]:
    """Sentences that must survive extraction: the data file's, else first/middle/last."""
    if article.snippets:
        return article.snippets
    paragraphs = article.paragraphs
    picks = [paragraphs[0], paragraphs[len(paragraphs) // 2], paragraphs[-1]]
    return tuple(dict.fromkeys(first_sentence(p) for p in picks))


def slugify(title: str, *, arabic: bool = False) -> str:
    """A URL slug: Arabic words kept (WordPress style) or Latin letters without accents."""
    if not arabic:
        title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"\w+", title.lower())
    return "-".join(words[:12]) or "article"
