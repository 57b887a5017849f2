"""JSON output of the CLI is UTF-8 with every character as itself, whatever the locale's
encoding: `extract --json` on an Arabic page, and `match --json` with the words found."""

from __future__ import annotations

import io
import json
import sys

import pytest

from crawler.cli import main

TITLE = "تعاون أمني جديد بين المغرب وفرنسا"
PAGE = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{TITLE}</title></head>
<body><article><h1>{TITLE}</h1>
<p>أعلنت المديرية العامة للأمن الوطني أن فرق مكافحة المتفجرات المغربية ستشارك إلى جانب
نظيرتها الفرنسية في تأمين التظاهرات الكبرى، في إطار التعاون الأمني بين المغرب وفرنسا.</p>
<p>وأوضح بلاغ للمديرية أن هذه المشاركة تأتي تتويجا لاجتماعات تنسيقية عقدت في الرباط وباريس
خلال الأسابيع الماضية، وشملت تبادل الخبرات في مجال الأمن وتأمين الملاعب.</p>
</article></body></html>
"""


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "marsad.toml").write_text('database = "archive.db"\n', encoding="utf-8")
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    return tmp_path


def test_extract_json_prints_arabic_as_itself(folder, capsys):
    assert main(["--config", "marsad.toml", "extract", "--json", "page.html",
                 "--url", "https://www.hespress.com/a.html"]) == 0
    out = capsys.readouterr().out
    assert TITLE in out and "\\u06" not in out
    record = json.loads(out)
    assert record["title"] == TITLE and "الفرنسية" in record["text"]


def test_json_is_utf8_even_where_the_locale_is_ascii(folder, monkeypatch):
    raw = io.BytesIO()
    # What a terminal or pipe under LANG=C without UTF-8 coercion hands Python.
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="ascii"))
    assert main(["--config", "marsad.toml", "extract", "--json", "page.html"]) == 0
    sys.stdout.flush()
    line = raw.getvalue().decode("utf-8")
    assert TITLE.encode("utf-8") in raw.getvalue()
    assert json.loads(line)["title"] == TITLE


def test_match_json_names_the_words_found_as_written(folder, capsys):
    article = {"title": "وفد أمني فرنسي في الرباط",
               "text": "أشادت الشرطة الفرنسية بالتعاون مع المغرب في مكافحة الإرهاب."}
    (folder / "articles.jsonl").write_text(json.dumps(article, ensure_ascii=False) + "\n",
                                           encoding="utf-8")
    assert main(["--config", "marsad.toml", "match", "--json", "articles.jsonl"]) == 0
    out = capsys.readouterr().out
    record = json.loads(out)
    assert record["topics"] == ["morocco-france-security"]
    assert "فرنسي*" in record["matched"]
    assert record["found"][:2] == ["أمني", "فرنسي"] and "الشرطة الفرنسية" in record["found"]
    assert not any("*" in word for word in record["found"])
    assert "الفرنسية" in out  # as itself, not escaped
