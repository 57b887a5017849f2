"""A source's `verified` key, and the corrections the bundled sources carry."""

from __future__ import annotations

import re

import pytest

from crawler.config import ConfigError, load_config

SOURCE = """\
[[sources]]
name = "quotidien"
listing_urls = ["http://127.0.0.4:8080/"]
"""


def load(tmp_path, extra: str, env: dict[str, str] | None = None):
    path = tmp_path / "marsad.toml"
    path.write_text(SOURCE + extra, encoding="utf-8")
    return load_config(path, env=env or {})


@pytest.mark.parametrize("value", ["2025-04-20", "unverified"])
def test_verified_takes_a_day_or_unverified(tmp_path, value):
    assert load(tmp_path, f'verified = "{value}"\n').sources[0].verified == value


def test_verified_is_optional(tmp_path):
    assert load(tmp_path, "").sources[0].verified is None


@pytest.mark.parametrize("value, message", [
    ('"yesterday"', "must be a date YYYY-MM-DD or 'unverified', not 'yesterday'"),
    ('"2025-02-30"', "must be a date YYYY-MM-DD or 'unverified', not '2025-02-30'"),
    ('"20250420"', "must be a date YYYY-MM-DD or 'unverified', not '20250420'"),
    ('"Unverified"', "must be a date YYYY-MM-DD or 'unverified', not 'Unverified'"),
    ('""', "must not be empty"),
    ("2025-04-20", "must be a string, not a"),  # a TOML date, not a string
    ('"2999-01-01"', "2999-01-01 is in the future"),
])
def test_a_bad_verified_is_one_line_naming_the_key(tmp_path, value, message):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, f"verified = {value}\n")
    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith(f"{tmp_path / 'marsad.toml'}: sources[0].verified: ")
    assert message in text


def test_a_day_checked_where_it_is_already_tomorrow_is_not_the_future(tmp_path):
    env_now = "2025-04-20T23:30:00+00:00"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MARSAD_NOW", env_now)
        assert load(tmp_path, 'verified = "2025-04-21"\n').sources[0].verified == "2025-04-21"
        with pytest.raises(ConfigError, match="is in the future"):
            load(tmp_path, 'verified = "2025-04-22"\n')


def test_every_bundled_source_says_whether_it_was_verified(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for source in load_config(env={}).sources:
        assert source.verified is not None, source.name
        assert source.verified == "unverified" or re.fullmatch(r"\d{4}-\d{2}-\d{2}",
                                                               source.verified)


def test_bundled_sources_carry_the_known_corrections(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    by_name = {source.name: source for source in load_config(env={}).sources}
    assert "https://www.hespress.com/sitemap-news.xml" in by_name["hespress"].feed_urls
    assert by_name["chouftv"].feed_urls == ("https://chouftv.ma/feed",)
    assert by_name["mapnews"].feed_urls == ("https://www.mapnews.ma/ar/rss.xml",)
    akhbarona = re.compile(by_name["akhbarona"].article_pattern)
    assert akhbarona.search("/politic/412345.html")
    assert akhbarona.search("/permalink/412345.html")
    assert not akhbarona.search("/politic/index.2.html")
    assert not akhbarona.search("/last/index.1.html")
