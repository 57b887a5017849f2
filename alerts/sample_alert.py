"""The sample alert `marsad test-alert` sends through every channel, and the sending."""

from __future__ import annotations

from collections.abc import Mapping

from alerts.channel import Channel, DeliveryError
from crawler import clock
from storage.records import AlertMessage

SAMPLE_TEXT = (
    "هذه رسالة تجريبية من مرصد الأخبار للتحقق من وصول التنبيهات. "
    "Ceci est un message d'essai de marsad : la sécurité entre le Maroc et la France "
    "n'est pas concernée, seule la livraison de l'alerte est vérifiée."
)


def sample_alert(channel: str = "test") -> AlertMessage:
    """A bilingual sample alert; each call is a new story, so each test mail is new."""
    stamp = clock.utc_iso(clock.now())
    return AlertMessage(
        alert_id=0,
        story=f"test-alert-{stamp}",
        channel=channel,
        topic="test",
        title="marsad: test alert — تنبيه تجريبي",
        url="https://example.org/marsad/test-alert",
        source="marsad",
        published=stamp,
        language="fr",
        text=SAMPLE_TEXT,
        matched=("Maroc", "France", "sécurité"),
        created_at=stamp,
    )


def send_sample_alert(channels: Mapping[str, Channel]) -> dict[str, str | None]:
    """Send the sample alert through each channel: name -> None if sent, else the reason
    (one line, secrets masked)."""
    results: dict[str, str | None] = {}
    for name, channel in channels.items():
        try:
            channel.send(sample_alert(name))
        except DeliveryError as error:
            # Channels give clean reasons; cleaning again costs nothing and guards the output.
            results[name] = channel.clean_reason(error.reason)
        except Exception as error:  # report every channel, whatever one of them does
            results[name] = channel.clean_reason(f"{type(error).__name__}: {error}")
        else:
            results[name] = None
    return results
