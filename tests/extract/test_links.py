"""Listing and search-result pages: article links and the next page."""

from __future__ import annotations

import pytest

from crawler.extract import article_links, looks_like_article, next_page_url

LISTING_URL = "https://www.hespress.com/politique"


def test_listing_article_links(page) -> None:
    links = article_links(page("hespress_listing.html"), LISTING_URL)
    assert links == [
        "https://www.hespress.com/politique/hammouchi-faransa-1398765.html",
        "https://www.hespress.com/%D8%AA%D8%B9%D8%B2%D9%8A%D8%B2-%D8%A7%D9%84%D8%AA%D8%B9%D8%A7"
        "%D9%88%D9%86-%D8%A7%D9%84%D8%A3%D9%85%D9%86%D9%8A-%D8%A8%D9%8A%D9%86-%D8%A7%D9%84%D8%A8"
        "%D9%84%D8%AF%D9%8A%D9%86",
        "https://www.hespress.com/politique/436105.html",
        "http://www.hespress.com/2024/07/25/laftit-darmanin-rabat/",
        "https://www.hespress.com/sport/wydad-raja-1398500.html",
    ]


def test_listing_with_a_pattern(page) -> None:
    links = article_links(page("hespress_listing.html"), LISTING_URL,
                          pattern=r"^/politique/\d+\.html$")
    assert links == ["https://www.hespress.com/politique/436105.html"]
    with pytest.raises(ValueError, match="not a valid regular expression"):
        article_links(page("hespress_listing.html"), LISTING_URL, pattern="(")


def test_search_results_page() -> None:
    html = """<html><body><form action="/"><input name="s"></form>
    <h1>نتائج البحث عن: حموشي فرنسا</h1>
    <article><h2><a href="https://www.hespress.com/politique/hammouchi-1398765.html">حموشي</a>
    </h2><a href="https://www.hespress.com/politique/hammouchi-1398765.html" class="more">
    اقرأ المزيد</a></article>
    <article><h2><a href="https://www.hespress.com/societe/police-1398001.html">الأمن</a></h2>
    </article>
    <a href="https://www.hespress.com/page/2/?s=%D8%AD%D9%85%D9%88%D8%B4%D9%8A">2</a>
    <a href="https://www.hespress.com/?s=%D8%A3%D9%85%D9%86">بحث آخر</a>
    </body></html>"""
    base = "https://www.hespress.com/?s=%D8%AD%D9%85%D9%88%D8%B4%D9%8A"
    assert article_links(html, base) == [
        "https://www.hespress.com/politique/hammouchi-1398765.html",
        "https://www.hespress.com/societe/police-1398001.html",
    ]
    assert next_page_url(html, base) == (
        "https://www.hespress.com/page/2/?s=%D8%AD%D9%85%D9%88%D8%B4%D9%8A")


def test_links_on_a_loopback_site_keep_to_its_port() -> None:
    html = """<a href="/news/1001.html">a</a><a href="http://127.0.0.2:8080/news/1002.html">b</a>
    <a href="http://127.0.0.2:9090/news/1003.html">c</a><a href="http://127.0.0.3:8080/news/1004.html">
    d</a>"""
    assert article_links(html, "http://127.0.0.2:8080/") == [
        "http://127.0.0.2:8080/news/1001.html", "http://127.0.0.2:8080/news/1002.html"]


def test_base_element_resolves_relative_links() -> None:
    html = '<head><base href="https://www.example.ma/ar/"></head><a href="news-12345.html">x</a>'
    assert article_links(html, "https://www.example.ma/index.php") == [
        "https://www.example.ma/ar/news-12345.html"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.hespress.com/politique/436105.html", True),
        ("https://chouftv.ma/press/123456.html", True),
        ("https://www.goud.ma/hammouchi-yastaqbil-nazirahu-al-faransi-123456/", True),
        ("https://fr.le360.ma/politique/rabat-et-paris_JHG7TQ2LPNB4XKQW5M3ZD6YRAE/", True),
        ("https://www.lefigaro.fr/international/guerre-en-ukraine-20241122", True),
        ("https://www.lemonde.fr/politique/article/2023/08/30/sophie-binet_6187099_823448.html",
         True),
        ("https://www.akhbarona.com/permalink/412345.html", True),
        ("https://www.akhbarona.com/politic/index.2.html", False),
        ("https://www.hespress.com/", False),
        ("https://www.hespress.com/politique", False),
        ("https://www.hespress.com/tag/hammouchi-faransa-amn-watani", False),
        ("https://www.hespress.com/category/politique/page/2", False),
        ("https://www.hespress.com/author/abdellah-123456", False),
        ("https://www.hespress.com/2024/07/25/", False),
        ("https://www.hespress.com/wp-content/uploads/2024/07/photo-123456.jpg", False),
        ("https://www.hespress.com/feed", False),
        ("https://www.hespress.com/?s=123456", False),
        ("https://www.hespress.com/politique/feed/rss-123456", False),
    ],
)
def test_looks_like_article(url: str, expected: bool) -> None:
    assert looks_like_article(url) is expected


def test_next_page_from_rel_next(page) -> None:
    assert next_page_url(page("hespress_listing.html"), LISTING_URL) == (
        "https://www.hespress.com/politique/page/2")


@pytest.mark.parametrize(
    ("html", "base", "expected"),
    [
        # numbered pages: the one after the current
        ('<a href="?page=1">1</a><a href="?page=2">2</a><a href="?page=3">3</a>',
         "https://www.example.ma/news?page=2", "https://www.example.ma/news?page=3"),
        ('<a href="/news/page/2/">2</a><a href="/news/page/3/">3</a>',
         "https://www.example.ma/news/", "https://www.example.ma/news/page/2/"),
        ('<a href="/politic/index.3.html">3</a><a href="/politic/index.2.html">2</a>',
         "https://www.akhbarona.com/politic/index.html",
         "https://www.akhbarona.com/politic/index.2.html"),
        # labels
        ('<a href="/fr/actu?p=9">Suivant</a>', "https://www.example.ma/fr/actu",
         "https://www.example.ma/fr/actu?p=9"),
        ('<a href="/ar/akhbar/2">الصفحة التالية</a>', "https://www.example.ma/ar/akhbar",
         "https://www.example.ma/ar/akhbar/2"),
        ('<a href="/ar/akhbar/2">»</a>', "https://www.example.ma/ar/akhbar",
         "https://www.example.ma/ar/akhbar/2"),
        ('<a href="/en/news/2">Next page ›</a>', "https://www.example.ma/en/news",
         "https://www.example.ma/en/news/2"),
        ('<li class="next"><a href="/en/news/2"><i class="icon"></i></a></li>',
         "https://www.example.ma/en/news", "https://www.example.ma/en/news/2"),
        # last page, previous links, other sites
        ('<a href="?page=1">1</a><a href="?page=2">2</a>',
         "https://www.example.ma/news?page=2", None),
        ('<a href="/news/page/1/">« Précédent</a>', "https://www.example.ma/news/page/2/", None),
        ('<a rel="next" href="https://other.example.org/page/2">Next</a>',
         "https://www.example.ma/news", None),
        ("", "https://www.example.ma/news", None),
    ],
)
def test_next_page_url(html: str, base: str, expected: str | None) -> None:
    assert next_page_url(f"<html><body>{html}</body></html>" if html else html, base) == expected


def test_garbage_gives_nothing() -> None:
    assert article_links(b"\x00\x01\x02", LISTING_URL) == []
    assert article_links("", LISTING_URL) == []
    assert next_page_url(b"%PDF-1.4", LISTING_URL) is None


def test_unusable_addresses_are_skipped() -> None:
    html = ('<a href="http://www.example.ma:99999/news-12345.html">port</a>'
            '<a href="http://[::1/news-12345.html">ipv6</a>'
            '<a href="/news-67890.html">ok</a><a rel="next" href="http://www.example.ma:0x/p/2">n</a>')
    assert article_links(html, "https://www.example.ma/") == [
        "https://www.example.ma/news-67890.html"]
    assert next_page_url(html, "https://www.example.ma/") is None
