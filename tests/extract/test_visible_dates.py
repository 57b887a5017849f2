"""Dates printed on pages that declare none: where layouts put them, and the traps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.extract import extract_article

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # a Wednesday: «الأربعاء 2 دجنبر 2026»
TODAY = "الأربعاء 2 دجنبر 2026"
HEADLINE = "<h1>تفكيك خلية إرهابية بتنسيق مع المصالح الفرنسية</h1>"
BODY = ("<p>" + "أعلنت المديرية العامة للأمن الوطني عن تفكيك خلية إرهابية بتنسيق مع "
        "المصالح الأمنية الفرنسية، وذلك في إطار التعاون الثنائي. " * 4 + "</p>")
TOP_BAR = f'<table width="100%"><tr><td bgcolor="#003366"><font color="white">{TODAY}</font>' \
          "</td><td><a href='/'>الرئيسية</a></td></tr></table>"
RELATED = ('<table><tr><td><b>مواضيع ذات صلة</b></td></tr><tr><td><a href="/a/1">موضوع</a>'
           "</td><td><font>12 أكتوبر 2019</font></td></tr></table>")


def published(body: str, head: str = "") -> str | None:
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    found = extract_article(html, "https://archive.example.ma/a/1.html", now=NOW).published
    return found.astimezone(UTC).isoformat() if found else None


@pytest.mark.parametrize(
    ("layout", "body", "expected"),
    [
        ("old table layout: bare date in a font under the h1",
         f"{TOP_BAR}<table><tr><td>{HEADLINE}<font size='1' color='gray'>14 نونبر 2019</font>"
         f"<br>{BODY}</td></tr></table>{RELATED}", "2019-11-13T23:00:00+00:00"),
        ("weekday, date and time in a plain p",
         f"{TOP_BAR}{HEADLINE}<p>الخميس 14 نونبر 2019 - 10:35</p>{BODY}{RELATED}",
         "2019-11-14T09:35:00+00:00"),
        ("date in the cell under the title cell",
         f"<table><tr><td>{HEADLINE}</td></tr><tr><td>نشر في: 17/03/2018 21:08</td></tr>"
         f"<tr><td>{BODY}</td></tr></table>", "2018-03-17T21:08:00+00:00"),
        ("text after the headline, before a line break",
         f"<div>{HEADLINE}في 20/04/2025 على الساعة 10:06<br>{BODY}</div>",
         "2025-04-20T09:06:00+00:00"),
        ("date in a div past a lede and a byline",
         f"<div class='head'>{HEADLINE}<p>ملخص قصير للخبر في سطر واحد.</p></div>"
         f"<div class='meta'><span>بقلم: يوسف العلمي</span><div>الأحد 20 أبريل 2025 | 18:41"
         f"</div></div>{BODY}", "2025-04-20T17:41:00+00:00"),
        ("a date line above the headline",
         f"<div><p>Rabat, le 1er juillet 2024 à 9h</p><h1>Titre de l'article</h1>{BODY}</div>",
         "2024-07-01T08:00:00+00:00"),
        ("Levantine month name in a span",
         f"{HEADLINE}<span>8 كانون الثاني 2025</span>{BODY}", "2025-01-07T23:00:00+00:00"),
    ],
)
def test_dates_near_the_headline_in_any_element(layout: str, body: str, expected: str) -> None:
    assert published(body) == expected, layout


@pytest.mark.parametrize(
    ("trap", "body"),
    [
        ("today's date in the top bar", f"{TOP_BAR}{HEADLINE}{BODY}"),
        ("today's date just above the headline", f"<div><div>{TODAY}</div>{HEADLINE}{BODY}</div>"),
        ("today's date in a date-classed top bar",
         f"<div class='topbar'><span class='date'>{TODAY}</span></div>{HEADLINE}{BODY}"),
        ("today's date in a nav <time>",
         f"<nav><time datetime='2026-12-02'>{TODAY}</time></nav>{HEADLINE}{BODY}"),
        ("related items after the body", f"{HEADLINE}{BODY}{RELATED}"),
        ("a dated sidebar", f"{HEADLINE}<aside><span class='date'>12 أكتوبر 2019</span>"
                            f"<time datetime='2019-10-12'>12 أكتوبر</time></aside>{BODY}"),
        ("a most-read list", f"{HEADLINE}<div class='most-read'><p>خبر</p><p>3 ماي 2024</p>"
                             f"</div>{BODY}"),
        ("a sentence that cites a date",
         f"{HEADLINE}<p>في 14 نونبر 2019 تمكنت المصالح الأمنية من تفكيك خلية إرهابية كانت "
         f"تخطط لاستهداف منشآت حيوية.</p>{BODY}"),
        ("a relative phrase in a subtitle",
         f"<h1>Attentat de Marrakech</h1><p>Il y a 15 ans, l'attentat de l'Argana</p>{BODY}"),
    ],
)
def test_traps_give_no_date(trap: str, body: str) -> None:
    assert published(body) is None, trap


def test_the_article_date_wins_over_traps_around_it() -> None:
    body = (f"{TOP_BAR}<aside><time datetime='2026-11-30T08:00:00Z'>أمس</time></aside>"
            f"<table><tr><td>{HEADLINE}<font>14 نونبر 2019</font>{BODY}</td></tr></table>"
            f"{RELATED}")
    assert published(body) == "2019-11-13T23:00:00+00:00"


def test_a_date_of_today_with_its_time_is_an_article_date() -> None:
    body = f"<div><div>{TODAY} - 09:15</div>{HEADLINE}{BODY}</div>"
    assert published(body) == "2026-12-02T08:15:00+00:00"


@pytest.mark.parametrize(
    ("head", "marked", "expected"),
    [
        ('<script type="application/ld+json">{"@type": "NewsArticle", '
         '"datePublished": "2019-11-14T10:35:00+01:00"}</script>', "", "2019-11-14T09:35:00+00:00"),
        ('<meta property="article:published_time" content="2019-11-14T10:35:00+01:00">', "",
         "2019-11-14T09:35:00+00:00"),
        ("", "<time datetime='2019-11-14T10:35:00+01:00'>الخميس</time>",
         "2019-11-14T09:35:00+00:00"),
        ("", "<span class='date-post'>الخميس 14 نونبر 2019 - 10:35</span>",
         "2019-11-14T09:35:00+00:00"),
    ],
)
def test_declared_dates_win_over_a_line_near_the_headline(head: str, marked: str,
                                                          expected: str) -> None:
    body = f"<article>{HEADLINE}<font>3 ماي 2018</font>{marked}{BODY}</article>"
    assert published(body, head) == expected


def test_inside_the_article_a_dated_header_block_is_not_a_sidebar() -> None:
    body = (f"<article><header class='article-header'>{HEADLINE}"
            f"<span class='meta-date'>Publié le 1er juillet 2024 à 9h</span></header>{BODY}"
            "</article>")
    assert published(body) == "2024-07-01T08:00:00+00:00"


def test_a_footer_inside_the_article_holds_its_date_and_the_site_footer_does_not() -> None:
    # Drupal's <footer class="submitted"> under the article; the site's footer below it
    article = (f"<article>{HEADLINE}{BODY}<footer class='submitted'><span class="
               "'date-display-single'>الجمعة 8 فيفري 2019</span></footer></article>")
    site_footer = "<footer><span class='date'>الأحد 3 ماي 2020</span></footer>"
    assert published(article + site_footer) == "2019-02-07T23:00:00+00:00"
    assert published(f"<div>{HEADLINE}{BODY}</div>{site_footer}") is None
