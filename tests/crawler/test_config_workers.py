"""`[crawl] extract_workers`: an integer from 0 to 64, by default none (the crawl's own
process reads its pages); a bad value is one line naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.config import ConfigError, load_config


def load(folder: Path, crawl: str):
    path = folder / "marsad.toml"
    path.write_text(f"[crawl]\n{crawl}\n", encoding="utf-8")
    return load_config(path, env={})


def test_the_default_is_no_worker(tmp_path):
    expected = 0
    assert load(tmp_path, "").crawl.extract_workers == expected
    assert load_config(None, env={}).crawl.extract_workers == expected


@pytest.mark.parametrize("value", [0, 3, 64])
def test_a_count_within_bounds_is_kept(tmp_path, value):
    assert load(tmp_path, f"extract_workers = {value}").crawl.extract_workers == value


@pytest.mark.parametrize(("value", "problem"), [
    ("-1", "must not be negative"),
    ("65", "must be at most 64"),
    ("1.5", "must be an integer, not a float"),
    ('"2"', "must be an integer, not a string"),
    ("true", "must be an integer, not a boolean"),
])
def test_a_bad_count_is_one_line_naming_the_key(tmp_path, value, problem):
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, f"extract_workers = {value}")
    message = str(caught.value)
    assert "\n" not in message
    assert message == f"{tmp_path / 'marsad.toml'}: crawl.extract_workers: {problem}"
