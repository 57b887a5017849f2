"""A scripted site: a tiny programmable HTTP server on one loopback address.

The sample sites behave like real news sites; this one answers exactly what it is
told, path by path, so that a test can stage the awkward cases (errors, hang-ups,
slow pages, ETags, oversized or truncated answers) and then read what the crawler
asked for: the hit log, the requests per path and the peak of concurrent requests.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Answer:
    """A status, headers and body (Content-Type defaults to HTML, Content-Length is
    always right); or, with ``raw``, bytes written to the socket as they are before
    the connection closes. An answer with an ETag header is answered 304 to a request
    that sends that tag back in If-None-Match."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    raw: bytes | None = None

    @classmethod
    def hang_up(cls, raw: bytes = b"") -> Answer:
        """Write ``raw`` (by default nothing at all) and close the connection."""
        return cls(raw=raw)

    @classmethod
    def moved(cls, location: str, status: int = 301) -> Answer:
        return cls(status, headers={"Location": location})

    @classmethod
    def robots(cls, text: str = "User-agent: *\nDisallow:\n", status: int = 200) -> Answer:
        return cls(status, text.encode(), {"Content-Type": "text/plain"})


Route = Answer | Callable[[int], Answer]  # a callable gets the number of earlier requests
NOT_FOUND = Answer(404, b"not found", {"Content-Type": "text/plain"})


@dataclass(frozen=True)
class Hit:
    """One request as the site saw it."""

    path: str  # the request target, query included
    status: int | None  # None: hung up without an HTTP answer
    headers: Message  # as sent by the client; `get` ignores case
    at: float  # time.monotonic() on arrival


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.0 (the default): one request per connection, as hang-ups need."""

    server: _Server

    def do_GET(self) -> None:
        self.server.site._serve(self)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the hit log records what matters."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], site: ScriptedSite) -> None:
        self.site = site
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up (a page over the size limit) are no error of the site."""


class ScriptedSite:
    """Serves ``routes`` (path with query -> `Answer`, or a callable given the number of
    earlier requests for that path) on ``ip``; unknown paths are 404. Answers to paths
    under ``slow_prefix`` (robots.txt excepted) wait ``delay`` seconds first. ``port`` 0
    picks a free one on start; give one from `free_port` to know the address of a site
    that is not started yet (it refuses connections until then). A context manager;
    routes may change while it serves."""

    def __init__(self, ip: str, routes: Mapping[str, Route] | None = None, *,
                 delay: float = 0.0, slow_prefix: str = "/", port: int = 0) -> None:
        self.ip = ip
        self.port = port
        self.routes: dict[str, Route] = dict(routes or {})
        self.delay = delay
        self.slow_prefix = slow_prefix
        self.hits: list[Hit] = []
        self.counts: Counter[str] = Counter()  # requests per path, never reset
        self.peak = 0  # most requests in flight at once since the last reset
        self._in_flight = 0
        self._lock = threading.Lock()
        self._server: _Server | None = None

    @staticmethod
    def free_port(ip: str) -> int:
        """A port on ``ip`` where nothing listens (for now)."""
        with socket.socket() as probe:
            probe.bind((ip, 0))
            return probe.getsockname()[1]

    @property
    def base_url(self) -> str:
        if not self.port:
            raise RuntimeError(f"the scripted site on {self.ip} has no port yet")
        return f"http://{self.ip}:{self.port}"

    def paths(self) -> list[str]:
        """The paths requested since the last reset, in order."""
        with self._lock:
            return [hit.path for hit in self.hits]

    def reset(self) -> None:
        """Forget the hits and the peak (the counts per path go on)."""
        with self._lock:
            self.hits.clear()
            self.peak = 0

    def start(self) -> ScriptedSite:
        self._server = _Server((self.ip, self.port), self)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01},
                         name=f"scripted-site-{self.ip}", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> ScriptedSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self, request: _Handler) -> None:
        path = request.path
        with self._lock:
            route = self.routes.get(path, NOT_FOUND)
            answer = route(self.counts[path]) if callable(route) else route
            self.counts[path] += 1
            tag = answer.headers.get("ETag")
            if tag is not None and request.headers.get("If-None-Match") == tag:
                answer = replace(answer, status=304, body=b"")
            status = None if answer.raw is not None else answer.status
            self.hits.append(Hit(path, status, request.headers, time.monotonic()))
            self._in_flight += 1
            self.peak = max(self.peak, self._in_flight)
        try:
            if path.startswith(self.slow_prefix) and path != "/robots.txt":
                time.sleep(self.delay)
            self._send(request, answer)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up: the hit is logged all the same
        finally:
            with self._lock:
                self._in_flight -= 1

    @staticmethod
    def _send(request: _Handler, answer: Answer) -> None:
        request.close_connection = True
        if answer.raw is not None:
            request.wfile.write(answer.raw)
            return
        request.send_response(answer.status)
        headers = {"Content-Type": HTML, **answer.headers}
        if answer.status != 304:
            headers["Content-Length"] = str(len(answer.body))
        for name, value in headers.items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(answer.body)
