"""decode_html and extraction of pages in legacy encodings and broken markup."""

from __future__ import annotations

import codecs

import pytest

from crawler.extract import decode_html, encoding_name, extract_article

ARABIC_TITLE = "المغرب وفرنسا يعززان التعاون الأمني"
ARABIC_BODY = ("أكد وزير الداخلية أن التنسيق بين الأجهزة الأمنية المغربية والفرنسية "
               "بلغ مستوى غير مسبوق في مجال مكافحة الإرهاب وتبادل المعلومات.")
FRENCH_BODY = ("La coopération sécuritaire entre le Maroc et la France a été saluée à "
               "l’issue d’une réunion à Rabat consacrée à la lutte antiterroriste. Élevée, "
               "appréciée, renforcée : les qualificatifs n’ont pas manqué.")


def arabic_page(meta: str = "") -> str:
    return (f"<html><head>{meta}<title>{ARABIC_TITLE}</title></head><body>"
            f"<h1>{ARABIC_TITLE}</h1><div class='article-content'>"
            f"<p>{ARABIC_BODY}</p><p>{ARABIC_BODY}</p></div></body></html>")


def test_windows_1256_declared_in_the_http_header() -> None:
    body = arabic_page().encode("windows-1256")
    assert ARABIC_BODY in decode_html(body, "windows-1256")
    assert ARABIC_BODY in decode_html(body, "text/html; charset=windows-1256")


def test_windows_1256_declared_in_a_meta_tag() -> None:
    for meta in ('<meta charset="windows-1256">',
                 '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'):
        body = arabic_page(meta).encode("cp1256")
        assert ARABIC_BODY in decode_html(body)


def test_windows_1256_undeclared_is_detected() -> None:
    assert ARABIC_BODY in decode_html(arabic_page().encode("cp1256"))


def test_header_claiming_utf8_over_windows_1256_bytes_is_overruled() -> None:
    body = arabic_page('<meta charset="windows-1256">').encode("cp1256")
    assert ARABIC_BODY in decode_html(body, "utf-8")
    assert ARABIC_BODY in decode_html(arabic_page().encode("cp1256"), "utf-8")


def test_utf8_with_a_few_broken_bytes_stays_utf8() -> None:
    body = arabic_page().encode("utf-8")
    broken = body[:200] + b"\xff\xfe" + body[200:]
    text = decode_html(broken)
    assert ARABIC_BODY in text
    assert "\ufffd" in text


def test_latin_page_undeclared_is_windows_1252() -> None:
    body = f"<p>{FRENCH_BODY}</p>".encode("cp1252")
    assert FRENCH_BODY in decode_html(body)


def test_latin1_label_means_windows_1252() -> None:
    body = "<p>Il a dit “oui” à 10 €</p>".encode("cp1252")
    assert "“oui”" in decode_html(body, "iso-8859-1")
    assert encoding_name("ISO-8859-1") == "cp1252"
    assert encoding_name("text/html; charset=UTF-8") == "utf-8"
    assert encoding_name("no-such-charset") is None
    assert encoding_name(None) is None


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16"])
def test_byte_order_mark_wins(codec: str) -> None:
    body = arabic_page('<meta charset="windows-1256">').encode(codec)
    assert body.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    assert ARABIC_BODY in decode_html(body, "windows-1256")


def test_meta_claiming_utf16_on_ascii_compatible_bytes_is_read_as_utf8() -> None:
    body = arabic_page('<meta charset="utf-16">').encode("utf-8")
    assert ARABIC_BODY in decode_html(body)


def test_unknown_declared_charset_falls_back_to_detection() -> None:
    assert ARABIC_BODY in decode_html(arabic_page().encode("utf-8"), "x-made-up")


def test_decode_html_rejects_text() -> None:
    with pytest.raises(TypeError):
        decode_html("<p>already text</p>")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("declared", "meta"),
    [("windows-1256", ""), (None, '<meta charset="windows-1256">'), (None, "")],
)
def test_extract_article_reads_windows_1256_pages(declared: str | None, meta: str) -> None:
    body = arabic_page(meta).encode("cp1256")
    article = extract_article(body, "https://www.example.ma/a-1.html", declared_encoding=declared)
    assert article.title == ARABIC_TITLE
    assert ARABIC_BODY in article.text
    assert article.language == "ar"


def test_xml_declaration_in_a_text_page_is_accepted() -> None:
    html = f'<?xml version="1.0" encoding="utf-8"?>{arabic_page()}'
    article = extract_article(html, "https://www.example.ma/a-1.html")
    assert article.title == ARABIC_TITLE
    assert ARABIC_BODY in article.text


def test_utf8_served_as_latin1_stays_utf8() -> None:
    body = f"<p>{FRENCH_BODY}</p><p>{ARABIC_BODY}</p>".encode()
    text = decode_html(body, "text/html; charset=ISO-8859-1")
    assert FRENCH_BODY in text and ARABIC_BODY in text
