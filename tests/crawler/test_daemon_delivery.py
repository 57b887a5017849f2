"""`marsad run` delivers on its own clock: end to end on loopback, against the sample
sites, a real SMTP server and a Slack-compatible endpoint that fail on purpose."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pytest

from crawler.samples.sinks import SlackSink, SmtpSink, free_port, sink_channels_toml
from storage import Archive

pytestmark = pytest.mark.slow

RETRY = '\n[alerts]\nretry_base = "1s"\nretry_max = "4s"\n\n[schedule]\ninterval = "1h"\n'


@dataclass
class Daemon:
    process: subprocess.Popen[str]
    out: str = ""
    err: str = ""
    lines: list[str] = field(default_factory=list)


@contextmanager
def running(marsad, config: Path) -> Iterator[Daemon]:
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "--config", str(config), "run"],
        cwd=marsad.cwd, env=marsad.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    daemon = Daemon(process)
    try:
        yield daemon
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            daemon.out, daemon.err = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            daemon.out, daemon.err = process.communicate()


def wait_for(predicate: Callable[[], object], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def alerts(database: Path) -> list[dict]:
    if not database.exists():
        return []
    try:
        with Archive(database) as archive:
            return archive.list_alerts()
    except Exception:  # the daemon may be creating it right now
        return []


def by_status(database: Path, channel: str) -> Counter:
    return Counter(a["status"] for a in alerts(database) if a["channel"] == channel)


def first_cycle_done(database: Path) -> bool:
    try:
        with Archive(database) as archive:
            return bool(list(archive.db.query(
                "SELECT 1 FROM runs WHERE finished_at IS NOT NULL")))
    except Exception:
        return False


def posted_stories(slack: SlackSink) -> Counter:
    return Counter(p["payload"]["text"] for p in slack.posts if p["status"] == 200)


def test_pending_alerts_go_within_30s_of_smtp_and_slack_coming_back(site_config, marsad):
    port = free_port()
    with SlackSink() as slack:
        for _ in range(6):
            slack.answer(500, "down")
        down = SmtpSink(port=port)  # configured, not started: connection refused
        config = site_config("listing_pages = 3", sink_channels_toml(down, slack) + RETRY)
        database = config.parent / "archive.db"
        with running(marsad, config) as daemon:
            assert wait_for(lambda: first_cycle_done(database), 90), "no cycle finished"
            assert wait_for(lambda: by_status(database, "email")["pending"] > 0, 10)
            time.sleep(3)  # the outage goes on after the cycle: no cycle will help now
            with SmtpSink(port=port) as smtp:
                back = time.monotonic()
                assert wait_for(lambda: set(by_status(database, "email")) == {"sent"}
                                and set(by_status(database, "slack")) == {"sent"}, 30), \
                    (by_status(database, "email"), by_status(database, "slack"))
                took = time.monotonic() - back
                time.sleep(3)  # nothing more arrives: each alert once
                sent = alerts(database)
        assert took < 30
        emails = [a for a in sent if a["channel"] == "email"]
        assert len(smtp.messages) == len(emails) > 0
        assert len({m["Message-ID"] for m in smtp.messages}) == len(smtp.messages)
        stories = posted_stories(slack)
        assert len(stories) == len([a for a in sent if a["channel"] == "slack"])
        assert all(count == 1 for count in stories.values())
        assert any(a["attempts"] > 1 for a in emails), "the outage was never met"
    assert "Traceback" not in daemon.err


def test_slack_rate_limit_is_waited_out_and_no_alert_repeats(site_config, marsad):
    with SlackSink() as slack:
        slack.answer(500, "oops")
        slack.answer(500, "oops")
        slack.answer(429, "slow down", headers={"Retry-After": "2"})
        config = site_config("listing_pages = 3", f"""
[channels.slack]
type = "slack"
webhook_url = "{slack.url}"
""" + RETRY)
        database = config.parent / "archive.db"
        with running(marsad, config) as daemon:
            assert wait_for(lambda: first_cycle_done(database), 90)
            assert wait_for(lambda: set(by_status(database, "slack")) == {"sent"}, 40), \
                by_status(database, "slack")
            time.sleep(2)
            sent = alerts(database)
        posts = list(slack.posts)
    statuses = [p["status"] for p in posts]
    assert statuses[:4] == [500, 500, 429, 200]
    limited = posts[2]["at"]
    assert all(p["at"] >= limited + 2 - 0.05 for p in posts[3:]), \
        "a request came before Retry-After expired"
    stories = posted_stories(slack)
    assert len(stories) == len(sent) > 1 and all(n == 1 for n in stories.values())
    assert "Traceback" not in daemon.err


def test_slack_404_fails_the_alerts_and_status_says_so(site_config, marsad):
    with SlackSink() as slack:
        for _ in range(50):
            slack.answer(404, "no_service")
        config = site_config("listing_pages = 3", f"""
[channels.slack]
type = "slack"
webhook_url = "{slack.url}"
""" + RETRY)
        database = config.parent / "archive.db"
        with running(marsad, config):
            assert wait_for(lambda: first_cycle_done(database), 90)
            assert wait_for(lambda: by_status(database, "slack")["failed"] > 0
                            and not by_status(database, "slack")["pending"], 20)
    failed = [a for a in alerts(database) if a["status"] == "failed"]
    assert failed and all("404" in (a["last_error"] or "") for a in failed)
    listing = marsad("--config", str(config), "alerts", check=False)
    assert "failed" in listing.stdout and "404" in listing.stdout
    status = marsad("--config", str(config), "status", check=False)
    assert status.returncode == 1
    assert "slack" in status.stdout + status.stderr


def test_an_alert_reaches_the_sink_before_its_cycle_ends(site_config, marsad):
    with SmtpSink() as smtp, SlackSink() as slack:
        # A slow site: the cycle lasts well beyond the first alert.
        config = site_config('listing_pages = 3\ndownload_delay = "0.4s"\n'
                             'concurrency_per_domain = 1',
                             sink_channels_toml(smtp, slack) + RETRY)
        text = config.read_text(encoding="utf-8")
        text = text.replace('download_delay = "0s"\n', "").replace(
            "concurrency_per_domain = 8\n", "")
        config.write_text(text, encoding="utf-8")
        database = config.parent / "archive.db"
        with running(marsad, config):
            assert wait_for(lambda: smtp.messages, 120), "no alert arrived"
            arrived_during_cycle = not first_cycle_done(database)
            assert wait_for(lambda: first_cycle_done(database), 180)
    assert arrived_during_cycle, "the first alert waited for the end of the cycle"


def test_kill_9_during_delivery_repeats_at_most_the_alert_in_flight(site_config, marsad):
    with SmtpSink() as smtp, SlackSink() as slack:
        slack.answer(200, "ok", delay=6)  # the first Slack post hangs: kill then
        config = site_config("listing_pages = 3", sink_channels_toml(smtp, slack) + RETRY)
        database = config.parent / "archive.db"
        with running(marsad, config) as first:
            assert wait_for(lambda: slack.posts, 90), "no Slack post"
            first.process.send_signal(signal.SIGKILL)
            first.process.wait(timeout=10)
        # Its crawl child may live on a moment: let it end before the restart.
        time.sleep(1)
        with running(marsad, config) as second:
            assert wait_for(lambda: alerts(database) and all(
                a["status"] == "sent" for a in alerts(database)), 90), by_status(
                    database, "slack")
            time.sleep(2)
        stories = posted_stories(slack)
        slack_alerts = [a for a in alerts(database) if a["channel"] == "slack"]
        assert set(stories) and len(stories) == len(slack_alerts)
        repeated = [s for s, n in stories.items() if n > 1]
        assert len(repeated) <= 1
        assert len(smtp.messages) >= len([a for a in alerts(database)
                                          if a["channel"] == "email"])
    if repeated:
        assert "may be repeated" in second.err + second.out


def test_archive_locked_for_5s_loses_nothing(site_config, marsad):
    with SmtpSink() as smtp, SlackSink() as slack:
        for _ in range(3):
            slack.answer(500, "later")
        config = site_config("listing_pages = 3", sink_channels_toml(smtp, slack) + RETRY)
        database = config.parent / "archive.db"
        with running(marsad, config) as daemon:
            assert wait_for(lambda: first_cycle_done(database), 90)
            holder = sqlite3.connect(database, timeout=30)
            holder.execute("BEGIN EXCLUSIVE")
            time.sleep(5)
            holder.rollback()
            holder.close()
            assert wait_for(lambda: alerts(database) and all(
                a["status"] == "sent" for a in alerts(database)), 40)
            sent = alerts(database)
    assert len(smtp.messages) == len([a for a in sent if a["channel"] == "email"])
    assert len(posted_stories(slack)) == len([a for a in sent if a["channel"] == "slack"])
    assert "Traceback" not in daemon.err + daemon.out


def test_sources_with_their_own_interval_get_cycles_of_their_own(site_config, marsad, sites):
    names = [line.split('"')[1] for line in sites.sources_toml().splitlines()
             if line.startswith("name = ")]
    fast = names[0]
    config = site_config("listing_pages = 1")
    text = config.read_text(encoding="utf-8")
    text = text.replace(f'name = "{fast}"\n', f'name = "{fast}"\ninterval = "2s"\n', 1)
    config.write_text(text + '\n[schedule]\ninterval = "1h"\n', encoding="utf-8")
    database = config.parent / "archive.db"

    def runs() -> list[dict]:
        try:
            with Archive(database) as archive:
                return list(archive.db.query(
                    "SELECT id, started_at, finished_at FROM runs WHERE finished_at IS NOT NULL"
                    " ORDER BY id"))
        except Exception:
            return []

    with running(marsad, config) as daemon:
        assert wait_for(lambda: len(runs()) >= 4, 120), daemon
    out = daemon.out
    assert f"({fast})" in out
    others = ", ".join(n for n in names if n != fast)
    assert f"({others})" in out
    assert out.count(f"({fast})") >= 3 and out.count(f"({others})") == 1
    finished = runs()
    for earlier, later in pairwise(finished):
        assert later["started_at"] >= earlier["finished_at"], "two cycles ran at once"
    assert os.path.exists(database)


def test_a_source_going_down_then_back_gives_one_notice_each_way(sites, site_config, marsad):
    down = "albawaba24"
    with SmtpSink() as smtp, SlackSink() as slack:
        config = site_config("listing_pages = 1", sink_channels_toml(smtp, slack)
                             + '\n[health]\nsilent_cycles = 1000\nfailed_cycles = 2\n'
                             + '\n[schedule]\ninterval = "2s"\n')
        database = config.parent / "archive.db"

        def notices() -> tuple[Counter, Counter]:
            mails = Counter(str(m["Subject"]).removeprefix("[marsad] source health: ")
                            for m in smtp.messages if "source health" in str(m["Subject"]))
            posts = Counter(p["payload"]["blocks"][0]["text"]["text"] for p in slack.posts
                            if "source health" in p["payload"]["text"])
            return mails, posts

        def finished() -> int:
            try:
                with Archive(database) as archive:
                    return len(list(archive.db.query(
                        "SELECT id FROM runs WHERE finished_at IS NOT NULL")))
            except Exception:
                return 0

        broken = Counter({f"Source looks broken: {down}": 1})
        with running(marsad, config) as daemon:
            assert wait_for(lambda: finished() >= 1, 90)
            sites.set_down(down, True)
            assert wait_for(lambda: notices() == (broken, broken), 60), notices()
            cycles = finished()
            assert wait_for(lambda: finished() >= cycles + 2, 60)
            assert notices() == (broken, broken)  # once, not every cycle
            sites.set_down(down, False)
            sites.add_article(down, "Météo : un week-end ensoleillé sur le littoral",
                              ["Les prévisionnistes annoncent un ciel dégagé de Tanger à "
                               "Agadir pour la fin de semaine, avec une houle modérée."])
            both = broken + Counter({f"Source works again: {down}": 1})
            assert wait_for(lambda: notices() == (both, both), 60), notices()
            cycles = finished()
            assert wait_for(lambda: finished() >= cycles + 2, 60)
            assert notices() == (both, both)
    assert "Traceback" not in daemon.err
