"""A source's own CSS selectors, as public scrapers of the sites write them for
BeautifulSoup: each field they match comes from them, each they miss stays generic."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import tomllib
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest
from bs4 import BeautifulSoup

from crawler.config import ConfigError, load_config
from crawler.extract import PageHints, ReadAlso, article_links, extract_article
from crawler.text import squash_spaces
from storage import Archive

REPO = Path(__file__).resolve().parents[2]
URL = "https://www.alkhabar.ma/politique/hammouchi-1398765.html"
SITE = "https://www.alkhabar.ma"
# A WordPress-style article page: og:title, a published_time and an author in meta tags
# that the generic rules prefer, and a read-also box whose label is not at its start.
PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>اجتماع أمني مغربي فرنسي بالرباط | موقع الخبر</title>
<meta property="og:title" content="اجتماع أمني مغربي فرنسي بالرباط">
<meta property="article:published_time" content="2024-07-20T08:00:00+01:00">
<meta name="author" content="هيئة التحرير">
</head><body>
<header class="site-header"><a class="logo" href="/">موقع الخبر</a></header>
<main>
<article class="post">
<h1 class="post-title">حموشي يبحث مع نظيره الفرنسي تعزيز التعاون الأمني</h1>
<div class="post-meta"><span class="writer">بقلم: سناء العلوي</span>
<time datetime="2024-07-25T10:30:00+01:00">25 يوليوز 2024</time></div>
<div class="article-content">
<p>أجرى عبد اللطيف حموشي مباحثات مع المدير العام للشرطة الوطنية الفرنسية حول سبل تعزيز
التعاون الأمني بين البلدين.</p>
<p class="related">مواضيع ذات علاقة: <a href="/politique/laftit-darmanin-1398001.html">لفتيت
ودارمانان</a></p>
<p>وتأتي هذه المباحثات في سياق دينامية متواصلة للتعاون الأمني بين المغرب وفرنسا.</p>
</div>
<div class="more-box"><span>مواضيع قد تهمك، اقرأ أيضا</span>
<ul><li><a href="/societe/interpol-1398500.html">الأنتربول يشيد بالخبرة المغربية</a></li>
<li><a href="/politique/visite-paris-1398600.html">زيارة عمل إلى باريس</a></li></ul></div>
</article>
<aside class="sidebar"><h3>الأكثر قراءة</h3>
<ol><li><a href="/sport/wydad-1398700.html">الوداد يفوز بالديربي</a></li></ol></aside>
</main></body></html>"""
FIRST = ("أجرى عبد اللطيف حموشي مباحثات مع المدير العام للشرطة الوطنية الفرنسية حول سبل تعزيز "
         "التعاون الأمني بين البلدين.")
LAST = "وتأتي هذه المباحثات في سياق دينامية متواصلة للتعاون الأمني بين المغرب وفرنسا."
RELATED = "مواضيع ذات علاقة: لفتيت ودارمانان"
BOXED = (ReadAlso(f"{SITE}/societe/interpol-1398500.html", "الأنتربول يشيد بالخبرة المغربية"),
         ReadAlso(f"{SITE}/politique/visite-paris-1398600.html", "زيارة عمل إلى باريس"))
# The same page in the markup of a French daily, for a body in a post-content block.
FRENCH = """<html lang="fr"><body><h1 class="entry-title">Coopération sécuritaire</h1>
<div class="post-content"><p>Le ministre de l'intérieur a reçu son homologue marocain.</p>
<p class="related">À voir : <a href="/video/123456.html">la vidéo</a></p>
<p>Les deux pays renforcent l'échange de renseignements.</p></div>
<div class="sidebar"><p>Publicité</p></div></body></html>"""
FRENCH_URL = "https://www.lequotidien.fr/international/cooperation_6241187.html"


def extract(selectors: dict[str, str], html: str = PAGE, url: str = URL):
    return extract_article(html, url, hints=PageHints(selectors=selectors))


# (selectors, field, what the selector points at); the generic rules choose otherwise.
OVERRIDDEN = [
    ({"title": "h1.post-title"}, "title", "حموشي يبحث مع نظيره الفرنسي تعزيز التعاون الأمني"),
    ({"date": "article:has(> h1) time"}, "published", datetime.fromisoformat(
        "2024-07-25T10:30:00+01:00")),
    ({"author": "div.post-meta span.writer"}, "author", "سناء العلوي"),
    ({"body": "div.article-content p"}, "text", f"{FIRST}\n\n{RELATED}\n\n{LAST}"),
    ({"read_also": 'div:-soup-contains("اقرأ أيضا") a'}, "read_also", BOXED),
    # The box itself, not its links: the links inside it count.
    ({"read_also": "div.more-box"}, "read_also", BOXED),
    # soupsieve's older name of :-soup-contains(), common in scrapers, still works.
    ({"read_also": 'div:contains("اقرأ أيضا") a'}, "read_also", BOXED),
]


@pytest.mark.parametrize(("selectors", "field", "expected"), OVERRIDDEN)
def test_a_matching_selector_gives_the_field(selectors, field, expected) -> None:
    assert getattr(extract(selectors), field) == expected
    assert getattr(extract({}), field) != expected


def test_a_body_selector_can_leave_a_paragraph_out() -> None:
    found = extract({"body": "div.post-content p:not(.related)"}, FRENCH, FRENCH_URL)
    assert found.text == ("Le ministre de l'intérieur a reçu son homologue marocain.\n\n"
                          "Les deux pays renforcent l'échange de renseignements.")
    assert "la vidéo" in extract({"body": "div.post-content p"}, FRENCH, FRENCH_URL).text


def test_every_override_at_once_and_the_read_also_box_stays_out_of_the_body() -> None:
    found = extract({"title": "h1.post-title", "date": "article:has(> h1) time",
                     "author": "span.writer", "body": "article.post",
                     "read_also": 'div:-soup-contains("اقرأ أيضا")'})
    assert (found.title, found.author) == ("حموشي يبحث مع نظيره الفرنسي تعزيز التعاون الأمني",
                                           "سناء العلوي")
    assert found.published == datetime.fromisoformat("2024-07-25T10:30:00+01:00")
    assert found.read_also == BOXED
    assert FIRST in found.text and LAST in found.text
    assert "الأنتربول" not in found.text and "الوداد" not in found.text


# Selectors that match nothing, or match an element that yields no value: the field
# is what the generic rules find.
MISSES = [
    {"title": "h1.entry-title"},
    {"title": "meta[property='og:title']"},  # matches, but holds no text
    {"date": "span.date-post"},
    {"date": "h1.post-title"},  # matches, but no date in it
    {"author": "span.author-name"},
    {"body": "div.entry-content p"},
    {"read_also": "div.related-posts a"},
    {"read_also": "aside:has(> h2) a"},
    {"title": "h1.entry-title", "date": ".date", "author": ".byline", "body": ".entry p",
     "read_also": ".yarpp a", "listing_links": "h2.card-title a"},
]


@pytest.mark.parametrize("selectors", MISSES, ids=lambda s: ",".join(s.values()))
def test_a_selector_that_misses_falls_back_to_the_generic_rules(selectors) -> None:
    generic = extract({})
    assert generic.title and generic.published and generic.author and generic.text
    assert extract(selectors) == generic


def test_a_selector_keeps_its_matches_once_and_in_page_order() -> None:
    html = ("<html><body><div class='c'><p>Premier paragraphe de l'article.</p>"
            "<div class='c'><p>Second paragraphe, dans un bloc imbriqué.</p></div></div>"
            "</body></html>")
    found = extract({"body": "div.c"}, html, "https://example.org/a-1.html")
    assert found.text == ("Premier paragraphe de l'article.\n\n"
                          "Second paragraphe, dans un bloc imbriqué.")


def test_a_read_also_box_is_the_innermost_element_holding_the_label() -> None:
    # Every <div> around the box contains the label too; the article is in them.
    html = ("<html><body><div class='wrap'><div class='content'><h1>عنوان المقال</h1>"
            f"<p>{FIRST}</p><div class='box'><b>اقرأ أيضا</b> "
            "<a href='/societe/interpol-1398500.html'>الأنتربول يشيد بالخبرة المغربية</a></div>"
            f"<p>{LAST}</p><a href='/tag/amn/'>أمن</a></div></div></body></html>")
    found = extract({"read_also": 'div:-soup-contains("اقرأ أيضا")'}, html)
    assert found.read_also == BOXED[:1]
    assert found.text == f"{FIRST}\n\n{LAST}"


def test_a_page_nested_past_the_parsers_depth_keeps_its_fields() -> None:
    html = ("<html><body><h1 class='t'>Titre de l'article</h1>" + "<div class='d'>" * 3000
            + "<p>Un paragraphe enfoui.</p>" + "</div>" * 3000 + "</body></html>")
    found = extract({"title": "h1.t", "body": "div.d p", "read_also": "div:has(p) a"}, html,
                    "https://example.org/a-1.html")
    assert found.title == "Titre de l'article"
    assert found.read_also == ()


def test_page_text_in_a_matched_element_is_text() -> None:
    html = ("<html><body><h1 class='post-title'>&lt;script&gt;alert(1)&lt;/script&gt; "
            "&amp; co</h1><p>Corps.</p></body></html>")
    assert extract({"title": "h1.post-title"}, html).title == "<script>alert(1)</script> & co"


LISTING = """<html><body><nav><a href="/politique/">سياسة</a></nav>
<div class="river"><article class="post-card"><a class="thumb" href="/politique/a-1398765.html">
<img alt=""></a><h2 class="card-title"><a href="/politique/a-1398765.html">حموشي</a></h2></article>
<article class="post-card"><h2 class="card-title"><a href="/dossiers/cooperation">ملف التعاون
</a></h2></article></div>
<aside><a href="/sport/wydad-1398700.html">الوداد</a>
<a href="https://other.example/news/x-1398701.html">موقع آخر</a></aside></body></html>"""
LISTING_URL = "https://www.alkhabar.ma/politique/"


def test_listing_links_selector_chooses_the_article_links() -> None:
    assert article_links(LISTING, LISTING_URL) == [
        f"{SITE}/politique/a-1398765.html", f"{SITE}/sport/wydad-1398700.html"]
    # The selector decides, even for an address that does not look like an article;
    # links to other sites stay out.
    assert article_links(LISTING, LISTING_URL, selector="h2.card-title a") == [
        f"{SITE}/politique/a-1398765.html", f"{SITE}/dossiers/cooperation"]
    assert article_links(LISTING, LISTING_URL, selector="div.river") == [
        f"{SITE}/politique/a-1398765.html", f"{SITE}/dossiers/cooperation"]
    assert article_links(LISTING, LISTING_URL, selector="aside a") == [
        f"{SITE}/sport/wydad-1398700.html"]
    assert article_links(LISTING, LISTING_URL, selector="h2.card-title a",
                         pattern=r"-\d+\.html$") == [f"{SITE}/politique/a-1398765.html"]
    assert article_links(LISTING, LISTING_URL, selector="ul.posts a") == article_links(
        LISTING, LISTING_URL)


def test_page_hints_refuse_what_the_configuration_refuses() -> None:
    with pytest.raises(ValueError, match=r"not a valid CSS selector: 'div\[\[\['"):
        PageHints(selectors={"body": "div[[["})
    with pytest.raises(ValueError, match="unknown selector key 'headline'"):
        PageHints(selectors={"headline": "h1"})
    assert PageHints(selectors={"read_also": "div:-soup-contains('x') a",
                                "listing_links": "h2 a"}).selectors["listing_links"] == "h2 a"


SOURCE = '[[sources]]\nname = "site{n}"\nlisting_urls = ["http://127.0.0.{n}:8080/"]\n'
THREE = SOURCE.format(n=2) + SOURCE.format(n=3) + SOURCE.format(n=4)
BAD_SELECTORS = [
    ('selectors = { body = "div[[[" }', "sources[2].selectors.body: not a valid CSS selector: "
     "'div[[[' (Malformed attribute selector at position 3)"),
    ('selectors = { title = "h1::before" }', "sources[2].selectors.title: not a valid CSS "
     "selector: 'h1::before' (Pseudo-element found at position 2)"),
    ("selectors = { read_also = 'div:-soup-contains(\"اقرأ أيضا\") a >' }",
     "sources[2].selectors.read_also: not a valid CSS selector: "
     "'div:-soup-contains(\"اقرأ أيضا\") a >' (Invalid character ' ' position 33)"),
    ('selectors = { date = "time:nth-child(odd" }', "sources[2].selectors.date: not a valid CSS "
     "selector: 'time:nth-child(odd' (Invalid syntax for pseudo class ':nth-child')"),
    ('selectors = { tilte = "h1" }', "sources[2].selectors.tilte: unknown key "
     "(did you mean 'title'?)"),
    ('selectors = { readalso = "div.related a" }', "sources[2].selectors.readalso: unknown key "
     "(did you mean 'read_also'?)"),
    ('selectors = { listing_link = "h2 a" }', "sources[2].selectors.listing_link: unknown key "
     "(did you mean 'listing_links'?)"),
    ('selectors = { body = " " }', "sources[2].selectors.body: must not be empty"),
]


def config_problem(folder: Path, text: str) -> str:
    path = folder / "marsad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    message = str(caught.value)
    assert "\n" not in message
    return message.removeprefix(f"{path}: ")


@pytest.mark.parametrize(("line", "expected"), BAD_SELECTORS)
def test_a_bad_selector_is_refused_when_the_configuration_loads(tmp_path, line, expected) -> None:
    assert config_problem(tmp_path, THREE + line + "\n") == expected


def test_soupsieve_selectors_load(tmp_path) -> None:
    path = tmp_path / "marsad.toml"
    path.write_text(SOURCE.format(n=2) + textwrap.dedent("""\
        [sources.selectors]
        title = "article:has(> h1) h1.post-title"
        date = "div.post-meta > span:-soup-contains('2024')"
        body = "div.post-content p:not(.related)"
        author = "span.writer"
        read_also = 'div:-soup-contains("اقرأ أيضا") a'
        listing_links = "article.post-card h2 a"
        """), encoding="utf-8")
    selectors = load_config(path, env={}).sources[0].selectors
    assert selectors["read_also"] == 'div:-soup-contains("اقرأ أيضا") a'
    assert sorted(selectors) == ["author", "body", "date", "listing_links", "read_also", "title"]


@pytest.mark.slow
def test_only_pages_with_selectors_import_beautifulsoup() -> None:
    script = f"""if True:
        import sys
        from crawler.extract import PageHints, article_links, extract_article
        html = {PAGE!r}
        plain = extract_article(html, {URL!r})
        article_links(html, {URL!r})
        print("bs4" in sys.modules, "soupsieve" in sys.modules)
        hinted = extract_article(html, {URL!r}, hints=PageHints(selectors={{"title": "h1"}}))
        print("bs4" in sys.modules, plain.title != hinted.title)
    """
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                            text=True, timeout=60, check=True)
    assert result.stdout.split() == ["False", "False", "True", "True"]


# A crawl of the sample sites where Al Mokhbir is configured with selectors in the
# style of its public scrapers. Its read-also boxes are its inline «إقرأ أيضا» lines and
# its sidebar's most-read box, which the generic rules never take for one. Its old
# archive pages, in a table layout, match none of the selectors.
MOKHBIR_SELECTORS = {
    "title": "article:has(> h1) h1.post-title",
    "date": "div.post-meta span.date-post",
    "body": 'div.article-content > p:not(:-soup-contains("إقرأ أيضا"))',
    "read_also": 'div.article-content > p:-soup-contains("إقرأ أيضا"), div.widget.most-read',
    "listing_links": "article.post-card h2.card-title a",
}


@pytest.mark.slow
def test_a_crawl_stores_what_the_selectors_point_at(sites, tmp_path, marsad) -> None:
    sources = sites.sources_toml()
    inline = ", ".join(f"{key} = {json.dumps(css, ensure_ascii=False)}"
                       for key, css in MOKHBIR_SELECTORS.items())
    head = '[[sources]]\nname = "almokhbir"\n'
    assert sources.count(head) == 1
    sources = sources.replace(head, f"{head}selectors = {{ {inline} }}\n")
    (tmp_path / "marsad.toml").write_text(
        f'database = "archive.db"\n[crawl]\ndownload_delay = "0s"\nconcurrency_per_domain = 8\n'
        f'timeout = "5s"\nlisting_pages = 3\n\n{sources}', encoding="utf-8")
    marsad("--config", str(tmp_path / "marsad.toml"), "crawl", "--source", "almokhbir")

    base = tomllib.loads(sites.sources_toml())["sources"][0]["listing_urls"][0]
    truth = {a.path: a for a in sites.articles if a.site == "almokhbir"}
    archive = Archive(tmp_path / "archive.db")
    stored = {urlsplit(row["url"]).path: row for row in archive.export_articles()
              if row["source"] == "almokhbir"}
    graph: dict[str, list[str]] = {}
    for source, target in archive.read_also_graph():
        graph.setdefault(urlsplit(source).path, []).append(urlsplit(target).path)
    themed = fallen_back = 0
    for path, row in stored.items():
        article = truth[path]
        soup = BeautifulSoup(urlopen(base.rstrip("/") + path).read(), "lxml")
        assert row["title"] == article.title
        if soup.select_one(MOKHBIR_SELECTORS["title"]) is None:  # the old table layout
            fallen_back += 1
            assert path not in graph or set(graph[path]) <= set(article.read_also)
            continue
        themed += 1
        assert squash_spaces(soup.select_one(MOKHBIR_SELECTORS["title"]).get_text()) == row["title"]
        if article.date_shown == "minute":
            assert datetime.fromisoformat(row["published"]) == article.published
        paragraphs = [squash_spaces(p.get_text()) for p in soup.select(MOKHBIR_SELECTORS["body"])]
        assert row["text"] == "\n\n".join(p for p in paragraphs if p)
        boxed = [urlsplit(a["href"]).path for box in soup.select(MOKHBIR_SELECTORS["read_also"])
                 for a in box.select("a[href]")]
        assert graph[path] == list(dict.fromkeys(boxed))
        assert set(boxed) > set(article.read_also)
    assert themed >= 5 and fallen_back >= 1
    listed = {p for p, a in truth.items() if a.listing_page is not None and a.listing_page <= 3
              and not a.forbidden}
    assert listed <= set(stored)
