import asyncio
import base64
import logging
import socket

import pytest
from aiosmtpd.smtp import AuthResult

from alerts.channel import PermanentDeliveryError, PossiblyDeliveredError, TransientDeliveryError
from alerts.email import EmailChannel
from crawler.config import ConfigError, EmailChannelConfig


def email_config(port: int = 25, **changes) -> EmailChannelConfig:
    values = dict(
        name="email",
        host="127.0.0.1",
        port=port,
        security="none",
        sender="marsad@example.org",
        to=("analyst@example.org", "desk@example.org"),
        timeout=5.0,
    )
    values.update(changes)
    return EmailChannelConfig(**values)


def parts(mail) -> dict[str, str]:
    return {part.get_content_type(): part.get_content() for part in mail.iter_parts()}


def test_sends_plain_and_html_alternatives(smtp_server, make_alert):
    sink, port = smtp_server()
    EmailChannel(email_config(port)).send(make_alert())
    [received] = sink.messages
    mail = received["mail"]
    assert received["from"] == "marsad@example.org"
    assert received["to"] == ["analyst@example.org", "desk@example.org"]
    assert mail.get_content_type() == "multipart/alternative"
    body = parts(mail)
    assert set(body) == {"text/plain", "text/html"}
    assert "«Maroc»" in body["text/plain"] and "hespress-fr (also: le360-fr" in body["text/plain"]
    assert "<mark><strong>Maroc</strong></mark>" in body["text/html"]
    assert mail["Subject"] == f"[marsad] morocco-france-security: {make_alert().title}"
    assert mail["Auto-Submitted"] == "auto-generated"
    received["raw"].decode("ascii")  # 7-bit clean: passes any relay


def test_arabic_subject_is_rfc2047_and_html_is_rtl(smtp_server, arabic_alert):
    sink, port = smtp_server()
    EmailChannel(email_config(port)).send(arabic_alert)
    [received] = sink.messages
    raw_subject = next(
        line for line in received["raw"].decode("ascii").splitlines() if line.startswith("Subject:")
    )
    assert "=?utf-8?" in raw_subject.lower()
    assert received["mail"]["Subject"].endswith("تعاون أمني جديد بين المغرب وفرنسا")
    html = parts(received["mail"])["text/html"]
    assert '<div dir="rtl" lang="ar">' in html


def test_message_id_is_stable_per_story_and_channel(smtp_server, make_alert):
    sink, port = smtp_server()
    channel = EmailChannel(email_config(port))
    channel.send(make_alert())
    channel.send(make_alert(alert_id=99, attempts=3))  # a re-send after a crash
    channel.send(make_alert(story="story-2"))
    first, again, other = (m["mail"]["Message-ID"] for m in sink.messages)
    assert first == again
    assert first != other
    assert first.startswith("<") and first.endswith("@marsad>")


def test_hostile_title_cannot_inject_headers_or_markup(smtp_server, make_alert, hostile_title):
    sink, port = smtp_server()
    EmailChannel(email_config(port)).send(make_alert(title=hostile_title))
    [received] = sink.messages
    mail = received["mail"]
    assert mail["Bcc"] is None
    assert received["to"] == ["analyst@example.org", "desk@example.org"]
    subject = mail["Subject"]
    assert "\n" not in subject and "\u2028" not in subject and "\u202e" not in subject
    html = parts(mail)["text/html"]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;!channel&gt;" in html


def test_login_without_tls(smtp_server, accept_user, make_alert):
    sink, port = smtp_server(authenticator=accept_user("bot", "pa55word"), auth_require_tls=False)
    channel = EmailChannel(email_config(port, username="bot", password="pa55word"))
    channel.send(make_alert())
    assert sink.messages[0]["auth"] is True


def test_bad_password_is_permanent_and_never_shown(smtp_server, accept_user, make_alert, caplog):
    sink, port = smtp_server(authenticator=accept_user("bot", "right"), auth_require_tls=False)
    channel = EmailChannel(email_config(port, username="bot", password="wr0ngSecret"))
    with pytest.raises(PermanentDeliveryError) as failure:
        channel.send(make_alert())
    assert "535" in failure.value.reason
    assert "wr0ngSecret" not in failure.value.reason
    assert "wr0ngSecret" not in repr(channel) and "wr0ngSecret" not in repr(channel.config)
    assert "bot" not in repr(channel)
    assert "wr0ngSecret" not in caplog.text
    assert sink.messages == []


def test_temporary_auth_failure_is_transient(smtp_server, make_alert):
    def busy(server, session, envelope, mechanism, auth_data):
        return AuthResult(
            success=False, handled=False, message="454 4.7.0 Temporary authentication failure"
        )

    _, port = smtp_server(authenticator=busy, auth_require_tls=False)
    channel = EmailChannel(email_config(port, username="bot", password="x"))
    with pytest.raises(TransientDeliveryError, match="454"):
        channel.send(make_alert())


def test_starttls_with_a_trusted_certificate(smtp_server, accept_user, certificate, make_alert):
    sink, port = smtp_server(
        tls_context=certificate.server_context(),
        require_starttls=True,
        authenticator=accept_user("bot", "pw"),
    )
    config = email_config(port, security="starttls", username="bot", password="pw")
    EmailChannel(config, ssl_context=certificate.client_context()).send(make_alert())
    [received] = sink.messages
    assert received["tls"] is True and received["auth"] is True


def test_starttls_rejects_an_unverified_certificate(smtp_server, certificate, make_alert):
    sink, port = smtp_server(tls_context=certificate.server_context(), require_starttls=True)
    with pytest.raises(PermanentDeliveryError, match="certificate"):
        EmailChannel(email_config(port, security="starttls")).send(make_alert())
    assert sink.messages == []


def test_starttls_never_falls_back_to_plain(smtp_server, make_alert):
    sink, port = smtp_server()  # offers no STARTTLS
    with pytest.raises(PermanentDeliveryError, match="STARTTLS"):
        EmailChannel(email_config(port, security="starttls")).send(make_alert())
    assert sink.messages == []


def test_implicit_tls(smtp_server, certificate, make_alert):
    sink, port = smtp_server(ssl_context=certificate.server_context())
    config = email_config(port, security="ssl")
    EmailChannel(config, ssl_context=certificate.client_context()).send(make_alert())
    assert sink.messages[0]["tls"] is True


def test_server_down_is_transient(make_alert):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TransientDeliveryError, match=r"127\.0\.0\.1"):
        EmailChannel(email_config(port)).send(make_alert())


def test_silent_server_times_out_as_transient(make_alert):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # accepts connections, never greets
        config = email_config(silent.getsockname()[1], timeout=0.1)
        with pytest.raises(TransientDeliveryError, match="timed out") as failure:
            EmailChannel(config).send(make_alert())
    assert type(failure.value) is TransientDeliveryError


class Dawdling:
    """Takes the message (or a recipient), then answers after the client gave up."""

    def __init__(self, stage: str) -> None:
        self.stage = stage
        self.received: list[bytes] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.stage == "RCPT":
            await asyncio.sleep(1.0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope.content)
        await asyncio.sleep(1.0)
        return "250 Message accepted"


def test_no_reply_after_the_data_is_possibly_delivered(smtp_server, make_alert):
    server, port = smtp_server(handler=Dawdling("DATA"))
    with pytest.raises(PossiblyDeliveredError) as failure:
        EmailChannel(email_config(port, timeout=0.3)).send(make_alert())
    assert "may have been delivered" in failure.value.reason
    assert len(server.received) == 1  # the server did get it whole


def test_no_reply_before_the_data_is_plainly_transient(smtp_server, make_alert):
    server, port = smtp_server(handler=Dawdling("RCPT"))
    with pytest.raises(TransientDeliveryError) as failure:
        EmailChannel(email_config(port, timeout=0.3)).send(make_alert())
    assert type(failure.value) is TransientDeliveryError
    assert server.received == []


def encodes_only(secret: str, prefix_length: int) -> str:
    """The base64 characters that encode nothing but `secret` when it sits after
    `prefix_length` bytes: those shared by two blobs differing before and after it."""
    one = base64.b64encode(f"{'a' * prefix_length}{secret}!!!".encode()).decode()
    two = base64.b64encode(f"{'~' * prefix_length}{secret}???".encode()).decode()
    shared = "".join(a if a == b else " " for a, b in zip(one, two, strict=True))
    return max(shared.split(), key=len)  # not the "=" padding both end with


def test_login_is_masked_in_every_base64_alignment():
    """A credential inside a longer base64 blob (AUTH PLAIN's "\\0user\\0password")
    encodes differently at each offset modulo 3: each of the 3 is masked."""
    channel = EmailChannel(email_config(username="mailer-user", password="s3cret-Pa55word"))
    for secret in ("mailer-user", "s3cret-Pa55word"):
        for prefix in ("", "a", "ab", "abc", "\0x\0", "\0mailer-user\0"):
            core = encodes_only(secret, len(prefix))
            assert len(core) >= 12
            blob = base64.b64encode(f"{prefix}{secret}\0tail".encode()).decode()
            assert core in blob
            masked = channel.redact(f"got {blob} back")
            windows = {core[start:start + 6] for start in range(len(core) - 5)}
            assert not [window for window in windows if window in masked], (prefix, masked)


def test_non_ascii_login_is_a_setup_error_that_quotes_none_of_it(smtp_server, make_alert):
    _, port = smtp_server(authenticator=lambda *args: AuthResult(success=False),
                          auth_require_tls=False)
    channel = EmailChannel(email_config(port, username="bot", password="mot-de-passé-9"))
    with pytest.raises(PermanentDeliveryError, match="ASCII") as failure:
        channel.send(make_alert())
    assert "é" not in failure.value.reason and "passé" not in failure.value.reason


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        ("550 5.1.1 No such user", PermanentDeliveryError),
        ("450 4.2.0 Mailbox busy", TransientDeliveryError),
    ],
)
def test_refused_recipients_are_classified_by_code(smtp_server, make_alert, reply, error):
    sink, port = smtp_server()
    sink.reply_rcpt = reply
    with pytest.raises(error, match=reply[:3]):
        EmailChannel(email_config(port)).send(make_alert())


def test_partial_refusal_counts_as_delivered(smtp_server, make_alert, caplog):
    sink, port = smtp_server()
    channel = EmailChannel(email_config(port))
    refusals = iter(["250 OK", "550 5.1.1 No such user"])

    async def some_refused(server, session, envelope, address, rcpt_options):
        reply = next(refusals)
        if reply.startswith("250"):
            envelope.rcpt_tos.append(address)
        return reply

    sink.handle_RCPT = some_refused
    with caplog.at_level(logging.WARNING, logger="marsad.alerts"):
        channel.send(make_alert())
    assert sink.messages[0]["to"] == ["analyst@example.org"]
    assert "desk@example.org" in caplog.text


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"security": "tls"}, "security"),
        ({"sender": "not an address"}, "from"),
        ({"to": ()}, "to"),
        ({"to": ("a@b.org\r\nBcc: x@y.org",)}, "to"),
        ({"username": "bot"}, "password"),
        ({"port": 0}, "port"),
    ],
)
def test_configuration_is_checked_at_construction(changes, key):
    with pytest.raises(ConfigError, match=rf"^channels\.email\.{key}: "):
        EmailChannel(email_config(**{"port": 25, **changes}))


def test_sender_may_carry_a_display_name(smtp_server, make_alert):
    sink, port = smtp_server()
    channel = EmailChannel(email_config(port, sender="Marsad veille <marsad@example.org>"))
    channel.send(make_alert())
    [received] = sink.messages
    assert received["from"] == "marsad@example.org"
    assert received["mail"]["From"].addresses[0].display_name == "Marsad veille"
