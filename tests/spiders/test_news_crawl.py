"""Crawl the bundled sample sites with the real `marsad crawl` and check the archive."""

from __future__ import annotations

import json
import tomllib
from datetime import datetime
from urllib.parse import quote, urlsplit
from urllib.request import urlopen

import pytest

from crawler.config import load_config
from crawler.samples import SampleArticle, SampleSites
from crawler.text import squash_spaces
from storage import Archive

LISTING_PAGES = 3
READ_ALSO_DEPTH = 2


def searched_paths(sites: SampleSites, truth: dict[str, SampleArticle]) -> set[str]:
    """Articles that the sites' own search returns for the built-in topic's queries."""
    config = load_config(None, env={})
    queries = [q for topic in config.topics for q in topic.queries]
    sources = {s["name"]: s for s in tomllib.loads(sites.sources_toml())["sources"]}
    found = set()
    for article in truth.values():
        search_url = sources[article.site]["search_url"]
        for query in queries:
            url = search_url.replace("{query}", quote(query, safe=""))
            with urlopen(url) as answer:
                if article.path in answer.read().decode("utf-8", "replace"):
                    found.add(article.path)
    return found


def expected_paths(sites: SampleSites, *, search: bool = True) -> set[str]:
    """What a crawl must store: listing/feed/search finds, then read-also links
    followed from matching articles up to READ_ALSO_DEPTH hops."""
    truth = {a.path: a for a in sites.articles if a.site != "offsite"}
    found = {
        a.path for a in truth.values()
        if (a.listing_page is not None and a.listing_page <= LISTING_PAGES) or "feed" in a.via
    }
    if search:
        found |= searched_paths(sites, truth)
    # Effective depth: 0 at a matching article, None where links are not followed.
    depth = {path: (0 if truth[path].on_topic else None) for path in found}
    frontier = [p for p, d in depth.items() if d is not None]
    while frontier:
        path = frontier.pop()
        hop = depth[path] + 1
        if hop > READ_ALSO_DEPTH:
            continue
        for target in truth[path].read_also:
            article = truth.get(target)
            if article is None or article.forbidden:
                continue
            effective = 0 if article.on_topic else hop
            if target not in depth or depth[target] is None or depth[target] > effective:
                depth[target] = effective
                frontier.append(target)
    return {p for p in depth if not truth[p].forbidden}


@pytest.fixture
def crawled(site_config, marsad, tmp_path):
    config = site_config(f"listing_pages = {LISTING_PAGES}")
    result = marsad("--config", str(config), "crawl", "--json")
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    return summary, Archive(tmp_path / "archive.db")


def stored_by_path(archive: Archive) -> dict[str, dict]:
    return {urlsplit(row["url"]).path: row for row in archive.export_articles()}


def test_stores_every_reachable_article_once_and_nothing_else(sites, crawled):
    summary, archive = crawled
    stored = stored_by_path(archive)
    rows = list(archive.export_articles())
    assert len(rows) == len(stored), "an article was stored twice under two URLs"
    assert set(stored) == expected_paths(sites)
    assert sum(s["new"] for s in summary["sources"]) == len(rows)
    assert all(s["errors"] == 0 for s in summary["sources"])


def test_never_fetches_forbidden_or_offsite_pages(sites, crawled):
    forbidden = [a for a in sites.articles if a.forbidden]
    assert forbidden
    for article in forbidden:
        assert not sites.was_requested(article.site, article.path)
    assert [r for r in sites.requests if r[0] == "offsite"] == []


def _check_article(row: dict, truth: SampleArticle) -> None:
    assert squash_spaces(row["title"]) == squash_spaces(truth.title)
    assert row["language"] == truth.language
    published = datetime.fromisoformat(row["published"])
    if truth.date_shown == "day":  # an archive page shows the date without the time
        assert published.astimezone(truth.published.tzinfo).date() == truth.published.date()
    else:  # the page or, for a page that shows none, the feed gives the minute
        assert abs((published - truth.published).total_seconds()) < 60, row["url"]
    text = squash_spaces(row["text"])
    for snippet in truth.body_snippets:
        assert squash_spaces(snippet) in text, (row["url"], snippet)
    for junk in truth.not_in_body:
        assert squash_spaces(junk) not in text, (row["url"], junk)


def test_titles_dates_and_clean_text(sites, crawled):
    _, archive = crawled
    stored = stored_by_path(archive)
    truth = {a.path: a for a in sites.articles}
    assert {truth[path].date_shown for path in stored} == {"minute", "day", "feed"}
    for path, row in stored.items():
        _check_article(row, truth[path])


def test_stored_headlines_carry_no_site_name(sites, crawled):
    """Sada al-Atlas's pages dress og:title and <title> as "headline - صدى الأطلس" (one headline
    has a dash of its own): every stored headline is the page's, without the site's name."""
    _, archive = crawled
    stored = stored_by_path(archive)
    truth = {a.path: a for a in sites.articles}
    dressed = [path for path in stored if truth[path].site == "sadaatlas"]
    assert len(dressed) >= 8 and any(" - " in truth[path].title for path in dressed)
    names = [site.display_name for site in sites.world.sites.values()]
    for path, row in stored.items():
        assert row["title"] == truth[path].title
        assert not any(row["title"].endswith(name) or row["title"].startswith(name)
                       for name in names), row["title"]


def test_read_also_depth_is_bounded(sites, site_config, marsad):
    # Without site search, some articles can only be reached by read-also chains.
    config = site_config(f"listing_pages = {LISTING_PAGES}\nsearch_pages = 0")
    marsad("--config", str(config), "crawl")
    archive = Archive(config.parent / "archive.db")
    stored = stored_by_path(archive)
    expected = expected_paths(sites, search=False)
    assert set(stored) == expected
    truth = {a.path: a for a in sites.articles}
    only_by_read_also = [a for a in truth.values() if a.via == ("read_also",)]
    assert any(a.path in stored for a in only_by_read_also)
    beyond = [a for a in only_by_read_also if a.path not in expected]
    assert beyond, "no article lies beyond the depth limit"
    assert not any(sites.was_requested(a.site, a.path) for a in beyond)
    edges = archive.read_also_graph()
    assert any(urlsplit(src).path in stored for src, _ in edges)


def test_syndicated_copies_share_a_story(sites, crawled):
    _, archive = crawled
    stored = stored_by_path(archive)
    groups: dict[str, set[str]] = {}
    for article in sites.articles:
        if article.story_group and article.path in stored:
            groups.setdefault(article.story_group, set()).add(stored[article.path]["story"])
    assert groups
    assert all(len(stories) == 1 for stories in groups.values())
    assert len({row["story"] for row in stored.values()}) == len(stored) - sum(
        len([a for a in sites.articles if a.story_group == g and a.path in stored]) - 1
        for g in groups
    )


def test_copies_join_their_originals_story_and_follow_ups_follow_it(sites, crawled):
    _, archive = crawled
    stored = stored_by_path(archive)
    truth = {a.path: a for a in sites.articles}
    copies = [a for a in truth.values() if a.copy_of]
    follow_ups = [a for a in truth.values() if a.follows]
    followed = {a.path for a in truth.values() if a.story_group in {f.follows for f in follow_ups}}
    # Every article of the designed stories is crawled, so that none of the checks is void.
    assert copies and follow_ups
    assert {a.path for a in copies + follow_ups} | {a.copy_of for a in copies} | followed <= set(
        stored)
    for copy in copies:
        assert stored[copy.path]["story"] == stored[copy.copy_of]["story"], copy.title
    story_of = {a.story_group: stored[a.path]["story"] for a in truth.values()
                if a.story_group and a.path in stored}
    for later in follow_ups:
        row = stored[later.path]
        assert row["follows"] == story_of[later.follows] != row["story"], later.title
    # Any other story follows only a story joined to it by a read-also link: no text
    # shared by chance makes one article a follow-up of another.
    story_paths: dict[str, set[str]] = {}
    for path, row in stored.items():
        story_paths.setdefault(row["story"], set()).add(path)
    designed = {stored[a.path]["story"] for a in follow_ups}
    for story, paths in story_paths.items():
        follows = stored[next(iter(paths))]["follows"]
        if story in designed or follows is None:
            continue
        linked = {stored[p]["story"] for path in paths for p in truth[path].read_also
                  if p in stored}
        linked |= {row["story"] for p, row in stored.items()
                   if paths & set(truth[p].read_also)}
        assert follows in linked, sorted(paths)
