"""A follow-up's alert names the earlier story and, by email, threads under its alert."""

from __future__ import annotations

import email
from email.header import decode_header, make_header

from alerts.delivery import deliver_due
from alerts.email import EmailChannel
from alerts.slack import SlackChannel
from crawler.config import AlertSettings, EmailChannelConfig, SlackChannelConfig
from storage import Archive
from storage.records import ArticleRecord, TopicMatchRecord

TOPIC = "morocco-france-security"
LEAD = ("Les services de sécurité marocains ont démantelé mardi à Tanger une cellule terroriste "
        "de cinq membres, en étroite coordination avec la Direction générale de la sécurité "
        "intérieure française, a annoncé la DGSN dans un communiqué.")
BODY = ("Les perquisitions menées aux domiciles des suspects ont permis la saisie d'appareils "
        "électroniques, de manuscrits à caractère extrémiste et de produits chimiques pouvant "
        "servir à la fabrication d'engins explosifs destinés à des attentats dans le Royaume.")
VERDICT = ("La chambre criminelle chargée des affaires de terrorisme à Salé a condamné jeudi "
           "à des peines de trois à dix ans de prison ferme les membres de la cellule démantelée "
           "à Tanger en coordination avec la sécurité intérieure française.")


def article(url: str, title: str, text: str, published: str) -> ArticleRecord:
    return ArticleRecord(url=url, source="le360", title=title, text=text,
                         discovered_via="listing", fetched_at="2025-06-02T18:00:00+00:00",
                         published=published, language="fr")


def test_a_follow_up_alert_names_and_threads_under_the_earlier_story(
        tmp_path, smtp_server, slack_server, monkeypatch):
    monkeypatch.setenv("MARSAD_NOW", "2025-06-02T18:00:00+00:00")
    sink, port = smtp_server()
    channels = {
        "email": EmailChannel(EmailChannelConfig(
            name="email", host="127.0.0.1", port=port, security="none",
            sender="marsad@example.org", to=("analyst@example.org",), timeout=5.0)),
        "slack": SlackChannel(SlackChannelConfig(name="slack", webhook_url=slack_server.url,
                                                 timeout=5.0)),
    }
    settings = AlertSettings()
    match = [TopicMatchRecord(TOPIC, 3.0, ("Maroc", "France", "sécurité"))]
    pairs = [(TOPIC, "email"), (TOPIC, "slack")]
    with Archive(tmp_path / "marsad.db") as archive:
        first = archive.store_article(article(
            "https://fr.le360.com/cellule-1", "Tanger : une cellule terroriste démantelée",
            f"{LEAD}\n\n{BODY}", "2025-05-06T10:00:00+01:00"), matches=match, alerts=pairs)
        assert deliver_due(archive, channels, settings).sent == 2
        follow = archive.store_article(article(
            "https://fr.le360.com/verdict-2", "Cellule de Tanger : les peines prononcées",
            f"{VERDICT}\n\n{LEAD}\n\n{BODY}", "2025-06-02T17:00:00+01:00"),
            matches=match, alerts=pairs)
        assert follow.new_story and follow.alerts_created == 2
        assert deliver_due(archive, channels, settings).sent == 2

    earlier_mail, later_mail = (email.message_from_bytes(m["raw"]) for m in sink.messages)
    subject = str(make_header(decode_header(later_mail["Subject"])))
    assert "Follow-up: Cellule de Tanger" in subject
    assert later_mail["In-Reply-To"] == earlier_mail["Message-ID"]
    assert later_mail["References"] == earlier_mail["Message-ID"]
    assert earlier_mail["In-Reply-To"] is None
    text = later_mail.get_payload()[0].get_payload(decode=True).decode()
    assert "Follows:   Tanger : une cellule terroriste démantelée" in text
    assert "https://fr.le360.com/cellule-1" in text
    html = later_mail.get_payload()[1].get_payload(decode=True).decode()
    assert 'href="https://fr.le360.com/cellule-1"' in html

    later_post = slack_server.requests[1]["json"]
    assert later_post["text"].startswith(f"[marsad] {TOPIC}: Follow-up: ")
    fields = [f["text"] for f in later_post["blocks"][1]["fields"]]
    assert fields[0].startswith("*Follows*\n<https://fr.le360.com/cellule-1|Tanger")
    assert first.story != follow.story
