"""A read-also target that failed to download is asked for again by the next cycle."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from crawler.samples import Answer, ScriptedSite
from storage import Archive

REPO = Path(__file__).resolve().parents[2]


def article(title: str, extra: str = "") -> Answer:
    text = (f"<p>{title} : les services de renseignement du Maroc et la DGSI française "
            "renforcent leur coopération contre le terrorisme, selon un communiqué publié "
            "à Rabat et à Paris après une réunion des responsables de la sécurité.</p>")
    return Answer(200, (f'<html lang="fr"><head><title>{title}</title></head><body><article>'
                        f"<h1>{title}</h1>{text * 3}{extra}</article></body></html>").encode())


def crawl(config: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("MARSAD_CONFIG", None)
    subprocess.run([sys.executable, "-m", "crawler.cli", "--config", str(config), "crawl"],
                   cwd=config.parent, env=env, check=True, capture_output=True, timeout=120)


def test_failed_read_also_target_is_fetched_next_cycle(tmp_path):
    routes = {
        "/robots.txt": Answer.robots(),
        "/": Answer(200, b'<html><body><a href="/news/1001-cooperation.html">A</a></body></html>',
                    {"ETag": '"v1"'}),
        "/news/1001-cooperation.html": article(
            "Coopération antiterroriste", '<p>Lire aussi : <a href="/news/1002-suite.html">'
            "La suite de l'enquête</a></p>"),
        # Down for the first cycle (the request and its retry), then up.
        "/news/1002-suite.html": lambda count: (Answer(503, b"busy") if count < 2
                                               else article("La suite de l'enquête")),
    }
    with ScriptedSite("127.0.0.36", routes) as site:
        config = tmp_path / "marsad.toml"
        config.write_text(f"""database = "archive.db"
[crawl]
download_delay = "0s"
[[sources]]
name = "scripted"
listing_urls = ["{site.base_url}/"]
language = "fr"
""", encoding="utf-8")
        crawl(config)
        with Archive(tmp_path / "archive.db") as archive:
            paths = {urlsplit(a["url"]).path for a in archive.export_articles()}
        assert paths == {"/news/1001-cooperation.html"}

        site.reset()
        crawl(config)
        hits = [hit.path for hit in site.hits]
        with Archive(tmp_path / "archive.db") as archive:
            paths = {urlsplit(a["url"]).path for a in archive.export_articles()}
        assert paths == {"/news/1001-cooperation.html", "/news/1002-suite.html"}
        assert "/news/1001-cooperation.html" not in hits  # the linking article is not refetched
        assert hits.count("/news/1002-suite.html") == 1

        site.reset()
        crawl(config)  # nothing left to retry
        assert "/news/1002-suite.html" not in [hit.path for hit in site.hits]
