"""`marsad stories` and `marsad story` in this process, on an archive built in tmp_path:
one line a story, JSON lines, the --since and --topic filters, a story's timeline, and
bad input refused on one stderr line with exit 2."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from storage import Archive
from storage.records import ArticleRecord, TopicMatchRecord

TOPIC = "morocco-france-security"  # the built-in topic: the configuration names none
LEAD = ("أعلنت المديرية العامة للأمن الوطني، اليوم الثلاثاء، عن تفكيك خلية إرهابية تتكون من "
        "خمسة عناصر تنشط بمدينتي طنجة وتطوان، وذلك بتنسيق وثيق مع المديرية العامة للأمن "
        "الداخلي الفرنسية في إطار التعاون الأمني بين البلدين.")
BODY = ("وأوضح بلاغ للمديرية أن عمليات التفتيش المنجزة بمنازل المشتبه فيهم أسفرت عن حجز أجهزة "
        "إلكترونية ومخطوطات ذات طابع متطرف، إضافة إلى مواد كيميائية يشتبه في استعمالها لصناعة "
        "عبوات ناسفة كانت معدة لتنفيذ مخططات إرهابية داخل المملكة.\n\n"
        "وأضاف المصدر ذاته أن الأبحاث الأولية كشفت ارتباط أحد الموقوفين بعنصر متطرف يقيم بفرنسا، "
        "كان يتولى تزويد أفراد الخلية بتوجيهات حول طرق التجنيد والاستقطاب عبر شبكات التواصل "
        "الاجتماعي والتطبيقات المشفرة.")
FOLLOW_LEAD = ("قضت غرفة الجنايات المكلفة بقضايا الإرهاب بملحقة محكمة الاستئناف بسلا، مساء "
               "الخميس، بأحكام تراوحت بين ثلاث وعشر سنوات سجنا نافذا في حق أعضاء الخلية "
               "الإرهابية التي فككت بطنجة وتطوان بتنسيق مع الأمن الفرنسي.")
OTHER = ("Le salon de l'agriculture de Meknès a accueilli cette année un nombre record "
         "d'exposants venus de plusieurs continents, selon les organisateurs. Les visiteurs "
         "ont pu découvrir des innovations dans l'irrigation et la semence.")
TITLE = "تعاون أمني بين المغرب وفرنسا"
HOSTILE_TITLE = "Salon\nde\x1b[2J Meknès\u202e inversé\r\n"


def article(url: str, source: str, title: str, text: str, published: str) -> ArticleRecord:
    return ArticleRecord(url=url, source=source, title=title, text=text,
                         discovered_via="listing", fetched_at="2025-06-03T09:00:00+00:00",
                         published=published, language="ar")


@pytest.fixture
def news(tmp_path, monkeypatch) -> SimpleNamespace:
    """tmp_path/marsad.toml pointing at an archive with three stories: an older one with a
    hostile title, one with a copy and alerts (email sent, slack pending), its follow-up."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MARSAD_NOW", "2025-06-03T12:00:00+00:00")
    (tmp_path / "marsad.toml").write_text('database = "data/archive.db"\n', encoding="utf-8")
    with Archive(tmp_path / "data" / "archive.db") as archive:
        other = archive.store_article(article(
            "https://fr.le360.ma/salon-1/", "le360", HOSTILE_TITLE, OTHER,
            "2025-04-18T08:00:00+00:00"))
        first = archive.store_article(
            article("https://www.hespress.com/a-1.html", "hespress", TITLE,
                    f"{LEAD}\n\n{BODY}", "2025-04-20T10:06:00+01:00"),
            matches=[TopicMatchRecord(TOPIC, 0.9, ("فرنسا",))],
            alerts=[(TOPIC, "email"), (TOPIC, "slack")])
        copy = archive.store_article(article(
            "https://www.barlamane.com/x-1/", "barlamane", "عنوان آخر",
            f"الرباط (و م ع) – {LEAD}\n\n{BODY}", "2025-04-20T11:00:00+01:00"))
        follow = archive.store_article(article(
            "https://www.hespress.com/verdict-9.html", "hespress", "أحكام في حق أعضاء الخلية",
            f"{FOLLOW_LEAD}\n\n{LEAD}\n\n{BODY}", "2025-06-02T18:00:00+01:00"))
        email = next(a for a in archive.list_alerts() if a["channel"] == "email")
        archive.claim_alert(email["id"], "test", "2025-06-03T13:00:00+00:00")
        archive.mark_sent(email["id"], "2025-06-03T12:00:00+00:00", owner="test")
    assert copy.story == first.story and len({other.story, first.story, follow.story}) == 3
    return SimpleNamespace(other=other.story, story=first.story, follow=follow.story)


def marsad(capsys, *args: str) -> tuple[int, str, str]:
    from crawler.cli import main

    try:
        code = main(["--config", "marsad.toml", *args])
    except SystemExit as exited:  # argparse's own refusals
        code = exited.code
    out, err = capsys.readouterr()
    return code, out, err


def refused(result: tuple[int, str, str], *parts: str) -> None:
    code, out, err = result
    assert (code, out) == (2, ""), result
    [line] = err.splitlines()
    assert line.startswith("marsad") and "Traceback" not in err
    for part in parts:
        assert part in line, (part, line)


def test_stories_one_line_each_newest_first(news, capsys) -> None:
    code, out, err = marsad(capsys, "stories")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 3
    assert [line.split()[2] for line in lines] == [news.follow, news.story, news.other]
    follow, story, other = lines
    assert story.startswith("2025-04-20 09:06Z  ")
    assert "hespress, barlamane" in story and "1 copy" in story and "1 follow-up" in story
    assert "alerted: email sent, slack pending" in story and story.endswith(TITLE)
    assert f"follows {news.story}" in follow and "0 copies" in follow
    assert "not alerted" in follow and "not alerted" in other
    # Page text cannot break the line, clear the screen or reverse what follows.
    assert other.endswith("Salon de [2J Meknès inversé")
    assert "\x1b" not in out and "\u202e" not in out and "\r" not in out


def test_stories_json_lines(news, capsys) -> None:
    code, out, _ = marsad(capsys, "stories", "--json")
    assert code == 0
    assert TITLE in out  # ensure_ascii=False: Arabic as is
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row["story"] for row in rows] == [news.follow, news.story, news.other]
    story = rows[1]
    assert {"story", "first_seen", "title", "url", "sources", "copies", "follow_ups",
            "follows", "topics", "alerts"} <= set(story)
    assert story["first_seen"] == "2025-04-20T09:06:00+00:00"
    assert story["url"] == "https://www.hespress.com/a-1.html"
    assert (story["sources"], story["copies"], story["follow_ups"]) == (
        ["hespress", "barlamane"], 1, 1)
    assert story["topics"] == [TOPIC]
    assert story["alerts"] == [{"channel": "email", "status": "sent"},
                               {"channel": "slack", "status": "pending"}]
    assert rows[0]["follows"] == news.story and rows[2]["title"] == HOSTILE_TITLE


def test_since_topic_and_limit(news, capsys) -> None:
    def keys(*args: str) -> list[str]:
        code, out, err = marsad(capsys, "stories", "--json", *args)
        assert (code, err) == (0, "")
        return [json.loads(line)["story"] for line in out.splitlines()]

    assert keys("--since", "2d") == [news.follow]
    assert keys("--since", "45d") == [news.follow, news.story]  # now - 45d: 19 April, noon
    assert keys("--since", "1w") == [news.follow]
    assert keys("--since", "0s") == []
    assert keys("--topic", TOPIC) == [news.story]
    assert keys("--topic", TOPIC, "--since", "2d") == []
    assert keys("--limit", "2") == [news.follow, news.story]


def test_a_topic_not_in_the_configuration_is_noted(news, capsys) -> None:
    code, out, err = marsad(capsys, "stories", "--topic", "agriculture")
    assert (code, out) == (0, "")
    assert err == "marsad: note: no topic 'agriculture' in the configuration\n"


def test_story_timeline(news, capsys) -> None:
    code, out, err = marsad(capsys, "story", news.story)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith(f"story {news.story}  sources: hespress, barlamane")
    assert "alerted: email sent, slack pending" in lines[0] and TOPIC in lines[0]
    assert lines[1].startswith("2025-04-20 09:06Z  first") and lines[1].endswith(TITLE)
    assert lines[2].strip() == "https://www.hespress.com/a-1.html"
    assert lines[3] == ("2025-04-20 10:00Z  copy        barlamane  "
                        "https://www.barlamane.com/x-1/")
    assert lines[4].startswith(f"2025-06-02 17:00Z  follow-up   {news.follow}  hespress")
    assert lines[5].strip() == "https://www.hespress.com/verdict-9.html"
    assert len(lines) == 6

    code, out, _ = marsad(capsys, "story", news.follow)
    lines = out.splitlines()
    assert lines[1].startswith(f"2025-04-20 09:06Z  follows     {news.story}  hespress")
    assert lines[3].startswith("2025-06-02 17:00Z  first")


def test_story_json(news, capsys) -> None:
    code, out, _ = marsad(capsys, "story", news.story, "--json")
    assert code == 0 and len(out.splitlines()) == 1
    story = json.loads(out)
    assert story["story"] == news.story and story["follows"] is None
    assert story["first"]["url"] == "https://www.hespress.com/a-1.html"
    assert [(c["source"], c["time"]) for c in story["copies"]] == [
        ("barlamane", "2025-04-20T10:00:00+00:00")]
    assert [f["story"] for f in story["follow_ups"]] == [news.follow]


@pytest.mark.parametrize("args, parts", [
    (["story", "nope"], ["no story 'nope'"]),
    (["story", "x" * 500], ["no story 'xxx", "...'"]),
    (["stories", "--since", "7 days"], ["--since", "bad duration"]),
    (["stories", "--since=-3d"], ["--since", "negative"]),
    (["stories", "--since", "-3d"], ["--since", "expected one argument"]),
    (["stories", "--since", "99999999999999d"], ["--since", "too long", "at most 36525d"]),
    (["stories", "--since", "9" * 400 + "d"], ["--since", "too large"]),
    (["stories", "--limit", "0"], ["--limit", "at least 1"]),
], ids=["unknown story", "long unknown story", "bad since", "negative since",
        "negative since as an option", "huge since",
        "overflowing since", "zero limit"])
def test_bad_input_is_one_line_and_exit_2(news, capsys, args, parts) -> None:
    refused(marsad(capsys, *args), *parts)


def test_the_help_says_an_unknown_story_is_a_usage_error(capsys) -> None:
    from crawler.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["story", "--help"])
    assert exited.value.code == 0
    assert "unknown ID is a usage error (exit 2)" in " ".join(capsys.readouterr().out.split())
