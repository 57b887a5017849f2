"""The [health] table: when a source looks broken, read and checked like every table."""

from __future__ import annotations

import pytest

from crawler.cli import main
from crawler.config import ConfigError, HealthSettings, load_config

SOURCE = """\
[[sources]]
name = "quotidien"
listing_urls = ["http://127.0.0.4:8080/"]
"""


def load(tmp_path, extra: str):
    path = tmp_path / "marsad.toml"
    path.write_text(SOURCE + extra, encoding="utf-8")
    return load_config(path, env={})


def test_defaults_without_the_table(tmp_path):
    assert load(tmp_path, "").health == HealthSettings(silent_cycles=6, failed_cycles=3)


def test_both_keys_are_read(tmp_path):
    health = load(tmp_path, "[health]\nsilent_cycles = 32\nfailed_cycles = 1\n").health
    assert (health.silent_cycles, health.failed_cycles) == (32, 1)


@pytest.mark.parametrize("table, key, message", [
    ("silent_cycles = 0", "silent_cycles", "must be at least 1"),
    ("failed_cycles = -3", "failed_cycles", "must be at least 1"),
    ("silent_cycles = 10001", "silent_cycles", "must be at most 10000"),
    ('failed_cycles = "3"', "failed_cycles", "must be an integer, not a string"),
    ("silent_cycles = 6.5", "silent_cycles", "must be an integer, not a float"),
    ("silent_cycle = 6", "silent_cycle", "unknown key (did you mean 'silent_cycles'?)"),
    ("failures = 6", "failures", "unknown key"),
])
def test_a_bad_value_is_one_line_naming_the_key(tmp_path, table, key, message):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, f"[health]\n{table}\n")
    text = str(caught.value)
    assert "\n" not in text
    assert text == f"{tmp_path / 'marsad.toml'}: health.{key}: {message}"


def test_health_must_be_a_table(tmp_path):
    path = tmp_path / "marsad.toml"
    path.write_text('health = "strict"\n' + SOURCE, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"marsad.toml: health: must be a table \(\[health\]\)"):
        load_config(path, env={})


def test_the_cli_refuses_a_bad_health_table_with_exit_2(tmp_path, capsys):
    path = tmp_path / "marsad.toml"
    path.write_text(SOURCE + "[health]\nsilent_cycles = 0\n", encoding="utf-8")
    assert main(["--config", str(path), "stats"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "health.silent_cycles: must be at least 1" in err
    assert not (tmp_path / "marsad.db").exists()
