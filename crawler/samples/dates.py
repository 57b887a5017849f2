"""Date formats the sample sites print: Moroccan Arabic, Middle-Eastern Arabic,
Eastern Arabic digits, Arabic relative ages, French, RFC 822 (with numeric or named
zones) and HTTP dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime

MOROCCAN_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت",
                   "شتنبر", "أكتوبر", "نونبر", "دجنبر")
EASTERN_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
                  "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
ARABIC_DAYS = ("الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                 "septembre", "octobre", "novembre", "décembre")
_EASTERN_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# RFC 822 zone names, as feeds of some content systems write them.
NAMED_ZONES = {"GMT": 0, "UT": 0, "EST": -5, "EDT": -4, "CST": -6, "PST": -8}


def moroccan_date(local: datetime) -> str:
    """«الخميس 25 يوليوز 2024 - 10:30» (local time, no offset)."""
    return (f"{ARABIC_DAYS[local.weekday()]} {local.day} {MOROCCAN_MONTHS[local.month - 1]} "
            f"{local.year} - {local:%H:%M}")


def moroccan_day(local: datetime, weekday: bool = False) -> str:
    """«14 نونبر 2019», or «الخميس 14 نونبر 2019»: a date without a time."""
    day = f"{local.day} {MOROCCAN_MONTHS[local.month - 1]} {local.year}"
    return f"{ARABIC_DAYS[local.weekday()]} {day}" if weekday else day


def eastern_date(local: datetime, eastern_digits: bool = False) -> str:
    """«25 يوليو 2024 - 10:30», optionally with Eastern Arabic digits."""
    text = f"{local.day} {EASTERN_MONTHS[local.month - 1]} {local.year} - {local:%H:%M}"
    return text.translate(_EASTERN_DIGITS) if eastern_digits else text


def arabic_relative(delta: timedelta) -> str:
    """«منذ 3 ساعات»: how long ago, in Arabic with the number agreement of the nouns."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 1:
        return "الآن"
    if minutes < 60:
        return "منذ " + _count(minutes, "دقيقة", "دقيقتين", "دقائق", "دقيقة")
    if minutes < 24 * 60:
        return "منذ " + _count(minutes // 60, "ساعة", "ساعتين", "ساعات", "ساعة")
    return "منذ " + _count(minutes // (24 * 60), "يوم", "يومين", "أيام", "يوما")


def _count(n: int, one: str, two: str, few: str, many: str) -> str:
    if n == 1:
        return one
    if n == 2:
        return two
    return f"{n} {few if 3 <= n <= 10 else many}"


def french_date(local: datetime) -> str:
    """«22 avril 2024 à 10h35» («1er» for the first of the month)."""
    day = "1er" if local.day == 1 else str(local.day)
    return f"{day} {FRENCH_MONTHS[local.month - 1]} {local.year} à {local:%H}h{local:%M}"


def rfc822(moment: datetime, zone: str = "") -> str:
    """An RSS pubDate, with the moment's own offset, or in a named zone ("EST")."""
    if not zone:
        return format_datetime(moment)
    shifted = moment.astimezone(timezone(timedelta(hours=NAMED_ZONES[zone])))
    return format_datetime(shifted).rsplit(" ", 1)[0] + " " + zone


def http_date(moment: datetime) -> str:
    """An HTTP date (Last-Modified), always in GMT."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)
