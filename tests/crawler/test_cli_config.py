"""`marsad` and its configuration, through the command line's `main` in this process: where
the file is looked for, and how configuration and usage errors are reported (exit 2, one
stderr line, no traceback). One test runs the command in a child process, as installed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

COMMANDS = [  # every command of the contract that reads the configuration
    ["crawl"], ["run"], ["search", "x"], ["export"], ["alerts"], ["stats"],
    ["match", "-"], ["extract", "-"], ["test-alert"], ["stories"], ["story", "x"], ["status"],
]

# (file content, key path, what the message says): each must be named in the one line.
BAD_CONFIGS = {
    "unknown key": ("[crawl]\nread_also_dept = 2\n", "crawl.read_also_dept", "unknown key"),
    "unknown source key": (
        '[[sources]]\nname = "a"\nlisting_urls = ["http://127.0.0.2/"]\nfeeds = []\n',
        "sources[0].feeds", "unknown key"),
    "wrong type": ("[crawl]\nlisting_pages = \"3\"\n", "crawl.listing_pages",
                   "must be an integer"),
    "wrong type in array": ('[[sources]]\nname = 5\n', "sources[0].name", "must be a string"),
    "unset variable": ('[channels.slack]\ntype = "slack"\n'
                       'webhook_url = "${MARSAD_TEST_UNSET_WEBHOOK}"\n',
                       "channels.slack.webhook_url", "MARSAD_TEST_UNSET_WEBHOOK is not set"),
    "bad duration": ('[schedule]\ninterval = "15 minutes"\n', "schedule.interval",
                     "bad duration"),
    "negative duration": ('[alerts]\nmax_age = "-3d"\n', "alerts.max_age", "negative"),
    "undefined channel": ('[[topics]]\nname = "t"\nall_of = [["a"]]\nchannels = ["pager"]\n',
                          "topics[0].channels[0]", "pager"),
    "bad TOML": ('database = "a.db"\n[crawl\nseeds = []\n', "line 2", "Expected"),
}


def assert_one_line_error(result, *expected: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for part in expected:
        assert part in lines[0], (part, lines[0])
    return lines[0]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", BAD_CONFIGS, ids=list(BAD_CONFIGS))
def test_configuration_error_is_one_line_naming_file_key_and_problem(marsad_main, tmp_path,
                                                                     case):
    content, key, problem = BAD_CONFIGS[case]
    path = write(tmp_path / "conf" / "bad.toml", content)
    result = marsad_main("--config", str(path), "stats", check=False)
    assert_one_line_error(result, str(path), key, problem)
    assert not (tmp_path / "conf" / "a.db").exists(), "a bad configuration created a database"


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_every_command_refuses_a_bad_configuration(marsad_main, tmp_path, command):
    write(tmp_path / "marsad.toml", '[crawl]\nlisting_pages = "x"\n')
    result = marsad_main(*command, check=False)
    assert_one_line_error(result, "marsad.toml", "crawl.listing_pages")


def test_missing_and_unreadable_files(marsad_main, tmp_path):
    assert_one_line_error(marsad_main("--config", "nowhere.toml", "stats", check=False),
                          "nowhere.toml", "no such file")
    assert_one_line_error(marsad_main("--config", str(tmp_path), "stats", check=False),
                          str(tmp_path), "directory")
    write(tmp_path / "latin1.toml", "")
    (tmp_path / "latin1.toml").write_bytes(b'database = "caf\xe9.db"\n')
    assert_one_line_error(marsad_main("--config", "latin1.toml", "stats", check=False),
                          "latin1.toml", "line 1", "UTF-8")


def test_secret_values_are_not_echoed_in_errors(marsad_main, tmp_path):
    secret = "hunter2-not-a-url"
    marsad_main.env["MARSAD_SLACK_WEBHOOK"] = secret
    path = write(tmp_path / "m.toml", '[channels.slack]\ntype = "slack"\n'
                                      'webhook_url = "${MARSAD_SLACK_WEBHOOK}"\n')
    line = assert_one_line_error(marsad_main("--config", str(path), "test-alert", check=False),
                                 "channels.slack.webhook_url", "URL")
    assert secret not in line
    marsad_main.env["MARSAD_SMTP_PASSWORD"] = "pass\nword-secret"
    path = write(tmp_path / "e.toml", '[channels.email]\ntype = "email"\nhost = "127.0.0.1"\n'
                                      'username = "u"\npassword = "${MARSAD_SMTP_PASSWORD}"\n'
                                      'from = "a@example.org"\nto = "b@example.org"\n')
    line = assert_one_line_error(marsad_main("--config", str(path), "test-alert", check=False),
                                 "channels.email.password")
    assert "word-secret" not in line


def test_the_command_in_a_process_of_its_own_exits_2_with_one_line(marsad, tmp_path):
    content, key, problem = BAD_CONFIGS["unknown key"]
    path = write(tmp_path / "bad.toml", content)
    assert_one_line_error(marsad("--config", str(path), "stats", check=False),
                          str(path), key, problem)
    assert_one_line_error(marsad("frobnicate", check=False), "invalid choice")


# -- numbers out of bounds, in process ---------------------------------------------------

OUT_OF_BOUNDS = {
    "nan interval": ("[schedule]\ninterval = nan\n", "schedule.interval", "finite"),
    "huge interval": ('[schedule]\ninterval = "99999999999999d"\n', "schedule.interval",
                      "at most 7d"),
    "nan max_age": ("[alerts]\nmax_age = nan\n", "alerts.max_age", "finite"),
    "inf timeout": ("[crawl]\ntimeout = inf\n", "crawl.timeout", "at most 10m"),
    "huge size": ('[crawl]\nmax_page_size = "99999999999GB"\n', "crawl.max_page_size",
                  "at most 1GB"),
    "huge depth": ("[crawl]\nread_also_depth = 99999999999999999999999\n",
                   "crawl.read_also_depth", "at most 10"),
}


@pytest.mark.parametrize("case", OUT_OF_BOUNDS, ids=list(OUT_OF_BOUNDS))
def test_out_of_bounds_number_exits_2_with_one_line(tmp_path, capsys, monkeypatch, case):
    from crawler.cli import main

    monkeypatch.chdir(tmp_path)
    content, key, problem = OUT_OF_BOUNDS[case]
    path = write(tmp_path / "bad.toml", 'database = "never.db"\n' + content)
    assert main(["--config", str(path), "stats"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    [line] = err.splitlines()
    assert line.startswith(f"marsad: {path}: {key}: ") and problem in line, line
    assert not (tmp_path / "never.db").exists()


# -- where the configuration is looked for ----------------------------------------------

def topic_config(path: Path, name: str) -> Path:
    return write(path, f'database = "{name}.db"\n\n[[topics]]\nname = "{name}"\n'
                       f'all_of = [["alpha"]]\n')


def matched_topics(marsad_main, *args: str) -> list[str]:
    article = {"title": "alpha", "text": "حموشي في باريس: تعاون أمني بين المغرب وفرنسا"}
    result = marsad_main(*args, "match", "--json", stdin=json.dumps(article) + "\n")
    return json.loads(result.stdout)["topics"]


def test_config_flag_then_environment_then_local_file_then_bundled(marsad_main, tmp_path):
    topic_config(tmp_path / "marsad.toml", "local")
    env_file = topic_config(tmp_path / "env" / "conf.toml", "environment")
    flag_file = topic_config(tmp_path / "flag" / "conf.toml", "flag")
    marsad_main.env["MARSAD_CONFIG"] = str(env_file)
    assert matched_topics(marsad_main, "--config", str(flag_file)) == ["flag"]
    assert matched_topics(marsad_main) == ["environment"]
    del marsad_main.env["MARSAD_CONFIG"]
    assert matched_topics(marsad_main) == ["local"]
    (tmp_path / "marsad.toml").unlink()
    assert matched_topics(marsad_main) == ["morocco-france-security"]  # the built-in topic


def test_missing_environment_file_is_an_error_not_a_fallback(marsad_main, tmp_path):
    topic_config(tmp_path / "marsad.toml", "local")
    marsad_main.env["MARSAD_CONFIG"] = str(tmp_path / "gone.toml")
    assert_one_line_error(marsad_main("stats", check=False), "gone.toml", "no such file")


def test_relative_database_is_next_to_the_configuration(marsad_main, tmp_path):
    path = topic_config(tmp_path / "conf" / "marsad.toml", "here")
    marsad_main("--config", str(path), "stats")
    assert (tmp_path / "conf" / "here.db").is_file()
    assert not (tmp_path / "here.db").exists()
    # The bundled configuration keeps its database in the working directory.
    marsad_main("stats")
    assert (tmp_path / "marsad.db").is_file()


# -- usage errors -----------------------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    (["frobnicate"], "invalid choice"),
    (["search"], "required: query"),
    (["search", "x", "--limit", "0"], "--limit"),
    (["search", "x", "--limit", "many"], "--limit"),
    (["export", "--format", "csv"], "--format"),
    (["crawl", "--bogus"], "--bogus"),
    (["extract"], "PAGE"),
], ids=["command", "no-query", "limit-zero", "limit-text", "format", "option", "no-page"])
def test_usage_errors_are_one_line(marsad_main, args, expected):
    assert_one_line_error(marsad_main(*args, check=False), expected)


@pytest.mark.parametrize("command", ["crawl", "probe"])
def test_an_unknown_source_is_one_line_naming_it(marsad_main, tmp_path, command):
    path = write(tmp_path / "marsad.toml", 'database = "archive.db"\n\n[[sources]]\n'
                                           'name = "a"\nlisting_urls = ["http://127.0.0.2/"]\n')
    result = marsad_main("--config", str(path), command, "--source", "a", "--source", "nope",
                         check=False)
    assert_one_line_error(result, str(path), "no source named 'nope'", "known: a")
    assert not (tmp_path / "archive.db").exists()


# -- the documentation of the format ---------------------------------------------------

def test_configuration_doc_lists_every_key_and_its_example_loads(marsad_main, tmp_path):
    from dataclasses import fields

    from crawler.config import AlertSettings, CrawlSettings, EmailChannelConfig, Source
    from crawler.matching import Topic

    doc = (Path(__file__).resolve().parents[2] / "docs" / "configuration.md").read_text("utf-8")
    keys = {f.name for cls in (CrawlSettings, Source, AlertSettings, Topic, EmailChannelConfig)
            for f in fields(cls)} - {"sender", "name", "type"}
    keys |= {"from", "webhook_url", "interval", "database", "name", "type"}
    assert [key for key in sorted(keys) if f"`{key}`" not in doc] == []
    example = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    marsad_main.env.update(MARSAD_SMTP_USER="u", MARSAD_SMTP_PASSWORD="p",
                      MARSAD_SLACK_WEBHOOK="https://hooks.example.org/x")
    marsad_main("--config", str(write(tmp_path / "example.toml", example)), "stats")
