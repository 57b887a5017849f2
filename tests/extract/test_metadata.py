"""Title, canonical URL, date, author and language, and the PageHints that steer them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.extract import PageHints, extract_article

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
BODY = ("<div class='article-content'><p>Le Maroc et la France renforcent leur coopération "
        "sécuritaire face aux menaces terroristes, selon les deux ministres.</p></div>")


def page(head: str = "", body: str = "", lang: str = "") -> str:
    attribute = f' lang="{lang}"' if lang else ""
    return f"<html{attribute}><head>{head}</head><body>{body}{BODY}</body></html>"


def extract(html: str, url: str = "https://www.hespress.com/politique/a-1.html", **kw):
    return extract_article(html, url, now=NOW, **kw)


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        ('<meta property="og:title" content="Titre de l’article - Hespress">', "",
         "Titre de l’article"),
        ('<meta property="og:title" content="Sécurité : accord signé | Le Monde">'
         '<meta property="og:site_name" content="Le Monde">', "", "Sécurité : accord signé"),
        ('<meta property="og:title" content="هسبريس | عنوان المقال الطويل نسبيا">'
         '<meta property="og:site_name" content="هسبريس">', "", "عنوان المقال الطويل نسبيا"),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
         '"Le titre &quot;JSON-LD&quot;"}</script>', "", 'Le titre "JSON-LD"'),
        ("<title>Titre du document | Mon Site</title>",
         '<h1 class="logo">Mon Site</h1><article><h1>Le titre de l’article</h1></article>',
         "Le titre de l’article"),
        ("<title>Un titre sans h1 - Mon Site</title>", "", "Un titre sans h1"),
        ('<meta property="og:title" content="Maroc - France : la coopération sécuritaire">', "",
         "Maroc - France : la coopération sécuritaire"),
        ('<meta property="og:title" content="  Titre\n   avec\tblancs  ">', "",
         "Titre avec blancs"),
        # the article's h1, which og:title and <title> repeat with the site's name
        ('<meta property="og:title" content="الرباط - باريس: تنسيق أمني - الأطلس اليوم">'
         "<title>الرباط - باريس: تنسيق أمني - الأطلس اليوم</title>",
         '<h1 class="logo">الأطلس اليوم</h1><article><h1>الرباط - باريس: تنسيق أمني</h1>'
         "</article>", "الرباط - باريس: تنسيق أمني"),
        # the publisher JSON-LD names
        ('<meta property="og:title" content="Rabat et Paris signent | Atlas Info">'
         '<script type="application/ld+json">{"@type": "NewsArticle", "publisher": '
         '{"@type": "Organization", "name": "Atlas Info"}}</script>', "",
         "Rabat et Paris signent"),
        # a short h1 that og:title merely starts with
        ('<meta property="og:title" content="Maroc - France : la coopération sécuritaire">',
         "<article><h1>Maroc</h1></article>", "Maroc - France : la coopération sécuritaire"),
    ],
)
def test_title(head: str, body: str, title: str) -> None:
    assert extract(page(head, body)).title == title


def test_canonical_url() -> None:
    url = "https://www.hespress.com/politique/a-1.html?utm_source=x"
    relative = page('<link rel="canonical" href="/politique/a-1.html">')
    assert extract(relative, url).canonical_url == "https://www.hespress.com/politique/a-1.html"
    og = page('<meta property="og:url" content="https://www.hespress.com/politique/b-2.html">')
    assert extract(og, url).canonical_url == "https://www.hespress.com/politique/b-2.html"
    both = page('<link rel="canonical" href="https://m.example.org/c">'
                '<meta property="og:url" content="https://www.example.org/d">')
    assert extract(both, url).canonical_url == "https://m.example.org/c"
    assert extract(page(), url).canonical_url is None
    assert extract(page('<link rel="canonical" href="javascript:void(0)">'), url
                   ).canonical_url is None


@pytest.mark.parametrize(
    ("head", "body", "iso"),
    [
        ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
         '{"@type": "WebPage"}, {"@type": "NewsArticle", "datePublished": '
         '"2024-07-25T10:30:00+01:00"}]}</script>', "", "2024-07-25T09:30:00+00:00"),
        ('<script type="application/ld+json">[{"@type": "Organization"}, {"@type": '
         '["Article", "NewsArticle"], "datePublished": "2024-07-25T10:30:00Z"}]</script>', "",
         "2024-07-25T10:30:00+00:00"),
        ('<meta property="article:published_time" content="2024-07-25T10:30:00+02:00">', "",
         "2024-07-25T08:30:00+00:00"),
        ("", '<time datetime="2024-07-25T10:30">25 juillet</time>', "2024-07-25T09:30:00+00:00"),
        ("", '<span itemprop="datePublished" content="2024-07-25">hier</span>',
         "2024-07-24T23:00:00+00:00"),
        ("", '<span class="date-post">الخميس 25 يوليوز 2024 - 10:30</span>',
         "2024-07-25T09:30:00+00:00"),
        ("", '<span class="story_date">25/07/2024 10:30:00</span>', "2024-07-25T09:30:00+00:00"),
        ("", '<div class="timePost">منذ ساعتين</div>', "2025-06-01T10:00:00+00:00"),
        # a date in the future is a misreading: the next source is used
        ('<meta property="article:published_time" content="2031-01-01T00:00:00Z">',
         '<time datetime="2024-07-25T10:30:00Z"></time>', "2024-07-25T10:30:00+00:00"),
    ],
)
def test_published(head: str, body: str, iso: str) -> None:
    found = extract(page(head, body)).published
    assert found is not None
    assert found.astimezone(UTC).isoformat() == iso


def test_published_uses_the_hinted_timezone() -> None:
    html = page(body='<span class="date">5 juillet 2024 à 12h00</span>')
    found = extract(html, hints=PageHints(timezone="Europe/Paris")).published
    assert found is not None and found.astimezone(UTC).hour == 10


def test_no_date_anywhere() -> None:
    assert extract(page()).published is None


@pytest.mark.parametrize(
    ("head", "body", "author"),
    [
        ('<meta name="author" content="Nadia Alaoui">', "", "Nadia Alaoui"),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "author": '
         '[{"@type": "Person", "name": "Karim Benslimane"}]}</script>', "", "Karim Benslimane"),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "author": '
         '{"@type": "Person", "name": "Salma Idrissi"}}</script>', "", "Salma Idrissi"),
        ("", '<a rel="author" href="/auteur/omar">Omar Tazi</a>', "Omar Tazi"),
        ("", '<span class="byline">Par Leïla Bennani</span>', "Leïla Bennani"),
        ("", '<div class="post-author">بقلم: يوسف العلمي</div>', "يوسف العلمي"),
        ('<meta property="article:author" content="https://www.facebook.com/x">', "", None),
    ],
)
def test_author(head: str, body: str, author: str | None) -> None:
    assert extract(page(head, body)).author == author


@pytest.mark.parametrize(
    ("lang", "head", "language"),
    [("fr-FR", "", "fr"), ("AR", "", "ar"), ("", '<meta property="og:locale" content="ar_MA">',
                                             "ar"),
     ("", "", "fr")],  # guessed from the French body
)
def test_language(lang: str, head: str, language: str) -> None:
    assert extract(page(head, lang=lang)).language == language


def test_language_from_hints_when_the_text_cannot_tell() -> None:
    html = ("<html><body><div class='article-content'><p>2024 — 12 345 — 67 890</p></div>"
            "</body></html>")
    assert extract(html, hints=PageHints(language="ar")).language == "ar"
    assert extract(html).language is None


def test_arabic_text_without_declaration_is_arabic() -> None:
    html = "<p>أعلنت المديرية العامة للأمن الوطني عن تفكيك خلية إرهابية بتنسيق مع فرنسا.</p>"
    assert extract(html).language == "ar"


def test_page_hints_validation() -> None:
    with pytest.raises(ValueError, match="CSS selector"):
        PageHints(selectors={"body": "div[[["})
    with pytest.raises(ValueError, match="unknown selector key 'headline'"):
        PageHints(selectors={"headline": "h1"})
    with pytest.raises(ValueError, match="unknown timezone"):
        PageHints(timezone="Africa/Atlantis")
    hints = PageHints(selectors={"body": ".article-content"})
    with pytest.raises(TypeError):
        hints.selectors["title"] = "h1"  # type: ignore[index]
    assert hash(hints) == hash(PageHints(selectors={"title": "h1"}))
    assert PageHints() == PageHints(timezone="Africa/Casablanca")


@pytest.mark.parametrize(
    ("og_title", "url", "title"),
    [
        ("Maroc - France : la coopération", "https://fr.le360.ma/politique/x/",
         "Maroc - France : la coopération"),
        ("Rabat et Paris signent - Le360", "https://fr.le360.ma/politique/x/",
         "Rabat et Paris signent"),
        ("BBC News - Morocco and France", "https://news.bbc.co.uk/a-1", "Morocco and France"),
        ("JO 2024 - 0 incident", "http://127.0.0.2:8080/news/1.html", "JO 2024 - 0 incident"),
    ],
)
def test_site_name_is_recognised_from_the_address(og_title: str, url: str, title: str) -> None:
    html = page(f'<meta property="og:title" content="{og_title}">')
    assert extract(html, url).title == title


def test_dates_inside_the_article_win_over_the_sidebar() -> None:
    html = ("<html><body><aside><time datetime='2025-05-30T08:00:00Z'>hier</time>"
            "<span class='date'>30/05/2025</span></aside><article><h1>Titre</h1>"
            "<time datetime='2024-07-25T10:30:00Z'>25 juillet</time>" + BODY
            + "</article></body></html>")
    found = extract(html).published
    assert found is not None and found.isoformat() == "2024-07-25T10:30:00+00:00"
    visible = html.replace("<time datetime='2024-07-25T10:30:00Z'>25 juillet</time>",
                           "<span class='post-date'>25/07/2024</span>").replace(
        "<time datetime='2025-05-30T08:00:00Z'>hier</time>", "")
    found = extract(visible).published
    assert found is not None and found.date().isoformat() == "2024-07-25"
