"""A process killed in the middle of delivering alerts loses none of them."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from crawler.samples.sinks import SlackSink, SmtpSink, sink_channels_toml
from storage import Archive

pytestmark = pytest.mark.slow  # every test here crawls or runs marsad in a child


def test_killed_during_delivery_then_next_cycle_delivers_the_rest(site_config, marsad):
    with SmtpSink() as smtp, SlackSink() as slack:
        config = site_config("", sink_channels_toml(smtp, slack))
        slack.answer(200, "ok", delay=30)  # the first post hangs until we kill the process
        crawl = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "--config", str(config), "crawl"],
            cwd=marsad.cwd, env=marsad.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while not slack.posts and time.monotonic() < deadline:
            time.sleep(0.05)
        assert slack.posts, "delivery never started"
        crawl.send_signal(signal.SIGKILL)
        crawl.wait(timeout=10)

        with Archive(config.parent / "archive.db") as archive:
            alerts = archive.list_alerts()
        statuses = Counter(a["status"] for a in alerts)
        assert alerts and set(statuses) <= {"pending", "sending", "sent"}
        assert statuses["sending"] == 1  # the one in flight, claimed by the killed process
        in_flight = next(a["id"] for a in alerts if a["status"] == "sending")

        slack.answers.clear()
        marsad("--config", str(config), "crawl")
        with Archive(config.parent / "archive.db") as archive:
            after = archive.list_alerts()
        assert len(after) == len(alerts), "an alert was created twice"
        assert {a["status"] for a in after} == {"sent"}
        # The dead process's claim was taken over at once (no lease wait), and the
        # alert is marked as possibly repeated.
        assert [a["id"] for a in after if a["uncertain"]] == [in_flight]
        mails_per_story = Counter(m["Message-ID"] for m in smtp.messages)
        assert len(mails_per_story) == sum(1 for a in after if a["channel"] == "email")
        # At-least-once: only the post in flight at the kill may arrive twice.
        posts = Counter(p["payload"]["text"] for p in slack.posts)
        assert len(posts) == sum(1 for a in after if a["channel"] == "slack")
        assert sum(posts.values()) - len(posts) <= 1
        assert max(mails_per_story.values()) <= 2
