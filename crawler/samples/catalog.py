"""The sample sites assembled, and the ground truth computed from them.

Reachability is derived from what the sites actually serve (listing pages,
feeds, search results, read-also links), never written by hand, so the truth
cannot drift from the pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from crawler.samples.bawaba import BawabaSite
from crawler.samples.model import (
    OFFSITE,
    SEARCH_QUERIES,
    SITE_NAMES,
    Article,
    SampleArticle,
    arc_id,
    body_snippets,
    load_articles,
    parse_link,
    slugify,
)
from crawler.samples.mokhbir import MokhbirSite
from crawler.samples.offsite import OffsiteSite
from crawler.samples.quotidien import QuotidienSite
from crawler.samples.sada import SadaSite
from crawler.samples.site import Site, World

SITE_CLASSES: dict[str, type[Site]] = {
    "almokhbir": MokhbirSite, "albawaba24": BawabaSite, "lequotidien": QuotidienSite,
    "sadaatlas": SadaSite, OFFSITE: OffsiteSite,
}
_VIA_ORDER = ("listing", "feed", "search", "read_also")


def build_world(now: datetime) -> World:
    """Every sample site with its articles dated against ``now`` (not yet served)."""
    world = World(now)
    for name, site_class in SITE_CLASSES.items():
        world.sites[name] = site_class(world, load_articles(name, now))
    keys = {a.key for site in world.sites.values() for a in site.articles()}
    for site in world.sites.values():
        for article in site.articles():
            missing = [link.target for link in article.links if link.target not in keys]
            if missing:
                raise ValueError(f"sample article {article.key!r} ({site.name}) links to "
                                 f"unknown article keys {missing}")
    _check_stories(world)
    return world


def _check_stories(world: World) -> None:
    """A copy is in its original's story group; a follow-up follows an existing group."""
    articles = [a for site in world.sites.values() for a in site.articles()]
    groups = {a.story for a in articles if a.story}
    for article in articles:
        if article.copy_of:
            original = world.article(article.copy_of)
            if not original.story or original.story != article.story:
                raise ValueError(f"copy {article.key!r} must have the story group of "
                                 f"{original.key!r} ({original.story!r}), not {article.story!r}")
        if article.follows and (article.follows not in groups or article.follows == article.story):
            raise ValueError(f"{article.key!r} follows {article.follows!r}: no such other story")


def ground_truth(world: World) -> list[SampleArticle]:
    """One `SampleArticle` per article of every site, the off-site one included."""
    via: dict[str, set[str]] = {}
    listing_page: dict[str, int] = {}
    configured = [world.sites[name] for name in SITE_NAMES if name in world.sites]
    for site in configured:
        for number in range(1, site.page_count() + 1):
            for article in site.listing_page(number) or ():
                via.setdefault(article.key, set()).add("listing")
                listing_page.setdefault(article.key, number)
        for article in site.feed():
            via.setdefault(article.key, set()).add("feed")
        for query in SEARCH_QUERIES:
            for article in site.search(query):
                via.setdefault(article.key, set()).add("search")
    frontier = list(via)
    while frontier:
        source = world.article(frontier.pop())
        for link in source.links:
            target = world.article(link.target)
            if target.forbidden or target.site not in SITE_NAMES:
                continue
            newly_found = not via.get(target.key)
            via.setdefault(target.key, set()).add("read_also")
            if newly_found:
                frontier.append(target.key)
    truth = []
    for site in world.sites.values():
        for article in site.articles():
            found = tuple(v for v in _VIA_ORDER if v in via.get(article.key, ()))
            targets = tuple(dict.fromkeys(world.article(link.target).path
                                          for link in article.links))
            truth.append(SampleArticle(
                site=site.name, path=article.path, title=article.title,
                language=article.language, published=article.published,
                body_snippets=body_snippets(article),
                not_in_body=tuple(dict.fromkeys(site.boilerplate(article))),
                on_topic=article.on_topic, reachable=bool(found), via=found,
                forbidden=article.forbidden, story_group=article.story, read_also=targets,
                listing_page=listing_page.get(article.key),
                copy_of=world.article(article.copy_of).path if article.copy_of else None,
                follows=article.follows, date_shown=article.date_shown,
            ))
    return truth


def new_article(world: World, site_name: str, title: str, paragraphs: Sequence[str], *,
                on_topic: bool = False, published: datetime | None = None,
                story_group: str | None = None, read_also: Sequence[str] = (),
                author: str = "", section: str = "") -> Article:
    """An article to publish at run time; ``read_also`` lists paths of existing articles."""
    site = world.sites[site_name]
    if not paragraphs or not title.strip():
        raise ValueError("a new article needs a title and at least one paragraph")
    by_path = {a.path: a for s in world.sites.values() for a in s.articles()}
    missing = [p for p in read_also if p not in by_path]
    if missing:
        raise ValueError(f"read_also paths not found on the sample sites: {missing}")
    count = sum(1 for a in site.articles() if a.key.startswith("added-")) + 1
    key = f"added-{site_name}-{count}"
    body = [p.strip() for p in paragraphs]
    links = [parse_link(by_path[p].key) for p in read_also]
    return Article(
        key=key, site=site_name, id=_new_id(site, key), title=title.strip(),
        body=(*body[:1], *links, *body[1:]),
        published=(published or world.now).astimezone(ZoneInfo(site.timezone)),
        author=author or "هيئة التحرير", slug=slugify(title, arabic=site_name == "almokhbir"),
        section=section or site.articles()[0].section, language=site.language,
        on_topic=on_topic, story=story_group,
    )


def _new_id(site: Site, key: str) -> str:
    if isinstance(site, BawabaSite):
        return arc_id(key)
    return str(max(int(a.id) for a in site.articles() if a.id.isdigit()) + 1)
