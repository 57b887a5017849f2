"""Two processes delivering from one archive at once: every alert is sent by one of them."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

import pytest

from crawler.samples.sinks import SlackSink, SmtpSink, sink_channels_toml
from storage import Archive

pytestmark = pytest.mark.slow


def test_two_crawls_at_once_send_no_alert_twice(site_config, marsad):
    with SmtpSink() as smtp, SlackSink() as slack:
        config = site_config("", sink_channels_toml(smtp, slack))
        for _ in range(200):  # slow answers keep both deliveries going side by side
            slack.answer(200, "ok", delay=0.1)
        command = [sys.executable, "-m", "crawler.cli", "--config", str(config), "crawl"]
        crawls = [subprocess.Popen(command, cwd=marsad.cwd, env=marsad.env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                  for _ in range(2)]
        outputs = [crawl.communicate(timeout=180) for crawl in crawls]

        for crawl, (out, err) in zip(crawls, outputs, strict=True):
            assert crawl.returncode == 0, err
            assert "Traceback" not in err and "already sent" not in err
            assert re.search(r"^alerts: \d+ sent", out, re.MULTILINE), out
        with Archive(config.parent / "archive.db") as archive:
            alerts = archive.list_alerts()
        assert alerts and {a["status"] for a in alerts} == {"sent"}
        by_channel = Counter(a["channel"] for a in alerts)

        posts = Counter(p["payload"]["text"] for p in slack.posts)
        assert sum(posts.values()) == len(posts) == by_channel["slack"]
        mails = Counter(m["Message-ID"] for m in smtp.messages)
        assert sum(mails.values()) == len(mails) == by_channel["email"]
        # Both processes delivered: the claims shared the work rather than one doing it all.
        sent = [int(re.search(r"^alerts: (\d+) sent", out, re.MULTILINE).group(1))
                for out, _ in outputs]
        assert sum(sent) == len(alerts)
