"""Decide which (topic, channel) alerts a matching article asks for.

The outbox rows themselves are written by the store pipeline, in the same
transaction as the article and its matches.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from scrapy.crawler import Crawler

from crawler import clock
from crawler.config import Config
from crawler.items import ArticleItem
from crawler.settings import marsad_config


def alert_pairs(config: Config, item: ArticleItem, now: datetime) -> tuple[tuple[str, str], ...]:
    """The (topic, channel) pairs to alert for this item, honouring `[alerts] max_age`."""
    published = item.article.published
    if config.alerts.max_age is not None and published is not None:
        if published < now - timedelta(seconds=config.alerts.max_age):
            return ()
    topics = {topic.name: topic for topic in config.topics}
    pairs: list[tuple[str, str]] = []
    for match in item.matches:
        topic = topics.get(match.topic)
        if topic is None:
            continue
        for channel in config.channels_for(topic):
            if (topic.name, channel) not in pairs:
                pairs.append((topic.name, channel))
    return tuple(pairs)


class AlertPlanPipeline:
    def __init__(self, config: Config):
        self.config = config

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AlertPlanPipeline:
        return cls(marsad_config(crawler))

    def process_item(self, item: ArticleItem) -> ArticleItem:
        if item.matches:
            item.alerts = alert_pairs(self.config, item, clock.now())
        return item
