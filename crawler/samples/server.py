"""Serving the sample sites on loopback: one threaded stdlib HTTP server per site."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from crawler import clock
from crawler.samples.catalog import build_world, ground_truth, new_article
from crawler.samples.model import OFFSITE, SITE_NAMES, SampleArticle
from crawler.samples.site import Response, Site

RequestHook = Callable[[str, int], None]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""
    timeout = 60  # idle keep-alive connections do not hold a thread forever

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, send_body: bool) -> None:
        try:
            response = self.server.site.respond(self.path, self.headers)
        except Exception:  # a bug in a template must not take the server down
            response = Response(500, [("Content-Type", "text/plain; charset=utf-8")],
                                b"500 Internal Server Error\n")
        if self.server.on_request:
            self.server.on_request(self.path, response.status)
        try:
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            if response.status != 304:
                self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if send_body and response.status != 304:
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the request log of `SampleSites` records what matters."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], site: Site, on_request: RequestHook | None):
        self.site = site
        self.on_request = on_request
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up or send garbage are not the server's problem."""


class SiteServer:
    """One site on one loopback address, in a background thread (a context manager)."""

    def __init__(self, site: Site, host: str, port: int = 0,
                 on_request: RequestHook | None = None) -> None:
        self.site = site
        self.host = host
        self.port = port
        self.on_request = on_request
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the server is not started")
        return f"http://{self.host}:{self._server.server_address[1]}"

    def start(self) -> str:
        try:
            self._server = _Server((self.host, self.port), self.site, self.on_request)
        except OSError as error:
            raise OSError(f"cannot serve {self.site.name} on {self.host}:{self.port}: "
                          f"{error.strerror or error}") from error
        self.site.world.base_urls[self.site.name] = self.base_url
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.01},
                                        name=f"sample-site-{self.site.name}", daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SiteServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class SampleSites:
    """The four sample news sites (and the off-site trap) served on loopback.

    Use as a context manager. ``requests`` logs every request answered, as
    ``(site, path?query as received, status)``; the off-site server logs as
    site ``"offsite"``. Publication dates are anchored at ``now`` (default: the
    clock's now when the object is built), fixed for the servers' lifetime.
    """

    def __init__(self, host_ips: Sequence[str] = ("127.0.0.2", "127.0.0.3", "127.0.0.4",
                                                  "127.0.0.5"),
                 port: int = 0, offsite_ip: str = "127.0.0.9",
                 now: datetime | None = None) -> None:
        if len(host_ips) != len(SITE_NAMES):
            raise ValueError(f"host_ips needs {len(SITE_NAMES)} addresses, got {len(host_ips)}")
        self.now = now or clock.now()
        self.world = build_world(self.now)
        self.hosts = {**dict(zip(SITE_NAMES, host_ips, strict=True)), OFFSITE: offsite_ip}
        self.port = port
        self.requests: list[tuple[str, str, int]] = []
        self.base_urls: dict[str, str] = {}
        self.offsite_url = ""
        self._lock = threading.Lock()
        self._servers: list[SiteServer] = []

    def start(self) -> SampleSites:
        try:
            for name, host in self.hosts.items():
                server = SiteServer(self.world.sites[name], host, self.port, self._hook(name))
                server.start()
                self._servers.append(server)
        except OSError:
            self.stop()
            raise
        self.base_urls = {name: self.world.base_urls[name] for name in SITE_NAMES}
        self.offsite_url = self.world.base_urls[OFFSITE]
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.stop()
        self._servers = []

    def __enter__(self) -> SampleSites:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _hook(self, name: str) -> RequestHook:
        def record(target: str, status: int) -> None:
            with self._lock:
                self.requests.append((name, target, status))
        return record

    # -- ground truth and helpers ----------------------------------------------
    @property
    def articles(self) -> list[SampleArticle]:
        """The ground truth as served now (articles added at run time included)."""
        return ground_truth(self.world)

    def url(self, article: SampleArticle) -> str:
        return self.world.base_urls[article.site] + article.path

    def requested_paths(self, site: str) -> list[str]:
        """Decoded paths (without query) requested from a site, in order."""
        with self._lock:
            targets = [t for s, t, _ in self.requests if s == site]
        return [unquote(urlsplit(t).path) for t in targets]

    def was_requested(self, site: str, path: str) -> bool:
        return unquote(urlsplit(path).path) in self.requested_paths(site)

    # -- changing the sites at run time -------------------------------------------
    def add_article(self, site: str, title: str, paragraphs: Sequence[str], *,
                    on_topic: bool = False, published: datetime | None = None,
                    story_group: str | None = None, read_also: Sequence[str] = (),
                    author: str = "", section: str = "") -> SampleArticle:
        """Publish a new article now: it tops the listing and the feed (their ETags change).

        ``read_also`` holds paths of existing sample articles it links to.
        """
        if site not in SITE_NAMES:
            raise ValueError(f"unknown sample site {site!r}; choose one of {SITE_NAMES}")
        article = new_article(self.world, site, title, paragraphs, on_topic=on_topic,
                              published=published or clock.now(), story_group=story_group,
                              read_also=read_also, author=author, section=section)
        self.world.sites[site].add(article)
        return next(a for a in self.articles if a.site == site and a.path == article.path)

    def set_down(self, site: str, down: bool) -> None:
        """While down, the site answers 503 to every request."""
        if site not in self.world.sites:
            raise ValueError(f"unknown sample site {site!r}")
        self.world.sites[site].down = down

    def sources_toml(self) -> str:
        """``[[sources]]`` blocks for a marsad configuration crawling these sites."""
        if not self.base_urls:
            raise RuntimeError("start the sample sites before asking for their sources")
        blocks = []
        for name in SITE_NAMES:
            site, base = self.world.sites[name], self.base_urls[name]
            blocks.append("\n".join((
                "[[sources]]",
                f"name = {json.dumps(name)}",
                f"allowed_domains = [{json.dumps(self.hosts[name])}]",
                f"listing_urls = [{json.dumps(base + site.listing_path)}]",
                f"feed_urls = [{json.dumps(base + site.feed_path)}]",
                f"search_url = {json.dumps(base + site.search_path)}",
                f"language = {json.dumps(site.language)}",
                f"timezone = {json.dumps(site.timezone)}",
            )))
        return "\n\n".join(blocks) + "\n"
