"""Body text: the article's paragraphs, and none of the page around them."""

from __future__ import annotations

import pytest

from crawler.extract import ExtractedArticle, PageHints, extract_article

HESPRESS_URL = "https://www.hespress.com/politique/tazziz-taawon-amni-1398765.html"
HESPRESS_PARAGRAPHS = [
    "أجرى عبد اللطيف حموشي، المدير العام للأمن الوطني ولمراقبة التراب الوطني، مباحثات مع المدير "
    "العام للشرطة الوطنية الفرنسية، تمحورت حول سبل تعزيز التعاون الأمني بين المغرب وفرنسا.",
    "وحسب بلاغ للمديرية العامة للأمن الوطني، فقد تم خلال هذا اللقاء استعراض آليات التنسيق في "
    "مجال مكافحة الإرهاب والجريمة المنظمة العابرة للحدود.",
    "وأشاد المسؤولون الفرنسيون بالخبرة المغربية في تأمين التظاهرات الرياضية الكبرى، خاصة بعد "
    "مشاركة فرق مغربية متخصصة في الكشف عن المتفجرات.",
    "وتأتي هذه المباحثات في سياق دينامية متواصلة للتعاون الأمني بين البلدين، تعززت خلال الأشهر "
    "الأخيرة بتبادل الزيارات.",
]
HESPRESS_NOISE = [
    "ملفات تعريف الارتباط",  # cookie banner
    "اقتصاد", "الرئيسية",  # menu, breadcrumbs
    "فيسبوك", "واتساب",  # share bar
    "صورة أرشيفية",  # caption
    "إعلان",  # ad slot
    "إقرأ أيضا", "اقرأ أيضاً", "الأنتربول",  # read-also lines
    "الوسوم", "حموشي\n",  # tags
    "النشرة الإخبارية", "اشترك",  # newsletter
    "مقالات ذات صلة", "لفتيت",  # related box
    "التعليقات", "شكرا لرجال الأمن",  # comments
    "الأكثر قراءة", "الوداد",  # most read
    "جميع الحقوق", "اتصل بنا",  # footer
    "script text",
]


def test_hespress_like_article(page) -> None:
    found = extract_article(page("hespress_article.html"), HESPRESS_URL)
    assert found.text == "\n\n".join(HESPRESS_PARAGRAPHS)
    for noise in HESPRESS_NOISE:
        assert noise not in found.text, noise


def test_page_with_generated_class_names_uses_paragraph_density(page) -> None:
    found = extract_article(page("le360_fr_article.html"), "https://fr.le360.ma/politique/x/")
    paragraphs = found.text.split("\n\n")
    assert paragraphs[0].startswith("Le ministre français de l’Intérieur a salué")
    assert "Il faut lire entre les lignes de ce communiqué" in paragraphs[1]
    # text set in a <div> between <br>s makes paragraphs too
    assert "Les deux ministres ont également évoqué la question migratoire." in paragraphs
    assert paragraphs[-1] == ("Ils se retrouveront à Paris à l’automne pour une nouvelle "
                              "session du dialogue stratégique.")
    for noise in ("Lire aussi", "Hammouchi reçu", "À lire", "Il vous reste", "Partager",
                  "Lire la suite", "Tous droits réservés", "Economie", "Karim Benslimane",
                  "20/04/2025"):
        assert noise not in found.text, noise


def test_plain_paragraphs_without_any_container() -> None:
    html = ("<body><div class='top'><a href='/'>Accueil</a> <a href='/monde'>Monde</a></div>"
            "<p>Premier paragraphe de l’article, assez long pour compter comme du texte.</p>"
            "<p>Deuxième paragraphe de l’article, lui aussi assez long pour compter.</p>"
            "<p>Troisième paragraphe, qui termine l’article sur une note sécuritaire.</p>"
            "<footer>Mentions légales — Contact</footer></body>")
    found = extract_article(html, "https://example.org/a-123456.html")
    assert found.text.split("\n\n") == [
        "Premier paragraphe de l’article, assez long pour compter comme du texte.",
        "Deuxième paragraphe de l’article, lui aussi assez long pour compter.",
        "Troisième paragraphe, qui termine l’article sur une note sécuritaire.",
    ]


def test_text_directly_in_divs_with_br() -> None:
    line = "سطر من نص المقال مكتوب مباشرة داخل عنصر div وليس داخل فقرة"
    html = (f"<html><body><nav><a href='/'>الرئيسية</a></nav><div class='LongDesc'><div>"
            f"{line} 1.<br>\n<br>{line} 2.<br><br>{line} 3.</div></div></body></html>")
    found = extract_article(html, "https://example.org/news/1")
    assert found.text.split("\n\n") == [f"{line} 1.", f"{line} 2.", f"{line} 3."]


def test_white_space_is_squashed_and_headings_kept_in_order() -> None:
    html = ("<article><div class='entry-content'><p>  Un   paragraphe\n\t avec des   blancs"
            " qui doivent disparaître de la sortie finale.</p><h2>Un intertitre</h2>"
            "<p>Un dernier paragraphe suffisamment long pour que le bloc compte.</p>"
            "<ul><li>Premier point de la liste à puces</li><li>Second point</li></ul>"
            "</div></article>")
    found = extract_article(html, "https://example.org/a-1.html")
    assert found.text.split("\n\n") == [
        "Un paragraphe avec des blancs qui doivent disparaître de la sortie finale.",
        "Un intertitre",
        "Un dernier paragraphe suffisamment long pour que le bloc compte.",
        "Premier point de la liste à puces",
        "Second point",
    ]


def test_hint_selectors_override_generic_rules() -> None:
    html = ("<html><head><meta property='og:title' content='Titre générique | Site'></head>"
            "<body><div class='infoSingle'><h1>Le vrai titre</h1><span class='timePost'>"
            "25/07/2024 10:30</span><span class='writer'>Nadia Alaoui</span></div>"
            "<div class='post_content'><p>Texte choisi par le sélecteur, premier.</p>"
            "<p class='promo'>Abonnez-vous</p><p>Texte choisi par le sélecteur, second.</p></div>"
            "<div class='other'>" + ("<p>Un autre bloc bien plus long que le premier et qui "
                                     "aurait gagné selon les règles générales de densité.</p>"
                                     * 3) + "</div></body></html>")
    hints = PageHints(selectors={"title": ".infoSingle > h1", "body": ".post_content > p",
                                 "date": ".timePost", "author": ".writer"})
    found = extract_article(html, "https://alyaoum24.com/1234567.html", hints=hints)
    assert found.title == "Le vrai titre"
    assert found.text == ("Texte choisi par le sélecteur, premier.\n\n"
                          "Texte choisi par le sélecteur, second.")
    assert found.published is not None and found.published.isoformat() == (
        "2024-07-25T10:30:00+01:00")
    assert found.author == "Nadia Alaoui"


def test_selector_matching_nothing_falls_back_to_generic_rules(page) -> None:
    hints = PageHints(selectors={"body": ".no-such-thing", "title": "h5.none"})
    found = extract_article(page("hespress_article.html"), HESPRESS_URL, hints=hints)
    assert found.text == "\n\n".join(HESPRESS_PARAGRAPHS)
    assert found.title == "حموشي يبحث مع نظيره الفرنسي تعزيز التعاون الأمني"


@pytest.mark.parametrize(
    "html",
    [
        # unclosed tags, stray closing tags, no <html> or <body>
        "<title>Titre</title><h1>Titre</h1><div class='article-content'><p>Premier paragraphe "
        "de l’article sans balise fermante<p>Second paragraphe lui aussi ouvert</span></b>"
        "<p>Troisième paragraphe après des balises orphelines</i></div></div></div>",
        # markup soup with unquoted attributes and a missing </div>
        "<html><body><div class=article-content><p>Premier paragraphe de l’article sans balise "
        "fermante</p><p>Second paragraphe lui aussi ouvert<div><p>Troisième paragraphe après des "
        "balises orphelines</body>",
    ],
)
def test_broken_html(html: str) -> None:
    found = extract_article(html, "https://example.org/a-1.html")
    for text in ("Premier paragraphe de l’article sans balise fermante",
                 "Second paragraphe lui aussi ouvert",
                 "Troisième paragraphe après des balises orphelines"):
        assert text in found.text


def test_deeply_nested_unclosed_divs_lose_nothing() -> None:
    text = "Le texte de l’article se trouve tout au fond de cinq cents div jamais fermées."
    found = extract_article("<div>" * 500 + f"<p>{text}</p>", "https://example.org/a-1.html")
    assert found.text == text


@pytest.mark.parametrize(
    "html",
    [b"", "", "   \n", b"\x00\x01\x02\x03binary", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
     b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", '{"title": "not html"}', "plain text, no tags",
     "<!-- a comment and nothing else -->", b"\xff\xfe"],
)
def test_empty_or_non_html_input_gives_empty_fields(html: bytes | str) -> None:
    found = extract_article(html, "https://example.org/a-1.html")
    assert found == ExtractedArticle(title="", published=None, language=None, author=None,
                                     text="", canonical_url=None, read_also=())


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((12345, "https://example.org/"), {}),
     (("<p>x</p>", None), {}),
     (("<p>x</p>", "https://example.org/"), {"hints": {"timezone": "UTC"}})],
)
def test_wrong_argument_types_raise_type_error(args: tuple, kwargs: dict) -> None:
    with pytest.raises(TypeError):
        extract_article(*args, **kwargs)


def test_a_short_brief_in_a_named_container_is_kept() -> None:
    brief = "Arrestation à Tanger d’un suspect recherché par la France."
    html = ("<html><body><nav><a href='/'>Accueil</a></nav><div class='sidebar-box'>"
            + "<p>Un long texte de colonne latérale qui n’a rien à voir avec la brève.</p>" * 5
            + f"</div><div class='entry-content'><p>{brief}</p></div></body></html>")
    assert extract_article(html, "https://example.org/breve-123456.html").text == brief


def test_byline_and_date_inside_the_container_are_not_body() -> None:
    html = ("<html><body><article><h1>Titre de l’article</h1>"
            "<div class='info'><span class='author-name'>Par Nadia Alaoui</span>"
            "<span class='post-date'>Le 20/04/2025 à 10h06</span></div>"
            "<p>Le premier paragraphe de l’article parle de coopération sécuritaire.</p>"
            "<p>Le second paragraphe détaille les échanges entre les services des deux pays.</p>"
            "<p>Le troisième paragraphe conclut sur les perspectives de cette coopération.</p>"
            "</article></body></html>")
    found = extract_article(html, "https://example.org/a-123456.html")
    assert found.text.startswith("Le premier paragraphe")
    assert "Nadia" not in found.text and "20/04/2025" not in found.text
    assert "Titre de l’article" not in found.text
    assert found.author == "Nadia Alaoui"


def test_boilerplate_lines_go_but_sentences_starting_alike_stay() -> None:
    kept = ["شارك وزير الداخلية في اجتماع أمني رفيع المستوى بباريس.",
            "Partager le renseignement reste la priorité des deux services.",
            "Le premier paragraphe de l’article parle de coopération sécuritaire."]
    noise = ["Il vous reste 57.09% de cet article à lire.", "شارك", "Partager :",
             "Abonnez-vous à notre newsletter", "الوسوم: حموشي، فرنسا"]
    html = ("<html><body><div class='entry-content'>"
            + "".join(f"<p>{line}</p>" for line in [kept[0], noise[0], noise[1], kept[1],
                                                     noise[2], noise[3], kept[2], noise[4]])
            + "</div></body></html>")
    assert extract_article(html, "https://example.org/a-1.html").text == "\n\n".join(kept)
