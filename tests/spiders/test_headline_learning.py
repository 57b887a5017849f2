"""The spider learns, source by source, the dressing its pages put around headlines.

The scripted site's theme shows no <h1> and declares no og:site_name: only the
og:title, always "headline - Rif Presse", says what the headline is. Once three of
its pages have shown the same suffix, the following ones are stored without it.
"""

from __future__ import annotations

import json

from crawler.samples import Answer, ScriptedSite

HEADLINES = [
    "Nador - Melilla : le poste-frontière rouvre après deux mois",
    "Saisie record de chira au port de Beni Ensar",
    "Al Hoceima accueille un forum sur la pêche artisanale",
    "Driouch : une nouvelle route relie trois communes",
    "Des étudiants de Nador primés à Rabat",
    "Berkane : la récolte des clémentines s'annonce abondante",
    "Le marché central de Nador rénové",
    "Zaio : ouverture d'un centre de santé de proximité",
]


def article(headline: str) -> Answer:
    html = (f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
            f"<title>{headline} - Rif Presse</title>"
            f'<meta property="og:title" content="{headline} - Rif Presse"></head><body>'
            f'<div class="logo">Rif Presse</div><h2 class="entry-title">{headline}</h2>'
            f'<div class="entry-content"><p>{headline}. Les habitants de la région suivent '
            "de près ce dossier, selon les élus locaux réunis cette semaine.</p></div>"
            "</body></html>")
    return Answer(200, html.encode())


def test_later_pages_of_a_source_are_stored_without_its_suffix(tmp_path, marsad):
    paths = [f"/actualite/{n}-article-{n}.html" for n in range(1, len(HEADLINES) + 1)]
    listing = "".join(f'<a href="{p}">{h}</a>' for p, h in zip(paths, HEADLINES, strict=True))
    routes = {"/robots.txt": Answer.robots(),
              "/": Answer(200, f"<html><body>{listing}</body></html>".encode()),
              **{p: article(h) for p, h in zip(paths, HEADLINES, strict=True)}}
    with ScriptedSite("127.0.0.37", routes) as site:
        config = tmp_path / "marsad.toml"
        config.write_text(
            'database = "archive.db"\n\n[crawl]\ndownload_delay = "0s"\ntimeout = "10s"\n'
            f'\n[[sources]]\nname = "rifpresse"\nlisting_urls = ["{site.base_url}/"]\n',
            encoding="utf-8")
        marsad("--config", str(config), "crawl")
        rows = [json.loads(line) for line in
                marsad("--config", str(config), "export").stdout.splitlines()]
    titles = [row["title"] for row in rows]
    assert len(titles) == len(HEADLINES)
    bare = [t for t in titles if t in HEADLINES]
    dressed = [t for t in titles if t.removesuffix(" - Rif Presse") in HEADLINES and t not in bare]
    assert len(bare) + len(dressed) == len(titles)  # nothing cut inside a headline
    assert len(dressed) <= 3 and len(bare) >= len(HEADLINES) - 3
