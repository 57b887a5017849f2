"""One article page read: its extraction, then topic matching and the words each match
found on it, and the features story placement will decide on.

Pure, so that it runs wherever there is a core to spare: in the crawl's process, or in
a worker process of the extraction pool (`crawler.extensions.extraction`). A worker is
given what does not change during a crawl once (`start_worker`: the topics, the text
cap), then only each page (`Page`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from crawler.extract import ExtractedArticle, PageHints, extract_article
from crawler.extract.headline import AffixLearner, SiteAffixes
from crawler.highlight import found_words
from crawler.matching import Topic, capped_text, match_all
from storage.records import PreparedStory, TopicMatchRecord
from storage.story_text import prepare_story


@dataclass(frozen=True)
class Page:
    """A fetched article page and what its source and the clock tell extraction."""
    source: str  # the name of the source whose headline dressing it may wear
    body: bytes
    url: str
    hints: PageHints
    now: datetime
    declared_encoding: str | None


@dataclass(frozen=True)
class PageReading:
    article: ExtractedArticle
    matches: tuple[TopicMatchRecord, ...]
    text_capped: bool  # matching read only the first max_text_size of the text
    prepared: PreparedStory  # what story placement will compute, made here


def read_page(page: Page, affixes: SiteAffixes, topics: Sequence[Topic],
              max_text_size: int) -> PageReading:
    """Extract the page, its headline undressed of `affixes`, then match it against
    every topic."""
    article = extract_article(page.body, page.url, hints=page.hints, now=page.now,
                              declared_encoding=page.declared_encoding, affixes=affixes)
    # Matching reads at most max_text_size: its work per article stays bounded.
    text, capped = capped_text(article.text, max_text_size)
    matches = tuple(
        TopicMatchRecord(m.topic, m.score, tuple(m.matched),
                         found_words(article.title, text, m.matched))
        for m in match_all(topics, title=article.title, text=text, language=article.language)
    )
    return PageReading(article, matches, capped,
                       prepare_story(article.title or "", article.text or ""))


class Reader:
    """Reads a crawl's article pages in the order given, learning the dressing each
    source puts around its headlines as it goes: a page is read with what the pages
    of its source before it taught (`headline.AffixLearner`). Where the pages are read
    (a worker reads them in the order they were sent), the learning happens there."""

    def __init__(self, topics: Sequence[Topic], max_text_size: int):
        self.topics = tuple(topics)
        self.max_text_size = max_text_size
        self.affixes: dict[str, AffixLearner] = {}

    def read(self, page: Page) -> PageReading:
        learner = self.affixes.setdefault(page.source, AffixLearner())
        reading = read_page(page, learner.known(), self.topics, self.max_text_size)
        learner.observe(reading.article.headline_forms, page.url)
        return reading


# A worker process's reader, set once by start_worker.
_reader = Reader((), 0)


def start_worker(topics: tuple[Topic, ...], max_text_size: int) -> None:
    """A worker's initialiser: the topics and the cap, for every page it will read."""
    global _reader
    _reader = Reader(topics, max_text_size)
    match_all(topics, title="", text="")  # compiles each topic's terms now, not on a page


def read_in_worker(page: Page) -> PageReading:
    return _reader.read(page)


def ready() -> None:
    """Nothing: the call that has the pool start its workers before the first page."""
