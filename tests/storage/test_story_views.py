"""Archive.stories and Archive.story: stories listed newest first with their copies,
follow-ups, sources, topics and alerts, and one story's timeline, on a real archive."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from storage import Archive, StorageError, story_views
from storage.records import TopicMatchRecord

TOPIC = "morocco-france-security"
MATCH = TopicMatchRecord(TOPIC, 0.9, ("فرنسا", "أمن"))
LEAD = ("أعلنت المديرية العامة للأمن الوطني، اليوم الثلاثاء، عن تفكيك خلية إرهابية تتكون من "
        "خمسة عناصر تنشط بمدينتي طنجة وتطوان، وذلك بتنسيق وثيق مع المديرية العامة للأمن "
        "الداخلي الفرنسية في إطار التعاون الأمني بين البلدين.")
BODY = [
    "وأوضح بلاغ للمديرية أن عمليات التفتيش المنجزة بمنازل المشتبه فيهم أسفرت عن حجز أجهزة "
    "إلكترونية ومخطوطات ذات طابع متطرف، إضافة إلى مواد كيميائية يشتبه في استعمالها لصناعة "
    "عبوات ناسفة كانت معدة لتنفيذ مخططات إرهابية داخل المملكة.",
    "وأضاف المصدر ذاته أن الأبحاث الأولية كشفت ارتباط أحد الموقوفين بعنصر متطرف يقيم بفرنسا، "
    "كان يتولى تزويد أفراد الخلية بتوجيهات حول طرق التجنيد والاستقطاب عبر شبكات التواصل "
    "الاجتماعي والتطبيقات المشفرة.",
    "وقد تم إيداع المشتبه فيهم تحت تدبير الحراسة النظرية رهن إشارة البحث القضائي الذي يشرف "
    "عليه المكتب المركزي للأبحاث القضائية، تحت إشراف النيابة العامة المكلفة بقضايا الإرهاب، "
    "من أجل الكشف عن جميع الامتدادات المحتملة لهذه الخلية.",
]
FOLLOW_LEAD = ("قضت غرفة الجنايات المكلفة بقضايا الإرهاب بملحقة محكمة الاستئناف بسلا، مساء "
               "الخميس، بأحكام تراوحت بين ثلاث وعشر سنوات سجنا نافذا في حق أعضاء الخلية "
               "الإرهابية التي فككت بطنجة وتطوان بتنسيق مع الأمن الفرنسي.")
DATELINE = "الرباط (و م ع) – "
FIRST_URL = "https://www.hespress.com/politique/436105.html"


def text(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


@pytest.fixture
def news(archive: Archive, make_article, bodies) -> SimpleNamespace:
    """An older unrelated story, a story with two copies (stored out of order) and
    alerts on two channels, and a later follow-up of it."""
    other = archive.store_article(make_article(
        url="https://fr.le360.ma/salon-1/", source="le360", title="Salon de Meknès",
        text=bodies.other, language="fr", published="2025-04-18T08:00:00+00:00"))
    # The goud copy arrives first, though it was published last.
    goud = archive.store_article(make_article(
        url="https://www.goud.ma/y-2/", source="goud", text=text(DATELINE + LEAD, *BODY),
        published="2025-04-20T12:00:00+01:00"))
    first = archive.store_article(
        make_article(text=text(LEAD, *BODY)), matches=[MATCH],
        alerts=[(TOPIC, "slack"), (TOPIC, "email")])
    barlamane = archive.store_article(make_article(
        url="https://www.barlamane.com/x-1/", source="barlamane", title="عنوان آخر",
        text=text(DATELINE + LEAD, *BODY[:2]), published="2025-04-20T11:00:00+01:00"))
    follow = archive.store_article(make_article(
        url="https://www.hespress.com/verdict-9.html", title="أحكام في حق أعضاء الخلية",
        text=text(FOLLOW_LEAD, LEAD, *BODY), published="2025-06-02T18:00:00+01:00"))
    assert goud.story == first.story == barlamane.story  # the texts do what they should
    assert len({other.story, first.story, follow.story}) == 3
    return SimpleNamespace(other=other.story, story=first.story, follow=follow.story)


def test_stories_are_listed_newest_first_each_summarised(archive: Archive, news) -> None:
    rows = archive.stories()
    assert [row["story"] for row in rows] == [news.follow, news.story, news.other]
    follow, story, other = rows
    assert story["first_seen"] == "2025-04-20T09:06:00+00:00"
    assert story["title"] == "تعاون أمني بين المغرب وفرنسا"
    assert story["url"] == FIRST_URL and story["source"] == "hespress"
    # Order of first appearance, the first article's source first: not alphabetical.
    assert story["sources"] == ["hespress", "barlamane", "goud"]
    assert (story["copies"], story["follow_ups"], story["follows"]) == (2, 1, None)
    assert story["topics"] == [TOPIC]
    assert story["alerts"] == [{"channel": "email", "status": "pending"},
                               {"channel": "slack", "status": "pending"}]
    assert (follow["copies"], follow["follow_ups"], follow["follows"]) == (0, 0, news.story)
    assert follow["first_seen"] == "2025-06-02T17:00:00+00:00"
    assert (follow["alerts"], follow["topics"]) == ([], [])
    assert (other["sources"], other["copies"], other["title"]) == (["le360"], 0,
                                                                   "Salon de Meknès")


def test_the_first_article_is_the_earliest_not_the_first_stored(archive: Archive,
                                                                make_article) -> None:
    later = archive.store_article(make_article(
        url="https://www.goud.ma/y-2/", source="goud", title="نسخة",
        text=text(DATELINE + LEAD, *BODY), published="2025-04-21T12:00:00+01:00"))
    earlier = archive.store_article(make_article(text=text(LEAD, *BODY)))
    assert earlier.story == later.story
    [row] = archive.stories()
    assert (row["url"], row["source"], row["first_seen"]) == (
        FIRST_URL, "hespress", "2025-04-20T09:06:00+00:00")
    assert row["sources"] == ["hespress", "goud"] and row["copies"] == 1


def test_since_keeps_stories_by_their_first_article(archive: Archive, news) -> None:
    assert [r["story"] for r in archive.stories(since="2025-04-20T00:00:00+00:00")] == [
        news.follow, news.story]
    # The story's copies fall after 09:30, its first article before: it is left out.
    assert [r["story"] for r in archive.stories(since="2025-04-20T09:30:00+00:00")] == [
        news.follow]
    # Any offset is read as the instant it names.
    assert [r["story"] for r in archive.stories(since="2025-04-20T10:06:00+01:00")] == [
        news.follow, news.story]
    assert archive.stories(since="2025-07-01T00:00:00+00:00") == []
    with pytest.raises(StorageError, match="since"):
        archive.stories(since="last week")


def test_topic_keeps_stories_where_any_article_matches(archive: Archive, news,
                                                       make_article) -> None:
    assert [r["story"] for r in archive.stories(topic=TOPIC)] == [news.story]
    # A match on a copy counts for its story.
    archive.store_article(make_article(url="https://fr.le360.ma/salon-1/", source="le360",
                                       text="", published=None),
                          matches=[TopicMatchRecord("agriculture", 0.5, ("salon",))])
    assert [r["story"] for r in archive.stories(topic="agriculture")] == [news.other]
    assert archive.stories(topic="nothing-like-it") == []
    assert [r["story"] for r in archive.stories(since="2025-04-19T00:00:00+00:00",
                                                topic=TOPIC)] == [news.story]


def test_limit_keeps_the_newest(archive: Archive, news) -> None:
    assert [r["story"] for r in archive.stories(limit=1)] == [news.follow]
    assert [r["story"] for r in archive.stories(limit=2, topic=TOPIC)] == [news.story]
    for bad in (0, -1, True, 1.5):
        with pytest.raises(StorageError, match="limit"):
            archive.stories(limit=bad)


def test_alerts_show_each_channel_status(archive: Archive, news) -> None:
    email = next(a for a in archive.list_alerts() if a["channel"] == "email")
    assert archive.claim_alert(email["id"], "me", "2025-04-20T11:00:00+00:00")
    archive.mark_sent(email["id"], "2025-04-20T10:01:00+00:00", owner="me")
    row = next(r for r in archive.stories() if r["story"] == news.story)
    assert row["alerts"] == [{"channel": "email", "status": "sent"},
                             {"channel": "slack", "status": "pending"}]


def test_story_timeline(archive: Archive, news) -> None:
    story = archive.story(news.story)
    assert story["story"] == news.story
    assert story["first"] == {"time": "2025-04-20T09:06:00+00:00",
                              "published": "2025-04-20T10:06:00+01:00", "source": "hespress",
                              "title": "تعاون أمني بين المغرب وفرنسا", "url": FIRST_URL,
                              "language": "ar"}
    assert [(c["source"], c["time"], c["url"]) for c in story["copies"]] == [
        ("barlamane", "2025-04-20T10:00:00+00:00", "https://www.barlamane.com/x-1/"),
        ("goud", "2025-04-20T11:00:00+00:00", "https://www.goud.ma/y-2/")]
    assert story["copies"][0]["title"] == "عنوان آخر"
    [follow_up] = story["follow_ups"]
    assert follow_up == {"story": news.follow, "time": "2025-06-02T17:00:00+00:00",
                         "published": "2025-06-02T18:00:00+01:00", "source": "hespress",
                         "title": "أحكام في حق أعضاء الخلية",
                         "url": "https://www.hespress.com/verdict-9.html", "language": "ar"}
    assert story["follows"] is None
    assert [(a["channel"], a["status"], a["topic"]) for a in story["alerts"]] == [
        ("email", "pending", TOPIC), ("slack", "pending", TOPIC)]
    assert story["sources"] == ["hespress", "barlamane", "goud"] and story["topics"] == [TOPIC]

    later = archive.story(news.follow)
    assert later["follows"]["story"] == news.story
    assert later["follows"]["url"] == FIRST_URL
    assert later["follows"]["time"] == "2025-04-20T09:06:00+00:00"
    assert later["copies"] == [] and later["follow_ups"] == []


def test_a_story_is_found_by_its_exact_key_only(archive: Archive, news) -> None:
    assert archive.story("0000000000000000") is None
    assert archive.story(news.story[:8]) is None
    # Values are bound as parameters: quotes in them are just characters.
    assert archive.story(f"{news.story}' OR '1'='1") is None
    assert archive.stories(topic=f"{TOPIC}' OR '1'='1") == []


def test_an_empty_archive_has_no_stories(archive: Archive) -> None:
    assert archive.stories() == []
    assert archive.story("") is None


def test_every_lookup_of_the_listing_uses_an_index(archive: Archive) -> None:
    sql = (story_views._SUMMARY + story_views._SINCE + story_views._TOPIC
           + story_views._ORDER)
    plan = [(parent, step) for _, parent, _, step in archive.db.conn.execute(
        "EXPLAIN QUERY PLAN " + sql, {"since": "x", "topic": "t", "limit": 5})]
    steps = [step for _, step in plan]
    scans = [step for step in steps
             if re.match(r"SCAN ", step) and "INDEX" not in step and "subquery" not in step]
    assert scans == [], steps
    assert any("articles_event_time" in step for step in steps), steps
    assert any("stories_follows" in step for step in steps), steps
    # The newest come straight off the index: the archive is not sorted first.
    assert (0, "USE TEMP B-TREE FOR ORDER BY") not in plan, steps
