"""`[alerts] max_age`: old matching stories are stored, not alerted."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest

from crawler import clock
from storage import Archive

pytestmark = pytest.mark.slow  # every test here crawls or runs marsad in a child


def test_old_matching_stories_are_stored_but_not_alerted(sites, site_config, marsad):
    config = site_config("listing_pages = 3", '[alerts]\nmax_age = "30d"\n')
    marsad("--config", str(config), "crawl")
    with Archive(config.parent / "archive.db") as archive:
        articles = {urlsplit(a["url"]).path: a for a in archive.export_articles()}
        alerted = {a["story"] for a in archive.list_alerts()}
    limit = clock.now() - timedelta(days=30)
    truth = {a.path: a for a in sites.articles}
    old = [a for p, a in articles.items() if truth[p].on_topic and truth[p].published < limit]
    recent = [a for p, a in articles.items() if truth[p].on_topic and truth[p].published >= limit]
    assert old and recent
    for article in old:
        assert article["topics"] == ["morocco-france-security"]  # matched and stored
        assert datetime.fromisoformat(article["published"]) < limit
        assert article["story"] not in alerted
    assert {a["story"] for a in recent} <= alerted
