"""The built-in topic over every article of the sample sites, against their labels.

Articles come straight from the sites' data (title and paragraphs, as the pages render
them), so no server is needed; the data files' `topic` flag is the label.
"""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from crawler.matching import match
from crawler.samples import sample_articles
from crawler.samples.catalog import build_world

NOW = datetime(2024, 7, 26, 14, 5, tzinfo=UTC)
WORLD = build_world(NOW)
ARTICLES = [article for site in WORLD.sites.values() for article in site.articles()]


def test_every_sample_article_is_checked():
    truth = {(a.site, a.path, a.on_topic) for a in sample_articles(NOW)}
    assert {(a.site, a.path, a.on_topic) for a in ARTICLES} == truth
    assert {a.site for a in ARTICLES} >= {"almokhbir", "albawaba24", "lequotidien"}
    assert 10 <= sum(a.on_topic for a in ARTICLES) <= len(ARTICLES) - 10


@pytest.mark.parametrize("article", ARTICLES, ids=[a.key for a in ARTICLES])
def test_verdict_is_the_articles_label(security_topic, article):
    found = match(security_topic, title=article.title, text=article.text, language=article.language)
    assert (found is not None) == article.on_topic, found


def test_a_joint_drill_at_a_stadium_outweighs_the_sport_words(security_topic):
    drill = WORLD.article("joint-counterterror-exercise")
    assert drill.on_topic and "ملعب" in drill.title
    found = match(security_topic, title=drill.title, text=drill.text)
    assert found is not None and found.score >= security_topic.min_score
    # Its sport words alone would cancel it: the security core is what keeps it.
    plain = replace(security_topic, core_terms=())
    assert match(plain, title=drill.title, text=drill.text) is None
