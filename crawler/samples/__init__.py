"""Bundled sample news sites, served on loopback for the demo, the crawl tests and
the benchmark.

Four sites, one 127.0.0.x address each: «المخبر» (Al Mokhbir, a Hespress-like
WordPress daily), «البوابة 24» (Al Bawaba 24, a JSON-LD portal), «Le Quotidien»
(a French daily) and «صدى الأطلس» (Sada al-Atlas, a stock WordPress theme that
dresses og:title and <title> with the site's name), plus an off-site server
whose pages are linked but must never be fetched. Articles are data files in
``data/`` (one TOML file per site); pages are rendered by small per-site
templates. Publication dates are relative to the clock's now, so the news is
always fresh; `sample_articles` computes the expected values (the ground truth)
for a given instant.
`ScriptedSite` is their programmable sibling: it answers path by path exactly what
a test scripts (errors, hang-ups, slow pages, ETags) and logs what it was asked.
"""

from __future__ import annotations

from datetime import datetime

from crawler import clock
from crawler.samples.bulk import BulkSite, generate_bulk_site
from crawler.samples.catalog import build_world, ground_truth
from crawler.samples.model import OFFSITE, SEARCH_QUERIES, SITE_NAMES, SampleArticle
from crawler.samples.scripted import Answer, Hit, ScriptedSite
from crawler.samples.server import SampleSites, SiteServer

__all__ = [
    "OFFSITE",
    "SEARCH_QUERIES",
    "SITE_NAMES",
    "Answer",
    "BulkSite",
    "Hit",
    "SampleArticle",
    "SampleSites",
    "ScriptedSite",
    "SiteServer",
    "generate_bulk_site",
    "sample_articles",
]


def sample_articles(now: datetime | None = None) -> list[SampleArticle]:
    """The ground truth of the four sites and the off-site pages, dated against
    ``now`` (default: the clock's now), exactly as `SampleSites(now=now)` serves them."""
    return ground_truth(build_world(now or clock.now()))
