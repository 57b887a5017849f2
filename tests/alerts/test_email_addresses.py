"""Email addresses follow one rule, `crawler.config.mailbox`, in the configuration and in
the email channel alike: one mailbox per string, a display name allowed; a list in one
string is refused with a line naming the key, never cut to its first address."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts import build_channels
from alerts.email import EmailChannel
from crawler.config import ConfigError, EmailChannelConfig, load_config, mailbox

ONE_ADDRESS = [
    ("a@b.org", "a@b.org"),
    ("  a@b.org ", "a@b.org"),
    ("Marsad veille <marsad@example.org>", "marsad@example.org"),
    ('"Doe, John" <j@example.org>', "j@example.org"),
    ("<desk@example.org>", "desk@example.org"),
]

NOT_ONE_ADDRESS = [
    "a@b.org, c@d.org",
    "a@b.org; c@d.org",
    "Desk <a@b.org>, c@d.org",
    "a@b.org,",
    "Name <a@b.org> x",
    "a@b.org c@d.org",
    "nobody",
    "@example.org",
    "",
    "a@b.org\r\nBcc: x@y.org",
]


@pytest.mark.parametrize(("text", "address"), ONE_ADDRESS)
def test_one_mailbox_gives_its_bare_address(text, address):
    assert mailbox(text) == address


@pytest.mark.parametrize("text", NOT_ONE_ADDRESS)
def test_anything_but_one_mailbox_is_refused(text):
    with pytest.raises(ValueError) as caught:
        mailbox(text)
    assert str(caught.value).startswith("must be one email address, not ")
    assert "\n" not in str(caught.value) and "\r" not in str(caught.value)


def problem(folder: Path, channel: str) -> str:
    path = folder / "marsad.toml"
    path.write_text(channel, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    return message[len(f"{path}: "):]


MAIL = '[channels.m]\ntype = "email"\nhost = "h"\n'


@pytest.mark.parametrize(("keys", "expected"), [
    ('from = "a@b.org"\nto = "x@y.org, z@y.org"\n',
     "channels.m.to[0]: must be one email address, not 'x@y.org, z@y.org'"),
    ('from = "a@b.org"\nto = ["x@y.org", "z@y.org; w@y.org"]\n',
     "channels.m.to[1]: must be one email address, not 'z@y.org; w@y.org'"),
    ('from = "Desk <a@b.org>, c@d.org"\nto = ["x@y.org"]\n',
     "channels.m.from: must be one email address, not 'Desk <a@b.org>, c@d.org'"),
])
def test_the_configuration_refuses_a_list_in_one_string(tmp_path, keys, expected):
    assert problem(tmp_path, MAIL + keys) == expected


def test_the_channel_refuses_what_the_configuration_refuses():
    config = EmailChannelConfig(name="email", host="127.0.0.1", port=25, security="none",
                                sender="marsad@example.org", to=("a@b.org, c@d.org",))
    with pytest.raises(ConfigError) as caught:
        EmailChannel(config)
    assert str(caught.value) == (
        "channels.email.to: must be one email address, not 'a@b.org, c@d.org'")
    # The command line names the file of a check made after loading.
    assert str(caught.value.in_file("marsad.toml")) == (
        "marsad.toml: channels.email.to: must be one email address, not 'a@b.org, c@d.org'")


def test_display_names_reach_the_headers_and_bare_addresses_the_envelope(
        tmp_path, smtp_server, make_alert):
    sink, port = smtp_server()
    path = tmp_path / "marsad.toml"
    path.write_text(
        f'[channels.email]\ntype = "email"\nhost = "127.0.0.1"\nport = {port}\n'
        'security = "none"\nfrom = "Marsad veille <marsad@example.org>"\n'
        'to = ["Desk, Rabat <desk@example.org>", "analyst@example.org"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"to\[0\]: must be one email address"):
        load_config(path, env={})  # an unquoted comma in a display name makes two
    path.write_text(path.read_text("utf-8").replace("Desk, Rabat", '\\"Desk, Rabat\\"'),
                    encoding="utf-8")
    [channel] = build_channels(load_config(path, env={}).channels).values()
    channel.send(make_alert())
    [received] = sink.messages
    assert received["from"] == "marsad@example.org"
    assert received["to"] == ["desk@example.org", "analyst@example.org"]
    [desk, analyst] = received["mail"]["To"].addresses
    assert (desk.display_name, desk.addr_spec) == ("Desk, Rabat", "desk@example.org")
    assert analyst.addr_spec == "analyst@example.org"
    assert received["mail"]["From"].addresses[0].display_name == "Marsad veille"
