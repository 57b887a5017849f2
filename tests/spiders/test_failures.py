"""Failures during the real crawl: sites down, refused connections, garbage, oversized
pages, redirects out of scope. None of them may fail the cycle or lose other sources.

Two cycles of `marsad crawl` run over the sample sites (one of them down in the
first cycle) and scripted loopback servers serving every kind of bad answer.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.samples import Answer, SampleSites, ScriptedSite
from crawler.text import squash_spaces
from storage import Archive

REPO = Path(__file__).resolve().parents[2]
DOWN = "albawaba24"
ARABIC = "تعاون أمني وثيق بين المغرب وفرنسا لمواجهة التهديدات الإرهابية"


def page(title: str, paragraphs: int = 4, extra: str = "") -> bytes:
    text = (f"<p>{title} : les services de sécurité du Maroc et de la France renforcent leur "
            "coopération contre le terrorisme, selon un communiqué publié à Rabat.</p>")
    return (f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>'
            f'</head><body><article><h1>{title}</h1>{text * paragraphs}{extra}</article>'
            "</body></html>").encode()


def ok(body: bytes, kind: str = "text/html; charset=utf-8") -> Answer:
    return Answer(200, body, {"Content-Type": kind})


def listing(paths: list[str]) -> Answer:
    links = "".join(f'<li><a href="{p}">Une information du jour numéro {n}</a></li>'
                    for n, p in enumerate(paths))
    return ok(f"<!DOCTYPE html><html><body><ul>{links}</ul></body></html>".encode())


def news(name: str) -> str:
    return f"/news/1000-{name}.html"


ALLOW = Answer.robots()
BIG = 400 * 1024  # max_page_size is 120KB; sample pages weigh about 40KB


def junk_routes(offsite: ScriptedSite) -> dict[str, Answer]:
    good = page("Bon article", extra=(
        f'<div class="read-also"><strong>Lire aussi :</strong> <a href="{offsite.base_url}'
        f'{news("lire-aussi")}">Un article ailleurs sur le même sujet</a></div>'))
    pages = {
        news("bon"): ok(good),
        news("binaire"): ok(bytes(range(256)) * 32, "application/octet-stream"),
        news("binaire-html"): ok(bytes(range(256)) * 32),
        news("vide"): ok(b""),
        # Announces 50000 bytes, sends 400 and hangs up.
        news("tronque"): Answer.hang_up(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n"
                                        b"Content-Length: 50000\r\n\r\n" + page("Tronqué")[:400]),
        news("coupe"): ok(page("Coupé en plein milieu")[:-150]),
        # windows-1256 bytes under a header that says UTF-8.
        news("encodage"): ok(f"<html><head><title>{ARABIC}</title></head><body><article>"
                             f"<h1>{ARABIC}</h1>{('<p>' + ARABIC + ' ' + ARABIC + '</p>') * 5}"
                             "</article></body></html>".encode("cp1256")),
        news("demenage"): Answer.moved(news("destination")),
        news("destination"): ok(page("Destination")),
        news("ailleurs"): Answer.moved(offsite.base_url + news("piege"), 302),
        news("ftp"): Answer.moved("ftp://127.0.0.39/pub/article.html"),
        news("fichier"): Answer.moved("file:///etc/passwd"),
        news("script"): Answer.moved("javascript:alert(1)"),
    }
    # The off-site link looks like an article of this site but is on another host; the
    # destination of the move is reached only through the move.
    linked = [path for path in pages if path != news("destination")]
    return {"/robots.txt": ALLOW, "/": listing([*linked, offsite.base_url + news("liste")]),
            **pages}


def heavy_routes() -> dict[str, Answer]:
    big = page("Énorme", paragraphs=BIG // 150)
    pages = {
        news("leger"): ok(page("Léger")),
        news("lourd"): ok(big),
        # No Content-Length: the size is known only while downloading.
        news("lourd-sans-taille"): Answer.hang_up(
            b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + big),
        # 10 MB of zeros in about 10 KB of gzip: refused while decompressing.
        news("bombe"): Answer(200, gzip.compress(b"\0" * 10_000_000),
                              {"Content-Type": "text/html", "Content-Encoding": "gzip"}),
        # A loop that never repeats a URL (a new session id each time) until the limit.
        **{news(f"boucle-{n}"): Answer.moved(news(f"boucle-{n + 1}")) for n in range(8)},
    }
    linked = [path for path in pages if "boucle" not in path or path.endswith("-0.html")]
    return {"/robots.txt": ALLOW, "/": listing(linked), **pages}


def failing_routes() -> dict[str, Answer]:
    pages = {news(f"indisponible-{n}"): Answer(503, b"busy", {"Retry-After": "60"})
             for n in (1, 2)}
    return {"/robots.txt": ALLOW, "/": listing(list(pages)), **pages}


# -- the two cycles ---------------------------------------------------------------------

def marsad(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "crawler.cli", "--config", str(config), *args],
                          cwd=config.parent, env=env, capture_output=True, text=True,
                          timeout=120)


@dataclass
class Cycle:
    returncode: int
    summary: dict[str, dict]
    stored: dict[str, dict[str, dict]]  # source -> path -> exported article
    sample_requests: list[tuple[str, str, int]]
    paths: dict[str, list[str]]  # requested of each scripted site


@dataclass
class Run:
    config: Path
    sites: SampleSites
    hosts: dict[str, ScriptedSite]
    first: Cycle
    second: Cycle


def run_cycle(config: Path, sites: SampleSites, hosts: dict[str, ScriptedSite]) -> Cycle:
    crawled = marsad(config, "crawl", "--json")
    assert crawled.stdout.strip(), crawled.stderr[-3000:]
    summary = json.loads(crawled.stdout.strip().splitlines()[-1])
    stored: dict[str, dict[str, dict]] = defaultdict(dict)
    with Archive(config.parent / "archive.db") as archive:
        for row in archive.export_articles():
            stored[row["source"]][urlsplit(row["url"]).path] = row
    requests = list(sites.requests)
    sites.requests.clear()
    paths = {name: host.paths() for name, host in hosts.items()}
    for host in hosts.values():
        host.reset()
    return Cycle(crawled.returncode, {s["name"]: s for s in summary["sources"]}, stored,
                 requests, paths)


@pytest.fixture(scope="module")
def failures(tmp_path_factory) -> Iterator[Run]:
    offsite = ScriptedSite("127.0.0.39").start()
    hosts = {"junk": ScriptedSite("127.0.0.31", junk_routes(offsite)).start(),
             "heavy": ScriptedSite("127.0.0.32", heavy_routes()).start(),
             "failing": ScriptedSite("127.0.0.33", failing_routes()).start(),
             # Nothing ever listens there.
             "refused": ScriptedSite("127.0.0.34", port=ScriptedSite.free_port("127.0.0.34"))}
    config = tmp_path_factory.mktemp("failures") / "marsad.toml"
    with SampleSites() as sites:
        extra = "".join(
            f'[[sources]]\nname = "{name}"\nallowed_domains = ["{h.ip}"]\n'
            f'listing_urls = ["{h.base_url}/"]\nlanguage = "fr"\n\n' for name, h in hosts.items())
        config.write_text(
            'database = "archive.db"\n\n[crawl]\ndownload_delay = "0s"\n'
            'concurrency_per_domain = 8\ntimeout = "5s"\nmax_page_size = "120KB"\n'
            "listing_pages = 3\n\n"
            f"{sites.sources_toml()}\n{extra}", encoding="utf-8")
        sites.set_down(DOWN, True)
        try:
            hosts["offsite"] = offsite
            first = run_cycle(config, sites, hosts)
            sites.set_down(DOWN, False)
            second = run_cycle(config, sites, hosts)
            yield Run(config, sites, hosts, first, second)
        finally:
            for host in hosts.values():
                host.stop()


# -- a failing source does not fail the cycle ----------------------------------------------

def test_the_cycle_succeeds_and_healthy_sources_are_stored(failures):
    first = failures.first
    assert first.returncode == 0
    for name in ("almokhbir", "lequotidien"):
        assert first.summary[name]["errors"] == 0
        assert first.summary[name]["new"] == len(first.stored[name]) > 5


def test_a_site_that_is_down_is_reported_and_recovers_next_cycle(failures):
    first, second = failures.first, failures.second
    source = first.summary[DOWN]
    assert source["errors"] > 0 and source["new"] == 0
    assert "503" in source["last_error"]
    # robots.txt answered 503: nothing else was asked of the site.
    assert {path for site, path, _ in first.sample_requests if site == DOWN} == {"/robots.txt"}
    assert second.summary[DOWN]["errors"] == 0
    assert second.summary[DOWN]["new"] == len(second.stored[DOWN]) > 5


def test_a_host_refusing_connections_is_reported(failures):
    source = failures.first.summary["refused"]
    assert source["errors"] > 0 and source["new"] == 0
    assert "refused" in source["last_error"].lower()


def test_pages_answering_errors_are_reported(failures):
    source = failures.first.summary["failing"]
    assert source["errors"] >= 2 and source["new"] == 0
    assert "503" in source["last_error"]


# -- size limit ---------------------------------------------------------------------------

def test_pages_over_the_size_limit_are_skipped_and_reported(failures):
    source = failures.first.summary["heavy"]
    assert source["errors"] == 2
    assert "size limit" in source["last_error"]
    assert set(failures.first.stored["heavy"]) == {news("leger")}


def test_every_dropped_page_is_counted_with_its_reason(failures):
    assert failures.first.summary["heavy"]["dropped"] == {
        "size": 2, "bomb": 1, "redirect_loop": 1}
    # The redirect to another host is dropped as out of scope.
    assert failures.first.summary["junk"]["dropped"] == {"scope": 1}
    stats = {row["name"]: row for row in map(
        json.loads, marsad(failures.config, "stats", "--json").stdout.splitlines())}
    assert stats["heavy"]["last_run_dropped"] == failures.second.summary["heavy"]["dropped"]


# -- garbage --------------------------------------------------------------------------------

def test_garbage_does_not_stop_good_pages(failures):
    stored = failures.first.stored["junk"]
    assert squash_spaces(stored[news("bon")]["title"]) == "Bon article"
    assert stored[news("coupe")]["title"] == "Coupé en plein milieu"
    assert news("tronque") not in stored
    assert failures.first.summary["junk"]["errors"] > 0


def test_garbage_pages_are_not_stored_as_articles(failures):
    stored = failures.first.stored["junk"]
    blank = [path for path, row in stored.items() if not row["title"] and not row["text"]]
    assert blank == []


def test_mislabelled_encoding_is_read_right(failures):
    row = failures.first.stored["junk"][news("encodage")]
    assert row["title"] == ARABIC
    assert ARABIC in row["text"]


def test_windows_1256_and_broken_sample_pages_are_stored_with_correct_arabic(failures):
    site = failures.sites.world.sites["almokhbir"]
    odd = [a for a in site.articles() if a.encoding != "utf-8" or a.broken]
    assert {a.encoding for a in odd} >= {"windows-1256"} and any(a.broken for a in odd)
    stored = failures.first.stored["almokhbir"]
    truth = {a.path: a for a in failures.sites.articles}
    for article in odd:
        row = stored[article.path]
        assert squash_spaces(row["title"]) == squash_spaces(article.title)
        for snippet in truth[article.path].body_snippets:
            assert squash_spaces(snippet) in squash_spaces(row["text"])


# -- scope -----------------------------------------------------------------------------------

def test_nothing_is_requested_outside_the_configured_sources(failures):
    good = failures.first.stored["junk"][news("bon")]
    assert good["topics"]  # so its read-also links were followed where allowed
    assert [link["url"] for link in good["read_also"]] == [
        failures.hosts["offsite"].base_url + news("lire-aussi")]
    for cycle in (failures.first, failures.second):
        assert cycle.paths["offsite"] == []
        assert [r for r in cycle.sample_requests if r[0] == "offsite"] == []


def test_redirects_are_followed_only_within_the_source(failures):
    stored = failures.first.stored["junk"]
    # The move is stored once, under its new address; ftp:, file:, javascript: and the
    # other host are not followed.
    titled = {path for path, row in stored.items() if row["title"]}
    assert titled == {news("bon"), news("coupe"), news("encodage"), news("destination")}
    rows = [row for cycle in (failures.first, failures.second)
            for by_path in cycle.stored.values() for row in by_path.values()]
    assert all(row["url"].startswith("http://127.0.0.") for row in rows)
    assert len({row["url"] for row in rows if row["title"] == "Destination"}) == 1


def test_the_old_address_of_a_moved_article_is_not_asked_again(failures):
    assert news("demenage") in failures.first.paths["junk"]
    # The listing still links the old address: it is an alias of the stored article.
    assert news("demenage") not in failures.second.paths["junk"]
    assert news("destination") not in failures.second.paths["junk"]
