"""Logs a user can read: a site that cannot be reached is one line per source naming the
cause (also the source's last error), with no traceback unless -v; `--log-format json`
writes JSON lines; and no secret of a channel reaches any line, whatever failed.

The causes are named from the errors Scrapy and Twisted really raise, and the crawls
run against loopback ports that refuse or never answer, a plain-HTTP server asked for
TLS and a `.invalid` host (a name that never resolves).
"""

from __future__ import annotations

import base64
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, quote_plus, urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from OpenSSL.SSL import Error as TLSError
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx
from twisted.python.failure import Failure
from twisted.web.client import ResponseFailed, ResponseNeverReceived

from alerts.slack import SlackChannel
from crawler import logs
from crawler.causes import SourceFailures, more_requests, name_cause
from crawler.cli import main
from crawler.config import SlackChannelConfig
from crawler.samples import Answer, ScriptedSite
from crawler.samples.sinks import SlackSink, free_port
from storage import Archive

REPO = Path(__file__).resolve().parents[2]
# -- naming the cause ---------------------------------------------------------------------


def raised(error: BaseException, cause: BaseException | None = None) -> BaseException:
    """`error` as Scrapy raises it: `raise error from cause`, traceback and all."""
    try:
        if cause is None:
            raise error
        try:
            raise cause
        except BaseException as inner:
            raise error from inner
    except BaseException as caught:
        return caught


def never_received(*reasons: BaseException) -> BaseException:
    inner = ResponseNeverReceived([Failure(reason) for reason in reasons])
    return raised(DownloadFailedError(str(inner)), inner)


@pytest.mark.parametrize(("error", "url", "text", "key"), [
    (raised(CannotResolveHostError("DNS lookup failed: no results for hostname lookup: "
                                   "www.hespress.com."),
            tx.DNSLookupError("no results for hostname lookup: www.hespress.com.")),
     "https://www.hespress.com/feed", "DNS lookup failed for www.hespress.com", None),
    (raised(DownloadConnectionRefusedError("Connection was refused by other side: 111"),
            tx.ConnectionRefusedError("111: Connection refused.")),
     "http://127.0.0.9:8080/robots.txt", "connection refused by 127.0.0.9:8080", None),
    (raised(DownloadTimeoutError("Getting https://le360.ma/a took longer than 30.0 seconds.")),
     "https://le360.ma/a", "timed out after 30 s: https://le360.ma/a",
     "timed out after 30 s at le360.ma:443"),
    (never_received(TLSError([("SSL routines", "", "wrong version number")])),
     "https://127.0.0.11:8082/", "TLS handshake failed with 127.0.0.11:8082: wrong version "
     "number", "TLS handshake failed with 127.0.0.11:8082"),
    (never_received(tx.ConnectionDone()), "http://goud.ma/",
     "connection closed by goud.ma:80 before any answer", None),
    (raised(ResponseFailed([Failure(tx.ConnectionLost())])), "http://goud.ma/x.html",
     "connection to goud.ma:80 lost mid-answer: http://goud.ma/x.html",
     "connection to goud.ma:80 lost mid-answer"),
    # A password in the address never reaches the cause.
    (raised(DownloadConnectionRefusedError("refused"), tx.ConnectionRefusedError()),
     "http://user:s3cret@127.0.0.9:81/", "connection refused by 127.0.0.9:81", None),
])
def test_download_failures_are_named_by_their_cause(error, url, text, key):
    cause = name_cause(error, url)
    assert cause is not None and cause.text == text
    assert cause.key == (key or text)


def test_a_timeout_takes_the_request_s_own_limit_and_other_errors_are_not_network_failures():
    late = raised(DownloadTimeoutError("Getting http://a.ma/ took longer than 9.5 seconds."))
    assert name_cause(late, "http://a.ma/", timeout=12.0).text == "timed out after 12 s: http://a.ma/"
    assert name_cause(late, "http://a.ma/").text == "timed out after 9.5 s: http://a.ma/"
    assert name_cause(raised(ValueError("a bug")), "http://a.ma/") is None
    assert name_cause(HttpError(None, "Ignoring non-200 response"), "http://a.ma/") is None


def test_failures_are_counted_once_per_source_and_cause():
    failures = SourceFailures()
    for n in range(34):
        failures.note("hespress", "DNS lookup failed for www.hespress.com")
    failures.note("goud", f"timed out after 30 s: http://goud.ma/{1}", "timed out at goud.ma")
    failures.note("goud", f"timed out after 30 s: http://goud.ma/{2}", "timed out at goud.ma")
    failures.note("goud", "HTTP 404 for http://goud.ma/x", "HTTP 404")
    assert list(failures.lines()) == [
        ("hespress", "DNS lookup failed for www.hespress.com", 33),
        ("goud", "timed out after 30 s: http://goud.ma/1", 1),
        ("goud", "HTTP 404 for http://goud.ma/x", 0),
    ]
    assert more_requests(33) == " (and 33 more requests)"
    assert (more_requests(1), more_requests(0)) == (" (and 1 more request)", "")


# -- the handler, in this process ------------------------------------------------------------


@pytest.fixture
def handler():
    """marsad's stderr handler, installed with the given format and verbosity."""
    yield lambda log_format="text", verbose=0: logs.setup(log_format, verbose)
    logs.teardown()


def dns_failure() -> BaseException:
    return raised(CannotResolveHostError("DNS lookup failed: nonexistent.invalid."),
                  tx.DNSLookupError("nonexistent.invalid"))


def log_everything() -> None:
    """What a crawl logs about a host that is down, and a bug."""
    request = "<GET http://nonexistent.invalid/>"
    logging.getLogger("scrapy.downloadermiddlewares.retry").error(
        "Gave up retrying %(request)s (failed 2 times): %(reason)s",
        {"request": request, "reason": dns_failure()})
    logging.getLogger("scrapy.downloadermiddlewares.robotstxt").error(
        "Error downloading %(request)s: %(f_exception)s",
        {"request": request, "f_exception": dns_failure()}, exc_info=dns_failure())
    logging.getLogger("scrapy.core.engine").info("Spider opened")
    logging.getLogger("news").warning("gone: DNS lookup failed for nonexistent.invalid",
                                      extra={"source": "gone"})
    logging.getLogger("crawler.middlewares.robots").warning("robots.txt", exc_info=dns_failure())
    logging.getLogger("news").info("gone: the same, for one more request")
    logging.getLogger("scrapy.core.scraper").error("Spider error processing",
                                                   exc_info=raised(ValueError("a bug")))


def test_without_v_an_expected_failure_is_one_line_and_a_bug_keeps_its_traceback(handler,
                                                                                    capsys):
    handler()
    log_everything()
    lines = capsys.readouterr().err.splitlines()
    messages = [line.split("] ", 1)[1] for line in lines if "] " in line]
    assert messages == ["WARNING: gone: DNS lookup failed for nonexistent.invalid",
                        "WARNING: robots.txt", "ERROR: Spider error processing"]
    assert lines.count("Traceback (most recent call last):") == 1
    assert lines[-1] == "ValueError: a bug"


def test_v_brings_scrapy_s_log_and_the_tracebacks_back(handler, capsys):
    handler(verbose=1)
    log_everything()
    err = capsys.readouterr().err
    assert "Gave up retrying" in err and "Error downloading" in err and "Spider opened" in err
    assert "gone: the same, for one more request" in err
    assert err.count("Traceback (most recent call last):") >= 3
    assert "twisted.internet.error.DNSLookupError" in err


def test_json_lines_carry_time_level_logger_message_and_source(handler, capsys):
    handler("json", verbose=1)
    log_everything()
    logging.getLogger("news").warning("مصدر: تعذر الوصول", extra={"source": "هسبريس"})
    raw = capsys.readouterr().err
    records = [json.loads(line) for line in raw.splitlines()]
    assert len(records) == 8
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert records[0]["time"].endswith("+00:00") and records[0]["level"] == "error"
    assert records[3] == {**records[3], "logger": "news", "source": "gone", "level": "warning"}
    assert "Traceback" in records[1]["exception"] and "Traceback" in records[-2]["exception"]
    assert "مصدر: تعذر الوصول" in raw and records[-1]["source"] == "هسبريس"  # not \u escapes


def test_secrets_are_masked_in_every_line_whatever_logged_them(handler, capsys):
    url = "https://hooks.slack.com/services/T0LOG5EC1/B0LOG5EC2/tok3nNeverLogged"
    channel = SlackChannel(SlackChannelConfig(name="slack", webhook_url=url))
    for log_format in logs.FORMATS:
        handler(log_format)
        logs.mask_with(lambda: [channel.redact])
        logging.getLogger("urllib3").error("POST %s failed: %s", url, quote(url, safe=""))
        logging.getLogger("marsad.alerts").warning("echo", exc_info=raised(
            RuntimeError(f"answer quoted {json.dumps({'path': urlsplit(url).path})}")))
        err = capsys.readouterr().err
        assert err.count("***") >= 3, err
        for form in ("tok3nNeverLogged", "T0LOG5EC1", "B0LOG5EC2"):
            assert form.lower() not in err.lower(), (log_format, err)


def test_the_command_line_masks_every_channel_s_secrets(tmp_path, monkeypatch):
    from crawler.cli import _secret_masks
    from crawler.config import load_config

    webhook = f"https://hooks.slack.com/services/{TEAM}/{BOT}/{TOKEN}"
    monkeypatch.setenv("MARSAD_LOG_PASSWORD", PASSWORD)
    (tmp_path / "marsad.toml").write_text(f"""[channels.mail]
type = "email"
host = "127.0.0.1"
username = "{USER}"
password = "${{MARSAD_LOG_PASSWORD}}"
from = "marsad@example.org"
to = ["analyst@example.org"]

[channels.slack]
type = "slack"
webhook_url = "{webhook}"
""", encoding="utf-8")
    masks = _secret_masks(load_config(str(tmp_path / "marsad.toml")))
    line = f"{webhook} {quote(webhook, safe='')} {USER}:{PASSWORD} {b64(PASSWORD)}"
    for mask in masks:
        line = mask(line)
    assert len(masks) == 2
    for form in secret_forms(webhook):
        assert form.lower() not in line.lower(), (form, line)


def test_a_configuration_error_is_one_json_line_with_log_format_json(tmp_path, capsys):
    (tmp_path / "marsad.toml").write_text('database = "a.db"\nnope = 1\n', encoding="utf-8")
    assert main(["--config", str(tmp_path / "marsad.toml"), "--log-format", "json",
                 "stats"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    record = json.loads(line)
    assert record["level"] == "error" and "marsad.toml" in record["message"]
    assert "nope" in record["message"]
    assert not logs.installed()  # main() leaves no handler behind


# -- crawls of sites that cannot be reached ---------------------------------------------------


@pytest.fixture(scope="module")
def unreachable(tmp_path_factory):
    """Four sources that fail four ways, each at robots.txt and so for every page."""
    folder = tmp_path_factory.mktemp("unreachable")
    refused = f"127.0.0.51:{ScriptedSite.free_port('127.0.0.51')}"
    with socket.socket() as silent, ScriptedSite("127.0.0.53") as plain:
        silent.bind(("127.0.0.52", 0))
        silent.listen(16)  # connections are accepted by the system, never answered
        quiet = f"127.0.0.52:{silent.getsockname()[1]}"
        tls = f"127.0.0.53:{plain.port}"
        sources = {"unknown": "nonexistent.invalid", "refused": refused, "silent": quiet,
                   "tls": tls}
        blocks = "".join(
            f'[[sources]]\nname = "{name}"\nallowed_domains = ["{where.split(":")[0]}"]\n'
            f'listing_urls = ["{"https" if name == "tls" else "http"}://{where}/"]\n'
            f'feed_urls = ["{"https" if name == "tls" else "http"}://{where}/feed"]\n\n'
            for name, where in sources.items())
        (folder / "marsad.toml").write_text(
            f'database = "archive.db"\n\n[crawl]\ndownload_delay = "0s"\ntimeout = "1s"\n\n'
            f"{blocks}", encoding="utf-8")
        yield folder, {"unknown": "DNS lookup failed for nonexistent.invalid",
                       "refused": f"connection refused by {refused}",
                       "silent": f"timed out after 1 s: http://{quiet}/robots.txt",
                       "tls": f"TLS handshake failed with {tls}: "}


def crawl(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env["PYTHONPATH"] = str(REPO)
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "--config",
                             str(folder / "marsad.toml"), *args], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.mark.slow
def test_an_unreachable_site_is_one_line_per_source_naming_the_cause(unreachable):
    folder, causes = unreachable
    result = crawl(folder, "crawl", "--json")
    lines = result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert len(lines) == len(causes), result.stderr
    for name, cause in causes.items():
        [line] = [line for line in lines if f"[news] WARNING: {name}: " in line]
        # robots.txt failed: the listing and the feed were not fetched, for the same cause
        assert cause in line and line.endswith(" (and 1 more request)"), line
    summary = {s["name"]: s for s in json.loads(result.stdout.splitlines()[-1])["sources"]}
    stored = {row["name"]: row for row in map(json.loads, crawl(
        folder, "stats", "--json").stdout.splitlines())}
    for name, cause in causes.items():
        assert summary[name]["last_error"].startswith(cause), summary[name]
        assert stored[name]["last_error"].startswith(cause), stored[name]


@pytest.mark.slow
def test_v_brings_back_the_tracebacks_and_json_lines_all_parse(unreachable):
    folder, causes = unreachable
    fast = [arg for name in ("unknown", "refused", "tls") for arg in ("--source", name)]
    verbose = crawl(folder, "crawl", "-v", *fast).stderr
    assert "Traceback (most recent call last):" in verbose
    assert "twisted.internet.error.DNSLookupError" in verbose and "Gave up retrying" in verbose
    assert f"[news] WARNING: unknown: {causes['unknown']}" in verbose

    for extra in ((), ("-v",)):
        records = [json.loads(line) for line in crawl(
            folder, "--log-format", "json", "crawl", *extra, *fast).stderr.splitlines()]
        by_source = {r["source"]: r for r in records if r.get("cause")}
        assert set(by_source) == {"unknown", "refused", "tls"}
        assert by_source["refused"]["cause"].startswith(causes["refused"])
        assert by_source["refused"]["requests"] == 2
        assert any("Traceback" in r.get("exception", "") for r in records) == bool(extra)


# -- secrets in a failing delivery, in both formats, from `crawl` and from `run` -------------

TEAM, BOT, TOKEN = "T0LOGSEC1", "B0LOGSEC2", "xq7LogTokenZ3cr3tW9bL"
USER, PASSWORD = "log-sender-7", "pa55-Log Secret!"
STORIES = [
    "Le Maroc et la France signent à Rabat un accord de sécurité sur l'échange de données "
    "des passagers aériens, afin de mieux repérer les voyageurs signalés par les services.",
    "Un réseau de trafic de drogue entre Tanger et Marseille est démantelé grâce à une "
    "enquête conjointe des polices marocaine et française, avec onze interpellations.",
]


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


class RefusingEcho:
    """An SMTP server that refuses every login and quotes back what the client sent."""

    async def auth_PLAIN(self, server, args):
        blob = args[1] if len(args) > 1 else ""
        _, user, password = base64.b64decode(blob).split(b"\0")
        await server.push(f"535 5.7.8 AUTH {' '.join(args)} ({user.decode()} with "
                          f"{password.decode()}) invalid")
        return AuthResult(success=False, handled=True)


def article(title: str, text: str) -> Answer:
    return Answer(200, (f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>'
                        f'{title}</title></head><body><article><h1>{title}</h1>'
                        f'{f"<p>{text}</p>" * 3}</article></body></html>').encode(),
                  {"Content-Type": "text/html; charset=utf-8"})


@pytest.fixture
def failing_channels(tmp_path):
    """A news site with two stories on the topic, a site that does not exist, and both
    channels refusing the alerts while echoing their secrets: Slack 500/404 quoting the
    webhook, SMTP quoting the login."""
    links = "".join(f'<li><a href="/news/{n}.html">Maroc-France : sécurité {n}</a></li>'
                    for n in range(len(STORIES)))
    routes = {"/robots.txt": Answer.robots(),
              "/": Answer(200, f"<html><body><ul>{links}</ul></body></html>".encode(),
                          {"Content-Type": "text/html; charset=utf-8"}),
              **{f"/news/{n}.html": article(f"Maroc-France : accord de sécurité {n}", text)
                 for n, text in enumerate(STORIES)}}
    smtp = Controller(RefusingEcho(), hostname="127.0.0.1", port=free_port(),
                      auth_require_tls=False, auth_exclude_mechanism=["LOGIN"])
    smtp.start()
    with ScriptedSite("127.0.0.54", routes) as site, SlackSink() as slack:
        webhook = f"http://{urlsplit(slack.url).netloc}/services/{TEAM}/{BOT}/{TOKEN}"
        for _ in range(40):
            slack.answer(500, f"error at /services/{TEAM}/{BOT}/{TOKEN}: {quote(webhook)}")
            slack.answer(404, f"Cannot POST {quote_plus(webhook)}")
        (tmp_path / "marsad.toml").write_text(f"""database = "archive.db"

[schedule]
interval = "1h"

[crawl]
download_delay = "0s"
timeout = "5s"

[alerts]
retry_base = "1s"
retry_max = "2s"

[[sources]]
name = "quotidien"
allowed_domains = ["{site.ip}"]
listing_urls = ["{site.base_url}/"]
language = "fr"

[[sources]]
name = "gone"
listing_urls = ["http://nonexistent.invalid/"]

[channels.email]
type = "email"
host = "127.0.0.1"
port = {smtp.port}
security = "none"
username = "${{MARSAD_LOG_USER}}"
password = "${{MARSAD_LOG_PASSWORD}}"
from = "marsad@example.org"
to = ["analyst@example.org"]

[channels.slack]
type = "slack"
webhook_url = "${{MARSAD_LOG_WEBHOOK}}"
""", encoding="utf-8")
        env = {"MARSAD_LOG_USER": USER, "MARSAD_LOG_PASSWORD": PASSWORD,
               "MARSAD_LOG_WEBHOOK": webhook}
        yield tmp_path, env, webhook, slack
    smtp.stop()


def secret_forms(webhook: str) -> list[str]:
    path = urlsplit(webhook).path
    plain = f"\0{USER}\0{PASSWORD}"
    return [TEAM, BOT, TOKEN, webhook, path, quote(webhook, safe=""), quote_plus(webhook),
            quote(path, safe=""), USER, PASSWORD, b64(plain), b64(PASSWORD), quote(PASSWORD),
            quote_plus(PASSWORD)]


def statuses(database: Path) -> list[str]:
    if not database.exists():
        return []
    with Archive(database) as archive:
        return [row["status"] for row in archive.list_alerts()]


def run_daemon(args: list[str], folder: Path, env: dict[str, str]) -> tuple[str, str]:
    """`marsad run` until every alert failed (SMTP 535 and Slack 404 are final), then
    SIGTERM: (stdout, stderr)."""
    daemon = subprocess.Popen(args, cwd=folder, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and daemon.poll() is None:
            if statuses(folder / "archive.db") == ["failed"] * 4:
                break
            time.sleep(0.3)
        daemon.send_signal(signal.SIGTERM)
        out, err = daemon.communicate(timeout=20)
    finally:
        if daemon.poll() is None:
            daemon.kill()
    assert daemon.returncode == 0, err[-3000:]
    assert statuses(folder / "archive.db") == ["failed"] * 4, err[-3000:]
    return out, err


@pytest.mark.slow
@pytest.mark.parametrize("command", ["crawl", "run"])
@pytest.mark.parametrize("log_format", logs.FORMATS)
def test_no_secret_in_any_line_when_delivery_fails(failing_channels, marsad, command,
                                                   log_format):
    folder, secrets, webhook, slack = failing_channels
    env = {**marsad.env, **secrets}
    cli = [sys.executable, "-m", "crawler.cli", "--config", str(folder / "marsad.toml")]
    if command == "crawl":
        done = subprocess.run([*cli, "--log-format", log_format, "-vv", "crawl"],
                              cwd=folder, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-3000:]
        out, err = done.stdout, done.stderr
        assert "alerts: 0 sent, " in out
    else:
        out, err = run_daemon([*cli, "run", "--log-format", log_format], folder, env)
    assert slack.posts
    failures = [line for line in err.splitlines()
                if "will be retried at" in line or "failed: " in line]
    assert any("(slack, " in line for line in failures), err[-3000:]
    assert any("(email, " in line and "535" in line for line in failures), err[-3000:]
    assert any("***" in line for line in failures)  # the echoes were there, and masked
    # The crawl's own line, in the same format (under `run`, the daemon passed it on).
    [gone] = [line for line in err.splitlines() if "gone: DNS lookup failed" in line
              and ("] WARNING: " in line or '"level": "warning"' in line)]
    if log_format == "json":
        records = [json.loads(line) for line in err.splitlines()]
        assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
        assert {r.get("channel") for r in records} >= {"slack", "email"}
        assert json.loads(gone)["source"] == "gone"
    for form in secret_forms(webhook):
        assert form.lower() not in (out + err).lower(), (form, command, log_format)
