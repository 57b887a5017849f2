"""Incremental crawling: what a cycle downloads again, and what it must not.

Three cycles of `marsad crawl` over the sample sites and one scripted source:
the first stores everything; the second finds nothing new and is answered
304; before the third, ten articles are published and the third downloads
those ten and nothing else. The scripted source fails once in the first cycle,
so its listing validators must not be saved until a clean cycle.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from crawler.samples import SITE_NAMES, Answer, Hit, SampleSites, ScriptedSite
from storage import Archive

REPO = Path(__file__).resolve().parents[2]
ADDED = {"almokhbir": 4, "albawaba24": 3, "lequotidien": 3}


def article(title: str) -> Answer:
    text = (f"<p>{title} : une information du jour publiée à Rabat, avec assez de texte pour "
            "être prise pour le corps d'un article de presse.</p>") * 4
    return Answer(200, (f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>'
                        f"{title}</title></head><body><article><h1>{title}</h1>{text}</article>"
                        "</body></html>").encode())


def listing(paths: list[str], etag: str = '"v1"') -> Answer:
    """The listing page "/", with an ETag: a request sending it back is answered 304."""
    links = "".join(f'<li><a href="{p}">Une information du jour numéro {n}</a></li>'
                    for n, p in enumerate(paths))
    return Answer(200, f"<!DOCTYPE html><html><body><ul>{links}</ul></body></html>".encode(),
                  {"ETag": etag})


FIRST, SECOND, THIRD = (f"/news/100{n}-information.html" for n in range(3))
ROBOTS = Answer.robots()
# Variants of FIRST: tracking parameters, AMP (two spellings), trailing slash.
VARIANTS = [FIRST + "?utm_source=newsletter&utm_medium=email", FIRST.replace(".html", ".amp.html"),
            FIRST + "?amp=1", FIRST + "/"]


def marsad(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "--config", str(config),
                             *args], cwd=config.parent, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def write_config(folder: Path, sources: str, crawl: str = "") -> Path:
    config = folder / "marsad.toml"
    config.write_text('database = "archive.db"\n\n[crawl]\ndownload_delay = "0s"\n'
                      f'concurrency_per_domain = 8\ntimeout = "5s"\n{crawl}\n\n{sources}',
                      encoding="utf-8")
    return config


def source(name: str, host: ScriptedSite) -> str:
    return (f'[[sources]]\nname = "{name}"\nallowed_domains = ["{host.ip}"]\n'
            f'listing_urls = ["{host.base_url}/"]\nlanguage = "fr"\n')


# -- three cycles ---------------------------------------------------------------------------

@dataclass
class Cycle:
    summary: dict[str, dict]
    requests: list[tuple[str, str, int]]  # the sample sites' log
    hits: list[Hit]  # the scripted source's log


@dataclass
class Run:
    sites: SampleSites
    cycles: list[Cycle]
    added: list[str]  # paths of the ten articles published before the third cycle
    stored: list[dict]


@pytest.fixture(scope="module")
def incremental(tmp_path_factory) -> Iterator[Run]:
    flaky = ScriptedSite("127.0.0.35", {
        "/robots.txt": ROBOTS, "/": listing([FIRST, SECOND]), FIRST: article("Premier"),
        # Fails twice (the request and its retry) in the first cycle only.
        SECOND: lambda count: Answer(500, b"oops") if count < 2 else article("Second"),
        THIRD: article("Troisième")}).start()
    folder = tmp_path_factory.mktemp("incremental")
    with SampleSites() as sites:
        config = write_config(folder, sites.sources_toml() + "\n" + source("flaky", flaky),
                              "listing_pages = 2")
        cycles, added = [], []
        try:
            for turn in range(3):
                if turn == 2:
                    with Archive(folder / "archive.db") as archive:
                        known = [urlsplit(row["url"]).path for row in archive.export_articles()
                                 if row["source"] == "albawaba24"]
                    added = publish(sites, known[:2])
                    flaky.routes["/"] = listing([*VARIANTS, THIRD, SECOND], etag='"v2"')
                summary = json.loads(marsad(config, "crawl", "--json").stdout.splitlines()[-1])
                cycles.append(Cycle({s["name"]: s for s in summary["sources"]},
                                    list(sites.requests), list(flaky.hits)))
                sites.requests.clear()
                flaky.reset()
            with Archive(folder / "archive.db") as archive:
                stored = list(archive.export_articles())
            yield Run(sites, cycles, added, stored)
        finally:
            flaky.stop()


def publish(sites: SampleSites, stored: list[str]) -> list[str]:
    """Ten new articles; the on-topic ones link to the stored articles given."""
    paths = []
    for site, count in ADDED.items():
        for n in range(count):
            on_topic = n == 0
            title = (f"حموشي يبحث مع نظيره الفرنسي في باريس تعزيز التعاون الأمني {site} {n}"
                     if on_topic else f"خبر محلي جديد رقم {n} عن الطقس والأسواق في {site}")
            body = [title + "، " + "وأكدت المصادر أن اللقاء تناول ملفات الإرهاب والهجرة." * 3,
                    "وتأتي هذه الخطوة في إطار الشراكة بين المغرب وفرنسا في مجال الأمن. " * 3]
            new = sites.add_article(site, title, body, on_topic=on_topic,
                                    read_also=stored if on_topic else ())
            paths.append(new.path)
    return paths


def article_of(sites: SampleSites, site: str, target: str) -> str | None:
    """The canonical path of the sample article a request target serves, if any."""
    found = sites.world.sites[site].lookup(unquote(urlsplit(target).path))
    return found[0].path if found else None


# -- the tests ---------------------------------------------------------------------------

def test_a_cycle_downloads_each_article_once_whatever_its_url(incremental):
    first = incremental.cycles[0]
    fetched = Counter(article_of(incremental.sites, site, target)
                      for site, target, _ in first.requests if site in SITE_NAMES)
    fetched.pop(None, None)
    assert len(fetched) > 20
    assert [path for path, times in fetched.items() if times > 1] == []


def test_an_unchanged_site_is_answered_304_and_no_article_is_downloaded(incremental):
    second = incremental.cycles[1]
    samples = [(site, target, status) for site, target, status in second.requests
               if site in SITE_NAMES]
    assert {site for site, _, _ in samples} == set(SITE_NAMES)
    for site, target, status in samples:
        assert status == (200 if target == "/robots.txt" else 304), (site, target)
        assert article_of(incremental.sites, site, target) is None
    assert all(second.summary[name]["new"] == 0 for name in SITE_NAMES)


def test_a_source_with_errors_saves_no_validators(incremental):
    first, second, third = incremental.cycles
    assert [hit.status for hit in first.hits if hit.path == SECOND] == [500, 500]
    # The failed article was found again only because the listing came back in full.
    listing = next(hit for hit in second.hits if hit.path == "/")
    assert (listing.headers.get("If-None-Match"), listing.status) == (None, 200)
    assert second.summary["flaky"]["new"] == 1
    assert second.summary["flaky"]["errors"] == 0
    # After a clean cycle, the validators were saved and sent.
    assert next(hit for hit in third.hits if hit.path == "/").headers.get(
        "If-None-Match") == '"v1"'


def test_only_new_articles_are_downloaded_after_publication(incremental):
    first, _, third = incremental.cycles
    sites = incremental.sites
    articles = Counter(article_of(sites, site, target) for site, target, _ in third.requests
                       if site in SITE_NAMES)
    others = {(site, target) for site, target, _ in third.requests
              if article_of(sites, site, target) is None}
    articles.pop(None, None)
    assert sorted(articles) == sorted(incremental.added)
    assert set(articles.values()) == {1}
    pages_before = {(site, target) for site, target, _ in first.requests}
    assert others <= pages_before  # robots.txt, listings, feeds, searches: nothing else
    assert sum(third.summary[name]["new"] for name in SITE_NAMES) == len(incremental.added)


def test_url_variants_of_a_stored_article_are_not_downloaded_again(incremental):
    third = incremental.cycles[2]
    assert [hit.path for hit in third.hits] == ["/robots.txt", "/", THIRD]
    assert third.summary["flaky"]["new"] == 1
    flaky = [row for row in incremental.stored if row["source"] == "flaky"]
    assert sorted(urlsplit(row["url"]).path for row in flaky) == sorted([FIRST, SECOND, THIRD])


# -- an interrupted cycle ------------------------------------------------------------------

def test_an_interrupted_cycle_saves_no_validators(tmp_path):
    paths = [f"/news/200{n}-information.html" for n in range(4)]
    host = ScriptedSite("127.0.0.36", {"/robots.txt": ROBOTS, "/": listing(paths),
                                       **{p: article(p) for p in paths}},
                        delay=0.5, slow_prefix="/news/").start()
    config = write_config(tmp_path, source("slow", host))
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    try:
        crawl = subprocess.Popen([sys.executable, "-m", "crawler.cli", "--config", str(config),
                                  "crawl", "--json"], cwd=tmp_path, env=env, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while not any(p.startswith("/news/") for p in host.paths()):
            assert time.monotonic() < deadline and crawl.poll() is None
            time.sleep(0.02)
        crawl.send_signal(signal.SIGINT)
        crawl.communicate(timeout=60)
        host.reset()
        marsad(config, "crawl", "--json")
        listing_hit = next(hit for hit in host.hits if hit.path == "/")
        assert (listing_hit.headers.get("If-None-Match"), listing_hit.status) == (None, 200)
        with Archive(tmp_path / "archive.db") as archive:
            stored = {urlsplit(row["url"]).path for row in archive.export_articles()}
        assert stored == set(paths)  # nothing was lost
    finally:
        host.stop()


def test_pagination_stops_at_a_page_of_stored_articles(sites, site_config, tmp_path):
    config = site_config("listing_pages = 3\nsearch_pages = 0")
    marsad(config, "crawl")
    listing_pages = {t for s, t, _ in sites.requests if s == "almokhbir" and "/page/" in t}
    assert listing_pages == {"/page/2/", "/page/3/"}
    sites.requests.clear()
    sites.add_article("almokhbir", "نشرة جوية: أمطار متفرقة بعدد من مناطق المملكة",
                      ["تتوقع المديرية العامة للأرصاد الجوية أمطارا متفرقة. " * 5])
    marsad(config, "crawl")
    pages = [(t, status) for s, t, status in sites.requests if s == "almokhbir"]
    # Page 1 changed (one new article) so page 2 is read; page 2 holds only stored ones.
    assert ("/page/2/", 200) in pages
    assert not any(t == "/page/3/" for t, _ in pages)
