"""Numbers in the configuration are finite and within sane bounds: TOML allows `nan`, `inf`,
`-inf` and integers of any size, and each must be refused where its key is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.config import Config, ConfigError, load_config, parse_duration, parse_size

HUGE = "9" * 400  # overflows a float: float(HUGE) is inf, float(int(HUGE)) raises
SLACK = '[channels.s]\ntype = "slack"\nwebhook_url = "https://h.example/x"\n'
MAIL = '[channels.m]\ntype = "email"\nhost = "h"\nfrom = "a@b.org"\nto = "c@d.org"\n'
TOPIC = '[[topics]]\nname = "t"\nall_of = [["a"]]\n'


def load(folder: Path, text: str) -> Config:
    path = folder / "marsad.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, env={})


def problem(folder: Path, text: str) -> str:
    """The one-line message for a bad file, without the file label."""
    with pytest.raises(ConfigError) as caught:
        load(folder, text)
    message = str(caught.value)
    label = f"{folder / 'marsad.toml'}: "
    assert "\n" not in message and message.startswith(label), message
    return message[len(label):]


BAD = [
    # [schedule] interval: 1s to 7 days
    ("[schedule]\ninterval = nan", "schedule.interval: must be a finite duration, not nan"),
    ("[schedule]\ninterval = inf", "schedule.interval: must be at most 7d"),
    ("[schedule]\ninterval = -inf", "schedule.interval: must not be negative"),
    ('[schedule]\ninterval = "99999999999999d"', "schedule.interval: must be at most 7d"),
    (f"[schedule]\ninterval = {HUGE}", "schedule.interval: must be at most 7d"),
    (f'[schedule]\ninterval = "{HUGE}s"', "schedule.interval: duration '999999999999999999999"
     "999999999999999999999999999999999999999999999999999999...' is too large"),
    ('[schedule]\ninterval = "8d"', "schedule.interval: must be at most 7d"),
    ('[schedule]\ninterval = "500ms"', "schedule.interval: must be at least 1s"),
    ("[schedule]\ninterval = 0.5", "schedule.interval: must be at least 1s"),
    # [crawl]
    ("[crawl]\ntimeout = inf", "crawl.timeout: must be at most 10m"),
    ("[crawl]\ntimeout = nan", "crawl.timeout: must be a finite duration, not nan"),
    ('[crawl]\ntimeout = "11m"', "crawl.timeout: must be at most 10m"),
    ('[crawl]\ntimeout = "0.2s"', "crawl.timeout: must be at least 1s"),
    ("[crawl]\ndownload_delay = nan", "crawl.download_delay: must be a finite duration, not nan"),
    ("[crawl]\ndownload_delay = inf", "crawl.download_delay: must be at most 10m"),
    ('[crawl]\ndownload_delay = "1h"', "crawl.download_delay: must be at most 10m"),
    (f"[crawl]\nread_also_depth = {HUGE}", "crawl.read_also_depth: must be at most 10"),
    ("[crawl]\nread_also_depth = 11", "crawl.read_also_depth: must be at most 10"),
    ("[crawl]\nlisting_pages = 1001", "crawl.listing_pages: must be at most 1000"),
    (f"[crawl]\nsearch_pages = {HUGE}", "crawl.search_pages: must be at most 1000"),
    ("[crawl]\nconcurrency = 1001", "crawl.concurrency: must be at most 1000"),
    ("[crawl]\nconcurrency_per_domain = 101", "crawl.concurrency_per_domain: must be at most 100"),
    ("[crawl]\nconcurrency = nan", "crawl.concurrency: must be an integer, not a float"),
    ('[crawl]\nmax_page_size = "1e400MB"', "crawl.max_page_size: bad size '1e400MB': "
     "use e.g. 512KB, 5MB or a number of bytes"),
    ('[crawl]\nmax_page_size = "99999999999GB"', "crawl.max_page_size: must be at most 1GB"),
    (f'[crawl]\nmax_page_size = "{HUGE}MB"', "crawl.max_page_size: size '9999999999999999999999"
     "99999999999999999999999999999999999999999999999999999...' is too large"),
    ("[crawl]\nmax_page_size = inf",
     'crawl.max_page_size: must be a size such as "5MB" or a number of bytes, not a float'),
    (f"[crawl]\nmax_text_size = {HUGE}", "crawl.max_text_size: must be at most 64MB"),
    ('[crawl]\nmax_text_size = "65MB"', "crawl.max_text_size: must be at most 64MB"),
    ("[crawl]\nmax_text_size = 0", "crawl.max_text_size: must be more than zero"),
    ("[crawl]\nmin_free_space = nan",
     'crawl.min_free_space: must be a size such as "5MB" or a number of bytes, not a float'),
    ('[crawl]\nmin_free_space = "1025GB"', "crawl.min_free_space: must be at most 1024GB"),
    ("[crawl]\nmin_free_space = -1", "crawl.min_free_space: must not be negative"),
    # [alerts]
    ("[alerts]\nmax_age = nan", "alerts.max_age: must be a finite duration, not nan"),
    ("[alerts]\nmax_age = inf", "alerts.max_age: must be at most 36525d"),
    ('[alerts]\nmax_age = "36526d"', "alerts.max_age: must be at most 36525d"),
    ("[alerts]\nretry_base = nan", "alerts.retry_base: must be a finite duration, not nan"),
    ("[alerts]\nretry_base = inf", "alerts.retry_base: must be at most 7d"),
    ('[alerts]\nretry_max = "8d"', "alerts.retry_max: must be at most 7d"),
    ("[alerts]\nretry_max = nan", "alerts.retry_max: must be a finite duration, not nan"),
    (f"[alerts]\nmax_attempts = {HUGE}", "alerts.max_attempts: must be at most 100"),
    # channels
    (SLACK + "timeout = nan", "channels.s.timeout: must be a finite duration, not nan"),
    (SLACK + "timeout = inf", "channels.s.timeout: must be at most 10m"),
    (SLACK + 'timeout = "0.5s"', "channels.s.timeout: must be at least 1s"),
    (MAIL + 'timeout = "1h"', "channels.m.timeout: must be at most 10m"),
    (MAIL + f"port = {HUGE}", "channels.m.port: must be at most 65535"),
    (MAIL + "port = 0", "channels.m.port: must be at least 1"),
    # topics: a nan score or weight would make comparisons silently false
    (TOPIC + "min_score = nan", "topics[0].min_score: must be a finite number, not nan"),
    (TOPIC + "group_cap = inf", "topics[0].group_cap: must be a finite number, not inf"),
    (TOPIC + "weights = { a = -inf }", "topics[0].weights.a: must be a finite number, not -inf"),
]


@pytest.mark.parametrize(("text", "expected"), BAD, ids=[case[1].split(":")[0] + ":" + str(i)
                                                        for i, case in enumerate(BAD)])
def test_out_of_bounds_is_one_line_naming_the_key(tmp_path, text, expected):
    assert problem(tmp_path, text + "\n") == expected


def test_the_bounds_themselves_are_accepted(tmp_path):
    config = load(tmp_path, """\
[schedule]
interval = "7d"
[crawl]
timeout = "1s"
download_delay = "10m"
read_also_depth = 10
listing_pages = 100
search_pages = 100
concurrency = 1000
concurrency_per_domain = 100
max_page_size = "1GB"
max_text_size = "64MB"
min_free_space = "1024GB"
[alerts]
max_age = "36525d"
retry_base = "7d"
retry_max = "7d"
max_attempts = 100
[channels.s]
type = "slack"
webhook_url = "https://h.example/x"
timeout = "10m"
""")
    assert config.schedule_interval == 7 * 86400.0
    assert (config.crawl.timeout, config.crawl.download_delay) == (1.0, 600.0)
    assert config.crawl.max_page_size == 1024**3
    assert config.crawl.min_free_space == 1024**4
    assert config.alerts.max_age == 36525 * 86400.0
    assert config.alerts.retry_max == config.alerts.retry_base == 7 * 86400.0
    assert config.channels["s"].timeout == 600.0
    assert load(tmp_path, "[schedule]\ninterval = 1\n").schedule_interval == 1.0
    assert load(tmp_path, "[crawl]\nmin_free_space = 0\n").crawl.min_free_space == 0


def test_durations_and_sizes_read_as_floats_and_ints(tmp_path):
    config = load(tmp_path, "[schedule]\ninterval = 604800\n[crawl]\ntimeout = 2.5\n")
    assert type(config.schedule_interval) is float and config.schedule_interval == 604800.0
    assert config.crawl.timeout == 2.5


def test_the_did_you_mean_hint_stays(tmp_path):
    assert problem(tmp_path, "[alerts]\nmax_agee = nan\n") == (
        "alerts.max_agee: unknown key (did you mean 'max_age'?)")


def test_parsers_refuse_what_overflows_a_float():
    with pytest.raises(ValueError, match="too large"):
        parse_duration(HUGE + "s")
    with pytest.raises(ValueError, match="too large"):
        parse_size(HUGE + "GB")
    assert parse_duration("99999999999999d") == 99999999999999 * 86400.0
