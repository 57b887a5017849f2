"""Local stand-ins for the outside world of alerts: a real SMTP server and a
Slack-compatible webhook endpoint, both on loopback. The sample sites' counterparts
on the delivery side: used by `marsad demo`, the tests and the soak benchmark.
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
import time
from collections import deque
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class _MailHandler:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.sink.lock:
            self.sink.messages.append(message)
            self.sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SmtpSink:
    """An aiosmtpd server that keeps every message it receives."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, **controller_args: Any):
        self.host = host
        self.port = port or free_port(host)
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.lock = threading.Lock()
        self.controller = Controller(_MailHandler(self), hostname=host, port=self.port,
                                     **controller_args)

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


class _SlackHandler(BaseHTTPRequestHandler):
    server: _SlackServer

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        sink = self.server.sink
        status, headers, body, delay = sink.next_answer()
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = {"unparsed": raw.decode("utf-8", "replace")}
        with sink.lock:
            sink.posts.append({"path": self.path, "payload": payload, "status": status,
                               "at": time.monotonic()})
        if delay:
            time.sleep(delay)
        data = body.encode()
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _SlackServer(ThreadingHTTPServer):
    daemon_threads = True
    sink: SlackSink


class SlackSink:
    """A Slack-compatible incoming-webhook endpoint. Answers 200 "ok" unless told otherwise."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.host = host
        self.server = _SlackServer((host, port), _SlackHandler)
        self.server.sink = self
        self.posts: list[dict[str, Any]] = []
        self.answers: deque[tuple[int, dict[str, str], str, float]] = deque()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.01}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.server.server_port}/services/T000/B000/demo"

    def answer(self, status: int, body: str = "", headers: dict[str, str] | None = None,
               delay: float = 0.0) -> None:
        """Queue the answer for the next post (then back to 200 "ok")."""
        self.answers.append((status, headers or {}, body, delay))

    def next_answer(self) -> tuple[int, dict[str, str], str, float]:
        with self.lock:
            return self.answers.popleft() if self.answers else (200, {}, "ok", 0.0)

    def __enter__(self) -> SlackSink:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def sink_channels_toml(smtp: SmtpSink, slack: SlackSink) -> str:
    """The `[channels]` of a configuration that alerts into these two sinks."""
    return f"""
[channels.email]
type = "email"
host = "{smtp.host}"
port = {smtp.port}
security = "none"
from = "marsad@localhost"
to = ["analyst@localhost"]

[channels.slack]
type = "slack"
webhook_url = "{slack.url}"
"""
