"""Secrets never come back out: servers that echo the webhook path, the request body or
the AUTH line in their error replies, driven through real deliveries into a real archive
and through the CLI; every place a reason can end up is searched for every form of them."""

from __future__ import annotations

import base64
import json
import logging
import re
from urllib.parse import quote, quote_plus, urlsplit

import pytest
from aiosmtpd.smtp import AuthResult

from alerts.channel import REASON_MAX, PermanentDeliveryError
from alerts.delivery import deliver_due
from alerts.email import EmailChannel
from alerts.slack import SlackChannel
from crawler.cli import main
from crawler.config import AlertSettings, EmailChannelConfig, SlackChannelConfig
from storage import Archive
from storage.records import ArticleRecord, TopicMatchRecord

TEAM, BOT, TOKEN = "T0SEC4ET1Q", "B0SEC5ET2Z", "xq7TokenZ3cr3tW9bL4mN8pR2"
USER, PASSWORD = "robot-sender-7", "pa55-Wr0ng Secret!"
TOPIC = "morocco-france-security"
SETTINGS = AlertSettings(max_attempts=5, retry_base=60.0, retry_max=3600.0)
SERVER_LOGGER = "mail.log"  # aiosmtpd's own log of what the test server received


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def webhook(slack_server) -> str:
    host = urlsplit(slack_server.url).netloc
    return f"http://{host}/services/{TEAM}/{BOT}/{TOKEN}"


def lower_hex(text: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda found: found.group(0).lower(), text)


def slack_forms(url: str) -> list[str]:
    path = urlsplit(url).path
    return [TEAM, BOT, TOKEN, url, path, quote(url, safe=""), quote_plus(url),
            lower_hex(quote(url, safe="")), quote(path, safe=""), lower_hex(quote(path, safe=""))]


def login_forms() -> list[str]:
    plain = f"\0{USER}\0{PASSWORD}"
    return [USER, PASSWORD, b64(USER), b64(PASSWORD), b64(plain), b64(plain).rstrip("="),
            quote(PASSWORD), quote_plus(PASSWORD)]


def assert_nowhere(forms: list[str], *texts: str) -> None:
    """No form of a secret, in any letter case, in any of the texts."""
    for text in texts:
        for form in forms:
            assert form.lower() not in text.lower(), (form, text[:300])


def assert_clean_reason(reason: str) -> None:
    assert len(reason) <= REASON_MAX and reason == reason.strip()
    assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]", reason), reason


class AuthEcho:
    """An SMTP server that refuses every login and quotes back what the client sent:
    the AUTH line, the base64 answers and, worst of all, their decoded text."""

    async def auth_PLAIN(self, server, args):
        blob = args[1] if len(args) > 1 else ""
        _, user, password = base64.b64decode(blob).split(b"\0")
        await server.push(f"535-5.7.8 AUTH {' '.join(args)} refused\r\n"
                          f"535 5.7.8 credentials {blob} ({user.decode()} with "
                          f"{password.decode()}) invalid")
        return AuthResult(success=False, handled=True)

    async def auth_LOGIN(self, server, args):
        if len(args) > 1:
            user = args[1]  # smtplib sends the user name with the command
        else:
            user = b64((await server.challenge_auth("Username:")).decode())
        password = await server.challenge_auth("Password:")
        await server.push(f"535 5.7.8 AUTH {' '.join(args)} then {b64(password.decode())} "
                          f"({user} / {password.decode()}) rejected")
        return AuthResult(success=False, handled=True)


def mail_channel(name: str, port: int) -> EmailChannel:
    return EmailChannel(EmailChannelConfig(
        name=name, host="127.0.0.1", port=port, security="none", sender="marsad@example.org",
        to=("analyst@example.org",), username=USER, password=PASSWORD, timeout=5.0))


STORIES = [  # three stories, not copies of one
    "Le Maroc et la France signent à Rabat un accord de sécurité sur l'échange de données "
    "des passagers aériens, afin de mieux repérer les voyageurs signalés par les services.",
    "Un réseau de trafic de drogue entre Tanger et Marseille est démantelé grâce à une "
    "enquête conjointe des polices marocaine et française, avec onze interpellations.",
    "Des démineurs marocains rejoignent les équipes françaises pour la sécurité des grands "
    "événements sportifs de l'été, une première saluée par les deux ministères de l'Intérieur.",
]


def queue(archive: Archive, channels: tuple[str, ...], count: int) -> None:
    for n in range(count):
        archive.store_article(
            ArticleRecord(
                url=f"https://fr.hespress.com/{n + 1}-maroc-france.html", source="hespress-fr",
                title=f"Maroc-France : accord de sécurité numéro {n + 1}",
                text=STORIES[n],
                discovered_via="listing", fetched_at="2025-04-20T10:00:00+00:00",
                published="2025-04-20T09:00:00+01:00", language="fr"),
            matches=[TopicMatchRecord(TOPIC, 3.0, ("Maroc", "France", "sécurité"))],
            alerts=[(TOPIC, channel) for channel in channels],
        )


def stored_bytes(archive: Archive) -> str:
    """The database file and its write-ahead log, as raw bytes (latin-1 keeps each byte)."""
    files = [archive.path, archive.path.with_name(archive.path.name + "-wal")]
    return "".join(path.read_bytes().decode("latin-1") for path in files if path.exists())


def log_text(caplog) -> str:
    return "\n".join(f"{record.getMessage()} {record.exc_text or ''}"
                     for record in caplog.records if not record.name.startswith(SERVER_LOGGER))


@pytest.fixture
def echo_servers(smtp_server, slack_server):
    """A Slack endpoint and two SMTP servers (AUTH PLAIN only, AUTH LOGIN only), all echoing."""
    _, plain_port = smtp_server(handler=AuthEcho(), auth_require_tls=False,
                                auth_exclude_mechanism=["LOGIN"])
    _, login_port = smtp_server(handler=AuthEcho(), auth_require_tls=False,
                                auth_exclude_mechanism=["PLAIN"])
    return slack_server, plain_port, login_port


def script_echoes(slack_server, url: str) -> None:
    """A proxy's 404 page, an encoded echo, and a 500 quoting the request and its body."""
    slack_server.answer(404, "<html><body>Cannot POST {path}</body></html>", echo=True)
    slack_server.answer(400, f"bad request for {quote(url, safe='')} "
                             f"{lower_hex(quote_plus(url))} {json.dumps(url)}")
    slack_server.answer(500, "error at {path}\r\n\u2028" + f"{quote(url)} body: " + "{body}",
                        echo=True)


def test_echoed_secrets_reach_no_reason_log_or_archive_byte(tmp_path, echo_servers, caplog):
    slack_server, plain_port, login_port = echo_servers
    url = webhook(slack_server)
    channels = {
        "slack": SlackChannel(SlackChannelConfig(name="slack", webhook_url=url, timeout=5.0)),
        "mail-plain": mail_channel("mail-plain", plain_port),
        "mail-login": mail_channel("mail-login", login_port),
    }
    script_echoes(slack_server, url)
    caplog.set_level(logging.DEBUG)
    with Archive(tmp_path / "marsad.db") as archive:
        queue(archive, ("slack", "mail-plain", "mail-login"), 3)
        report = deliver_due(archive, channels, SETTINGS)
        rows = archive.list_alerts()
        stored = stored_bytes(archive)
    assert len(slack_server.requests) == 3 and report.sent == 0
    errors = [row["last_error"] for row in rows]
    assert len(errors) == 9 and all(errors[:7])
    slack_errors = sorted(row["last_error"] for row in rows if row["channel"] == "slack")
    assert any("HTTP 404 <html><body>Cannot POST ***" in error for error in slack_errors)
    assert any("HTTP 500 error at ***" in error for error in slack_errors)
    assert any("535" in (row["last_error"] or "") for row in rows if row["channel"] == "mail-plain")
    for error in filter(None, errors):
        assert_clean_reason(error)
    forms = slack_forms(url) + login_forms()
    assert_nowhere(forms, json.dumps(rows, ensure_ascii=False), stored, log_text(caplog))
    assert stored and "Cannot POST ***" in stored  # the search above did read the reasons


@pytest.mark.parametrize("name", ["mail-plain", "mail-login"])
def test_smtp_reason_masks_the_echoed_login(echo_servers, make_alert, name):
    _, plain_port, login_port = echo_servers
    channel = mail_channel(name, plain_port if name == "mail-plain" else login_port)
    with pytest.raises(PermanentDeliveryError) as failure:
        channel.send(make_alert(channel=name))
    reason = failure.value.reason
    assert "535" in reason and "***" in reason
    assert_clean_reason(reason)
    assert_nowhere(login_forms(), reason, repr(channel))


def cli_config(tmp_path, slack_server, plain_port: int) -> str:
    path = tmp_path / "marsad.toml"
    path.write_text(f"""database = "archive.db"
[channels.slack]
type = "slack"
webhook_url = "${{MARSAD_TEST_WEBHOOK}}"
[channels.mail]
type = "email"
host = "127.0.0.1"
port = {plain_port}
security = "none"
username = "${{MARSAD_TEST_USER}}"
password = "${{MARSAD_TEST_PASSWORD}}"
from = "marsad@example.org"
to = "analyst@example.org"
""", encoding="utf-8")
    return str(path)


def test_cli_test_alert_and_alerts_json_show_no_secret(tmp_path, echo_servers, capsys, caplog,
                                                       monkeypatch):
    from alerts import build_channels
    from crawler.config import load_config

    slack_server, plain_port, _ = echo_servers
    url = webhook(slack_server)
    monkeypatch.setenv("MARSAD_TEST_WEBHOOK", url)
    monkeypatch.setenv("MARSAD_TEST_USER", USER)
    monkeypatch.setenv("MARSAD_TEST_PASSWORD", PASSWORD)
    config = cli_config(tmp_path, slack_server, plain_port)
    caplog.set_level(logging.DEBUG)
    forms = slack_forms(url) + login_forms()

    slack_server.answer(404, "Cannot POST {path}", echo=True)
    assert main(["--config", config, "test-alert"]) == 1
    out, err = capsys.readouterr()
    assert "slack: failed: slack webhook: HTTP 404 Cannot POST ***" in out
    assert "mail: failed: smtp 127.0.0.1" in out and "535" in out
    assert_nowhere(forms, out, err)

    script_echoes(slack_server, url)
    loaded = load_config(config)
    with Archive(loaded.database) as archive:
        queue(archive, ("slack", "mail"), 3)
        deliver_due(archive, build_channels(loaded.channels), SETTINGS)
    assert main(["--config", config, "alerts", "--json"]) == 0
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 6 and any(row["last_error"] for row in rows)
    assert main(["--config", config, "alerts"]) == 0
    table, _ = capsys.readouterr()
    assert "Cannot POST ***" in out
    assert_nowhere(forms, out, err, table, log_text(caplog))
