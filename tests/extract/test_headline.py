"""Headlines without the site's name: the forms publishers dress them in, the traps
(real dashes and colons), and what a source's earlier pages teach."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from crawler.extract import extract_article
from crawler.extract.headline import AffixLearner, HeadlineForms, SiteAffixes, headline

REALTEXT = Path(__file__).resolve().parents[2].parent / "shared" / "realtext" / "dev.jsonl"
LOOPBACK = "http://127.0.0.5:8080/2025/06/01/x/"

FORMS = [
    # (forms, address, headline): the dressing seen on real news pages
    (HeadlineForms(h1="تفكيك خلية إرهابية بتنسيق مع فرنسا",
                   og_title="تفكيك خلية إرهابية بتنسيق مع فرنسا - الأطلس اليوم",
                   document_title="تفكيك خلية إرهابية بتنسيق مع فرنسا - الأطلس اليوم"),
     "https://alatlasalyaoum.ma/12345.html", "تفكيك خلية إرهابية بتنسيق مع فرنسا"),
    (HeadlineForms(og_title="تفكيك خلية إرهابية بتنسيق مع فرنسا - الأطلس اليوم",
                   site_names=("الأطلس اليوم",)),
     "https://alatlasalyaoum.ma/12345.html", "تفكيك خلية إرهابية بتنسيق مع فرنسا"),
    (HeadlineForms(og_title="Hammouchi reçoit son homologue français | Hespress"),
     "https://fr.hespress.com/301234-x.html", "Hammouchi reçoit son homologue français"),
    (HeadlineForms(og_title="Le360 - Rabat et Paris signent un accord de sécurité"),
     "https://fr.le360.ma/politique/x_ABC/", "Rabat et Paris signent un accord de sécurité"),
    (HeadlineForms(og_title="Anleihen: Renditen steigen weiter | Börsen-Zeitung",
                   site_names=("Börsen-Zeitung",)),
     "https://www.boersen-zeitung.de/a", "Anleihen: Renditen steigen weiter"),
    (HeadlineForms(document_title="Germany unveils its first security strategy – DW – 13.06.2023",
                   og_title="Germany unveils its first security strategy – DW – 13.06.2023",
                   site_names=("DW",)),
     "https://www.dw.com/en/a-65900000", "Germany unveils its first security strategy"),
    (HeadlineForms(h1="Ottawa police lay charges after protest",
                   og_title="Ottawa police lay charges after protest - National",
                   site_names=("Global News",)),
     "https://globalnews.ca/news/9000000/", "Ottawa police lay charges after protest"),
    (HeadlineForms(og_title="首相、防衛費の増額を表明：朝日新聞デジタル",
                   site_names=("朝日新聞デジタル",)),
     "https://www.asahi.com/articles/ASR1.html", "首相、防衛費の増額を表明"),
    (HeadlineForms(h1="윤 대통령, 국무회의 주재",
                   og_title="윤 대통령, 국무회의 주재-정치ㅣ한국일보", site_names=("한국일보",)),
     "https://www.hankookilbo.com/News/Read/A1", "윤 대통령, 국무회의 주재"),
    (HeadlineForms(og_title="Sécurité : accord signé | Le Monde.fr", site_names=("Le Monde.fr",)),
     "https://www.lemonde.fr/a.html", "Sécurité : accord signé"),
    (HeadlineForms(ld_headline="Rabat et Paris renforcent leur coopération",
                   og_title="Rabat et Paris renforcent leur coopération - Maroc Diplomatique"),
     "http://127.0.0.5/a.html", "Rabat et Paris renforcent leur coopération"),
    # traps: a real dash or colon, a short h1, a name inside the headline
    (HeadlineForms(og_title="Maroc-France : la coopération sécuritaire se renforce"),
     "https://fr.le360.ma/politique/x/", "Maroc-France : la coopération sécuritaire se renforce"),
    (HeadlineForms(h1="الرباط - باريس: تنسيق أمني غير مسبوق",
                   og_title="الرباط - باريس: تنسيق أمني غير مسبوق - الأطلس اليوم"),
     LOOPBACK, "الرباط - باريس: تنسيق أمني غير مسبوق"),
    (HeadlineForms(og_title="الرباط - باريس: تنسيق أمني غير مسبوق"), LOOPBACK,
     "الرباط - باريس: تنسيق أمني غير مسبوق"),
    (HeadlineForms(document_title="Maroc - France : la coopération sécuritaire"),
     "https://fr.le360.ma/x/", "Maroc - France : la coopération sécuritaire"),
    (HeadlineForms(h1="Maroc", og_title="Maroc - France : la coopération sécuritaire"),
     "https://fr.le360.ma/x/", "Maroc - France : la coopération sécuritaire"),
    (HeadlineForms(og_title="Hespress lance une édition - Maroc"), "https://www.hespress.com/1",
     "Hespress lance une édition - Maroc"),
    (HeadlineForms(og_title="Macron - Dwayne Johnson", site_names=("DW",)),
     "https://www.dw.com/en/a", "Macron - Dwayne Johnson"),
    (HeadlineForms(og_title="JO 2024 - 0 incident"), LOOPBACK, "JO 2024 - 0 incident"),
    (HeadlineForms(h1="Coopération Maroc", og_title="Coopération Maroc-France"),
     LOOPBACK, "Coopération Maroc-France"),
    # the logo's h1 names the site; <title> is the only other form
    (HeadlineForms(h1="Hespress", document_title="Hespress | Le Maroc et la France signent"),
     "https://www.hespress.com/1", "Le Maroc et la France signent"),
]


@pytest.mark.parametrize(("forms", "url", "expected"), FORMS)
def test_headline_forms(forms: HeadlineForms, url: str, expected: str) -> None:
    assert headline(forms, url) == expected


def page(head: str, h1: str = "") -> str:
    heading = f"<article><h1>{h1}</h1></article>" if h1 else ""
    return (f"<html><head>{head}</head><body>{heading}<div class='content'><p>Le Maroc et "
            "la France renforcent leur coopération sécuritaire.</p></div></body></html>")


def test_extraction_prefers_the_h1_that_og_title_repeats() -> None:
    title = "الرباط - باريس: تنسيق أمني غير مسبوق"
    html = page(f'<title>{title} - الأطلس اليوم</title>'
                f'<meta property="og:title" content="{title} - الأطلس اليوم">', title)
    found = extract_article(html, LOOPBACK)
    assert found.title == title
    assert found.headline_forms.og_title == f"{title} - الأطلس اليوم"


def test_extraction_applies_what_is_known_of_the_source() -> None:
    html = page('<meta property="og:title" content="Visite de Darmanin à Rabat - Atlas Info">')
    assert extract_article(html, LOOPBACK).title == "Visite de Darmanin à Rabat - Atlas Info"
    known = SiteAffixes(suffixes=(" - Atlas Info",))
    assert extract_article(html, LOOPBACK, affixes=known).title == "Visite de Darmanin à Rabat"


def test_a_stuffed_title_is_cut_to_its_cap() -> None:
    """Undressing splits a title into parts: a megabyte of them is cut first (its time on
    such a page: benchmarks/bounds.py)."""
    stuffed = "Rabat - " + "Hespress - quatre mots de trop - " * 30_000 + "Hespress"
    html = page(f'<meta property="og:title" content="{stuffed}"><title>{stuffed}</title>',
                stuffed)
    found = extract_article(html, "https://www.hespress.com/a.html")
    assert 900 < len(found.title) <= 1000


def learn(titles: list[str], **forms: str) -> AffixLearner:
    learner = AffixLearner()
    for title in titles:
        learner.observe(HeadlineForms(og_title=title, **forms), LOOPBACK)
    return learner


def test_a_suffix_shared_across_pages_is_learned() -> None:
    learner = learn(["تفكيك خلية إرهابية - الأطلس اليوم", "زيارة وزير الداخلية - الأطلس اليوم"])
    assert learner.known().suffixes == ()  # two pages could share a kicker by chance
    learner.observe(HeadlineForms(og_title="حموشي يستقبل نظيره - الأطلس اليوم"), LOOPBACK)
    assert learner.known().suffixes == (" - الأطلس اليوم",)
    fresh = HeadlineForms(og_title="الرباط - باريس: تنسيق أمني - الأطلس اليوم")
    assert headline(fresh, LOOPBACK, learner.known()) == "الرباط - باريس: تنسيق أمني"


def test_one_page_with_its_h1_teaches_the_dressing() -> None:
    learner = AffixLearner()
    learner.observe(HeadlineForms(h1="Ottawa police lay charges",
                                  og_title="Ottawa police lay charges - National"), LOOPBACK)
    assert learner.known().suffixes == (" - National",)
    no_h1 = HeadlineForms(og_title="Flood warnings in Quebec - National")
    assert headline(no_h1, LOOPBACK, learner.known()) == "Flood warnings in Quebec"


def test_dates_in_the_dressing_change_from_page_to_page() -> None:
    learner = learn([f"Security talks in Berlin, day {n} of the summit – DW – {n:02d}.06.2023"
                     for n in range(1, 5)])
    suffixes = learner.known().suffixes
    assert suffixes[0] == " – DW – 00.00.0000"
    forms = HeadlineForms(og_title="Germany unveils a strategy – DW – 28.11.2024")
    assert headline(forms, LOOPBACK, learner.known()) == "Germany unveils a strategy"


def test_prefixes_are_learned_too() -> None:
    learner = learn([f"Maroc Diplomatique | La visite du ministre, jour {n}" for n in range(3)])
    assert learner.known().prefixes == ("Maroc Diplomatique | ",)
    forms = HeadlineForms(og_title="Maroc Diplomatique | Hammouchi à Paris")
    assert headline(forms, LOOPBACK, learner.known()) == "Hammouchi à Paris"


def test_a_kicker_some_headlines_share_is_not_dressing() -> None:
    titles = ["Coupe du monde - le Maroc en demi-finale", "Coupe du monde - la France qualifiée",
              "Coupe du monde - les supporters à Doha", "Rabat et Paris signent un accord",
              "Le ministre de l'Intérieur à Rabat", "Un réseau démantelé à Tanger",
              "Visite d'État en octobre", "Séisme : le bilan s'alourdit"]
    learner = learn(titles)
    assert learner.known() == SiteAffixes()
    assert headline(HeadlineForms(og_title=titles[0]), LOOPBACK, learner.known()) == titles[0]


def test_what_a_learner_remembers_stays_bounded() -> None:
    learner = AffixLearner()
    for n in range(3 * AffixLearner.LIMIT):
        learner.observe(HeadlineForms(document_title=f"Titre {n} | rubrique {n} - Le Site"),
                        LOOPBACK)
    assert len(learner._tally) <= AffixLearner.LIMIT
    assert " - Le Site" in learner.known().suffixes


@pytest.mark.skipif(not REALTEXT.is_file(), reason="../shared/realtext is absent")
def test_real_headlines_stay_whole() -> None:
    """Real headlines (many with dashes and colons), bare or dressed with their site's name."""
    rows = [json.loads(line) for line in REALTEXT.read_text(encoding="utf-8").splitlines()]
    titled = [(r["title"], r["url"], re.sub(r"\s*\(.*\)$", "", r["source_site"]))
              for r in rows if r["title"]]
    assert len(titled) >= 30
    for title, url, site in titled:
        assert headline(HeadlineForms(og_title=title), url) == title
        assert headline(HeadlineForms(document_title=title), url) == title
        assert headline(HeadlineForms(h1=title, og_title=f"{title} - {site}"), url) == title
        named = HeadlineForms(og_title=f"{title} | {site}", site_names=(site,))
        assert headline(named, url) == title
        assert headline(HeadlineForms(og_title=f"{site} - {title}", site_names=(site,)),
                        url) == title
