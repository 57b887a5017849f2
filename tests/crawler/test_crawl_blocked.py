"""Sites that refuse bots are reported "blocked" in the crawl summary, once per source and
cycle with the refused address, and are no error; `marsad stats` shows `verified`."""

from __future__ import annotations

import json

import pytest

from crawler.samples import Answer, ScriptedSite
from crawler.samples.challenges import CLOUDFLARE_CHALLENGE, SUCURI_CHALLENGE

pytestmark = pytest.mark.slow


def walled_sources(forbidding: ScriptedSite, challenging: ScriptedSite) -> str:
    return f"""
[[sources]]
name = "walled"
listing_urls = ["{forbidding.base_url}/"]
feed_urls = ["{forbidding.base_url}/feed"]

[[sources]]
name = "checkpoint"
listing_urls = ["{challenging.base_url}/"]
"""


@pytest.fixture
def forbidding():
    routes = {"/robots.txt": Answer.robots(),
              "/": Answer(403, b"<h1>403 Forbidden</h1>", {"Server": "cloudflare"}),
              "/feed": Answer(200, SUCURI_CHALLENGE)}
    with ScriptedSite("127.0.0.5", routes) as site:
        yield site


@pytest.fixture
def challenging():
    # Even robots.txt is answered by the challenge: no page of the site is asked for.
    routes = {"/robots.txt": Answer(503, CLOUDFLARE_CHALLENGE, {"cf-mitigated": "challenge"})}
    with ScriptedSite("127.0.0.6", routes) as site:
        yield site


def test_blocked_sources_are_named_once_and_are_no_error(sites, site_config, marsad,
                                                         forbidding, challenging):
    config = site_config(tail=walled_sources(forbidding, challenging))
    text = config.read_text(encoding="utf-8").replace(
        'name = "almokhbir"\n', 'name = "almokhbir"\nverified = "2025-04-20"\n')
    config.write_text(text, encoding="utf-8")
    crawl = ["--config", str(config), "crawl", "--source", "almokhbir", "--source", "walled",
             "--source", "checkpoint"]

    summary = json.loads(marsad(*crawl, "--json").stdout.strip().splitlines()[-1])
    by_name = {s["name"]: s for s in summary["sources"]}
    walled, checkpoint = by_name["walled"], by_name["checkpoint"]
    assert walled["errors"] == 0 and walled["last_error"] is None
    assert walled["blocked_pages"] == 2
    assert walled["blocked"] in (f"{forbidding.base_url}/ (HTTP 403 (Cloudflare))",
                                 f"{forbidding.base_url}/feed (bot protection (Sucuri), HTTP 200)")
    assert checkpoint["errors"] == 0 and checkpoint["blocked_pages"] == 1
    assert checkpoint["blocked"] == (f"{challenging.base_url}/ (robots.txt refused: bot "
                                     "protection (Cloudflare), HTTP 503)")
    assert set(challenging.paths()) == {"/robots.txt"}  # asked again once: a 503 is retried
    assert by_name["almokhbir"]["blocked"] is None and by_name["almokhbir"]["new"] > 0

    lines = marsad(*crawl).stdout.splitlines()
    blocked = [line for line in lines if ": blocked: " in line]
    assert len(blocked) == 2
    assert blocked[0].startswith(f"walled: blocked: {forbidding.base_url}/")
    assert blocked[0].endswith(" and 1 more page(s)")
    assert blocked[1].startswith(f"checkpoint: blocked: {challenging.base_url}/ ")

    stats = {row["name"]: row for row in map(json.loads, marsad(
        "--config", str(config), "stats", "--json").stdout.splitlines())}
    assert stats["almokhbir"]["verified"] == "2025-04-20"
    assert stats["walled"]["verified"] is None
    assert "verified: 2025-04-20" in marsad("--config", str(config), "stats").stdout
