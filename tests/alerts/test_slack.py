import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from alerts.channel import PermanentDeliveryError, TransientDeliveryError
from alerts.slack import SlackChannel, retry_after
from crawler.config import ConfigError, SlackChannelConfig


def slack(url: str, timeout: float = 5.0) -> SlackChannel:
    return SlackChannel(SlackChannelConfig(name="slack", webhook_url=url, timeout=timeout))


def test_posts_block_kit_json(slack_server, make_alert):
    slack(slack_server.url).send(make_alert(channel="slack"))
    [request] = slack_server.requests
    assert request["path"] == "/services/T000/B000/s3cr3tT0ken"
    assert request["content_type"].startswith("application/json")
    payload = request["json"]
    assert payload["text"].startswith("[marsad] morocco-france-security: Le Maroc et la France")
    header, fields, excerpt, context = payload["blocks"]
    assert header["text"]["text"] == make_alert().title
    assert any("hespress-fr (also: le360-fr, barlamane-fr)" in f["text"] for f in fields["fields"])
    assert "*Maroc*" in excerpt["text"]["text"]
    assert "https://fr.hespress.com/123-maroc-france.html" in context["elements"][0]["text"]


def test_arabic_payload_arrives_intact(slack_server, arabic_alert):
    slack(slack_server.url).send(arabic_alert)
    payload = slack_server.payloads[0]
    assert payload["blocks"][0]["text"]["text"] == "تعاون أمني جديد بين المغرب وفرنسا"
    assert "*المغرب*" in payload["blocks"][2]["text"]["text"]


def test_hostile_title_cannot_mention_or_link(slack_server, make_alert, hostile_title):
    slack(slack_server.url).send(make_alert(title=hostile_title, text="<!everyone> Maroc"))
    raw = str(slack_server.payloads[0])
    for forged in ("<!channel>", "<@U123>", "<http://evil", "<!everyone>", "\u202e", "\u2028"):
        assert forged not in raw
    assert "&lt;!channel&gt;" in raw


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (400, "invalid_payload"),
        (403, "action_prohibited"),
        (404, "channel_not_found"),
        (410, "channel_is_archived"),
    ],
)
def test_rejections_are_permanent(slack_server, make_alert, status, body):
    slack_server.answer(status=status, body=body)
    with pytest.raises(PermanentDeliveryError) as failure:
        slack(slack_server.url).send(make_alert())
    assert failure.value.reason == f"slack webhook: HTTP {status} {body}"


def test_rate_limit_is_transient_with_retry_after(slack_server, make_alert):
    slack_server.answer(status=429, body="rate_limited", headers={"Retry-After": "42"})
    with pytest.raises(TransientDeliveryError) as failure:
        slack(slack_server.url).send(make_alert())
    assert failure.value.retry_after == 42.0
    assert "429" in failure.value.reason


def test_server_error_is_transient(slack_server, make_alert):
    slack_server.answer(status=500, body="<html>oops</html>\r\nX: y")
    with pytest.raises(TransientDeliveryError) as failure:
        slack(slack_server.url).send(make_alert())
    assert failure.value.retry_after is None
    assert "\n" not in failure.value.reason and "500" in failure.value.reason


def test_slow_endpoint_times_out_as_transient(slack_server, make_alert):
    slack_server.answer(delay=1.0)
    with pytest.raises(TransientDeliveryError, match="timed out"):
        slack(slack_server.url, timeout=0.3).send(make_alert())


def test_connection_refused_is_transient_and_hides_the_url(make_alert):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/services/T1/B1/topSecret"
    with pytest.raises(TransientDeliveryError) as failure:
        slack(url).send(make_alert())
    assert "topSecret" not in failure.value.reason
    assert failure.value.reason.startswith("slack webhook:")


def test_redirect_is_not_followed(slack_server, make_alert):
    slack_server.answer(status=302, headers={"Location": "http://127.0.0.1:1/elsewhere"})
    with pytest.raises(PermanentDeliveryError, match="302"):
        slack(slack_server.url).send(make_alert())
    assert len(slack_server.requests) == 1


def test_webhook_url_is_never_shown():
    channel = slack("https://hooks.slack.com/services/T1/B1/topSecret")
    assert "topSecret" not in repr(channel)
    assert "topSecret" not in repr(SlackChannelConfig(name="s", webhook_url="https://x/topSecret"))
    assert channel.redact("failed at https://hooks.slack.com/services/T1/B1/topSecret") == (
        "failed at ***"
    )
    with pytest.raises(ConfigError) as failure:
        slack("ftp://hooks.slack.com/services/T1/B1/topSecret")
    assert "topSecret" not in str(failure.value)
    assert str(failure.value).startswith("channels.slack.webhook_url: ")


def test_retry_after_forms():
    assert retry_after("120") == 120.0
    assert retry_after(None) is None and retry_after("soon") is None
    assert retry_after("-5") == 0.0
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    assert 80 <= retry_after(later) <= 90
