"""parse_date: the formats Moroccan, Levantine and French news sites print."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from crawler.extract import parse_date

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
CASA_SUMMER = timezone(timedelta(hours=1))  # Morocco's usual UTC+1


def utc(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ISO 8601 in its usual shapes
        ("2024-07-25T10:30:00+01:00", utc(2024, 7, 25, 9, 30)),
        ("2023-08-30T12:52:08Z", utc(2023, 8, 30, 12, 52, 8)),
        ("2023-08-30T12:52:08.000+0000", utc(2023, 8, 30, 12, 52, 8)),
        ("2024-07-25 10:30:00", utc(2024, 7, 25, 9, 30)),
        ("2024-07-25", utc(2024, 7, 24, 23, 0)),
        # Moroccan month names, with weekday and separators around them
        ("الخميس 25 يوليوز 2024 - 10:30", utc(2024, 7, 25, 9, 30)),
        ("الأحد 20 أبريل 2025 | 18:41", utc(2025, 4, 20, 17, 41)),
        ("1 ماي 2024", utc(2024, 4, 30, 23, 0)),
        ("6 شتنبر 2024 - 09:15", utc(2024, 9, 6, 8, 15)),
        ("12 دجنبر 2024 على الساعة 10:30", utc(2024, 12, 12, 9, 30)),
        ("15 غشت 2024", utc(2024, 8, 14, 23, 0)),
        ("3 نونبر 2024", utc(2024, 11, 2, 23, 0)),
        # Middle-Eastern names, hamza spellings
        ("3 مايو 2024", utc(2024, 5, 2, 23, 0)),
        ("10 ابريل 2024 12:00", utc(2024, 4, 10, 12, 0)),  # still Ramadan time (UTC+0)
        ("10 إبريل 2024 12:00", utc(2024, 4, 10, 12, 0)),
        ("5 أغسطس 2024", utc(2024, 8, 4, 23, 0)),
        ("7 ديسمبر 2024", utc(2024, 12, 6, 23, 0)),
        # Levantine names, alone and paired with the other name
        ("15 أيار 2024", utc(2024, 5, 14, 23, 0)),
        ("8 كانون الثاني 2025", utc(2025, 1, 7, 23, 0)),
        ("8 كانون الثاني/يناير 2025", utc(2025, 1, 7, 23, 0)),
        ("2 تشرين الأول 2024", utc(2024, 10, 1, 23, 0)),
        ("9 آب 2024", utc(2024, 8, 8, 23, 0)),
        # Eastern Arabic digits
        ("٢٥ يوليوز ٢٠٢٤ - ١٠:٣٠", utc(2024, 7, 25, 9, 30)),
        # numeric day/month/year
        ("25/07/2024 10:30", utc(2024, 7, 25, 9, 30)),
        ("25/07/2024 10:30:45", utc(2024, 7, 25, 9, 30, 45)),
        ("25-07-2024", utc(2024, 7, 24, 23, 0)),
        ("2024/07/25", utc(2024, 7, 24, 23, 0)),
        # French
        ("22 avril 2024 à 10h35", utc(2024, 4, 22, 9, 35)),
        ("Le 20/04/2025 à 10h06", utc(2025, 4, 20, 9, 6)),
        ("Publié le 30 août 2023 à 14h52, modifié le 30 août 2023 à 15h54",
         utc(2023, 8, 30, 13, 52)),
        ("lundi 1er juillet 2024", utc(2024, 6, 30, 23, 0)),
        ("12 DÉCEMBRE 2024", utc(2024, 12, 11, 23, 0)),
        # English and RSS
        ("Thu, 25 Jul 2024 10:30:00 +0000", utc(2024, 7, 25, 10, 30)),
        ("Thu, 25 Jul 2024 10:30:00 GMT", utc(2024, 7, 25, 10, 30)),
        ("July 25, 2024 10:30 pm", utc(2024, 7, 25, 21, 30)),
    ],
)
def test_absolute_dates(text: str, expected: datetime) -> None:
    found = parse_date(text, now=NOW)
    assert found is not None, text
    assert found.tzinfo is not None
    assert found == expected


@pytest.mark.parametrize(
    ("site", "text", "expected"),
    [
        ("Le360 (ar)", "في 20/04/2025 على الساعة 10:06", utc(2025, 4, 20, 9, 6)),
        ("Le360 (fr)", "Le 20/04/2025 à 10h06", utc(2025, 4, 20, 9, 6)),
        ("Chouftv", "الأحد 20 أبريل 2025 | 18:41", utc(2025, 4, 20, 17, 41)),
        # Morocco kept UTC+0 in winter until October 2018
        ("Goud", "17/03/2018 21:08", utc(2018, 3, 17, 21, 8)),
        ("Akhbarona", "25/07/2024 10:30:00", utc(2024, 7, 25, 9, 30)),
        ("Alyaoum24", "13 أغسطس 2024 - 14:00", utc(2024, 8, 13, 13, 0)),
        ("Hespress", "الخميس 25 يوليوز 2024 - 10:30", utc(2024, 7, 25, 9, 30)),
        ("old archive page", "14 نونبر 2019", utc(2019, 11, 13, 23, 0)),
        ("old archive page", "الخميس 14 نونبر 2019 - 10:35", utc(2019, 11, 14, 9, 35)),
    ],
)
def test_formats_of_known_sites(site: str, text: str, expected: datetime) -> None:
    assert parse_date(text, now=NOW) == expected, site


MOROCCAN = "يناير فبراير مارس أبريل ماي يونيو يوليوز غشت شتنبر أكتوبر نونبر دجنبر".split()
EASTERN = "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر".split()
LEVANTINE = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
             "تشرين الأول", "تشرين الثاني", "كانون الأول")


@pytest.mark.parametrize("names", [MOROCCAN, EASTERN, LEVANTINE],
                         ids=["moroccan", "middle-eastern", "levantine"])
def test_every_arabic_month_name(names: list[str]) -> None:
    for month, name in enumerate(names, 1):
        found = parse_date(f"الخميس 5 {name} 2024 - 12:00", timezone="UTC", now=NOW)
        assert found == utc(2024, month, 5, 12, 0), name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1er juillet 2024 à 9h", utc(2024, 7, 1, 8, 0)),
        ("Le 20/04/2025 à 9 h", utc(2025, 4, 20, 8, 0)),
        ("14 نونبر 2024 على الساعة 9", utc(2024, 11, 14, 8, 0)),
        ("14 نونبر 2024 الساعة 9", utc(2024, 11, 14, 8, 0)),
        ("14 نونبر 2024 على الساعة 9 صباحا", utc(2024, 11, 14, 8, 0)),
        ("14 نونبر 2024 على الساعة 9 مساءً", utc(2024, 11, 14, 20, 0)),
        ("14 نونبر 2024 على الساعة 12 مساء", utc(2024, 11, 14, 11, 0)),
        ("July 25, 2024 9 pm", utc(2024, 7, 25, 20, 0)),
        # a number after the date that nothing calls an hour is not one
        ("14 نونبر 2024 15 تعليق", utc(2024, 11, 13, 23, 0)),
        ("25 juillet 2024 12 commentaires", utc(2024, 7, 24, 23, 0)),
    ],
)
def test_hours_without_minutes(text: str, expected: datetime) -> None:
    assert parse_date(text, now=NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thu, 25 Jul 2024 10:30:00 EST", utc(2024, 7, 25, 15, 30)),
        ("Thu, 25 Jul 2024 10:30:00 EDT", utc(2024, 7, 25, 14, 30)),
        ("Thu, 25 Jul 2024 10:30:00 PST", utc(2024, 7, 25, 18, 30)),
        ("Thu, 25 Jul 2024 10:30:00 GMT", utc(2024, 7, 25, 10, 30)),
        ("Thu, 25 Jul 2024 10:30:00 UT", utc(2024, 7, 25, 10, 30)),
        ("Thu, 25 Jul 2024 10:30:00 +0100", utc(2024, 7, 25, 9, 30)),
        ("Thu, 25 Jul 2024 10:30:00 -0000", utc(2024, 7, 25, 10, 30)),
        ("Thu, 25 Jul 2024 10:30:00 CEST", utc(2024, 7, 25, 8, 30)),
        ("thu, 25 jul 24 10:30 est", utc(2024, 7, 25, 15, 30)),
        ("25 Jul 2024 10:30:00 GMT", utc(2024, 7, 25, 10, 30)),
        # no zone: the source's clock
        ("Thu, 25 Jul 2024 10:30:00", utc(2024, 7, 25, 9, 30)),
    ],
)
def test_rfc_822_dates_with_named_zones(text: str, expected: datetime) -> None:
    assert parse_date(text, now=NOW) == expected


def test_relative_forms_can_be_left_out() -> None:
    assert parse_date("il y a 20 ans", now=NOW, relative=False) is None
    assert parse_date("منذ 3 ساعات", now=NOW, relative=False) is None
    assert parse_date("منذ 3 ساعات", now=NOW) == NOW - timedelta(hours=3)
    assert parse_date("3 ماي 2024", now=NOW, relative=False) == utc(2024, 5, 2, 23, 0)


@pytest.mark.parametrize(
    ("text", "ago"),
    [
        ("منذ 3 ساعات", timedelta(hours=3)),
        ("منذ ساعتين", timedelta(hours=2)),
        ("منذ ساعة", timedelta(hours=1)),
        ("منذ يومين", timedelta(days=2)),
        ("منذ ٣ أيام", timedelta(days=3)),
        ("قبل 5 دقائق", timedelta(minutes=5)),
        ("قبل دقيقتين", timedelta(minutes=2)),
        ("13 ساعة مضت", timedelta(hours=13)),
        ("أسبوعين مضت", timedelta(weeks=2)),
        ("il y a 2 h", timedelta(hours=2)),
        ("il y a 3 jours", timedelta(days=3)),
        ("Il y a 45 min", timedelta(minutes=45)),
        ("il y a une heure", timedelta(hours=1)),
        ("3 hours ago", timedelta(hours=3)),
        ("an hour ago", timedelta(hours=1)),
        ("2 days ago", timedelta(days=2)),
    ],
)
def test_relative_dates_count_back_from_now(text: str, ago: timedelta) -> None:
    assert parse_date(text, now=NOW) == NOW - ago


def test_yesterday_and_today_take_the_local_date_and_time() -> None:
    assert parse_date("hier à 10h35", now=NOW) == utc(2025, 5, 31, 9, 35)
    assert parse_date("aujourd'hui à 08:00", now=NOW) == utc(2025, 6, 1, 7, 0)


def test_casablanca_is_not_a_fixed_offset() -> None:
    # UTC+1 most of the year, UTC+0 during Ramadan (2024: 10 March to 14 April).
    before = parse_date("9 مارس 2024 12:00", now=NOW)
    ramadan = parse_date("20 مارس 2024 12:00", now=NOW)
    after = parse_date("15 أبريل 2024 12:00", now=NOW)
    assert before is not None and ramadan is not None and after is not None
    assert before.utcoffset() == timedelta(hours=1)
    assert ramadan.utcoffset() == timedelta(0)
    assert after.utcoffset() == timedelta(hours=1)
    assert ramadan == utc(2024, 3, 20, 12, 0)


def test_other_timezones_apply_their_own_rules() -> None:
    winter = parse_date("5 janvier 2024 à 12h00", timezone="Europe/Paris", now=NOW)
    summer = parse_date("5 juillet 2024 à 12h00", timezone="Europe/Paris", now=NOW)
    assert winter == utc(2024, 1, 5, 11, 0)
    assert summer == utc(2024, 7, 5, 10, 0)


def test_an_explicit_offset_wins_over_the_timezone() -> None:
    found = parse_date("2024-07-25T10:30:00+03:00", timezone="Europe/Paris", now=NOW)
    assert found == utc(2024, 7, 25, 7, 30)


def test_dates_in_the_future_are_rejected() -> None:
    assert parse_date("2025-06-02T09:00:00Z", now=NOW) is None
    assert parse_date("1 يناير 2030", now=NOW) is None
    # a few minutes ahead is clock drift, not a misreading
    assert parse_date("2025-06-01T12:04:00Z", now=NOW) == utc(2025, 6, 1, 12, 4)


def test_default_now_is_the_project_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARSAD_NOW", "2024-01-01T00:00:00+00:00")
    assert parse_date("منذ ساعتين") == utc(2023, 12, 31, 22, 0)
    assert parse_date("2024-06-01") is None  # after the frozen clock


@pytest.mark.parametrize(
    "text",
    ["", "   ", "Hespress", "2024", "32/13/2024", "31 فبراير 2024", "99:99",
     "il y a longtemps", "la page 25 du rapport"],
)
def test_text_without_a_date_gives_none(text: str) -> None:
    assert parse_date(text, now=NOW) is None


def test_wrong_argument_types_raise() -> None:
    with pytest.raises(TypeError):
        parse_date(b"2024-07-25", now=NOW)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown timezone"):
        parse_date("2024-07-25", timezone="Mars/Olympus_Mons", now=NOW)


def test_naive_now_is_read_as_utc() -> None:
    assert parse_date("منذ ساعة", now=datetime(2025, 6, 1, 12, 0)) == utc(2025, 6, 1, 11, 0)


def test_result_is_the_page_zone_for_local_times() -> None:
    found = parse_date("25 يوليوز 2024 10:30", now=NOW)
    assert found is not None and found.utcoffset() == CASA_SUMMER.utcoffset(None)
