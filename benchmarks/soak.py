"""Soak: `marsad run` with a cycle every second, watching the daemon's resources.

Run by hand from the repository root (a full run takes a while: use nice):

    nice -n 10 python3 benchmarks/soak.py [--cycles 300] [--every 50] [--publish-every 10]

The sample news sites are served on loopback (SampleSites: 127.0.0.2 and up,
the off-site trap on 127.0.0.9), with a local SMTP server and a local
Slack-compatible endpoint for the alerts (crawler/samples/sinks.py). The daemon runs as
a user starts it, `marsad --config … run`, with `schedule.interval = "1s"` (the
least the configuration allows), so that each cycle starts as soon as the
previous one ends. Every --publish-every cycles a new on-topic article appears
on Al Mokhbir, so that the archive grows and alerts keep flowing through the
outbox: the daemon itself sends them, between and during cycles.

Every --every cycles, when the daemon reports the end of a cycle, the daemon
process's RSS (VmRSS), open file descriptors (/proc/PID/fd) and threads are
read from /proc. Each cycle runs in a child process (`marsad crawl`), which is
not counted in those figures; the children alive at that moment and their RSS
are shown beside them. Cycle times are taken from the daemon's output: from
"cycle N starts" to the child's summary line, so they include the child's start.

Targets: RSS grows less than 10% from the first sample (cycle --every) to the
last; descriptors and threads stay flat (no sample above the first by more
than 2); every cycle succeeds, every published article is alerted once per
channel; SIGTERM stops the daemon within 10 s with exit 0.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The script's own folder holds benchmarks/storage.py, which would shadow the `storage` package.
sys.path[0] = str(REPO)

from benchmarks.processes import children, proc_status  # noqa: E402
from crawler.samples import SampleSites, sample_articles  # noqa: E402
from crawler.samples.sinks import SlackSink, SmtpSink, sink_channels_toml  # noqa: E402

PLACES = ("الرباط", "باريس", "طنجة", "ليون", "مراكش", "مرسيليا", "فاس", "بوردو", "أكادير")
PUBLISHED = re.compile(r"العملية رقم (\d+) ")
FLAT = 2  # descriptors or threads a later sample may hold above the first
STARTS = re.compile(r"\] cycle (\d+) starts\b")
ENDS = re.compile(r"^\d+ new articles, |^cycle \d+ failed with exit status")


@dataclass
class Progress:
    """What the daemon's output has said so far (filled by the reader thread)."""

    starts: dict[int, float] = field(default_factory=dict)
    ends: dict[int, float] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)


def read_output(stream, progress: Progress) -> None:
    current = 0
    for raw in stream:
        line, now = raw.rstrip("\n"), time.monotonic()
        with progress.changed:
            progress.tail = [*progress.tail[-30:], line]
            started = STARTS.search(line)
            if started:
                current = int(started.group(1))
                progress.starts[current] = now
            elif current and current not in progress.ends and ENDS.search(line):
                progress.ends[current] = now
                if line.startswith("cycle "):  # with the child's last words, its error
                    progress.failed.append(f"{line}: {progress.tail[-2]}")
            progress.changed.notify_all()


def sample(pid: int) -> dict[str, float]:
    status = proc_status(pid)
    kids = []
    for child in children(pid):
        try:
            kids.append(proc_status(child).get("VmRSS", 0) / 1024)
        except FileNotFoundError:  # it ended meanwhile
            continue
    return {"rss_mb": status["VmRSS"] / 1024, "threads": status["Threads"],
            "fds": len(os.listdir(f"/proc/{pid}/fd")), "children": len(kids),
            "children_mb": sum(kids)}


def vocabulary() -> list[str]:
    """Arabic words of the sample articles, to write new stories with."""
    texts = [text for article in sample_articles() if article.language == "ar"
             for text in (article.title, *article.body_snippets)]
    words = {w for text in texts for w in re.findall(r"[\u0621-\u064A]{3,}", text)}
    return sorted(words)


def on_topic_article(rng: random.Random, words: list[str], number: int) -> tuple[str, list[str]]:
    """A new story on the topic: its own headline and wording, so that it is nobody's copy."""
    title = (f"العملية رقم {number} تعاون أمني بين المغرب وفرنسا "
             f"{' '.join(rng.sample(words, 4))} في {rng.choice(PLACES)}")
    lead = ("أكدت مصادر أمنية أن التنسيق بين المغرب وفرنسا في مجال الأمن مكن من هذه العملية، "
            + " ".join(rng.sample(words, 30)) + ".")
    return title, [lead, *(" ".join(rng.sample(words, 40)) + "." for _ in range(2))]


def config_text(sites: SampleSites, smtp: SmtpSink, slack: SlackSink) -> str:
    return f"""database = "soak.db"

[schedule]
interval = "1s"

[crawl]
download_delay = "0s"
concurrency_per_domain = 8
timeout = "10s"

{sites.sources_toml()}
{sink_channels_toml(smtp, slack)}"""


def main(cycles: int, every: int, publish_every: int, seed: int) -> int:
    rng, words = random.Random(seed), vocabulary()
    progress = Progress()
    samples: dict[int, dict[str, float]] = {}
    published: list[int] = []
    with tempfile.TemporaryDirectory(prefix="marsad-soak-") as folder, \
            SampleSites() as sites, SmtpSink() as smtp, SlackSink() as slack:
        config = Path(folder) / "marsad.toml"
        config.write_text(config_text(sites, smtp, slack), encoding="utf-8")
        # The daemon and its crawl children run this tree's code, wherever it is.
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
        daemon = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "--config", str(config), "run"], cwd=folder,
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            encoding="utf-8")
        threading.Thread(target=read_output, args=(daemon.stdout, progress), daemon=True).start()
        print(f"daemon {daemon.pid}: {cycles} cycles, a sample every {every}, a new on-topic "
              f"article every {publish_every}", flush=True)
        done = 0
        while done < cycles:
            with progress.changed:
                ended = done + 1
                progress.changed.wait_for(lambda ended=ended: ended in progress.ends
                                          or daemon.poll() is not None, timeout=300)
                if ended not in progress.ends:
                    print("the daemon stopped or stalled:\n" + "\n".join(progress.tail))
                    daemon.kill()
                    return 1
            done += 1
            if done in (1, cycles) or done % every == 0:
                samples[done] = sample(daemon.pid)
                print(f"cycle {done:>5}: " + row(samples[done]), flush=True)
            # None in the last two cycles: what is published must be alerted within the run.
            if done % publish_every == 0 and done <= cycles - 2:
                title, body = on_topic_article(rng, words, len(published) + 1)
                sites.add_article("almokhbir", title, body, on_topic=True)
                published.append(len(published) + 1)
        # The daemon sends due alerts every few seconds, between cycles too.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and alerted(smtp, slack) != (published, published):
            time.sleep(0.5)
        alerts = alerted(smtp, slack)
        daemon.send_signal(signal.SIGTERM)
        asked = time.monotonic()
        try:
            code = daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            daemon.kill()
            code = None
        stop_seconds = time.monotonic() - asked
    report(progress, samples, every, published, alerts, code, stop_seconds)
    return 0


def alerted(smtp: SmtpSink, slack: SlackSink) -> tuple[list[int], list[int]]:
    """The published articles' numbers, once for each email and each Slack post naming one."""
    subjects = [str(message["Subject"]) for message in list(smtp.messages)]
    posts = [json.dumps(post["payload"], ensure_ascii=False) for post in list(slack.posts)]
    # A Slack post names its story in its text and its blocks: count the post once.
    return tuple(sorted(int(n) for text in texts for n in set(PUBLISHED.findall(text)))
                 for texts in (subjects, posts))


def row(figures: dict[str, float]) -> str:
    return (f"RSS {figures['rss_mb']:6.1f} MB  fds {figures['fds']:>3}  threads "
            f"{figures['threads']:>3}  (children {figures['children']}: "
            f"{figures['children_mb']:.0f} MB)")


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(progress: Progress, samples: dict[int, dict[str, float]], every: int,
           published: list[int], alerts: tuple[list[int], list[int]], code: int | None,
           stop_seconds: float) -> None:
    cycles = max(samples)  # the daemon may have run a few more while the last alerts went out
    durations = [progress.ends[n] - progress.starts[n] for n in range(1, cycles + 1)]
    gaps = [progress.starts[n + 1] - progress.starts[n] for n in range(1, cycles)]
    p90 = statistics.quantiles(durations, n=10, method="inclusive")[-1]
    print(f"\n{len(durations)} cycles: median {statistics.median(durations):.2f} s, "
          f"p90 {p90:.2f} s, max {max(durations):.2f} s "
          f"(child start to summary); start to start median {statistics.median(gaps):.2f} s")
    base = samples.get(every)
    if base is None:
        print(f"fewer than {every} cycles: no growth figures")
        return
    last = samples[cycles]
    later = [f for n, f in samples.items() if n >= every]
    growth = last["rss_mb"] / base["rss_mb"] - 1
    print(f"daemon RSS cycle {every} -> {cycles}: {base['rss_mb']:.1f} -> {last['rss_mb']:.1f} "
          f"MB ({growth:+.1%}); target < 10%: {verdict(growth < 0.10)}")
    for name in ("fds", "threads"):
        values = [int(f[name]) for f in later]
        flat = max(values) <= base[name] + FLAT
        print(f"daemon {name} from cycle {every}: {values}; flat: {verdict(flat)}")
    print(f"failed cycles: {len(progress.failed)} {verdict(not progress.failed)}"
          + "".join(f"\n  {line}" for line in progress.failed[:5]))
    mails, posts = alerts
    print(f"published {len(published)} on-topic articles after cycle 1; alerts naming them: "
          f"{len(mails)} emails, {len(posts)} Slack posts; each once per channel: "
          f"{verdict(mails == posts == published)}")
    print(f"SIGTERM: exit {code} after {stop_seconds:.1f} s: "
          f"{verdict(code == 0 and stop_seconds < 10)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=300)
    parser.add_argument("--every", type=int, default=50, help="cycles between two samples")
    parser.add_argument("--publish-every", type=int, default=10,
                        help="cycles between two new on-topic articles")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if min(args.cycles, args.every, args.publish_every) < 1:
        parser.error("--cycles, --every and --publish-every must be at least 1")
    try:
        sys.exit(main(args.cycles, args.every, args.publish_every, args.seed))
    except OSError as error:  # an address taken, say
        sys.exit(f"soak benchmark: {error}")
