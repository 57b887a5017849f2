import io
import json
from dataclasses import dataclass
from typing import get_args
from urllib.parse import quote, quote_plus

import pytest

from alerts import CHANNEL_TYPES, build_channels, sample_alert, send_sample_alert
from alerts.channel import REASON_MAX, TransientDeliveryError
from alerts.console import ConsoleChannel
from alerts.email import EmailChannel
from alerts.slack import SlackChannel
from crawler.config import (
    ChannelConfig,
    ConfigError,
    ConsoleChannelConfig,
    EmailChannelConfig,
    SlackChannelConfig,
)


def test_console_prints_the_plain_text(make_alert, hostile_title):
    stream = io.StringIO()
    ConsoleChannel(ConsoleChannelConfig(name="console"), stream=stream).send(
        make_alert(title=hostile_title + "\x1b[2J")
    )
    out = stream.getvalue()
    assert "\x1b" not in out and "\r" not in out and "\u202e" not in out
    assert "«Maroc»" in out and "hespress-fr (also: le360-fr, barlamane-fr)" in out


def test_console_defaults_to_stdout(make_alert, capsys):
    ConsoleChannel().send(make_alert())
    assert make_alert().title in capsys.readouterr().out


def test_console_closed_stream_is_transient(make_alert):
    stream = io.StringIO()
    stream.close()
    with pytest.raises(TransientDeliveryError, match="console"):
        ConsoleChannel(stream=stream).send(make_alert())


def test_build_channels_makes_one_per_config():
    channels = build_channels(
        {
            "mail": EmailChannelConfig(
                name="mail",
                host="smtp.example.org",
                to=("a@example.org",),
                sender="m@example.org",
                username="u",
                password="pw-secret",
            ),
            "team": SlackChannelConfig(name="team", webhook_url="https://hooks.example/T/B/x"),
            "tty": ConsoleChannelConfig(name="tty"),
        }
    )
    assert {name: type(c) for name, c in channels.items()} == {
        "mail": EmailChannel,
        "team": SlackChannel,
        "tty": ConsoleChannel,
    }
    assert "pw-secret" not in repr(channels) and "hooks.example/T/B/x" not in repr(channels)


def test_build_channels_defaults_to_the_console():
    channels = build_channels({})
    assert list(channels) == ["console"] and isinstance(channels["console"], ConsoleChannel)


def test_build_channels_reports_a_bad_entry():
    bad = EmailChannelConfig(name="mail", host="smtp.example.org", to=(), sender="m@example.org")
    with pytest.raises(ConfigError, match=r"^channels\.mail\.to: "):
        build_channels({"mail": bad})


def test_test_alert_reaches_every_channel(smtp_server, slack_server):
    sink, port = smtp_server()
    stream = io.StringIO()
    channels = {
        "email": EmailChannel(
            EmailChannelConfig(
                name="email",
                host="127.0.0.1",
                port=port,
                security="none",
                sender="m@example.org",
                to=("a@example.org",),
            )
        ),
        "slack": SlackChannel(SlackChannelConfig(name="slack", webhook_url=slack_server.url)),
        "console": ConsoleChannel(stream=stream),
    }
    slack_server.answer(status=403, body="invalid_token")
    results = send_sample_alert(channels)
    assert results == {
        "email": None,
        "slack": "slack webhook: HTTP 403 invalid_token",
        "console": None,
    }
    assert len(sink.messages) == 1 and "test alert" in sink.messages[0]["mail"]["Subject"]
    assert "تنبيه تجريبي" in stream.getvalue()


def test_each_test_alert_is_a_new_story(monkeypatch):
    monkeypatch.setenv("MARSAD_NOW", "2025-01-01T00:00:00+00:00")
    first = sample_alert("email")
    monkeypatch.setenv("MARSAD_NOW", "2025-01-01T00:05:00+00:00")
    second = sample_alert("email")
    assert first.story != second.story and first.channel == "email"


class Leaky(ConsoleChannel):
    """A channel whose failures quote its secret, in one form or another."""

    def __init__(self, failure: Exception) -> None:
        super().__init__(ConsoleChannelConfig(name="leaky"))
        self.failure = failure

    def secrets(self):
        return ("https://hooks.example/services/T0AB12/B0CD34/tok+en/value",)

    def send(self, message):
        raise self.failure


def test_redact_masks_every_encoding_in_any_letter_case():
    channel = Leaky(RuntimeError())
    url = channel.secrets()[0]
    forms = [url, quote(url, safe=""), quote(url, safe="").lower(), quote_plus(url),
             quote(url), json.dumps(url).replace("/", "\\/")[1:-1], url.upper()]
    for form in forms:
        assert channel.redact(f"at <{form}>!") == "at <***>!", form
    assert channel.redact("nothing secret here") == "nothing secret here"


def test_test_alert_reasons_are_one_short_masked_line():
    url = Leaky(RuntimeError()).secrets()[0]
    results = send_sample_alert({
        "bug": Leaky(RuntimeError(f"posting to {url}\r\n\u2028" + "x" * 500)),
        "down": Leaky(TransientDeliveryError(f"no route to {quote(url, safe='')}\nend")),
    })
    assert results["bug"].startswith("RuntimeError: posting to *** x")
    assert results["down"] == "no route to *** end"
    for reason in results.values():
        assert len(reason) <= REASON_MAX
        assert "\n" not in reason and "\r" not in reason and "\u2028" not in reason
        assert "T0AB12" not in reason and "tok" not in reason


def test_console_failure_reason_is_one_line():
    class Broken(io.StringIO):
        def write(self, text):
            raise OSError(5, "Input/output error\nsecond line")

    with pytest.raises(TransientDeliveryError) as failure:
        ConsoleChannel(stream=Broken()).send(sample_alert("console"))
    assert failure.value.reason == "console: OSError: [Errno 5] Input/output error second line"


def test_every_configured_channel_type_has_a_channel():
    assert set(CHANNEL_TYPES) == set(get_args(ChannelConfig))


def test_a_configuration_type_without_a_channel_is_a_config_error():
    @dataclass(frozen=True)
    class PagerChannelConfig:
        name: str = "pager"

    with pytest.raises(ConfigError, match=r"^channels\.pager\.type: unknown channel type "
                                          r"PagerChannelConfig$"):
        build_channels({"pager": PagerChannelConfig()})
