"""Politeness of the real crawl: robots.txt, User-Agent, per-host concurrency, delay.

Two cycles of `marsad crawl` run against small scripted servers on loopback; in
the first, some hosts cannot serve their robots.txt (500, 429, hang-up,
connection refused, redirect off-site); in the second they can.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from storage import Archive

REPO = Path(__file__).resolve().parents[2]
AGENT = "marsad-polite/2.0 (+http://example.org/bot)"
DELAY = 0.15
PER_DOMAIN = 2
PAUSE = 0.3  # seconds the slow host takes per page
CLOSE = "close"  # a route that hangs up without answering


# -- a scripted HTTP server on one loopback address ------------------------------------

@dataclass
class Hit:
    path: str
    agent: str
    at: float


@dataclass
class Host:
    ip: str
    routes: dict = field(default_factory=dict)
    pause: float = 0.0
    port: int = 0
    listings: tuple[str, ...] = ("/",)
    hits: list[Hit] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        return f"http://{self.ip}:{self.port}"

    def paths(self) -> list[str]:
        return [hit.path for hit in self.hits]

    def start(self) -> Host:
        host, lock = self, threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with lock:
                    host.hits.append(Hit(self.path, self.headers.get("User-Agent", ""),
                                         time.monotonic()))
                    host.in_flight += 1
                    host.max_in_flight = max(host.max_in_flight, host.in_flight)
                try:
                    time.sleep(host.pause if self.path != "/robots.txt" else 0)
                    answer = host.routes.get(self.path, (404, "text/plain", b"not found"))
                    if answer == CLOSE:
                        return  # the connection closes with no response at all
                    status, kind, body = answer
                    self.send_response(status)
                    if status in (301, 302):
                        self.send_header("Location", body.decode())
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                finally:
                    with lock:
                        host.in_flight -= 1

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((self.ip, self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def free_port(ip: str) -> int:
    with socket.socket() as probe:
        probe.bind((ip, 0))
        return probe.getsockname()[1]


def html(title: str, body: str) -> tuple[int, str, bytes]:
    page = (f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>'
            f'</head><body><article><h1>{title}</h1>{body}</article></body></html>')
    return 200, "text/html; charset=utf-8", page.encode()


def article(title: str) -> tuple[int, str, bytes]:
    text = (f"<p>{title} : les services de sécurité du Maroc et de la France ont annoncé une "
            "nouvelle étape de leur coopération, selon un communiqué publié à Rabat.</p>") * 4
    return html(title, text)


def site(count: int, private: int = 0) -> dict:
    """A listing page linking `count` article pages (and `private` ones under /private/)."""
    paths = [f"/news/{1000 + n}-une-information-du-jour.html" for n in range(count)]
    paths += [f"/private/{2000 + n}-une-information-du-jour.html" for n in range(private)]
    links = "".join(f'<li><a href="{p}">Une information du jour numéro {n}</a></li>'
                    for n, p in enumerate(paths))
    return {"/": html("Accueil", f"<ul>{links}</ul>"), **{p: article(p) for p in paths}}


def robots(text: str) -> tuple[int, str, bytes]:
    return 200, "text/plain", text.encode()


ALLOW = robots("User-agent: *\nDisallow:\n")


# -- the two cycles ---------------------------------------------------------------------

def crawl(config: Path) -> dict[str, dict]:
    """One `marsad crawl --json` cycle; its summary by source name."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "--config", str(config),
                             "crawl", "--json"], cwd=config.parent, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    return {source["name"]: source for source in summary["sources"]}


@dataclass
class Cycle:
    summary: dict[str, dict]
    hits: dict[str, list[Hit]]
    peak: dict[str, int]  # most requests in flight at once, per host
    stored: dict[str, set[str]]  # paths of stored articles, per source


@dataclass
class Run:
    first: Cycle
    second: Cycle
    offsite: Host
    burst: Cycle  # the slow host alone, without delay: requests queue up at once


def write_config(path: Path, hosts: dict[str, Host], delay: float) -> Path:
    sources = "".join(
        f'[[sources]]\nname = "{name}"\nallowed_domains = ["{h.ip}"]\n'
        f"listing_urls = {json.dumps([h.base + path for path in h.listings])}\n"
        'language = "fr"\n\n' for name, h in hosts.items())
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        f'database = "archive.db"\n\n[crawl]\nuser_agent = "{AGENT}"\n'
        f'download_delay = "{delay}s"\nconcurrency_per_domain = {PER_DOMAIN}\n'
        f'timeout = "5s"\n\n{sources}', encoding="utf-8")
    return path


def run_cycle(config: Path, hosts: dict[str, Host]) -> Cycle:
    summary = crawl(config)
    stored: dict[str, set[str]] = defaultdict(set)
    with Archive(config.parent / "archive.db") as archive:
        for row in archive.export_articles():
            stored[row["source"]].add(urlsplit(row["url"]).path)
    cycle = Cycle(summary, {n: list(h.hits) for n, h in hosts.items()},
                  {n: h.max_in_flight for n, h in hosts.items()}, stored)
    for host in hosts.values():
        host.hits.clear()
        host.max_in_flight = 0
    return cycle


@pytest.fixture(scope="module")
def polite(tmp_path_factory) -> Iterator[Run]:
    offsite = Host("127.0.0.30", site(1)).start()
    hosts = {
        # The * group forbids everything: only a crawler matching its own group gets in.
        "rules": Host("127.0.0.20", {**site(2, private=1), "/robots.txt": robots(
            "User-agent: *\nDisallow: /\n\nUser-agent: marsad-polite\nDisallow: /private/\n")},
            # Asked for at once, while robots.txt is still on its way.
            listings=("/", *(f"/private/{n}/" for n in range(4)))),
        "error500": Host("127.0.0.21", {**site(2), "/robots.txt": (500, "text/plain", b"")}),
        "busy": Host("127.0.0.22", {**site(2), "/robots.txt": (429, "text/plain", b"")}),
        "hangup": Host("127.0.0.23", {**site(2), "/robots.txt": CLOSE}),
        "elsewhere": Host("127.0.0.24", {**site(2), "/robots.txt": (
            301, "text/plain", f"{offsite.base}/robots.txt".encode())}),
        "norules": Host("127.0.0.25", {**site(2), "/robots.txt": (404, "text/plain", b"")}),
        "slow": Host("127.0.0.26", {**site(6), "/robots.txt": ALLOW}, pause=PAUSE),
        "paced": Host("127.0.0.27", {**site(6), "/robots.txt": ALLOW}),
        # Nothing listens on this port during the first cycle.
        "refused": Host("127.0.0.28", {**site(2), "/robots.txt": ALLOW},
                        port=free_port("127.0.0.28")),
    }
    for name, host in hosts.items():
        if name != "refused":
            host.start()
    folder = tmp_path_factory.mktemp("polite")
    config = write_config(folder / "marsad.toml", hosts, DELAY)
    cycles = []
    try:
        for turn in range(2):
            if turn == 1:  # every robots.txt is readable now, and the refused host listens
                for name in ("error500", "busy", "hangup"):
                    hosts[name].routes["/robots.txt"] = ALLOW
                hosts["refused"].start()
            cycles.append(run_cycle(config, hosts))
        burst = write_config(folder / "burst" / "marsad.toml", {"slow": hosts["slow"]}, 0)
        yield Run(cycles[0], cycles[1], offsite, run_cycle(burst, hosts))
    finally:
        for host in [*hosts.values(), offsite]:
            host.stop()


# -- robots.txt ---------------------------------------------------------------------------

NEWS = {f"/news/{n}-une-information-du-jour.html" for n in (1000, 1001)}


def test_robots_txt_rules_for_our_own_agent_are_obeyed(polite):
    for cycle in (polite.first, polite.second):
        assert not [hit for hit in cycle.hits["rules"] if hit.path.startswith("/private/")]
    assert {hit.path for hit in polite.first.hits["rules"]} == {"/robots.txt", "/", *NEWS}
    assert polite.first.stored["rules"] == NEWS


@pytest.mark.parametrize("name", ["error500", "busy", "hangup", "elsewhere"])
def test_unreadable_robots_txt_keeps_the_host_out_of_the_cycle(polite, name):
    assert {hit.path for hit in polite.first.hits[name]} == {"/robots.txt"}
    source = polite.first.summary[name]
    assert source["errors"] > 0 and source["new"] == 0
    assert "robots.txt" in source["last_error"]
    assert polite.offsite.hits == []  # the robots.txt redirect off-site was not followed


def test_refused_connection_is_reported(polite):
    source = polite.first.summary["refused"]
    assert source["errors"] > 0 and source["new"] == 0
    assert "refused" in source["last_error"].lower()


@pytest.mark.parametrize("name", ["error500", "busy", "hangup", "refused"])
def test_a_later_cycle_that_reads_robots_txt_crawls_normally(polite, name):
    source = polite.second.summary[name]
    assert (source["errors"], source["new"]) == (0, 2)
    assert polite.second.stored[name] == NEWS
    assert polite.second.hits[name][0].path == "/robots.txt"


def test_robots_txt_404_allows_everything(polite):
    assert polite.first.summary["norules"]["errors"] == 0
    assert polite.first.stored["norules"] == NEWS


def test_servers_see_the_configured_user_agent(polite):
    hits = [hit for cycle in (polite.first, polite.second) for host in cycle.hits.values()
            for hit in host]
    assert len({hit.path for hit in hits if hit.path == "/robots.txt"}) == 1
    assert {hit.agent for hit in hits} == {AGENT}


# -- load on one host ------------------------------------------------------------------------

@pytest.mark.parametrize("cycle", ["first", "burst"])
def test_concurrency_per_domain_is_never_exceeded(polite, cycle):
    run = getattr(polite, cycle)
    assert len(run.hits["slow"]) == 8  # robots.txt, the listing and six articles
    assert run.summary["slow"]["new"] == 6
    # Six slow articles queued at once: the ceiling is reached, never passed.
    assert run.peak["slow"] == PER_DOMAIN


def test_download_delay_spaces_requests_to_one_host(polite):
    starts = [hit.at for hit in polite.first.hits["paced"]]
    assert len(starts) == 8
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    # Scrapy draws each delay between 0.5 and 1.5 times the setting.
    assert min(gaps) >= 0.5 * DELAY - 0.03, gaps
    assert starts[-1] - starts[0] >= 0.5 * DELAY * (len(starts) - 1) - 0.05, gaps
