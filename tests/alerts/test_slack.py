import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from alerts.channel import PermanentDeliveryError, PossiblyDeliveredError, TransientDeliveryError
from alerts.slack import SlackChannel, retry_after, webhook_secrets
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


def test_no_answer_after_the_post_went_out_is_possibly_delivered(slack_server, make_alert):
    slack_server.answer(delay=1.0)  # the endpoint reads the whole post, then dawdles
    with pytest.raises(PossiblyDeliveredError, match="timed out") as failure:
        slack(slack_server.url, timeout=0.3).send(make_alert())
    assert "may have been delivered" in failure.value.reason
    assert len(slack_server.requests) == 1  # it did get the message


def test_refused_connection_is_plainly_transient(make_alert):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TransientDeliveryError) as failure:
        slack(f"http://127.0.0.1:{port}/services/T1/B1/x").send(make_alert())
    assert type(failure.value) is TransientDeliveryError


def test_error_page_echoing_the_path_is_masked_and_cut(slack_server, make_alert):
    host = slack_server.url.split("/")[2]
    url = f"http://{host}/services/T0ABCDEF1/B0GHIJKL2/verySecretToken42"
    slack_server.answer(404, "Cannot POST {path}\r\n" + "x" * 5000 + "{path}", echo=True)
    with pytest.raises(PermanentDeliveryError) as failure:
        slack(url).send(make_alert())
    reason = failure.value.reason
    assert reason.startswith("slack webhook: HTTP 404 Cannot POST *** x")
    assert len(reason) <= 200 and "\n" not in reason
    for part in ("T0ABCDEF1", "B0GHIJKL2", "verySecretToken42", "/services/"):
        assert part not in reason


def test_an_answer_cut_inside_a_secret_leaves_no_piece_of_it(slack_server, make_alert):
    host = slack_server.url.split("/")[2]
    url = f"http://{host}/services/T0ABCDEF1/B0GHIJKL2/verySecretToken42"
    # The first 4096 bytes are read: they end inside the token, whose start no whole
    # form matches; the spaces before it fold to one, so it would show in the reason.
    slack_server.answer(500, " " * 4040 + "Cannot POST {path} and more", echo=True)
    with pytest.raises(TransientDeliveryError) as failure:
        slack(url).send(make_alert())
    reason = failure.value.reason
    assert reason.startswith("slack webhook: HTTP 500")
    for piece in ("verySecret", "T0ABCDEF1", "B0GHIJKL2", "services"):
        assert piece not in reason


def test_webhook_secrets_are_the_url_and_its_credential_parts():
    secrets = webhook_secrets("https://user:pw-9@hooks.example/services/T0A1/B0B2/tok3n%2Bx"
                              "?key=abcdef123&v=1")
    for part in ("T0A1", "B0B2", "tok3n%2Bx", "tok3n+x", "abcdef123", "pw-9",
                 "/services/T0A1/B0B2/tok3n%2Bx"):
        assert part in secrets
    for public in ("services", "https", "hooks.example", "1", "key", "/"):
        assert public not in secrets
    assert webhook_secrets("https://hooks.example/") == ("https://hooks.example/",
                                                         "hooks.example/")


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
