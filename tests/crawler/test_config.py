"""Configuration loading: the contract's TOML format, every validation rule, env expansion,
where the file is looked for, and the bundled default sources."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crawler.config import (
    AlertSettings,
    Config,
    ConfigError,
    ConsoleChannelConfig,
    CrawlSettings,
    EmailChannelConfig,
    SlackChannelConfig,
    builtin_topics,
    load_config,
    parse_duration,
    parse_size,
)
from crawler.config.values import expand_env
from crawler.urls import host_matches, host_of

CONTRACT_EXAMPLE = """\
database = "marsad.db"

[schedule]
interval = "15m"

[crawl]
seeds = ["https://www.hespress.com/seed-1.html"]
read_also_depth = 2
search_pages = 1
obey_robots_txt = true
user_agent = "marsad/0.1 (+https://example.org/marsad)"
download_delay = "0.25s"
concurrency_per_domain = 4
timeout = "30s"
timezone = "Africa/Casablanca"
listing_pages = 1

[[sources]]
name = "hespress"
allowed_domains = ["hespress.com"]
listing_urls = ["https://www.hespress.com/"]
feed_urls = ["https://www.hespress.com/feed"]
search_url = "https://www.hespress.com/?s={query}"
language = "ar"
timezone = "Africa/Casablanca"

[alerts]
max_age = "30d"

[[topics]]
name = "morocco-france-security"
all_of = [["المغرب", "Maroc"], ["فرنسا", "France"], ["أمن", "sécurité"]]
none_of = []
queries = ["حموشي فرنسا"]
channels = ["email", "slack"]

[channels.email]
type = "email"
host = "smtp.example.org"
port = 587
security = "starttls"
username = "${MARSAD_SMTP_USER}"
password = "${MARSAD_SMTP_PASSWORD}"
from = "marsad@example.org"
to = ["analyst@example.org"]

[channels.slack]
type = "slack"
webhook_url = "${MARSAD_SLACK_WEBHOOK}"
"""

SECRETS = {
    "MARSAD_SMTP_USER": "robot",
    "MARSAD_SMTP_PASSWORD": "pw-Zq81-not-for-logs",
    "MARSAD_SLACK_WEBHOOK": "https://hooks.slack.example/services/T0/B0/tok-Zq81secret",
}

SOURCE = '[[sources]]\nname = "site"\nlisting_urls = ["http://127.0.0.2:8080/"]\n'
MAIL = '[channels.m]\ntype = "email"\nhost = "h"\nfrom = "a@b.org"\n'
TOPIC = '[[topics]]\nname = "t"\nall_of = [["a"]]\n'


def write(folder: Path, text: str, name: str = "marsad.toml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(folder: Path, text: str, env: dict[str, str] | None = None) -> Config:
    return load_config(write(folder, text), env=env or {})


def problem(folder: Path, text: str, env: dict[str, str] | None = None) -> str:
    """The ConfigError message for a file, without the file label; checks it is one line."""
    path = write(folder, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, env=env or {})
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: "), message
    return message[len(f"{path}: "):]


# ---- a complete valid file ---------------------------------------------------------------

def test_contract_example_maps_onto_the_dataclasses(tmp_path):
    config = load(tmp_path, CONTRACT_EXAMPLE, env=SECRETS)
    assert config.path == tmp_path / "marsad.toml"
    assert config.database == tmp_path / "marsad.db"
    assert config.schedule_interval == 900.0
    assert config.crawl.seeds == ("https://www.hespress.com/seed-1.html",)
    assert config.crawl.download_delay == 0.25
    assert config.crawl.timeout == 30.0
    assert config.crawl.concurrency_per_domain == 4
    [source] = config.sources
    assert source.name == "hespress"
    assert source.allowed_domains == ("hespress.com",)
    assert source.listing_urls == ("https://www.hespress.com/",)
    assert source.feed_urls == ("https://www.hespress.com/feed",)
    assert source.search_url == "https://www.hespress.com/?s={query}"
    assert source.language == "ar"
    assert config.source("hespress") is source
    assert config.alerts.max_age == 30 * 86400
    [topic] = config.topics
    assert topic.name == "morocco-france-security"
    assert topic.all_of[0] == ("المغرب", "Maroc")
    assert topic.queries == ("حموشي فرنسا",)
    assert config.channels_for(topic) == ("email", "slack")
    email = config.channels["email"]
    assert email == EmailChannelConfig(
        name="email", host="smtp.example.org", to=("analyst@example.org",),
        sender="marsad@example.org", port=587, security="starttls", username="robot",
        password=SECRETS["MARSAD_SMTP_PASSWORD"], timeout=30.0)
    assert config.channels["slack"] == SlackChannelConfig(
        name="slack", webhook_url=SECRETS["MARSAD_SLACK_WEBHOOK"])


def test_empty_file_gives_the_defaults(tmp_path):
    config = load(tmp_path, "")
    assert config.database == tmp_path / "marsad.db"
    assert config.schedule_interval == 900.0
    assert config.crawl == CrawlSettings()
    assert config.sources == ()
    assert config.alerts == AlertSettings()
    assert config.topics == builtin_topics()
    assert dict(config.channels) == {"console": ConsoleChannelConfig(name="console")}


def test_extension_keys(tmp_path):
    config = load(tmp_path, """\
        [crawl]
        concurrency = 3
        max_page_size = "512KB"
        download_delay = 0
        timeout = 2.5
        [alerts]
        max_attempts = 3
        retry_base = "1s"
        retry_max = "1m"
        """)
    assert config.crawl.concurrency == 3
    assert config.crawl.max_page_size == 512 * 1024
    assert config.crawl.download_delay == 0.0
    assert config.crawl.timeout == 2.5
    assert config.alerts == AlertSettings(max_age=None, max_attempts=3, retry_base=1.0,
                                          retry_max=60.0)
    assert load(tmp_path, "[crawl]\nmax_page_size = 2048\n").crawl.max_page_size == 2048


def test_source_defaults_come_from_its_urls_and_the_crawl_settings(tmp_path):
    config = load(tmp_path, """\
        [crawl]
        timezone = "Europe/Paris"
        [[sources]]
        name = "local"
        listing_urls = ["http://127.0.0.2:8080/", "http://127.0.0.2:8080/page/2"]
        feed_urls = ["http://feeds.example.org/rss"]
        search_url = "http://127.0.0.3:9000/?s={query}&feed=rss2"
        [[sources]]
        name = "casa"
        listing_urls = ["https://WWW.Example.MA/"]
        timezone = "Africa/Casablanca"
        selectors = { title = "h1.post-title", date = ".date-post" }
        article_pattern = '^/.*\\d+\\.html$'
        """)
    local, casa = config.sources
    assert local.allowed_domains == ("127.0.0.2", "feeds.example.org", "127.0.0.3")
    assert local.timezone == "Europe/Paris"
    assert local.language is None
    assert local.selectors == {}
    assert casa.allowed_domains == ("www.example.ma",)
    assert casa.timezone == "Africa/Casablanca"
    assert casa.selectors == {"title": "h1.post-title", "date": ".date-post"}
    assert re.search(casa.article_pattern, "/%D8%A7-123.html")


def test_email_channel_options(tmp_path):
    config = load(tmp_path, """\
        [channels.mail]
        type = "email"
        host = "127.0.0.1"
        security = "ssl"
        from = "Marsad <marsad@example.org>"
        to = "one@example.org"
        username = "${USER_NAME}"
        password = "${PASSWORD}"
        timeout = "5s"
        [channels.screen]
        type = "console"
        """, env={"USER_NAME": "", "PASSWORD": ""})
    mail = config.channels["mail"]
    assert (mail.port, mail.security, mail.to) == (465, "ssl", ("one@example.org",))
    assert (mail.username, mail.password, mail.timeout) == (None, None, 5.0)
    assert config.channels["screen"] == ConsoleChannelConfig(name="screen")
    assert "console" not in config.channels


def test_topics_default_to_every_channel_and_an_empty_array_means_none(tmp_path):
    config = load(tmp_path, """\
        [[topics]]
        name = "t"
        all_of = [["a"]]
        """)
    assert config.channels_for(config.topics[0]) == ("console",)
    assert load(tmp_path, "topics = []\n").topics == ()


# ---- durations and sizes -----------------------------------------------------------------

@pytest.mark.parametrize(("text", "seconds"), [
    ("30s", 30.0), ("15m", 900.0), ("2h", 7200.0), ("30d", 2592000.0), ("0.25s", 0.25),
    ("1h30m", 5400.0), ("500ms", 0.5), (" 2 H ", 7200.0), ("1w", 604800.0), ("0s", 0.0),
])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "15", "abc", "-5s", "5x", "1.2.3s", "s", "15 minutes"])
def test_parse_duration_rejects(text):
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize(("text", "size"), [
    ("5MB", 5 * 1024**2), ("512KB", 512 * 1024), ("1.5 MiB", 3 * 512 * 1024), ("2048", 2048),
    ("10b", 10), ("1g", 1024**3),
])
def test_parse_size(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "MB", "-1MB", "5 TB", "five"])
def test_parse_size_rejects(text):
    with pytest.raises(ValueError):
        parse_size(text)


# ---- every rule, one bad file each ---------------------------------------------------------

BAD_FILES = [
    ("colour = 1", "colour: unknown key"),
    ('[crawl]\ntimout = "3s"', "crawl.timout: unknown key (did you mean 'timeout'?)"),
    ('[schedule]\nevery = "1m"', "schedule.every: unknown key"),
    (SOURCE + 'feeds = ["http://127.0.0.2/"]',
     "sources[0].feeds: unknown key (did you mean 'feed_urls'?)"),
    ("[crawl]\nread_also_depth = true", "crawl.read_also_depth: must be an integer, not a boolean"),
    ("[crawl]\nconcurrency_per_domain = 2.5",
     "crawl.concurrency_per_domain: must be an integer, not a float"),
    ('[crawl]\nobey_robots_txt = "yes"',
     "crawl.obey_robots_txt: must be true or false, not a string"),
    ("[crawl]\nread_also_depth = -1", "crawl.read_also_depth: must not be negative"),
    ("[crawl]\nsearch_pages = -2", "crawl.search_pages: must not be negative"),
    ("[crawl]\nconcurrency = 0", "crawl.concurrency: must be at least 1"),
    ("[crawl]\nuser_agent = 7", "crawl.user_agent: must be a string, not an integer"),
    ('[crawl]\nuser_agent = "a\\nb"',
     "crawl.user_agent: must not contain line breaks or control characters: 'a\\nb'"),
    ('[crawl]\nseeds = ["file:///etc/passwd"]',
     "crawl.seeds[0]: must be an http:// or https:// URL, not 'file:///etc/passwd'"),
    ('[crawl]\nseeds = "https://example.org/"',
     "crawl.seeds: must be an array of strings, not a string"),
    ('[schedule]\ninterval = "15"', "schedule.interval: bad duration '15': use a number and a unit "
     "(ms, s, m, h, d, w), e.g. 30s, 15m, 2h, 30d"),
    ('[schedule]\ninterval = "-5m"', "schedule.interval: must not be negative"),
    ('[schedule]\ninterval = "0s"', "schedule.interval: must be more than zero"),
    ("[schedule]\ninterval = true",
     'schedule.interval: must be a duration such as "30s" or "15m", not a boolean'),
    ("[crawl]\ndownload_delay = -0.5", "crawl.download_delay: must not be negative"),
    ('[crawl]\nmax_page_size = "lots"',
     "crawl.max_page_size: bad size 'lots': use e.g. 512KB, 5MB or a number of bytes"),
    ("[crawl]\nmax_page_size = 0", "crawl.max_page_size: must be more than zero"),
    ('[crawl]\ntimezone = "Mars/Olympus"', "crawl.timezone: unknown time zone 'Mars/Olympus' "
     "(use an IANA name such as Africa/Casablanca)"),
    (SOURCE + 'timezone = "Africa"', "sources[0].timezone: unknown time zone 'Africa' "
     "(use an IANA name such as Africa/Casablanca)"),
    ('[[sources]]\nlisting_urls = ["http://127.0.0.2/"]', "sources[0].name: is required"),
    ('[[sources]]\nname = " "\nlisting_urls = ["http://127.0.0.2/"]',
     "sources[0].name: must not be empty"),
    (SOURCE + SOURCE, "sources[1].name: duplicate source name 'site' (also sources[0])"),
    ('[[sources]]\nname = "x"\nlisting_urls = ["ftp://127.0.0.2/"]',
     "sources[0].listing_urls[0]: must be an http:// or https:// URL, not 'ftp://127.0.0.2/'"),
    ('[[sources]]\nname = "x"\nfeed_urls = ["/feed"]',
     "sources[0].feed_urls[0]: must be an http:// or https:// URL, not '/feed'"),
    (SOURCE + '[[sources]]\nname = "y"\nsearch_url = "http://127.0.0.3/?s="',
     "sources[1].search_url: must contain {query}"),
    ('[[sources]]\nname = "x"\nsearch_url = "javascript:{query}"',
     "sources[0].search_url: must be an http:// or https:// URL, not 'javascript:{query}'"),
    ('[[sources]]\nname = "x"',
     "sources[0]: needs listing_urls, feed_urls, search_url or allowed_domains"),
    (SOURCE + 'allowed_domains = ["http://127.0.0.2/"]', "sources[0].allowed_domains[0]: must be a "
     "host name such as hespress.com (not a URL), not 'http://127.0.0.2/'"),
    (SOURCE + 'allowed_domains = ["example.org"]',
     "sources[0].listing_urls[0]: host '127.0.0.2' is not in allowed_domains"),
    (SOURCE + 'language = "Arabic"',
     "sources[0].language: must be a language code such as ar or fr, not 'Arabic'"),
    (SOURCE + 'article_pattern = "(unclosed"', "sources[0].article_pattern: not a valid regular "
     "expression: missing ), unterminated subpattern at position 0"),
    (SOURCE + 'selectors = { headline = "h1" }', "sources[0].selectors.headline: unknown key"),
    (SOURCE + "selectors = { title = 1 }",
     "sources[0].selectors.title: must be a string, not an integer"),
    ('[sources]\nname = "x"', "sources: must be an array of tables ([[sources]])"),
    ('sources = ["x"]', "sources: must be an array of tables ([[sources]])"),
    ("crawl = 3", "crawl: must be a table ([crawl]), not an integer"),
    ("[alerts]\nmax_attempts = 0", "alerts.max_attempts: must be at least 1"),
    ('[alerts]\nretry_base = "1h"\nretry_max = "1m"',
     "alerts.retry_max: must not be less than retry_base"),
    ('[alerts]\nmax_age = "soon"', "alerts.max_age: bad duration 'soon': use a number and a unit "
     "(ms, s, m, h, d, w), e.g. 30s, 15m, 2h, 30d"),
    ('[channels.pager]\ntype = "sms"', "channels.pager.type: unknown channel type 'sms' "
     "(use email, slack or console)"),
    ("[channels.pager]\nhost = 'x'", "channels.pager.type: is required"),
    ('[channels]\nconsole = "yes"', "channels.console: must be a table ([channels.console]), "
     "not a string"),
    ('[channels.screen]\ntype = "console"\ncolour = "red"', "channels.screen.colour: unknown key"),
    (MAIL + 'to = ["c@d.org"]\nsecurity = "tls"',
     "channels.m.security: must be starttls, ssl or none, not 'tls'"),
    (MAIL + 'to = ["c@d.org"]\nport = 70000',
     "channels.m.port: must be at most 65535"),
    (MAIL + 'to = ["c@d.org"]\nport = true',
     "channels.m.port: must be an integer, not a boolean"),
    ('[channels.m]\ntype = "email"\nhost = "h"\nfrom = "a@b.org"', "channels.m.to: is required"),
    (MAIL + 'to = []',
     "channels.m.to: must name at least one address"),
    (MAIL + 'to = ["x@y.org", "nobody"]',
     "channels.m.to[1]: must be one email address, not 'nobody'"),
    ('[channels.m]\ntype = "email"\nhost = "h"\nfrom = "a@b.org, c@d.org"\nto = ["x@y.org"]',
     "channels.m.from: must be one email address, not 'a@b.org, c@d.org'"),
    ('[channels.m]\ntype = "email"\nfrom = "a@b.org"\nto = ["x@y.org"]',
     "channels.m.host: is required"),
    (MAIL + 'to = ["x@y.org"]\nusername = "u"',
     "channels.m.password: is required when username is set"),
    ('[channels.s]\ntype = "slack"', "channels.s.webhook_url: is required"),
    ('[channels.s]\ntype = "slack"\nwebhook_url = "https://h.example/x"\ntimeout = "0s"',
     "channels.s.timeout: must be more than zero"),
    (TOPIC + 'channels = ["email"]',
     "topics[0].channels[0]: channel 'email' is not defined (no [channels.email] table)"),
    (TOPIC + '[[topics]]\nname = "t"\nall_of = [["b"]]',
     "topics[1].name: duplicate topic name 't' (also topics[0])"),
    ('[[topics]]\nname = ""\nall_of = [["a"]]', "topics[0].name: must not be empty"),
    ('[[topics]]\nname = "t"', "topics[0].all_of: is required (an array of groups of terms)"),
    ('[[topics]]\nname = "t"\nall_of = ["a", "b"]', "topics[0].all_of[0]: must be a non-empty "
     'array of terms such as ["المغرب", "Maroc"]'),
    ('[[topics]]\nname = "t"\nall_of = [["a"], []]', "topics[0].all_of[1]: must be a non-empty "
     'array of terms such as ["المغرب", "Maroc"]'),
    ('[[topics]]\nname = "t"\nall_of = [["a", ""]]', "topics[0].all_of[0][1]: must not be empty"),
    ('[[topics]]\nname = "t"\nall_of = [["a", 3]]',
     "topics[0].all_of[0][1]: must be a string, not an integer"),
    (TOPIC + 'none_of = "b"',
     "topics[0].none_of: must be an array of strings, not a string"),
    (TOPIC + 'queries = [""]', "topics[0].queries[0]: must not be empty"),
    (TOPIC + 'colour = 1', "topics[0].colour: unknown key"),
    ('database = ""', "database: must not be empty"),
    ("database = 5", "database: must be a string, not an integer"),
]


@pytest.mark.parametrize(("text", "expected"), BAD_FILES)
def test_bad_file_is_one_line_naming_the_key(tmp_path, text, expected):
    assert problem(tmp_path, text + "\n") == expected


def test_message_uses_the_file_name_as_given(tmp_path, monkeypatch):
    write(tmp_path, SOURCE + SOURCE.replace('"site"', '"other"')
          + '[[sources]]\nname = "third"\nsearch_url = "http://127.0.0.4/?q=x"\n')
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as caught:
        load_config("marsad.toml", env={})
    assert str(caught.value) == "marsad.toml: sources[2].search_url: must contain {query}"


def test_topic_fields_beyond_the_contract_are_checked_by_the_topic_itself(tmp_path):
    message = problem(tmp_path, TOPIC + 'window = "sentence"\n')
    assert message.startswith("topics[0]")


def test_not_toml_names_the_line(tmp_path):
    message = problem(tmp_path, 'database = "x.db"\n\n[crawl\nseeds = []\n')
    assert re.fullmatch(r"line 3: \S.*", message), message
    assert problem(tmp_path, 'a = "unterminated\n').startswith("line 1: ")


def test_not_utf8(tmp_path):
    path = tmp_path / "marsad.toml"
    path.write_bytes(b'database = "x.db"\nuser = "\xff"\n')
    with pytest.raises(ConfigError, match=r"marsad\.toml: line 2: not UTF-8 text$"):
        load_config(path, env={})


def test_missing_file_or_a_folder(tmp_path):
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as caught:
        load_config(missing, env={})
    assert str(caught.value) == f"{missing}: no such file"
    with pytest.raises(ConfigError, match=r": is a directory"):
        load_config(tmp_path, env={})


# ---- environment variables ---------------------------------------------------------------

def test_env_expansion_in_any_string(tmp_path):
    config = load(tmp_path, """\
        database = "${DATA}/news.db"
        [crawl]
        user_agent = "marsad (${CONTACT})"
        [[sources]]
        name = "local"
        listing_urls = ["http://${HOST}/"]
        search_url = "http://${HOST}/?s={query}"
        selectors = { title = "h1[data-x='$${literal}']" }
        """, env={"DATA": "/var/lib/marsad", "CONTACT": "ops@example.org", "HOST": "127.0.0.9:81"})
    assert config.database == Path("/var/lib/marsad/news.db")
    assert config.crawl.user_agent == "marsad (ops@example.org)"
    assert config.sources[0].listing_urls == ("http://127.0.0.9:81/",)
    assert config.sources[0].allowed_domains == ("127.0.0.9",)
    assert config.sources[0].selectors["title"] == "h1[data-x='${literal}']"


def test_unset_variable_names_it_and_the_key(tmp_path):
    assert problem(tmp_path, CONTRACT_EXAMPLE, env={
        "MARSAD_SMTP_USER": "u", "MARSAD_SMTP_PASSWORD": "p"}) == (
        "channels.slack.webhook_url: environment variable MARSAD_SLACK_WEBHOOK is not set")


def test_env_mapping_replaces_the_process_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MARSAD_TEST_AGENT", "from-process")
    text = '[crawl]\nuser_agent = "${MARSAD_TEST_AGENT}"\n'
    assert "MARSAD_TEST_AGENT is not set" in problem(tmp_path, text, env={"OTHER": "1"})
    assert load_config(write(tmp_path, text)).crawl.user_agent == "from-process"


def test_expand_env():
    env = {"A": "1", "B_2": "two"}
    assert expand_env("${A}-${B_2}-$${A}-$A-${A}", env) == "1-two-${A}-$A-1"
    with pytest.raises(ValueError, match="environment variable C is not set"):
        expand_env("x${C}", env)
    with pytest.raises(ValueError, match=r"bad \$\{\.\.\.\} reference"):
        expand_env("x${A", env)


# ---- secrets -------------------------------------------------------------------------------

def test_secrets_never_appear_in_reprs_or_messages(tmp_path):
    config = load(tmp_path, CONTRACT_EXAMPLE, env=SECRETS)
    shown = repr(config) + str(config) + repr(dict(config.channels)) + str(config.channels["email"])
    assert SECRETS["MARSAD_SMTP_PASSWORD"] not in shown
    assert "tok-Zq81secret" not in shown
    assert "smtp.example.org" in shown  # the repr does show the rest

    bad_webhook = dict(SECRETS, MARSAD_SLACK_WEBHOOK="ftp://hooks.example/tok-Zq81secret")
    message = problem(tmp_path, CONTRACT_EXAMPLE, env=bad_webhook)
    assert message == "channels.slack.webhook_url: must be an http:// or https:// URL"
    bad_password = dict(SECRETS, MARSAD_SMTP_PASSWORD="pw-Zq81\nnot-for-logs")
    message = problem(tmp_path, CONTRACT_EXAMPLE, env=bad_password)
    assert message == "channels.email.password: must not contain line breaks or control characters"
    no_user = dict(SECRETS, MARSAD_SMTP_USER="")
    message = problem(tmp_path, CONTRACT_EXAMPLE, env=no_user)
    assert message == "channels.email.username: is required when password is set"
    assert "Zq81" not in message


# ---- where the configuration comes from ----------------------------------------------------

def test_resolution_order(tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    bundled = load_config(env={})
    assert bundled.path is None
    assert bundled.database == work / "marsad.db"
    assert any(source.name == "hespress" for source in bundled.sources)

    write(work, "[schedule]\ninterval = \"1m\"\n")
    local = load_config(env={})
    assert local.path == work / "marsad.toml"
    assert local.schedule_interval == 60.0

    elsewhere = write(tmp_path, "[schedule]\ninterval = \"2h\"\n", name="other.toml")
    chosen = load_config(env={"MARSAD_CONFIG": str(elsewhere)})
    assert chosen.path == elsewhere
    assert chosen.schedule_interval == 7200.0
    assert chosen.database == tmp_path / "marsad.db"

    explicit = write(tmp_path, "[schedule]\ninterval = \"3s\"\n", name="explicit.toml")
    assert load_config(explicit, env={"MARSAD_CONFIG": str(elsewhere)}).schedule_interval == 3.0

    monkeypatch.setenv("MARSAD_CONFIG", str(elsewhere))
    assert load_config().path == elsewhere
    with pytest.raises(ConfigError) as caught:
        load_config(env={"MARSAD_CONFIG": "gone.toml"})
    assert str(caught.value) == "gone.toml: no such file"


def test_relative_database_is_relative_to_the_file(tmp_path, monkeypatch):
    folder = tmp_path / "etc"
    folder.mkdir()
    monkeypatch.chdir(tmp_path)
    write(folder, 'database = "data/m.db"\n')
    config = load_config("etc/marsad.toml", env={})
    assert config.database == folder / "data" / "m.db"
    absolute = tmp_path / "abs.db"
    assert load(folder, f'database = "{absolute}"\n').database == absolute


# ---- the bundled default ---------------------------------------------------------------------

REQUIRED_SOURCES = {
    "hespress", "hespress-fr", "le360-ar", "le360-fr", "alyaoum24", "al3omk", "barlamane",
    "barlamane-fr", "hibapress", "mapexpress", "medias24", "chouftv", "goud", "akhbarona",
    "lemonde", "lefigaro",
}


def test_bundled_default_has_the_real_sources(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config(env={})
    names = {source.name for source in config.sources}
    assert names >= REQUIRED_SOURCES
    assert config.schedule_interval == 900.0
    assert config.database == tmp_path / "marsad.db"
    assert dict(config.channels) == {"console": ConsoleChannelConfig(name="console")}
    assert config.topics == builtin_topics()
    for source in config.sources:
        assert source.language in ("ar", "fr"), source.name
        ZoneInfo(source.timezone)
        urls = [*source.listing_urls, *source.feed_urls]
        assert urls, source.name
        for url in urls + ([source.search_url] if source.search_url else []):
            assert url.startswith("https://"), url
            assert host_matches(host_of(url), source.allowed_domains), url
        if source.article_pattern:
            re.compile(source.article_pattern)
    by_name = {source.name: source for source in config.sources}
    assert by_name["hespress"].search_url == "https://www.hespress.com/?s={query}"
    assert by_name["hespress"].feed_urls[0] == "https://www.hespress.com/feed"
    for name in ("le360-ar", "le360-fr"):
        assert by_name[name].search_url is None
        assert by_name[name].feed_urls[0].endswith("/arc/outboundfeeds/rss/?outputType=xml")
    assert by_name["mapexpress"].search_url.endswith("/ar/?s={query}&feed=rss2")
    assert by_name["akhbarona"].feed_urls == () and by_name["akhbarona"].search_url is None
    assert "https://www.lemonde.fr/rss/une.xml" in by_name["lemonde"].feed_urls
    assert "https://www.lefigaro.fr/rss/figaro_actualites.xml" in by_name["lefigaro"].feed_urls
    for name in ("lemonde", "lefigaro"):
        assert by_name[name].timezone == "Europe/Paris"
        assert by_name[name].language == "fr"
    assert by_name["hespress"].timezone == "Africa/Casablanca"
    assert re.search(by_name["le360-fr"].article_pattern,
                     "/politique/une-affaire_ABCDEFGHIJKLMNOPQRSTUVWXYZ/")
    assert re.search(by_name["lemonde"].article_pattern,
                     "/international/article/2023/09/01/un-titre_6187390_3210.html")
