"""`marsad demo`: the whole pipeline offline, on loopback.

Serves the bundled sample news sites, a real SMTP server and a
Slack-compatible endpoint, runs one cycle with the built-in topic into a
temporary archive, and prints what each sink received.
"""

from __future__ import annotations

import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

from crawler.config import load_config
from crawler.cycle import run_cycle
from crawler.cycle_report import print_cycle
from crawler.samples import SampleSites
from crawler.samples.sinks import SlackSink, SmtpSink, sink_channels_toml


def demo_config_text(sites: SampleSites, smtp: SmtpSink, slack: SlackSink) -> str:
    return f"""\
database = "demo.db"

[crawl]
download_delay = "0s"
concurrency_per_domain = 8
read_also_depth = 2
timeout = "10s"

{sites.sources_toml()}
{sink_channels_toml(smtp, slack)}"""


def _plain(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def run_demo() -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="marsad-demo-") as folder, \
            SampleSites() as sites, SmtpSink() as smtp, SlackSink() as slack:
        path = Path(folder) / "marsad.toml"
        path.write_text(demo_config_text(sites, smtp, slack), encoding="utf-8")
        config = load_config(path)
        print("Sample sites: " + ", ".join(f"{n} {u}" for n, u in sites.base_urls.items()))
        print(f"SMTP sink {smtp.host}:{smtp.port}; Slack sink {slack.url}\n")
        report = run_cycle(config, log_level="ERROR")
        print_cycle(report)
        print(f"\n=== Email sink: {len(smtp.messages)} message(s) ===")
        for message in smtp.messages:
            print(f"Subject: {message['Subject']}\nTo: {message['To']}")
            print("    " + _plain(message).strip().replace("\n", "\n    ") + "\n")
        print(f"=== Slack sink: {len(slack.posts)} post(s) ===")
        for post in slack.posts:
            print("    " + str(post["payload"].get("text", "")).replace("\n", "\n    ") + "\n")
        print(f"demo finished in {time.monotonic() - started:.1f}s")
        return 0 if smtp.messages and slack.posts else 1
