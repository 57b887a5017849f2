"""Email subjects read back whole by both of Python's parsers, on every line under 78
characters: written headlines and their variations, real headlines from ../shared, and
a few through a real SMTP server."""

from __future__ import annotations

import json
import re
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from pathlib import Path

import pytest

from alerts.email import EmailChannel
from alerts.escaping import shorten
from alerts.headers import LINE_MAX, header_value
from alerts.render import SUBJECT_MAX, render_subject
from crawler.config import EmailChannelConfig
from storage.records import AlertMessage

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
TOPIC = "morocco-france-security"
HEADLINES = [
    "نجاح مهمته في باريس",
    "الأمن الوطني المغربي يشارك في تأمين الألعاب الأولمبية بباريس",
    "حموشي يستقبل المدير العام للأمن الداخلي الفرنسي بالرباط",
    "تعاون أمني جديد بين المغرب وفرنسا لمكافحة الإرهاب",
    "تفكيك خلية إرهابية بتنسيق مع المصالح الفرنسية",
    "وزير الداخلية الفرنسي: «المغرب شريك لا غنى عنه»",
    "الرباط - باريس: اتفاق على تسليم المطلوبين",
    "عاجل.. توقيف مشتبه فيه مطلوب للسلطات الفرنسية بطنجة",
    "\"البسيج\" يطيح بخلية موالية لـ\"داعش\" (بلاغ)",
    "المديرية العامة للأمن الوطني: 5 عناصر تنشط بين طنجة وتطوان",
    "لقاء مغربي فرنسي حول الهجرة غير النظامية؟",
    "وَفْدٌ أَمْنِيٌّ فَرَنْسِيٌّ فِي الرِّبَاطِ",
    "المغرب وفرنسا… شراكة أمنية متجددة ١٤٤٥",
    "خبر: الأمن المغربي يوشح مسؤولين فرنسيين",
    "مرصد: تقرير عن التعاون الأمني",
    "Des policiers marocains déployés à Paris pour les Jeux",
    "Le Maroc et la France renforcent leur coopération en matière de sécurité",
    "Sécurité : Hammouchi reçu par le directeur de la DGSI à Paris",
    "« Coopération exemplaire » : Darmanin salue le rôle du Maroc",
    "Terrorisme : une cellule démantelée grâce aux renseignements marocains",
    "L’extradition d’un suspect vers la France validée par la Cour de cassation",
    "Maroc-France : la coopération sécuritaire « au beau fixe »",
    "Exercice militaire conjoint « Chergui 2024 » : ce qu’il faut savoir",
    "Réadmissions : Rabat et Paris s’accordent, enfin ?",
    "Où en est l'échange de renseignements entre Rabat et Paris ?",
    "Œuvre commune : la DGSN et la police nationale française à l’honneur",
    "ÉTÉ 2024 — SÉCURITÉ DES JO : LE MAROC EN RENFORT",
    "Morocco's Hammouchi meets French security chiefs in Rabat",
    "Paris 2024: Moroccan bomb-disposal teams join French police",
    "A =?utf-8?q?fake?= encoded word and a \"quoted\" phrase: 100% real",
    "Maroc 🇲🇦 France 🇫🇷 : coopération 🤝 renforcée",
]


def variations(title: str) -> list[str]:
    """The headline as pages give it: padded, double-spaced, broken across lines,
    between guillemets, with emoji, and long enough to be cut."""
    words = title.split(" ")
    return [
        title,
        f"  {title}   ",
        "  ".join(words),
        title.replace(" ", "\n", 1).replace(" ", "\t", 1),
        f"«{title}»",
        f"{title} 📰🔒",
        f"{title} — {title} — {title}: {title}",
    ]


def real_headlines() -> list[str]:
    """Headlines from ../shared/realpages (every "title" and "headline" of the expected
    content) and ../shared/realtext/dev.jsonl."""
    found: list[str] = []

    def walk(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for name, inner in value.items():
                walk(inner, name)
        elif isinstance(value, list):
            for inner in value:
                walk(inner, key)
        elif isinstance(value, str) and key in ("title", "headline") and value.strip():
            found.append(value)

    for path in sorted((SHARED / "realpages").glob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    dev = SHARED / "realtext" / "dev.jsonl"
    if dev.is_file():
        for line in dev.read_text(encoding="utf-8").splitlines():
            if line.strip() and json.loads(line).get("title"):
                found.append(json.loads(line)["title"])
    return found


def alert(title: str, **changes) -> AlertMessage:
    values = dict(alert_id=1, story="s1", channel="email", topic=TOPIC, title=title,
                  url="https://www.hespress.com/a.html", source="hespress",
                  published="2024-07-25T10:30:00+01:00", language=None,
                  text="Le Maroc et la France.", matched=("Maroc",))
    values.update(changes)
    return AlertMessage(**values)


def email_channel(port: int = 25) -> EmailChannel:
    return EmailChannel(EmailChannelConfig(
        name="email", host="127.0.0.1", port=port, security="none",
        sender="marsad@example.org", to=("analyst@example.org",), timeout=5.0))


def raw_subject(raw: bytes) -> str:
    """The Subject header's value as it travelled, unfolded (RFC 5322 §2.2.3)."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    folded = re.search(r"^Subject: (.*?)\r\n(?! )", head + "\r\n", re.M | re.S)
    assert folded, head
    return folded.group(1).replace("\r\n", "")


def assert_reads_back(raw: bytes, subject: str) -> None:
    """Both parsers give back `subject`; the message is 7-bit with short lines."""
    raw.decode("ascii")
    long_lines = [line for line in raw.split(b"\r\n") if len(line) >= 78]
    assert not long_lines, long_lines
    assert message_from_bytes(raw, policy=policy.default)["Subject"] == subject
    assert str(make_header(decode_header(raw_subject(raw)))) == subject


@pytest.mark.slow
def test_written_headlines_and_their_variations_read_back_whole():
    channel = email_channel()
    titles = [variant for title in HEADLINES for variant in variations(title)]
    assert len(titles) >= 200
    for title in titles:
        subject = render_subject(alert(title))
        # Subjects are one line, white space squashed: that is what must come back.
        assert subject == shorten(f"[marsad] {TOPIC}: {' '.join(title.split())}", SUBJECT_MAX)
        assert_reads_back(channel.build_message(alert(title)).as_bytes(), subject)


@pytest.mark.slow
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside the repository")
def test_real_headlines_read_back_whole():
    channel = email_channel()
    titles = real_headlines()
    assert len(titles) >= 30
    for title in titles:
        assert_reads_back(channel.build_message(alert(title)).as_bytes(),
                          render_subject(alert(title)))


def test_the_reported_subjects_keep_their_spaces_and_close_their_words():
    channel = email_channel()
    for title in ("الأمن الوطني المغربي ينجح في مهمته بنجاح كبير في باريس خلال الألعاب "
                  "الأولمبية", "Des policiers marocains déployés à Paris pour les Jeux "
                  "olympiques « sécurité » : coopération renforcée"):
        raw = channel.build_message(alert(title)).as_bytes()
        assert_reads_back(raw, f"[marsad] {TOPIC}: {title}")
        words = raw_subject(raw).split(" ")
        assert all(re.fullmatch(r"=\?utf-8\?b\?[A-Za-z0-9+/=]+\?=", w) for w in words), words


def test_digest_and_follow_up_subjects_read_back_whole(make_alert, arabic_alert):
    channel = email_channel()
    period = "2025-06-02 17:00–18:00 Africa/Casablanca"
    digest = channel.build_digest([make_alert(), arabic_alert], period)
    assert_reads_back(digest.as_bytes(), f"[marsad] digest: 2 stories ({period})")
    plain = channel.build_digest([make_alert()], "")
    assert_reads_back(plain.as_bytes(), "[marsad] digest: 1 story")
    assert raw_subject(plain.as_bytes()) == "[marsad] digest: 1 story"  # plain ASCII stays


def test_header_values_fold_within_the_line_limit():
    ascii_words = " ".join(["coopération".encode("ascii", "ignore").decode()] * 20)
    value = header_value("Subject", ascii_words)
    assert "=?" not in value and value.replace("\r\n", "") == ascii_words
    assert all(len(line) <= LINE_MAX for line in f"Subject: {value}".split("\r\n"))
    word = "x" * 90  # longer than a line: only an encoded-word can carry it
    assert header_value("Subject", word).startswith("=?utf-8?b?")
    assert header_value("Subject", "") == ""
    # A lone surrogate is no UTF-8: it becomes "?" instead of breaking the header.
    lone = header_value("Subject", "a\ud800b")
    assert str(make_header(decode_header(lone))) == "a?b"
    for text in ("🇲🇦" * 40, "é" * 100, "ك" * 100):
        lines = f"Subject: {header_value('Subject', text)}".split("\r\n")
        assert all(len(line) <= LINE_MAX for line in lines)
        assert str(make_header(decode_header(header_value("Subject", text)))) == text


@pytest.mark.slow
def test_subjects_arrive_whole_through_a_real_smtp_server(smtp_server, make_alert):
    sink, port = smtp_server()
    channel = email_channel(port)
    titles = [HEADLINES[1], HEADLINES[15], HEADLINES[-1], HEADLINES[-2],
              f"{HEADLINES[0]} — {HEADLINES[3]} — {HEADLINES[5]}", HEADLINES[27]]
    for number, title in enumerate(titles):
        channel.send(alert(title, alert_id=number, story=f"s{number}"))
    channel.send_digest([make_alert()], period="2025-06-02 17:00–18:00 UTC")
    assert len(sink.messages) == len(titles) + 1
    for received, title in zip(sink.messages, titles, strict=False):
        assert_reads_back(received["raw"], f"[marsad] {TOPIC}: {title}")
        # The legacy parser hands the value over folded: a reader unfolds it first.
        folded = message_from_bytes(received["raw"], policy=policy.compat32)["Subject"]
        unfolded = "".join(folded.splitlines())
        assert str(make_header(decode_header(unfolded))) == f"[marsad] {TOPIC}: {title}"
    digest = sink.messages[-1]["mail"]
    assert digest["Subject"] == "[marsad] digest: 1 story (2025-06-02 17:00–18:00 UTC)"
