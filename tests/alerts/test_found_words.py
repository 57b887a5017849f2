"""Alerts list the words the topic's terms fired on as the article writes them
(«الفرنسية» for «فرنسي*»), once each, in order of first occurrence; matches recorded
before those words were kept still render, with the terms as the topic writes them."""

from __future__ import annotations

import io

import pytest

from alerts.console import ConsoleChannel
from alerts.digest import render_digest_html, render_digest_slack, render_digest_text
from alerts.render import render_html, render_slack, render_text
from crawler.highlight import found_words
from crawler.matching import Topic, match
from storage import Archive
from storage.records import ArticleRecord, TopicMatchRecord

AR_TITLE = "وفد أمني فرنسي في الرباط"
AR_TEXT = ("أشادت الشرطة الفرنسية بالتعاون مع المصالح المغربية، وقال مسؤول فرنسي إن "
           "التنسيق مع المغرب مثالي. وأكدت الشرطة الفرنسية ذلك.")
FR_TEXT = ("La coopération entre le Maroc et la France est exemplaire. "
           "Les polices marocaine et française échangent. COOPÉRATION renforcée.")


def slack_fields(payload: dict) -> str:
    return " ".join(field["text"] for block in payload["blocks"]
                    for field in block.get("fields", ()))


def test_words_as_written_once_each_in_order_of_first_occurrence():
    terms = ["فرنسي*", "المغرب", "أمني*"]
    assert found_words(AR_TITLE, AR_TEXT, terms) == ("أمني", "فرنسي", "الفرنسية", "المغرب")
    assert found_words("", FR_TEXT, ["cooperation", "marocain*", "franc*"]) == (
        "coopération", "France", "marocaine", "française")  # COOPÉRATION folds alike
    assert found_words("", FR_TEXT, ["cooperation", "marocain*", "franc*"], limit=2) == (
        "coopération", "France")
    assert found_words("", "La  sécurité\n nationale", ["securite nationale"]) == (
        "sécurité nationale",)
    assert found_words("Météo", "Il fera beau.", ["Maroc"]) == ()


def test_a_match_finds_the_words_its_rule_terms_fired_on():
    topic = Topic(name="t", all_of=(("فرنسي*",), ("المغرب",)))
    found = match(topic, title=AR_TITLE, text=AR_TEXT)
    assert found is not None and set(found.matched) == {"فرنسي*", "المغرب"}
    assert found_words(AR_TITLE, AR_TEXT, found.matched) == ("فرنسي", "الفرنسية", "المغرب")


def test_every_channel_lists_the_found_words(arabic_alert, make_alert):
    alert = make_alert(title=AR_TITLE, text=AR_TEXT, language="ar",
                       matched=("فرنسي*", "المغرب"), found=("فرنسي", "الفرنسية", "المغرب"))
    assert "Matched:   فرنسي, الفرنسية, المغرب\n" in render_text(alert)
    html = render_html(alert)
    assert "<bdi>فرنسي</bdi>, <bdi>الفرنسية</bdi>, <bdi>المغرب</bdi>" in html
    assert "فرنسي*" not in html
    # The excerpt still marks every occurrence of the rule's terms.
    assert "<mark><strong>الفرنسية</strong></mark>" in html
    assert "*Matched*\nفرنسي, الفرنسية, المغرب" in slack_fields(render_slack(alert))
    stream = io.StringIO()
    ConsoleChannel(stream=stream).send(alert)
    assert "Matched:   فرنسي, الفرنسية, المغرب" in stream.getvalue()
    digest = [alert, make_alert(alert_id=2, found=("coopération",))]
    assert "Matched:   فرنسي, الفرنسية, المغرب" in render_digest_text(digest)
    assert "<bdi>coopération</bdi>" in render_digest_html(digest)
    sections = " ".join(b["text"]["text"] for b in render_digest_slack(digest)["blocks"]
                        if b["type"] == "section")
    assert "فرنسي, الفرنسية, المغرب" in sections and "coopération" in sections


def test_found_words_are_page_text_escaped_for_each_channel(make_alert):
    alert = make_alert(found=("<b>Maroc</b>", "@channel <!here>", "*gras*"))
    assert "&lt;b&gt;Maroc&lt;/b&gt;" in render_html(alert)
    assert "<b>Maroc" not in render_html(alert)
    fields = slack_fields(render_slack(alert))
    assert "<!here>" not in fields and "&lt;!here&gt;" in fields
    assert "*gras*" not in fields


def test_matches_recorded_before_the_words_were_kept_show_the_terms(make_alert):
    assert make_alert(found=None).found is None
    assert "Matched:   Maroc, France, sécurité\n" in render_text(make_alert(found=None))
    assert "Matched:   Maroc, France, sécurité\n" in render_text(make_alert(found=()))


@pytest.fixture
def archive(tmp_path, monkeypatch):
    monkeypatch.setenv("MARSAD_NOW", "2025-04-20T10:00:00+00:00")
    with Archive(tmp_path / "marsad.db") as opened:
        yield opened


def test_the_outbox_carries_the_words_recorded_with_the_match(archive):
    article = ArticleRecord(url="https://www.hespress.com/1.html", source="hespress",
                            title=AR_TITLE, text=AR_TEXT, discovered_via="listing",
                            fetched_at="2025-04-20T09:30:00+00:00", language="ar")
    words = found_words(AR_TITLE, AR_TEXT, ("فرنسي*", "المغرب"))
    archive.store_article(article, matches=[TopicMatchRecord("t", 2.0, ("فرنسي*", "المغرب"),
                                                             words)],
                          alerts=[("t", "console")])
    [due] = archive.due_alerts("2025-04-20T10:00:00+00:00")
    assert due.matched == ("فرنسي*", "المغرب") and due.found == words
    assert f"Matched:   {', '.join(words)}\n" in render_text(due)
