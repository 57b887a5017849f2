"""`marsad probe` over the sample sites on loopback, through the real CLI: a source broken
in the configuration is reported broken with hints that fix it, a site answering 403 and a
challenge is blocked, the others are ok; a probe asks politely and stores nothing."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from crawler.samples import SITE_NAMES, Answer, ScriptedSite
from crawler.samples.challenges import SUCURI_CHALLENGE
from storage import Archive

pytestmark = pytest.mark.slow

USER_AGENT = "marsad-probe-check/1.0 (+https://example.org/marsad)"


@pytest.fixture
def walled():
    """A site behind a wall: 403 for its home page, a challenge for its feed, and a
    listing its robots.txt forbids. Each answer takes a while, so that requests made at
    the same time would overlap."""
    routes = {"/robots.txt": Answer.robots("User-agent: *\nDisallow: /private/\n"),
              "/": Answer(403, b"<h1>403 Forbidden</h1>", {"Server": "cloudflare"}),
              "/feed": Answer(200, SUCURI_CHALLENGE)}
    with ScriptedSite("127.0.0.5", routes, delay=0.2) as site:
        yield site


def article_page(number: int) -> Answer:
    paragraph = ("La coopération sécuritaire entre le Maroc et la France a été au cœur "
                 f"d'une réunion tenue à Rabat, la {number}e de l'année. ") * 4
    return Answer(200, f"""<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Réunion {number}</title>
<meta property="article:published_time" content="2025-04-20T10:30:00+01:00"></head>
<body><article><h1>Réunion sécuritaire numéro {number}</h1><p>{paragraph}</p>
<p>{paragraph}</p></article></body></html>""".encode())


@pytest.fixture
def guarded():
    """A small site whose feed leads first to an article its robots.txt forbids."""
    with ScriptedSite("127.0.0.6") as site:
        paths = ["/private/note-1000.html"] + [f"/news/article-{n}.html" for n in range(1001, 1005)]
        items = "".join(f"<item><title>{path}</title><link>{site.base_url}{path}</link></item>"
                        for path in paths)
        site.routes.update({
            "/robots.txt": Answer.robots("User-agent: *\nDisallow: /private/\n"),
            "/feed": Answer(200, f'<?xml version="1.0"?><rss version="2.0"><channel>'
                                 f"<title>Guarded</title>{items}</channel></rss>".encode(),
                            {"Content-Type": "application/rss+xml"}),
            **{path: article_page(number) for number, path in enumerate(paths, 1000)}})
        yield site


@pytest.fixture
def configured(sites, site_config, walled, guarded):
    """The sample sites, with almokhbir broken (a feed address that is not there, an
    article_pattern its links do not match) and the walled site."""
    config = site_config(extra=f'user_agent = "{USER_AGENT}"', tail=f"""
[[sources]]
name = "walled"
listing_urls = ["{walled.base_url}/", "{walled.base_url}/private/news"]
feed_urls = ["{walled.base_url}/feed"]

[[sources]]
name = "guarded"
feed_urls = ["{guarded.base_url}/feed"]
""")
    base = sites.base_urls["almokhbir"]
    text = config.read_text(encoding="utf-8")
    text = text.replace(f'feed_urls = ["{base}/feed"]', f'feed_urls = ["{base}/press/feed"]')
    text = text.replace('name = "almokhbir"\n',
                        'name = "almokhbir"\narticle_pattern = \'^/press/\\d+\\.html$\'\n')
    config.write_text(text, encoding="utf-8")
    return config


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_probe_reports_verdicts_hints_and_stores_nothing(sites, configured, marsad, walled,
                                                        guarded, tmp_path):
    database = tmp_path / "archive.db"
    result = marsad("--config", str(configured), "probe", "--json", check=False)
    assert result.returncode == 1, result.stderr  # a source is broken
    records = {r["source"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert {name: r["verdict"] for name, r in records.items()} == {
        **dict.fromkeys(SITE_NAMES, "ok"), "almokhbir": "broken", "walled": "blocked",
        "guarded": "ok"}
    assert not database.exists()

    # The broken source: each problem on one line, with what to change.
    broken = records["almokhbir"]
    base = sites.base_urls["almokhbir"]
    assert broken["listing_links"] == 0 and broken["feed_entries"] == 0
    assert any(f"the feed {base}/press/feed failed: HTTP 404; the listing page announces "
               f"{base}/feed" in p for p in broken["problems"])
    hint = next(p for p in broken["problems"] if p.startswith(f"listing {base}/:"))
    assert "no article links matched article_pattern '^/press/\\d+\\.html$'" in hint
    suggested = re.search(r"try article_pattern = '([^']+)'", hint).group(1)
    assert suggested == r"^/[^/]+-\d+\.html$"

    # The walled site: refused and forbidden, never an error; asked politely.
    wall = records["walled"]
    assert {b["url"] for b in wall["blocked"]} == {f"{walled.base_url}/",
                                                   f"{walled.base_url}/feed"}
    assert wall["robots_forbidden"] == [f"{walled.base_url}/private/news"], wall["pages"]
    assert any("HTTP 403 (Cloudflare)" in p for p in wall["problems"])
    assert any("bot protection (Sucuri), HTTP 200" in p for p in wall["problems"])
    paths = walled.paths()
    assert paths[0] == "/robots.txt" and "/private/news" not in paths
    assert all(hit.headers.get("User-Agent") == USER_AGENT for hit in walled.hits)
    assert walled.peak == 1  # one request at a time

    # An article robots.txt forbids is skipped, as the crawl skips it, and another read.
    shield = records["guarded"]
    assert shield["robots_forbidden"] == [f"{guarded.base_url}/private/note-1000.html"]
    assert [a["url"] for a in shield["articles"]] == [
        f"{guarded.base_url}/news/article-{n}.html" for n in (1001, 1002, 1003)]
    assert all(a["published"] and a["body_chars"] > 200 for a in shield["articles"])
    assert "/private/note-1000.html" not in guarded.paths()

    # The others: links from every kind of page, three articles read with all they need.
    for name in set(SITE_NAMES) - {"almokhbir"}:
        record = records[name]
        assert record["problems"] == [] and record["blocked"] == []
        assert record["listing_links"] > 0 and record["feed_entries"] > 0
        assert record["search_results"] > 0 and record["query"]
        assert len(record["articles"]) == 3
        assert all(a["headline"] and a["published"] and a["body_chars"] > 200
                   for a in record["articles"])
        assert record["slowest"]["seconds"] >= 0

    # The table, for people.
    text = marsad("--config", str(configured), "probe", "--source", "almokhbir",
                  "--source", "walled", check=False)
    assert text.returncode == 1
    lines = text.stdout.splitlines()
    assert "almokhbir (verified: not stated)" in lines
    assert "  verdict: broken" in lines and "  verdict: blocked" in lines
    assert any(line.startswith("  listing links") and line.split()[2] == "0" for line in lines)
    assert any(line.startswith("  robots-forbidden") and line.split()[1] == "1"
               for line in lines)
    assert any(line.startswith("  slowest answer") for line in lines)
    assert lines[-1] == "0 ok, 0 degraded, 1 broken, 1 blocked"
    assert not database.exists()

    # The hints fix the source; an existing archive is left as it was.
    Archive(database).close()
    before = (digest(database), database.stat().st_mtime_ns)
    fixed = configured.read_text(encoding="utf-8")
    fixed = fixed.replace("'^/press/\\d+\\.html$'", f"'{suggested}'")
    fixed = fixed.replace(f'"{base}/press/feed"', f'"{base}/feed"')
    configured.write_text(fixed, encoding="utf-8")
    again = marsad("--config", str(configured), "probe", "--source", "almokhbir", "--json")
    record = json.loads(again.stdout)
    assert record["verdict"] == "ok", record["problems"]
    assert record["listing_links"] > 0 and record["feed_entries"] > 0
    assert (digest(database), database.stat().st_mtime_ns) == before
