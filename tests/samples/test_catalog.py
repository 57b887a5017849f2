"""The sample content and its ground truth, without any server."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from crawler.samples import OFFSITE, SEARCH_QUERIES, SITE_NAMES, sample_articles
from crawler.samples.catalog import build_world
from crawler.samples.model import published_at
from crawler.text import fold

NOW = datetime(2024, 7, 26, 14, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def truth():
    return sample_articles(NOW)


@pytest.fixture(scope="module")
def world():
    return build_world(NOW)


def body_text(world, sample) -> str:
    return "\n".join(_article(world, sample).paragraphs)


def _article(world, sample):
    site = world.sites[sample.site]
    return next(a for a in site.articles() if a.path == sample.path)


def test_content_mix(truth, world):
    configured = [a for a in truth if a.site in SITE_NAMES]
    assert 65 <= len(configured) <= 75
    share = sum(a.on_topic for a in truth) / len(truth)
    assert 0.40 <= share <= 0.58, share
    for sample in truth:
        words = len(body_text(world, sample).split())
        assert 150 <= words <= 400, (sample.title, words)
    assert Counter(a.language for a in configured) == {"ar": 51, "fr": 19}
    # Al Bawaba 24's French edition: one article, a copy of a Le Quotidien dispatch.
    assert Counter((a.site, a.language) for a in configured)[("albawaba24", "fr")] == 1


def test_paths_are_unique_and_percent_encoded(truth):
    paths = [a.path for a in truth]
    assert len(paths) == len(set(paths))
    for path in paths:
        assert path.isascii() and path.startswith("/"), path


def test_every_site_has_each_kind_of_reachability(truth):
    for site in SITE_NAMES:
        vias = [a.via for a in truth if a.site == site]
        assert ("read_also",) in vias, site
        assert ("search",) in vias, site
        assert () in vias, site  # the robots-forbidden article
        assert any("listing" in v and "feed" not in v for v in vias), site
        assert sum("feed" in v for v in vias) >= 8


def test_reachable_means_some_way_in(truth):
    for sample in truth:
        assert sample.reachable == bool(sample.via)
        if sample.forbidden or sample.site == OFFSITE:
            assert sample.via == ()
        assert ("listing" in sample.via) == (sample.listing_page is not None)


def test_forbidden_and_offsite_pages_are_linked_from_reachable_articles(truth):
    linked = {p for a in truth if a.reachable for p in a.read_also}
    forbidden = [a for a in truth if a.forbidden]
    offsite = [a for a in truth if a.site == OFFSITE]
    assert {a.site for a in forbidden} == set(SITE_NAMES)
    assert len(offsite) == 2
    for sample in forbidden + offsite:
        assert sample.path in linked, sample.title
    assert all(a.path.startswith(("/prive/", "/private/")) for a in forbidden)


def test_read_also_chain_of_depth_three(truth):
    """seed-like article -> B -> C -> D, each later one reachable only that way."""
    by_path = {a.path: a for a in truth}
    linkers = Counter(p for a in truth for p in a.read_also)
    seed = next(a for a in truth if a.site == "almokhbir" and "listing" in a.via
                and any(by_path[p].via == ("read_also",) for p in a.read_also))
    chain = [seed]
    while True:
        nxt = [by_path[p] for p in chain[-1].read_also
               if by_path[p].via == ("read_also",) and linkers[p] == 1 and by_path[p] not in chain]
        if not nxt:
            break
        chain.append(nxt[0])
    assert len(chain) >= 4, [a.title for a in chain]
    assert chain[-1].on_topic


def test_chain_middle_does_not_match_the_builtin_topic(truth, world):
    """B and C must not reset the read-also depth by matching the topic themselves."""
    by_path = {a.path: a for a in truth}
    seed = next(a for a in truth if a.title.startswith("فريق مغربي للكشف"))
    b = by_path[seed.read_also[0]]
    c = by_path[b.read_also[0]]
    for sample, absent in ((b, "فرنسا"), (c, "امن")):
        assert fold(absent) not in fold(body_text(world, sample) + sample.title)


def test_syndicated_story_has_identical_body_on_two_sites(truth, world):
    groups: dict[str, list] = {}
    for sample in truth:
        if sample.story_group:
            groups.setdefault(sample.story_group, []).append(sample)
    pair = groups["cell-tangier-tetouan"]
    assert {a.site for a in pair} == {"almokhbir", "albawaba24"}
    first, second = pair
    assert body_text(world, first) == body_text(world, second)
    assert first.title != second.title and first.path != second.path


def copy_edit(original: list[str], copy: list[str]) -> str:
    """The edit a republishing site made to a dispatch, from the two lists of paragraphs."""
    if copy == original:
        return "verbatim"
    if copy[1:] == original[1:] and copy[0].endswith(" " + original[0]):
        return "dateline"
    if copy == original[:-1]:
        return "last paragraph dropped"
    if len(copy) > len(original) and copy[:len(original)] == original:
        return "closing paragraph added"
    words = [(a.split(), b.split()) for a, b in zip(original, copy, strict=False)]
    if len(copy) == len(original) and all(len(a) == len(b) for a, b in words):
        if 1 <= sum(x != y for a, b in words for x, y in zip(a, b, strict=True)) <= 2:
            return "words changed"
    return "other"


def test_wire_copies_cover_the_edits_of_republishing_sites(truth, world):
    by_path = {a.path: a for a in truth}
    copies = [a for a in truth if a.copy_of]
    edits: dict[str, set[str]] = {}
    for copy in copies:
        original = by_path[copy.copy_of]
        assert copy.site != original.site and copy.title != original.title
        assert copy.story_group == original.story_group and copy.follows == original.follows
        assert copy.on_topic and original.on_topic and copy.language == original.language
        delay = copy.published - original.published
        assert timedelta(minutes=30) <= delay <= timedelta(hours=4), (copy.title, delay)
        kind = copy_edit(_article(world, original).paragraphs, _article(world, copy).paragraphs)
        assert kind != "other", copy.title
        edits.setdefault(kind, set()).add(copy.language)
        if kind == "dateline":
            assert re.match(r"^\w+ \(و م ع\) – ", _article(world, copy).paragraphs[0])
    for kind in ("dateline", "last paragraph dropped", "words changed", "closing paragraph added"):
        assert "ar" in edits.get(kind, ()), kind
    assert any("fr" in languages for languages in edits.values())


def test_follow_ups_are_later_news_linked_to_or_quoting_their_story(truth, world):
    groups: dict[str, list] = {}
    for sample in truth:
        if sample.story_group:
            groups.setdefault(sample.story_group, []).append(sample)
    kinds = set()
    for later in (a for a in truth if a.follows and not a.copy_of):
        earlier = groups[later.follows]
        assert later.on_topic and later.story_group != later.follows
        assert all(later.published > a.published for a in earlier), later.title
        paragraphs = _article(world, later).paragraphs
        before = {p for a in earlier for p in _article(world, a).paragraphs}
        assert paragraphs[0] not in before, "a follow-up opens with news of its own"
        linked = any(a.path in later.read_also or later.path in a.read_also for a in earlier)
        quoted = [p for p in paragraphs[1:] if p in before]
        assert linked != bool(quoted), later.title  # one way or the other, not both
        if quoted:
            assert len(quoted[0].split()) >= 30  # a whole paragraph, not a set phrase
            assert all(a.site != later.site for a in earlier)
        kinds.add(("link" if linked else "text", later.language))
    assert {("link", "ar"), ("text", "ar"), ("link", "fr")} <= kinds


def test_hard_positives_never_name_the_countries(truth, world):
    arabic = [a for a in truth if a.on_topic and a.language == "ar"
              and "المغرب" not in body_text(world, a) + a.title
              and "فرنسا" not in body_text(world, a) + a.title]
    french_text = {a.path: body_text(world, a) + " " + a.title for a in truth}
    french = [a for a in truth if a.on_topic and a.language == "fr"
              and not re.search(r"\b(Maroc|France)\b", french_text[a.path])]
    assert len(arabic) >= 2 and len(french) >= 1
    assert all(a.reachable for a in arabic + french)


def test_hard_negatives_carry_every_builtin_term(truth, world):
    def words(text: str) -> set[str]:
        return set(fold(text).split())

    negatives = []
    for sample in truth:
        found = words(body_text(world, sample) + " " + sample.title)
        groups = (("المغرب", "بالمغرب", "maroc"), ("فرنسا", "وفرنسا", "france"),
                  ("الامن", "امن", "securite"))
        if not sample.on_topic and all(found & {fold(t) for t in g} for g in groups):
            negatives.append(sample)
    assert {a.language for a in negatives} == {"ar", "fr"}


def test_search_only_articles_answer_the_search_queries(truth, world):
    for sample in (a for a in truth if a.via == ("search",)):
        text = fold(sample.title + " " + body_text(world, sample))
        assert any(all(w in text for w in fold(q).split()) for q in SEARCH_QUERIES)


def test_snippets_are_in_the_body_and_boilerplate_is_not(truth, world):
    for sample in truth:
        text = body_text(world, sample)
        assert 2 <= len(sample.body_snippets) <= 3
        for snippet in sample.body_snippets:
            assert snippet in text
        if sample.site != OFFSITE:  # a bare page: nothing around the article
            assert len(sample.not_in_body) >= 4
        for junk in sample.not_in_body:
            assert junk not in text, (sample.title, junk)


def test_dates_follow_the_clock(truth):
    later = sample_articles(NOW + timedelta(days=3))
    shifted = {a.title: a.published for a in later}
    for sample in truth:
        assert sample.published.tzinfo is not None
        assert sample.published < NOW
        assert shifted[sample.title] - sample.published == timedelta(days=3)


def test_what_pages_show_of_their_dates(truth, world):
    shown = Counter(a.date_shown for a in truth)
    assert shown["day"] >= 1 and shown["feed"] >= 2, shown
    for sample in truth:
        if sample.date_shown == "feed":  # dated by the feed alone, so found by it alone
            assert sample.via == ("feed",) and sample.listing_page is None, sample.title
            assert _article(world, sample).feed_zone in ("EST", "GMT")
        if sample.date_shown == "day":
            assert sample.reachable and sample.published.year < NOW.year - 3
    zones = {_article(world, a).feed_zone for a in truth if a.date_shown == "feed"}
    assert zones == {"EST", "GMT"}


def test_listing_pages_do_not_depend_on_the_time_of_day():
    for hour, minute in ((0, 5), (11, 40), (23, 55)):
        now = datetime(2024, 3, 10, hour, minute, tzinfo=UTC)
        pages = {a.title: (a.listing_page, "feed" in a.via) for a in sample_articles(now)}
        assert pages == {a.title: (a.listing_page, "feed" in a.via)
                         for a in sample_articles(NOW)}


def test_site_time_zones_match_their_data_files(world):
    from crawler.samples.model import site_data

    for name, site in world.sites.items():
        if name != OFFSITE:
            assert site.timezone == site_data(name)["timezone"]
            assert all(a.published.utcoffset() is not None for a in site.articles())


def test_ages():
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Africa/Casablanca")
    assert published_at("2d 10:30", NOW, tz) == datetime(2024, 7, 24, 10, 30, tzinfo=tz)
    assert published_at("3h", NOW, tz) == datetime(2024, 7, 26, 11, 5, tzinfo=UTC)
    with pytest.raises(ValueError, match="bad article age"):
        published_at("yesterday", NOW, tz)
