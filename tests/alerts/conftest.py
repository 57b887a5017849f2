"""Real loopback servers for the alert tests: an SMTP sink and a Slack-like webhook."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import ssl
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from storage.records import AlertMessage

HOSTILE_TITLE = (
    "<!channel> <@U123> <http://evil.example|click> <script>alert(1)</script> "
    "A & B \"q\" 's'\r\nBcc: victim@example.org\u2028next\u202eesrever *bold* _it_ `code`"
)


@pytest.fixture
def hostile_title() -> str:
    """Everything a page could put in a title to break out of its place."""
    return HOSTILE_TITLE


@pytest.fixture
def make_alert():
    """AlertMessage factory with a realistic French article."""

    def build(**changes) -> AlertMessage:
        values = dict(
            alert_id=1,
            story="story-1",
            channel="email",
            topic="morocco-france-security",
            title="Le Maroc et la France renforcent leur coopération en matière de sécurité",
            url="https://fr.hespress.com/123-maroc-france.html",
            source="hespress-fr",
            published="2024-07-25T10:30:00+01:00",
            language="fr",
            text=(
                "Rabat. Le Maroc et la France ont signé un accord de sécurité portant sur "
                "la lutte antiterroriste et l'échange de renseignements."
            ),
            matched=("Maroc", "France", "sécurité"),
            other_sources=("le360-fr", "barlamane-fr"),
        )
        values.update(changes)
        return AlertMessage(**values)

    return build


@pytest.fixture
def arabic_alert(make_alert):
    return make_alert(
        title="تعاون أمني جديد بين المغرب وفرنسا",
        url="https://www.hespress.com/تعاون-أمني-1234.html",
        source="hespress",
        language="ar",
        text="أعلنت المغرب وفرنسا عن تعاون أمني جديد لمكافحة الإرهاب.",
        matched=("المغرب", "فرنسا", "أمني"),
        other_sources=(),
    )


# --- SMTP -------------------------------------------------------------------


@dataclass
class SmtpSink:
    """Collects what the SMTP server accepted; `reply_rcpt` scripts a refusal."""

    messages: list = field(default_factory=list)
    reply_rcpt: str | None = None
    logins: list = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reply_rcpt:
            return self.reply_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "raw": envelope.content,
                "mail": message_from_bytes(envelope.content, policy=policy.default),
                # session.ssl covers STARTTLS; the transport covers implicit TLS.
                "tls": session.ssl is not None
                or server.transport.get_extra_info("ssl_object") is not None,
                "auth": session.authenticated,
            }
        )
        return "250 Message accepted"


class LoopbackController(Controller):
    """A Controller on an ephemeral port: the port is read back from the bound socket."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def smtp_server():
    """Start SMTP sinks with given options (and a handler of one's own, say one that
    answers AUTH itself); all stopped at the end of the test."""
    started = []

    def start(handler=None, **options):
        sink = handler or SmtpSink()
        controller = LoopbackController(sink, hostname="127.0.0.1", port=0, **options)
        controller.start()
        started.append(controller)
        return sink, controller.port

    yield start
    for controller in started:
        controller.stop()


@dataclass(frozen=True)
class Certificate:
    cert_path: str
    key_path: str

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_path, self.key_path)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.cert_path)


@pytest.fixture(scope="session")
def certificate(tmp_path_factory) -> Certificate:
    """A self-signed certificate for 127.0.0.1, made fresh for this test run."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "marsad test SMTP")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificate(str(cert_path), str(key_path))


@pytest.fixture
def accept_user():
    """Makes aiosmtpd authenticators accepting exactly one LOGIN/PLAIN credential pair."""

    def make(user: str, password: str):
        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login == user.encode() and auth_data.password == password.encode()
            return AuthResult(success=ok, handled=False)

        return authenticator

    return make


# --- Slack-compatible webhook -------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    body: str = "ok"
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    echo: bool = False  # body holds {path} and {body}: what the request carried, echoed

    def text(self, path: str, request_body: str) -> str:
        if not self.echo:
            return self.body
        return self.body.replace("{path}", path).replace("{body}", request_body)


class WebhookSink:
    """Records every POST; answers from a script of replies (then 200 ok)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.script: list[Reply] = []
        self.lock = threading.Lock()
        self.url = ""

    def answer(self, status: int = 200, body: str = "ok", headers=None, delay=0.0,
               echo=False) -> None:
        """Queue the reply to the next unanswered request."""
        with self.lock:
            self.script.append(Reply(status, body, dict(headers or {}), delay, echo))

    def next_reply(self) -> Reply:
        with self.lock:
            return self.script.pop(0) if self.script else Reply()

    @property
    def payloads(self) -> list[dict]:
        return [r["json"] for r in self.requests]


def _webhook_handler(sink: WebhookSink):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            reply = sink.next_reply()
            with sink.lock:
                sink.requests.append(
                    {
                        "path": self.path,
                        "content_type": self.headers.get("Content-Type"),
                        "json": json.loads(body.decode("utf-8")),
                    }
                )
            if reply.delay:
                time.sleep(reply.delay)
            data = reply.text(self.path, body.decode("utf-8")).encode()
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up (timeout test)

        def log_message(self, format, *args):
            pass

    return Handler


@pytest.fixture
def slack_server():
    """A Slack-compatible incoming-webhook endpoint on 127.0.0.1."""
    sink = WebhookSink()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _webhook_handler(sink))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    port = server.server_address[1]
    sink.url = f"http://127.0.0.1:{port}/services/T000/B000/s3cr3tT0ken"
    yield sink
    server.shutdown()
    server.server_close()
