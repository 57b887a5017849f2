"""One real `marsad crawl` over the sample sites, in a child process, then every read-only
command on its archive through the command line's `main`, in this process: crawl summary,
export, search, alerts, stats, and secrets kept out of every output."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.samples import SITE_NAMES, SampleSites
from crawler.text import fold
from crawler.urls import normalize_url

pytestmark = pytest.mark.slow  # every test here crawls or runs marsad in a child

REPO = Path(__file__).resolve().parents[2]
TOPIC = "morocco-france-security"
VIA = {"seed", "read_also", "search", "listing", "feed"}
EXPORT_FIELDS = {"url", "source", "title", "published", "language", "text", "story", "topics",
                 "discovered_via"}
ALERT_FIELDS = {"story", "channel", "status", "attempts", "last_error", "title", "url"}
SECRETS = {"MARSAD_SMTP_USER": "analyst-login",
           "MARSAD_SMTP_PASSWORD": "Pa55-w0rd-never-shown"}
WEBHOOK_TOKEN = "T0SECRET/B0SECRET/xoxb-webhook-token-never-shown"


class Cli:
    """`marsad` in one folder, with one environment: `crawl` in a child process (a crawl
    starts Scrapy's reactor, once a process), the other commands in this one."""

    def __init__(self, cwd: Path, variables: dict[str, str],
                 in_process: Callable[..., Callable[..., subprocess.CompletedProcess[str]]]
                 ) -> None:
        self.cwd, self.env = cwd, environment(variables)
        self.main = in_process(cwd, variables)
        self.outputs: list[str] = []  # everything printed, for the secrets check

    def __call__(self, *args: str, stdin: str | None = None,
                 expect: int = 0) -> subprocess.CompletedProcess[str]:
        if args[0] != "crawl":
            result = self.main(*args, stdin=stdin or "", check=False)
        else:
            result = subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=self.cwd,
                                    env=self.env, input=stdin, capture_output=True, text=True,
                                    timeout=120)
        self.outputs += [result.stdout, result.stderr]
        assert result.returncode == expect, (args, result.returncode, result.stderr[-2000:])
        return result

    def lines(self, *args: str) -> list[dict]:
        return [json.loads(line) for line in self(*args).stdout.splitlines()]


@pytest.fixture(scope="module")
def sites():
    with SampleSites() as served:
        yield served


@pytest.fixture(scope="module")
def closed_port():
    """A loopback port that refuses connections: bound, never listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def environment(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env.update(PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8", **extra)
    return env


def config_text(sites: SampleSites, channels: str = "") -> str:
    return (f'database = "archive.db"\n\n[crawl]\ndownload_delay = "0s"\n'
            f'concurrency_per_domain = 8\ntimeout = "5s"\nlisting_pages = 3\n\n'
            f'{sites.sources_toml()}\n{channels}')


@pytest.fixture(scope="module")
def cli(sites, closed_port, tmp_path_factory, marsad_main_in):
    """The crawled archive: console, email and Slack channels, the last two unreachable."""
    folder = tmp_path_factory.mktemp("crawl")
    (folder / "marsad.toml").write_text(config_text(sites, f"""
[channels.console]
type = "console"

[channels.email]
type = "email"
host = "127.0.0.1"
port = {closed_port}
security = "none"
username = "${{MARSAD_SMTP_USER}}"
password = "${{MARSAD_SMTP_PASSWORD}}"
from = "marsad@example.org"
to = ["analyst@example.org"]
timeout = "3s"

[channels.slack]
type = "slack"
webhook_url = "${{MARSAD_SLACK_WEBHOOK}}"
timeout = "3s"
"""), encoding="utf-8")
    webhook = f"http://127.0.0.1:{closed_port}/services/{WEBHOOK_TOKEN}"
    run = Cli(folder, {**SECRETS, "MARSAD_SLACK_WEBHOOK": webhook}, marsad_main_in)
    run.crawl = run("crawl")
    run.export = run.lines("export")
    run.alerts = run.lines("alerts", "--json")
    return run


def by_path(rows: list[dict]) -> dict[str, dict]:
    return {urlsplit(row["url"]).path: row for row in rows}


# -- crawl --------------------------------------------------------------------------------

def test_crawl_prints_a_summary_per_source(cli):
    lines = cli.crawl.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:4] == [
        "source", "fetched", "new", "errors"])
    table = {line.split()[0]: [int(n) for n in line.split()[1:4]]
             for line in lines[header + 1: header + 1 + len(SITE_NAMES)]}
    assert set(table) == set(SITE_NAMES)
    assert all(fetched >= new > 0 and errors == 0 for fetched, new, errors in table.values())
    totals = lines[header + 1 + len(SITE_NAMES)]
    assert totals.startswith(f"{len(cli.export)} new articles")
    assert sum(new for _, new, _ in table.values()) == len(cli.export)
    # The sample site's page forbidden by robots.txt is counted, not silently skipped.
    assert "almokhbir: dropped 1 forbidden by robots.txt" in lines
    assert lines[-1].startswith("alerts: ")
    assert "Traceback" not in cli.crawl.stderr


def test_crawl_delivers_to_the_console_and_keeps_the_rest_pending(cli):
    statuses = Counter((a["channel"], a["status"]) for a in cli.alerts)
    stories = {a["story"] for a in cli.alerts}
    assert stories and statuses[("console", "sent")] == len(stories)
    assert statuses[("email", "pending")] == statuses[("slack", "pending")] == len(stories)
    for alert in cli.alerts:
        if alert["channel"] == "console":
            assert alert["title"] in cli.crawl.stdout  # the console channel printed it
    tried = [a for a in cli.alerts if a["channel"] != "console" and a["attempts"]]
    assert {a["channel"] for a in tried} == {"email", "slack"}
    assert all(a["last_error"] for a in tried)


def test_unknown_source_is_refused_before_crawling(cli, sites):
    before = len(sites.requests)
    result = cli("crawl", "--source", "almokhbir", "--source", "nope", expect=2)
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1
    assert "marsad.toml" in result.stderr and "'nope'" in result.stderr
    assert len(sites.requests) == before
    assert len(cli.lines("export")) == len(cli.export)


def test_crawl_one_source_with_json_summary(sites, tmp_path, marsad_main_in):
    (tmp_path / "marsad.toml").write_text(config_text(sites), encoding="utf-8")
    run = Cli(tmp_path, {}, marsad_main_in)
    others = [r for r in sites.requests if r[0] != "lequotidien"]
    summary = json.loads(run("crawl", "--source", "lequotidien", "--json").stdout
                         .splitlines()[-1])
    assert [s["name"] for s in summary["sources"]] == ["lequotidien"]
    exported = run.lines("export")
    assert exported and {row["source"] for row in exported} == {"lequotidien"}
    assert summary["articles_new"] == len(exported)
    assert [r for r in sites.requests if r[0] != "lequotidien"] == others


# -- export -------------------------------------------------------------------------------

def test_export_has_the_contract_fields(cli, sites):
    hosts = {name: sites.hosts[name] for name in SITE_NAMES}
    assert len(cli.export) > 20
    for row in cli.export:
        assert EXPORT_FIELDS <= set(row), row.keys()
        assert row["url"] == normalize_url(row["url"]) and "utm_" not in row["url"]
        assert urlsplit(row["url"]).hostname == hosts[row["source"]]
        published = datetime.fromisoformat(row["published"])
        assert published.utcoffset() is not None, row["published"]
        assert row["language"] in ("ar", "fr") and row["title"] and row["text"].strip()
        assert isinstance(row["story"], str) and row["story"]
        assert isinstance(row["topics"], list) and set(row["topics"]) <= {TOPIC}
        assert row["discovered_via"] in VIA
    assert len({row["url"] for row in cli.export}) == len(cli.export)
    assert {row["discovered_via"] for row in cli.export} >= {"listing", "feed", "search",
                                                            "read_also"}


def test_export_agrees_with_the_sample_sites(cli, sites):
    truth = {a.path: a for a in sites.articles}
    for path, row in by_path(cli.export).items():
        expected = truth[path]
        assert row["title"] == expected.title and row["language"] == expected.language
        published = datetime.fromisoformat(row["published"])
        if expected.date_shown == "day":  # an old archive page shows no time
            assert published.astimezone(expected.published.tzinfo).date() == \
                expected.published.date()
        else:
            assert abs((published - expected.published).total_seconds()) < 60
        # The ground truth knows only its own search queries; the topic's may find more.
        assert row["discovered_via"] in (*expected.via, "search"), (path, row["discovered_via"])
        assert any(snippet in row["text"] for snippet in expected.body_snippets)
    groups: dict[str, set[str]] = {}
    for path, row in by_path(cli.export).items():
        if truth[path].story_group:
            groups.setdefault(truth[path].story_group, set()).add(row["story"])
    assert groups and all(len(stories) == 1 for stories in groups.values())


def test_stored_topics_agree_with_match(cli):
    lines = "".join(json.dumps({k: row[k] for k in ("title", "text", "language", "url")},
                               ensure_ascii=False) + "\n" for row in cli.export)
    verdicts = [json.loads(line) for line in cli("match", "--json", stdin=lines)
                .stdout.splitlines()]
    assert [v["url"] for v in verdicts] == [row["url"] for row in cli.export]
    assert [v["topics"] for v in verdicts] == [row["topics"] for row in cli.export]
    assert any(row["topics"] for row in cli.export) and not all(r["topics"] for r in cli.export)


# -- search -------------------------------------------------------------------------------

@pytest.mark.parametrize("stored, query", [
    ("الإرهاب", "الارهاب"),  # hamza
    ("أولمبياد", "اولمبياد"),  # hamza
    ("الشرطة", "الشرطه"),  # ta marbuta
    ("حموشي", "حَمُّوشِي"),  # diacritics
    ("حموشي", "حمـــوشي"),  # tatweel
    ("sécurité", "SECURITE"),  # accents and case
    ("coopération", "cooperation"),
], ids=["hamza", "hamza-alef", "ta-marbuta", "diacritics", "tatweel", "accents", "accent"])
def test_search_folds_spelling_variants(cli, stored, query):
    texts = {row["url"]: row["title"] + "\n" + row["text"] for row in cli.export}
    hits = cli.lines("search", query, "--json", "--limit", "100")
    assert hits, f"{query!r} found nothing"
    for hit in hits:
        # Found through folding (and, for Arabic, the clitics: «للشرطة» for «الشرطه»).
        assert fold(stored).removeprefix("ال") in fold(texts[hit["url"]]), (query, hit["title"])
        assert query not in texts[hit["url"]]


def test_search_output_and_limit(cli):
    hits = cli.lines("search", "الإرهاب", "--json")
    assert len(hits) >= 3
    assert all({"url", "title", "source", "published", "story"} <= set(hit) for hit in hits)
    assert len(cli.lines("search", "الإرهاب", "--json", "--limit", "2")) == 2
    text = cli("search", "حموشي AND فرنسا", "--limit", "1").stdout
    first = cli.lines("search", "حموشي AND فرنسا", "--json", "--limit", "1")[0]
    assert first["title"] in text and first["url"] in text
    assert cli("search", "zzzqqq").stdout == ""


@pytest.mark.parametrize("query", ['"unclosed phrase', "حموشي AND", "*", "NEAR("])
def test_bad_search_query_is_one_line(cli, query):
    result = cli("search", query, expect=2)
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("marsad: ") and "Traceback" not in result.stderr


# -- alerts and stats ---------------------------------------------------------------------

def test_alerts_fields_and_listing(cli):
    exported = {row["url"]: row for row in cli.export}
    for alert in cli.alerts:
        assert ALERT_FIELDS <= set(alert)
        assert alert["status"] in ("pending", "sent", "failed")
        assert isinstance(alert["attempts"], int)
        assert exported[alert["url"]]["story"] == alert["story"]
        assert exported[alert["url"]]["topics"]
    on_topic = {row["story"] for row in cli.export if row["topics"]}
    assert {(a["story"], a["channel"]) for a in cli.alerts} == {
        (story, channel) for story in on_topic for channel in ("console", "email", "slack")}
    assert len(cli.alerts) == 3 * len(on_topic)  # one per story and channel, ever
    listing = cli("alerts").stdout
    for alert in cli.alerts:
        assert alert["url"] in listing
    statuses = Counter(line.split()[0] for line in listing.splitlines()
                       if not line.startswith(" "))
    assert statuses == {"sent": len(on_topic), "pending": 2 * len(on_topic)}


def test_stats_per_source(cli):
    counts = Counter(row["source"] for row in cli.export)
    rows = {row["name"]: row for row in cli.lines("stats", "--json")}
    assert {name: row["articles"] for name, row in rows.items()} == counts
    assert all(row["last_success"] and not row["last_error"] for row in rows.values())
    text = cli("stats").stdout.splitlines()
    assert sorted(line.split()[0] for line in text) == sorted(SITE_NAMES)


# -- test-alert and secrets ---------------------------------------------------------------

def test_test_alert_reports_each_channel(cli):
    result = cli("test-alert", expect=1)
    verdicts = [line for line in result.stdout.splitlines()
                if line.split(":")[0] in ("console", "email", "slack")]
    assert "console: sent" in verdicts
    assert [v.split(": ")[:2] for v in verdicts if "failed" in v] == [
        ["email", "failed"], ["slack", "failed"]]


def test_no_output_shows_a_secret(cli):
    cli("test-alert", expect=1)
    cli("alerts")
    cli("stats")
    cli("crawl", "--source", "nope", expect=2)
    printed = "\n".join(cli.outputs)
    assert "failed" in printed and "pending" in printed  # the failures were reported
    for secret in (SECRETS["MARSAD_SMTP_PASSWORD"], WEBHOOK_TOKEN, "xoxb-webhook"):
        assert secret not in printed
    database = (cli.cwd / "archive.db").read_bytes()
    assert SECRETS["MARSAD_SMTP_PASSWORD"].encode() not in database
    assert b"xoxb-webhook" not in database
