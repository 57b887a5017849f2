"""Publication dates as news sites write them, in Arabic, French and English.

`parse_date` is pure: text in, an aware datetime (or None) out. All matching
runs on `crawler.text.fold`ed text, so hamza and ta marbuta spellings, Eastern
Arabic digits, accents and case do not multiply the month tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo
from datetime import timezone as fixed_offset
from email.utils import parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler import clock
from crawler.text import fold

DEFAULT_TIMEZONE = "Africa/Casablanca"
# Clocks of sites and crawler drift; beyond this a date "from the future" is a misreading.
FUTURE_TOLERANCE = timedelta(minutes=10)

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني", "جانفي", "janvier", "janv", "january", "jan"),
    2: ("فبراير", "شباط", "فيفري", "février", "fevr", "févr", "february", "feb"),
    3: ("مارس", "آذار", "mars", "march", "mar"),
    4: ("أبريل", "ابريل", "إبريل", "نيسان", "أفريل", "avril", "avr", "april", "apr"),
    5: ("ماي", "مايو", "أيار", "mai", "may"),
    6: ("يونيو", "يونيه", "حزيران", "جوان", "juin", "june", "jun"),
    7: ("يوليوز", "يوليو", "يوليه", "تموز", "جويلية", "juillet", "juil", "july", "jul"),
    8: ("غشت", "أغسطس", "اغسطس", "آب", "أوت", "août", "august", "aug"),
    9: ("شتنبر", "سبتمبر", "أيلول", "septembre", "sept", "september", "sep"),
    10: ("أكتوبر", "اكتوبر", "تشرين الأول", "octobre", "october", "oct"),
    11: ("نونبر", "نوفمبر", "تشرين الثاني", "novembre", "november", "nov"),
    12: ("دجنبر", "ديسمبر", "كانون الأول", "décembre", "decembre", "déc", "december", "dec"),
}
_MONTHS = {fold(name): number for number, names in _MONTH_NAMES.items() for name in names}


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so "مايو" wins over "ماي" and "juillet" over "juil".
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_MONTH = rf"(?:{_alternation(_MONTHS)})"
_SEP = r"[\s,./،-]{0,4}"
_HOUR_WORDS = frozenset(fold(w) for w in ("على الساعة", "الساعة"))
_AT_WORDS = _alternation((*_HOUR_WORDS, *(fold(w) for w in ("على", "في"))))
_AT = rf"(?:{_AT_WORDS}|a|at|um|[-–|,،@/])"
_ZONE = r"(?P<zone>z|utc|gmt|[+-]\d{2}(?::?\d{2})?)"
_PM = ("pm", "م", fold("مساء"))
_AM = ("am", "ص", fold("صباحا"))
_MERIDIEM = _alternation((*_PM, *_AM))
# A bare hour counts only when something says it is one: "9h", "9 pm", «الساعة 9»
# (checked in _clock); otherwise "2024 12" is a date followed by some number.
_TIME = (
    rf"(?:\s*(?P<at>{_AT})?\s*(?P<at2>{_AT})?\s*(?<!\d)(?P<hour>\d{{1,2}})"
    rf"(?:\s*[:h]\s*(?P<minute>\d{{2}})(?:\s*:\s*(?P<second>\d{{2}})(?:[.,]\d+)?)?"
    rf"|\s*(?P<h>h))?"
    rf"\s*(?P<meridiem>{_MERIDIEM})?(?![\w])\s*{_ZONE}?)?"
)
_ISO = re.compile(
    r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?:[t\s]+(?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:[.,]\d+)?)?"
    rf"\s*{_ZONE}?)?(?!\d)"
)
_YMD = re.compile(rf"(?<!\d)(\d{{4}})/(\d{{1,2}})/(\d{{1,2}})(?!\d){_TIME}")
_DMY = re.compile(rf"(?<!\d)(\d{{1,2}})[/.-](\d{{1,2}})[/.-](\d{{4}})(?!\d){_TIME}")
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:er|st|nd|rd|th)?{_SEP}(?:de\s+)?({_MONTH})\b\.?"
    rf"(?:\s*/\s*{_MONTH}\b)?{_SEP}(\d{{4}})(?!\d){_TIME}"
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH})\b\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d){_TIME}"
)
# RFC 822 as feeds write it: "Thu, 25 Jul 2024 10:30:00 EST". The standard library
# knows the US zone names; these are the ones of Morocco's and France's feeds.
_RFC822 = re.compile(
    r"^\s*(?:[a-z]{3},?\s*)?\d{1,2}\s+[a-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:\s*(?P<zone>[a-z]{1,5}|[+-]\d{4}))?\s*$", re.IGNORECASE)
_EUROPEAN_ZONES = {"cet": 1, "cest": 2, "wet": 0, "west": 1}

_ARABIC_UNITS = {  # word -> implied count (duals say "two" by themselves)
    "seconds": (("ثانية", 1), ("ثانيتين", 2), ("ثانيتان", 2), ("ثوان", None), ("ثواني", None)),
    "minutes": (("دقيقة", 1), ("دقيقتين", 2), ("دقيقتان", 2), ("دقائق", None)),
    "hours": (("ساعة", 1), ("ساعتين", 2), ("ساعتان", 2), ("ساعات", None)),
    "days": (("يوم", 1), ("يومين", 2), ("يومان", 2), ("أيام", None)),
    "weeks": (("أسبوع", 1), ("أسبوعين", 2), ("أسبوعان", 2), ("أسابيع", None)),
    "months": (("شهر", 1), ("شهرين", 2), ("شهران", 2), ("أشهر", None), ("شهور", None)),
    "years": (("سنة", 1), ("سنتين", 2), ("سنوات", None), ("عام", 1), ("عامين", 2),
              ("أعوام", None)),
}
_LATIN_UNITS = {
    "seconds": ("s", "sec", "secs", "second", "seconds", "seconde", "secondes"),
    "minutes": ("mn", "min", "mins", "minute", "minutes"),
    "hours": ("h", "hr", "hrs", "hour", "hours", "heure", "heures"),
    "days": ("j", "jour", "jours", "day", "days"),
    "weeks": ("sem", "semaine", "semaines", "week", "weeks"),
    "months": ("mois", "month", "months"),
    "years": ("an", "ans", "annee", "annees", "year", "years"),
}
# folded word -> (unit, implied count)
_UNITS: dict[str, tuple[str, int | None]] = {
    **{fold(word): (unit, count) for unit, forms in _ARABIC_UNITS.items()
       for word, count in forms},
    **{word: (unit, None) for unit, words in _LATIN_UNITS.items() for word in words},
}

_AR_UNIT = rf"({_alternation(w for w in _UNITS if not w.isascii())})"
_LATIN_UNIT = rf"({_alternation(w for w in _UNITS if w.isascii())})"
_AGO = _alternation(map(fold, ("مضت", "مضى", "خلت")))
_RELATIVE = (
    re.compile(rf"(?:منذ|قبل)\s*(?:حوالي|نحو)?\s*(\d+)?\s*{_AR_UNIT}(?!\w)"),
    re.compile(rf"(?<![\w])(\d+)?\s*{_AR_UNIT}\s*(?:{_AGO})"),
    re.compile(rf"\bil y a\s*(\d+|une?|quelques)?\s*{_LATIN_UNIT}\b"),
    re.compile(rf"\b(\d+|an?|one)\s*{_LATIN_UNIT}\s+ago\b"),
)
_DAY_WORDS = {fold(word): back for word, back in (
    ("aujourd'hui", 0), ("today", 0), ("اليوم", 0), ("hier", 1), ("yesterday", 1), ("أمس", 1),
    ("البارحة", 1))}
_DAY_WORD = re.compile(
    rf"(?<!\w)({_alternation(_DAY_WORDS)})(?!\w)"
    rf"(?:\s*{_AT}?\s*{_AT}?\s*(\d{{1,2}})\s*[:h]\s*(\d{{2}}))?"
)
_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "weeks": 7 * 86400,
            "months": 30 * 86400, "years": 365 * 86400}


@lru_cache(maxsize=64)
def zone(name: str) -> tzinfo:
    """The tzinfo for an IANA name; ValueError with a clear message when unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as problem:
        raise ValueError(f"unknown timezone {name!r}") from problem


def parse_date(text: str, *, timezone: str = DEFAULT_TIMEZONE,
               now: datetime | None = None, relative: bool = True) -> datetime | None:
    """The first publication date written in text, timezone-aware, or None.

    A date without an offset is local time in `timezone` (zoneinfo, so DST and
    Casablanca's Ramadan hour are right). Relative forms ("منذ 3 ساعات", "il y a
    2 h") count back from `now`; `relative=False` leaves them out.
    A result later than `now` plus a few minutes is a misreading and gives None.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_date expects str, not {type(text).__name__}")
    local = zone(timezone)
    now = now or clock.now()
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    feed_style = _RFC822.match(text)
    found = _rfc822(feed_style, local) if feed_style else None
    if found is None:
        folded = fold(text[:400])
        found = _absolute(folded, local)
        if found is None and relative:
            found = _relative(folded, now, local)
    if found is None or found > now + FUTURE_TOLERANCE:
        return None
    return found


def _rfc822(match: re.Match[str], local: tzinfo) -> datetime | None:
    try:
        found = parsedate_to_datetime(match.string)
    except (TypeError, ValueError, IndexError):
        return None
    if found.tzinfo is not None:
        return found
    # Naive: no zone, "-0000" (UTC by RFC 5322) or a name the standard library lacks.
    name = (match.group("zone") or "").lower()
    if name == "-0000":
        return found.replace(tzinfo=UTC)
    if name in _EUROPEAN_ZONES:
        return found.replace(tzinfo=fixed_offset(timedelta(hours=_EUROPEAN_ZONES[name])))
    return found.replace(tzinfo=local)


def _absolute(text: str, local: tzinfo) -> datetime | None:
    candidates = []
    for pattern, order in ((_ISO, "ymd"), (_YMD, "ymd"), (_DMY, "dmy"),
                           (_DAY_MONTH_YEAR, "d m y"), (_MONTH_DAY_YEAR, "m d y")):
        for match in pattern.finditer(text):
            candidates.append((match.start(), order, match))
    for _start, order, match in sorted(candidates, key=lambda c: c[0]):
        found = _build(order, match, local)
        if found is not None:
            return found
    return None


def _build(order: str, match: re.Match[str], local: tzinfo) -> datetime | None:
    first, second, third = match.group(1, 2, 3)
    if order == "ymd":
        year, month, day = int(first), int(second), int(third)
    elif order == "dmy":
        day, month, year = int(first), int(second), int(third)
        if month > 12 >= day:  # month/day/year, as US pages write it
            day, month = month, day
    elif order == "d m y":
        day, month, year = int(first), _MONTHS[second], int(third)
    else:
        month, day, year = _MONTHS[first], int(second), int(third)
    if not 1970 <= year <= 2100:
        return None
    hour, minute, seconds = _clock(match)
    try:
        result = datetime(year, month, day, hour, minute, seconds)
    except ValueError:  # 31 February, 25 o'clock
        return None
    offset = match.group("zone")
    return result.replace(tzinfo=(_offset(offset) if offset else None) or local)


def _clock(match: re.Match[str]) -> tuple[int, int, int]:
    """Hour, minute and second of a matched date; midnight when it shows no time."""
    groups = match.groupdict()
    hour, minute, meridiem = groups["hour"], groups["minute"], groups.get("meridiem")
    if hour is None:
        return 0, 0, 0
    if minute is None and not (groups.get("h") or meridiem
                               or {groups.get("at"), groups.get("at2")} & _HOUR_WORDS):
        return 0, 0, 0
    h = int(hour)
    if meridiem in _PM and h < 12:
        h += 12
    elif meridiem in _AM and h == 12:
        h = 0
    seconds = groups["second"]
    return h, int(minute or 0), min(int(seconds), 59) if seconds else 0


def _offset(text: str) -> tzinfo | None:
    """The zone of "+01:00", "-0500", "Z" or "GMT"; None for an impossible offset."""
    if text in ("z", "utc", "gmt"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        return None
    return fixed_offset(sign * timedelta(hours=hours, minutes=minutes))


def _relative(text: str, now: datetime, local: tzinfo) -> datetime | None:
    for pattern in _RELATIVE:
        match = pattern.search(text)
        if match:
            number, word = match.group(1), match.group(2)
            unit, implied = _UNITS[word]
            if number and number.isdigit():
                count = int(number)
            elif number in ("quelques",):
                count = 3
            else:
                count = implied or 1
            return now - timedelta(seconds=count * _SECONDS[unit])
    match = _DAY_WORD.search(text)
    if match and (match.group(2) or text.strip() == match.group(1)):
        day: date = now.astimezone(local).date() - timedelta(days=_DAY_WORDS[match.group(1)])
        hour, minute = int(match.group(2) or 0), int(match.group(3) or 0)
        if hour > 23 or minute > 59:
            return None
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=local)
    return None
