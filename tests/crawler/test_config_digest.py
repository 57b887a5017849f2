"""The optional `digest` key of every channel type: accepted forms and one-line errors."""

from __future__ import annotations

import pytest

from crawler.config import ConfigError, DigestSchedule, load_config

CHANNELS = {
    "email": '[channels.c]\ntype = "email"\nhost = "h"\nfrom = "a@b.org"\nto = "c@d.org"\n',
    "slack": '[channels.c]\ntype = "slack"\nwebhook_url = "https://hooks.example.org/x"\n',
    "console": '[channels.c]\ntype = "console"\n',
}


def load(tmp_path, text: str):
    path = tmp_path / "marsad.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, env={})


@pytest.mark.parametrize("kind", sorted(CHANNELS))
@pytest.mark.parametrize(("value", "expected"), [
    ('"1h"', DigestSchedule(every=3600.0)),
    ('"5m"', DigestSchedule(every=300.0)),
    ('"7d"', DigestSchedule(every=604800.0)),
    ('"1h30m"', DigestSchedule(every=5400.0)),
    ("900", DigestSchedule(every=900.0)),
    ('"daily 08:00"', DigestSchedule(daily=(8, 0))),
    ('"daily 7:05"', DigestSchedule(daily=(7, 5))),
    ('"Daily  23:59"', DigestSchedule(daily=(23, 59))),
])
def test_every_channel_type_takes_a_digest(tmp_path, kind, value, expected):
    config = load(tmp_path, CHANNELS[kind] + f"digest = {value}\n")
    assert config.channels["c"].digest == expected


@pytest.mark.parametrize("kind", sorted(CHANNELS))
def test_without_digest_a_channel_sends_each_alert(tmp_path, kind):
    assert load(tmp_path, CHANNELS[kind]).channels["c"].digest is None


@pytest.mark.parametrize(("value", "problem"), [
    ('"daily 25:00"', "'daily 25:00' is not a time of day (00:00 to 23:59)"),
    ('"daily 08:60"', "'daily 08:60' is not a time of day (00:00 to 23:59)"),
    ('"2s"', "must be from 5m to 7d, not '2s'"),
    ('"8d"', "must be from 5m to 7d, not '8d'"),
    ("60", "must be from 5m to 7d, not 60"),
    ('"weekly"', 'use a period from "5m" to "7d", or "daily HH:MM", not \'weekly\''),
    ('"daily"', 'use a period from "5m" to "7d", or "daily HH:MM", not \'daily\''),
    ('"daily 8"', 'use a period from "5m" to "7d", or "daily HH:MM", not \'daily 8\''),
    ('"-1h"', 'use a period from "5m" to "7d", or "daily HH:MM", not \'-1h\''),
    ("true", 'use a period from "5m" to "7d", or "daily HH:MM", not a boolean'),
    ("nan", 'use a period from "5m" to "7d", or "daily HH:MM", not nan'),
])
@pytest.mark.parametrize("kind", ["email", "console"])
def test_a_bad_digest_is_one_line_naming_the_key(tmp_path, kind, value, problem):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, CHANNELS[kind] + f"digest = {value}\n")
    assert str(caught.value) == f"{tmp_path / 'marsad.toml'}: channels.c.digest: {problem}"


def test_an_unset_variable_in_digest_names_the_key(tmp_path):
    with pytest.raises(ConfigError, match=r"channels\.c\.digest: environment variable "
                                          r"MARSAD_DIGEST is not set"):
        load(tmp_path, CHANNELS["slack"] + 'digest = "${MARSAD_DIGEST}"\n')
