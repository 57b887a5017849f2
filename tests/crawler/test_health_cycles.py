"""Real cycles of `marsad crawl` over the sample sites while one source goes silent and
another goes down, then both come back: each raises exactly one "source looks broken"
notice and one recovery notice per channel, at a real SMTP server and a Slack-compatible
endpoint, and `marsad stats` tells each source's health and why."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from crawler.samples import SITE_NAMES
from crawler.samples.sinks import SlackSink, SmtpSink, sink_channels_toml

pytestmark = pytest.mark.slow  # every test here crawls or runs marsad in a child

SILENT, DOWN = "lequotidien", "albawaba24"
LIVE = tuple(name for name in SITE_NAMES if name not in (SILENT, DOWN))  # keep publishing
# Off-topic news, so that the only alerts after the first cycle are health notices.
NEWS = [
    ("Météo : un week-end ensoleillé attendu sur le littoral atlantique",
     "Les prévisionnistes annoncent des températures douces et un ciel dégagé de Tanger à "
     "Agadir pour la fin de semaine, avec une houle modérée sur les plages."),
    ("Football : le club local remporte le derby au terme d'un match serré",
     "Devant un stade comble, l'équipe a arraché la victoire dans les arrêts de jeu grâce "
     "à une frappe lointaine de son milieu de terrain, au grand bonheur des supporters."),
    ("Culture : le festival des musiques du monde dévoile sa programmation",
     "Une trentaine d'artistes venus de quatre continents se produiront sur trois scènes "
     "pendant une semaine, avec des ateliers ouverts aux enfants des quartiers voisins."),
    ("Agriculture : la récolte d'agrumes s'annonce abondante cette saison",
     "Les coopératives du Souss prévoient une hausse des volumes et préparent de nouveaux "
     "circuits de distribution vers les marchés de gros du nord du pays."),
    ("Transport : une nouvelle ligne de tramway entre en service en juin",
     "La ligne reliera la gare routière au campus universitaire en vingt minutes, avec un "
     "passage toutes les six minutes aux heures de pointe, selon la société exploitante."),
    ("Éducation : les inscriptions au baccalauréat libre ouvrent lundi",
     "Les candidats pourront déposer leur dossier en ligne pendant trois semaines, a "
     "précisé l'académie régionale, qui recommande de ne pas attendre les derniers jours."),
]


@pytest.fixture
def sinks():
    with SmtpSink() as smtp, SlackSink() as slack:
        yield smtp, slack


def notices(smtp: SmtpSink, slack: SlackSink) -> tuple[Counter, Counter]:
    """Health notices received, by title, per channel."""
    mails = Counter(str(m["Subject"]).removeprefix("[marsad] source health: ")
                    for m in smtp.messages if "source health" in str(m["Subject"]))
    posts = Counter(p["payload"]["blocks"][0]["text"]["text"] for p in slack.posts
                    if "source health" in p["payload"]["text"])
    return mails, posts


def health(marsad, config) -> dict[str, dict]:
    rows = [json.loads(line) for line in marsad("--config", str(config), "stats", "--json")
            .stdout.splitlines()]
    return {row["name"]: row["health"] for row in rows}


@pytest.mark.slow
def test_a_silent_and_a_failing_source_raise_one_notice_each_way(sites, site_config, marsad,
                                                                 sinks):
    smtp, slack = sinks
    config = site_config("", "[health]\nsilent_cycles = 2\nfailed_cycles = 2\n"
                         + sink_channels_toml(smtp, slack))
    published = Counter()

    def cycle(*yielding: str) -> None:
        for site in yielding:
            title, text = NEWS[(len(published) + published[site]) % len(NEWS)]
            published[site] += 1
            sites.add_article(site, f"{title} ({published[site]})",
                              [text, f"{title} : la suite, épisode {published[site]}."])
        marsad("--config", str(config), "crawl")

    cycle()
    assert notices(smtp, slack) == (Counter(), Counter())
    first = health(marsad, config)
    assert {name: h["state"] for name, h in first.items()} == dict.fromkeys(SITE_NAMES, "ok")
    usual = first[SILENT]["reason"].split()[0]  # "12 new articles in the last cycle"

    sites.set_down(DOWN, True)
    cycle(*LIVE)
    states = health(marsad, config)
    assert (states[SILENT]["state"], states[DOWN]["state"]) == ("ok", "degraded")
    assert notices(smtp, slack) == (Counter(), Counter())

    cycle(*LIVE)  # the second cycle in a row: both look broken now
    cycle(*LIVE)  # and still do: nothing more is sent
    states = health(marsad, config)
    assert all(states[name]["state"] == "ok" for name in LIVE)
    assert states[SILENT]["state"] == "broken"
    assert states[SILENT]["reason"] == (
        f"no new article in 3 cycles (used to yield {usual} a cycle)")
    assert states[DOWN]["state"] == "broken"
    assert states[DOWN]["reason"].startswith("failed 3 cycles in a row (last error: ")
    assert "503" in states[DOWN]["reason"]
    broken = Counter({f"Source looks broken: {SILENT}": 1, f"Source looks broken: {DOWN}": 1})
    assert notices(smtp, slack) == (broken, broken)
    mail = next(m for m in smtp.messages if str(m["Subject"]).endswith(SILENT))
    body = mail.get_body(preferencelist=("plain",)).get_content()
    # Sent when it broke, after its second cycle without a new article.
    assert f"broken: no new article in 2 cycles (used to yield {usual} a cycle)" in body
    assert f"Link:      {sites.base_urls[SILENT]}/" in body

    lines = {line.split()[0]: line for line in marsad("--config", str(config), "stats")
             .stdout.splitlines()}
    assert (f"  health: broken: no new article in 3 cycles (used to yield {usual} a cycle), "
            "since " in lines[SILENT])
    assert "  health: broken: failed 3 cycles in a row (last error: " in lines[DOWN]
    assert all("  health: ok: 1 new article in the last cycle, since " in lines[name]
               for name in LIVE)
    [unhealthy] = [line for line in marsad("--config", str(config), "alerts").stdout
                   .splitlines() if f"Source looks broken: {DOWN}" in line and "email" in line]
    assert unhealthy.startswith("sent ")

    sites.set_down(DOWN, False)
    cycle(*LIVE, SILENT, DOWN)
    cycle(*LIVE, SILENT, DOWN)
    states = health(marsad, config)
    assert {name: h["state"] for name, h in states.items()} == dict.fromkeys(SITE_NAMES, "ok")
    both = broken + Counter({f"Source works again: {SILENT}": 1,
                             f"Source works again: {DOWN}": 1})
    assert notices(smtp, slack) == (both, both)
    again = next(m for m in smtp.messages if str(m["Subject"]).endswith(f"again: {DOWN}"))
    assert "yields again: 1 new article in the last cycle; it was broken: failed 3 cycles" in (
        again.get_body(preferencelist=("plain",)).get_content())
