"""Read-also links in every form the sources use, and their removal from the body."""

from __future__ import annotations

import pytest

from crawler.extract import ReadAlso, extract_article, parse_html, read_also_links

PAGE_URL = "https://www.hespress.com/politique/article-1398765.html"
PROSE = ("أكد المسؤولون أن التعاون الأمني بين المغرب وفرنسا بلغ مستوى متقدما في مجال "
         "مكافحة الإرهاب وتبادل المعلومات الاستخباراتية بين الأجهزة المختصة.")
CLOSING = ("وتأتي هذه المباحثات في سياق دينامية متواصلة للتعاون الأمني بين البلدين، تعززت "
           "خلال الأشهر الأخيرة بتبادل الزيارات.")
PROSE_FR = ("Les deux ministres ont salué une coopération sécuritaire exemplaire entre le Maroc "
            "et la France, notamment dans la lutte contre le terrorisme.")


def article(inner: str, lang: str = "ar") -> str:
    return (f'<html lang="{lang}"><body><h1>عنوان المقال</h1><div class="article-content">'
            f"<p>{PROSE if lang == 'ar' else PROSE_FR}</p>{inner}"
            f"<p>{CLOSING}</p></div></body></html>")


@pytest.mark.parametrize(
    "label",
    ["إقرأ أيضا :", "اقرأ أيضا", "اقرأ أيضاً:", "إقرأ أيضاً", "اقرأ كذلك:", "مقالات ذات صلة:",
     "شاهد أيضاً :", "قد يعجبك أيضاً:", "Lire aussi :", "À lire aussi :", "A LIRE AUSSI",
     "À lire :", "Lire :", "Read also:", "Read more:", "See also:", "» Lire aussi :"],
)
def test_inline_label_with_its_link(label: str) -> None:
    html = article(f'<p>{label} <a href="/societe/titre-1397500.html">عنوان مرتبط</a></p>')
    found = extract_article(html, PAGE_URL)
    assert found.read_also == (
        ReadAlso(url="https://www.hespress.com/societe/titre-1397500.html", title="عنوان مرتبط"),
    )
    assert "عنوان مرتبط" not in found.text
    assert label.strip(" :»") not in found.text
    assert found.text == f"{PROSE}\n\n{CLOSING}"


def test_the_seed_form() -> None:
    html = article('<p>إقرأ أيضا : <a href="https://www.hespress.com/x-1.html">'
                   "تعزيز التعاون الثنائي محور مباحثات حموشي مع مسؤولين أمنيين بفرنسا</a></p>")
    found = extract_article(html, PAGE_URL)
    assert [r.title for r in found.read_also] == [
        "تعزيز التعاون الثنائي محور مباحثات حموشي مع مسؤولين أمنيين بفرنسا"]
    assert "إقرأ أيضا" not in found.text


def test_label_in_its_own_element_before_the_link() -> None:
    html = article('<p><strong>اقرأ أيضاً:</strong> <a href="/a-11111.html">الأول</a></p>'
                   '<p><span>Lire aussi</span> <a href="/b-22222.html">Le deuxième</a></p>')
    found = extract_article(html, PAGE_URL)
    assert [r.title for r in found.read_also] == ["الأول", "Le deuxième"]
    assert found.text == f"{PROSE}\n\n{CLOSING}"


def test_heading_followed_by_a_list_of_links() -> None:
    html = article(
        "<h3>مقالات ذات صلة</h3><ul>"
        '<li><a href="/politique/laftit-1396000.html">لفتيت يتباحث مع نظيره الفرنسي</a></li>'
        '<li><a href="https://fr.hespress.com/jo-1395000.html">Les JO et la police</a></li>'
        "</ul>")
    found = extract_article(html, PAGE_URL)
    assert [r.url for r in found.read_also] == [
        "https://www.hespress.com/politique/laftit-1396000.html",
        "https://fr.hespress.com/jo-1395000.html",
    ]
    assert "لفتيت" not in found.text and "مقالات ذات صلة" not in found.text


def test_box_with_a_header_and_image_plus_title_links() -> None:
    html = article(
        '<div class="box"><div class="box-head"><span>قد يعجبك أيضاً</span></div>'
        '<div class="box-items">'
        '<a href="/c-33333.html"><img src="/c.jpg" alt=""></a>'
        '<a href="/c-33333.html">الخبر الثالث</a>'
        '<a href="/d-44444.html#comments"><img src="/d.jpg" alt=""></a>'
        '<a href="/d-44444.html">الخبر الرابع</a>'
        "</div></div>")
    found = read_also_links(html, PAGE_URL)
    assert found == (
        ReadAlso(url="https://www.hespress.com/c-33333.html", title="الخبر الثالث"),
        ReadAlso(url="https://www.hespress.com/d-44444.html", title="الخبر الرابع"),
    )


def test_le_monde_catcher() -> None:
    html = article(
        '<section class="catcher catcher--favoris"><div class="catcher__content">'
        '<span class="catcher__title catcher__title--hide">Lire aussi :</span>'
        '<span class="catcher__desc"><span class="icon__premium"><span class="sr-only">'
        "Article réservé à nos abonnés</span></span> "
        '<a href="https://www.lemonde.fr/politique/article/2023/03/31/binet_6167707_823448.html"'
        ' class="js-article-read-also">Sophie Binet, élue à la tête de la CGT</a></span>'
        "</div></section>", lang="fr")
    found = extract_article(html, "https://www.lemonde.fr/politique/article/2023/08/30/x.html")
    assert found.read_also == (ReadAlso(
        url="https://www.lemonde.fr/politique/article/2023/03/31/binet_6167707_823448.html",
        title="Sophie Binet, élue à la tête de la CGT"),)
    assert "Sophie Binet" not in found.text and "abonnés" not in found.text


def test_le_figaro_body_link() -> None:
    html = article(
        '<p class="fig-body-link"><span class="fig-body-link__prefix">À lire aussi</span>'
        '<a class="fig-body-link__link" href="https://www.lefigaro.fr/international/'
        'la-natalite-russe-20230314"><span class="fig-body-link__link-title">'
        "La natalité russe menacée d’effondrement</span></a></p>", lang="fr")
    found = extract_article(html, "https://www.lefigaro.fr/international/guerre-20241122")
    assert found.read_also == (ReadAlso(
        url="https://www.lefigaro.fr/international/la-natalite-russe-20230314",
        title="La natalité russe menacée d’effondrement"),)
    assert "natalité" not in found.text


def test_label_inside_the_link() -> None:
    html = article('<p><a href="/e-55555.html">Lire aussi : Le Maroc et la France</a></p>')
    assert read_also_links(html, PAGE_URL) == (
        ReadAlso(url="https://www.hespress.com/e-55555.html", title="Le Maroc et la France"),)


@pytest.mark.parametrize(
    "inner",
    [
        # "Lire" the verb, not the label
        '<p>Lire entre les lignes du <a href="/rapport-66666.html">rapport</a> reste utile.</p>',
        '<p>Lire <a href="/rapport-66666.html">le rapport</a> prend du temps, a-t-il dit.</p>',
        '<p><a href="/rapport-66666.html">Lire la suite</a></p>',
        '<p><a class="btn" href="/rapport-66666.html">Read more</a></p>',
        '<ul class="menu"><li><a href="/lire">Lire</a></li>'
        '<li><a href="/ecouter">Écouter</a></li></ul>',
        # the stem in prose, or in a script
        '<p>Il faut lire aussi <a href="/rapport-66666.html">le rapport</a> pour comprendre '
        "l’ampleur de la coopération entre les deux pays, selon plusieurs observateurs.</p>",
        '<script>var label = "اقرأ أيضا"; var url = "/rapport-66666.html";</script>',
    ],
)
def test_not_read_also(inner: str) -> None:
    assert read_also_links(article(inner, lang="fr"), PAGE_URL) == ()


def test_links_are_absolute_deduplicated_and_exclude_the_page_itself() -> None:
    html = article(
        '<p>اقرأ أيضا: <a href="/f-77777.html">و</a> <a href="javascript:void(0)">x</a> '
        '<a href="mailto:a@b.ma">y</a> <a href="/f-77777.html">و</a> '
        f'<a href="{PAGE_URL}">هذه الصفحة</a> '
        '<a href="https://other.example.org/g-88888.html">موقع آخر</a></p>')
    assert [r.url for r in read_also_links(html, PAGE_URL)] == [
        "https://www.hespress.com/f-77777.html", "https://other.example.org/g-88888.html"]


def test_read_also_links_takes_a_parsed_tree_or_html() -> None:
    html = article('<p>اقرأ كذلك: <a href="/h-99999.html">عنوان</a></p>')
    tree = parse_html(html)
    assert tree is not None
    assert read_also_links(tree, PAGE_URL) == read_also_links(html.encode(), PAGE_URL)
    assert len(read_also_links(tree, PAGE_URL)) == 1
    assert read_also_links("", PAGE_URL) == ()


def test_label_line_without_a_link_is_dropped_from_the_body() -> None:
    found = extract_article(article("<p>إقرأ أيضا : عنوان بلا رابط</p>"), PAGE_URL)
    assert found.read_also == ()
    assert "عنوان بلا رابط" not in found.text


def test_label_opening_a_block_takes_only_its_own_line() -> None:
    html = ('<html><body><div class="article-content">اقرأ أيضا: '
            '<a href="/i-12121.html">الخبر</a>'
            f'<p>{PROSE} <a href="/source-34343.html">المصدر</a></p><p>{CLOSING}</p>'
            "</div></body></html>")
    found = extract_article(html, PAGE_URL)
    assert [r.title for r in found.read_also] == ["الخبر"]
    assert found.text == f"{PROSE} المصدر\n\n{CLOSING}"


def test_hespress_fixture(page) -> None:
    found = extract_article(page("hespress_article.html"), PAGE_URL)
    assert [r.url.rsplit("-", 1)[-1] for r in found.read_also] == [
        "1398001.html", "1397500.html", "1396000.html", "1395000.html"]
    assert found.read_also[0].title == (
        "تعزيز التعاون الثنائي محور مباحثات حموشي مع مسؤولين أمنيين بفرنسا")
    # "most read" links are not read-also links
    assert not any("1398500" in r.url for r in found.read_also)


def test_relative_links_follow_the_base_element() -> None:
    html = ('<html><head><base href="https://www.hespress.com/ar/"></head><body>'
            '<p>اقرأ أيضا: <a href="societe/k-56565.html">عنوان</a></p></body></html>')
    assert read_also_links(html, PAGE_URL) == (
        ReadAlso(url="https://www.hespress.com/ar/societe/k-56565.html", title="عنوان"),)


def test_unusable_addresses_are_skipped() -> None:
    html = article('<p>اقرأ أيضا: <a href="http://www.hespress.com:99999/a-1.html">أ</a> '
                   '<a href="http://[::1/b-2.html">ب</a> <a href="/c-3.html">ج</a></p>')
    assert read_also_links(html, PAGE_URL) == (
        ReadAlso(url="https://www.hespress.com/c-3.html", title="ج"),)


def test_a_huge_link_title_is_capped() -> None:
    from crawler.extract import extract_article

    headline = "مقال " * 2000
    html = (f'<html><body><article><h1>عنوان</h1><p>{"نص المقال. " * 40}</p>'
            f'<p>إقرأ أيضا : <a href="https://www.hespress.com/x-1.html">{headline}</a></p>'
            "</article></body></html>").encode()
    article = extract_article(html, "https://www.hespress.com/a.html")
    [link] = article.read_also
    assert len(link.title) <= 1000 and link.title.endswith("…")
