"""A large Al-Mokhbir-style site of synthetic articles, for the crawl benchmark.

Only titles, dates and a lead paragraph are held in memory; each article page
is rendered on request from a seeded random generator, so 5,000 articles are
ready in well under a second and pages are identical from run to run.

Sentences are drawn word by word from the vocabulary's sentences, so that two
articles share words, as real ones do, but no long passage: whole stock
sentences repeated across thousands of articles would make every article a
near-copy of others, which no news site is, and story detection would then
verify candidates for every article, a cost real crawls do not pay.
"""

from __future__ import annotations

import json
import random
import tomllib
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from crawler import clock
from crawler.samples.model import Article, Link, slugify
from crawler.samples.mokhbir import MokhbirSite
from crawler.samples.site import World
from crawler.text import fold


@cache
def _vocabulary() -> dict[str, list[str]]:
    with resources.files("crawler.samples").joinpath("data", "bulk.toml").open("rb") as handle:
        return tomllib.load(handle)


@cache
def _words() -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The words of the stock sentences, weighted as in running text (Zipf: 1 / rank)."""
    words = list(dict.fromkeys(w for s in _vocabulary()["sentences"] for w in s.split()))
    return tuple(words), tuple(1 / rank for rank in range(1, len(words) + 1))


def _sentence(rng: random.Random) -> str:
    words, weights = _words()
    return " ".join(rng.choices(words, weights, k=rng.randint(12, 22))).rstrip(".،") + "."


class BulkSite(MokhbirSite):
    """A Mokhbir-style site with ``n`` synthetic articles, newest first, 17 minutes apart."""

    name = "bulk"
    per_page = 50
    feed_size = 50

    def __init__(self, world: World, n_articles: int, seed: int = 1) -> None:
        super().__init__(world, [])
        self.seed = seed
        rng = random.Random(seed)
        words = _vocabulary()
        tz = ZoneInfo(self.timezone)
        start = world.now.astimezone(tz).replace(second=0, microsecond=0) - timedelta(minutes=40)
        articles = []
        for index in range(n_articles):
            on_topic = rng.random() < 0.05
            title = (f"{rng.choice(words['subjects'])} بـ{rng.choice(words['cities'])} "
                     f"{rng.choice(words['actions'])}")
            title = (f"تعاون أمني مغربي فرنسي: {title}" if on_topic
                     else f"{title} {rng.choice(words['topics'])}")
            lead = f"{_sentence(rng)} {_sentence(rng)}"
            if on_topic:
                lead = f"{words['security_sentences'][0]} {lead}"
            article = Article(
                key=f"bulk-{index}", site=self.name, id=str(600000 + n_articles - index),
                title=title, body=(lead,), published=start - timedelta(minutes=17 * index),
                author="هيئة التحرير", slug=slugify(title, arabic=True), section="societe",
                on_topic=on_topic)
            article.path = self.article_path(article)
            articles.append(article)
        self._articles = tuple(articles)
        self._by_key = {a.key: a for a in articles}
        self._paths = {p: (a, v) for a in articles for p, v in self._all_paths(a)}
        self._folded_titles = [fold(a.title) for a in articles]
        self.updated = articles[0].published if articles else self.updated

    def _all_paths(self, article: Article) -> Iterator[tuple[str, str]]:
        yield unquote(article.path), ""
        for variant, path in self.variant_paths(article).items():
            yield unquote(path), variant

    def by_key(self, key: str) -> Article | None:
        return self._by_key.get(key)

    def listed(self) -> list[Article]:
        return list(self._articles)

    def search(self, query: str) -> list[Article]:
        """Title search only: scanning 5,000 generated bodies per query would be too slow."""
        words = fold(query).split()
        return [a for a, title in zip(self._articles, self._folded_titles, strict=True)
                if words and all(w in title for w in words)]

    def lookup(self, path: str) -> tuple[Article, str] | None:
        found = self._paths.get(path)
        return (self.expand(found[0]), found[1]) if found else None

    def expand(self, article: Article) -> Article:
        """The full article: paragraphs and read-also links regenerated from the seed."""
        index = int(article.key.split("-")[1])
        rng = random.Random(self.seed * 1_000_003 + index)
        words = _vocabulary()
        body: list[str | Link] = [article.body[0]]
        for _ in range(rng.randint(9, 15)):
            sentences = [_sentence(rng) for _ in range(rng.randint(2, 4))]
            if article.on_topic and rng.random() < 0.4:
                sentences.append(rng.choice(words["security_sentences"]))
            body.append(" ".join(sentences))
        older = len(self._articles) - index - 1
        for _ in range(min(older, rng.randint(1, 2))):
            target = index + rng.randint(1, min(older, 400))
            body.insert(rng.randint(2, len(body) - 1), Link(f"bulk-{target}"))
        return replace(article, body=tuple(body))

    # -- ground truth ---------------------------------------------------------
    def article_paths(self) -> list[str]:
        """Every article path, newest first (all on the listing, the newest 50 in the feed)."""
        return [a.path for a in self._articles]

    def on_topic_paths(self) -> list[str]:
        return [a.path for a in self._articles if a.on_topic]

    def source_toml(self, name: str = "bulk") -> str:
        """A ``[[sources]]`` block for this site once served."""
        base = self.base_url
        host = base.split("//", 1)[1].rsplit(":", 1)[0]
        return "\n".join((
            "[[sources]]", f"name = {json.dumps(name)}", f"allowed_domains = [{json.dumps(host)}]",
            f"listing_urls = [{json.dumps(base + '/')}]",
            f"feed_urls = [{json.dumps(base + '/feed')}]",
            f"search_url = {json.dumps(base + '/?s={query}')}",
            'language = "ar"', f"timezone = {json.dumps(self.timezone)}")) + "\n"


def generate_bulk_site(n_articles: int, *, seed: int = 1, now: datetime | None = None) -> BulkSite:
    """A servable site of ``n_articles`` synthetic articles (serve it with `SiteServer`)."""
    if n_articles < 1:
        raise ValueError(f"n_articles must be at least 1, got {n_articles}")
    world = World(now or clock.now())
    site = BulkSite(world, n_articles, seed)
    world.sites[site.name] = site
    return site
