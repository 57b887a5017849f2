"""Email alerts over SMTP: a plain-text and an HTML part, verified TLS by default.

The login is a credential: a server's reply may echo what the client sent
(`AUTH PLAIN <base64>`), so replies lose any AUTH argument and are masked for the
user name and password, plain and in every base64 form they were sent in.
"""

from __future__ import annotations

import hashlib
import logging
import re
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import replace
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from typing import TYPE_CHECKING

from alerts.channel import (
    Channel,
    DeliveryError,
    PermanentDeliveryError,
    PossiblyDeliveredError,
    TransientDeliveryError,
    config_problem,
)
from alerts.digest import render_digest_html, render_digest_subject, render_digest_text
from alerts.headers import header_value
from alerts.render import render_html, render_subject, render_text
from alerts.smtp_login import login_secrets
from crawler import clock
from crawler.config import EmailChannelConfig, mailbox
from storage.records import AlertMessage

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

SECURITY_MODES = ("starttls", "ssl", "none")
# 7-bit transfer encodings: the mail passes any relay, 8BITMIME or not. Lines of at most
# 76 characters, as quoted-printable allows (RFC 2045 §6.7); the default is 78.
MAIL_POLICY = policy.SMTP.clone(cte_type="7bit", max_line_length=76)
_ID_PART = re.compile(r"[^A-Za-z0-9._-]")
# "AUTH PLAIN AGJvdABwYXNz" echoed in a reply: the argument goes, whatever it encodes.
_AUTH_ECHO = re.compile(r"(\bAUTH\s+[A-Za-z0-9_-]+)\s+\S+", re.IGNORECASE)
log = logging.getLogger("marsad.alerts")


class _NoFinalReply(OSError):
    """The message went out whole (up to the final dot), then no reply came."""


class _SMTP(smtplib.SMTP):
    """Notes when the end of the message data has been written to the server."""

    message_sent = False

    def send(self, s: ReadableBuffer | str) -> None:
        super().send(s)
        # Only DATA's content ends in CRLF "." CRLF: a command is one line.
        if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):
            self.message_sent = True


class _SMTP_SSL(_SMTP, smtplib.SMTP_SSL):
    pass


class EmailChannel(Channel):
    """Sends each alert as one multipart/alternative email to every recipient.

    `ssl_context` replaces the default verifying context (tests use it to trust
    their own certificate authority); verification is never switched off here.
    """

    def __init__(
        self, config: EmailChannelConfig, *, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        name = config.name
        if not config.host or any(c.isspace() for c in config.host):
            raise config_problem(name, "host", f"not a host name: {config.host!r}")
        if not 0 < config.port < 65536:
            raise config_problem(name, "port", f"not a TCP port: {config.port!r}")
        if config.security not in SECURITY_MODES:
            raise config_problem(
                name,
                "security",
                f"must be one of {', '.join(SECURITY_MODES)}, not {config.security!r}",
            )
        # The configuration's own rule: the bare addresses are the SMTP envelope's.
        try:
            sender = mailbox(config.sender)
        except ValueError as problem:
            raise config_problem(name, "from", str(problem)) from None
        if not config.to:
            raise config_problem(name, "to", "needs at least one address")
        try:
            recipients = [mailbox(address) for address in config.to]
        except ValueError as problem:
            raise config_problem(name, "to", str(problem)) from None
        if bool(config.username) != bool(config.password):
            missing = "password" if config.username else "username"
            raise config_problem(name, missing, "username and password go together")
        if config.timeout <= 0:
            raise config_problem(name, "timeout", "must be positive")
        self.name = name
        self.config = config
        self._secrets = login_secrets(config.username, config.password)
        self._envelope_from = sender
        self._rcpt = recipients
        self._ssl_context = ssl_context
        self.digest = config.digest

    def __repr__(self) -> str:
        c = self.config
        login = " login=***" if c.username else ""
        return f"<EmailChannel {self.name!r} {c.host}:{c.port} {c.security}{login}>"

    def secrets(self) -> tuple[str, ...]:
        return self._secrets

    def message_id(self, message: AlertMessage) -> str:
        """The same Message-ID for every send of one story to one channel."""
        digest = hashlib.sha256(f"{message.story}\n{message.channel}".encode()).hexdigest()[:32]
        channel = _ID_PART.sub("-", message.channel)[:40] or "channel"
        return f"<{digest}.{channel}@marsad>"

    def digest_message_id(self, messages: Sequence[AlertMessage]) -> str:
        """The same Message-ID for every send of one digest (the same alerts)."""
        ids = ",".join(str(alert_id) for alert_id in sorted(m.alert_id for m in messages))
        digest = hashlib.sha256(f"digest\n{self.name}\n{ids}".encode()).hexdigest()[:32]
        channel = _ID_PART.sub("-", self.name)[:40] or "channel"
        return f"<{digest}.digest.{channel}@marsad>"

    def _new_mail(self, subject: str, message_id: str) -> EmailMessage:
        mail = EmailMessage(policy=MAIL_POLICY)
        # Folded by alerts.headers and stored as is: the policy's own folding mangles
        # encoded-words (see there).
        mail.set_raw("Subject", header_value("Subject", subject))
        mail["From"] = self.config.sender
        mail["To"] = ", ".join(self.config.to)
        mail["Date"] = format_datetime(clock.now())
        mail["Message-ID"] = message_id
        mail["Auto-Submitted"] = "auto-generated"
        return mail

    def build_message(self, message: AlertMessage) -> EmailMessage:
        mail = self._new_mail(render_subject(message), self.message_id(message))
        if message.follows is not None and message.follows.alerted:
            # Threads under the earlier story's alert in the reader's mail client.
            earlier = self.message_id(replace(message, story=message.follows.story))
            mail["In-Reply-To"] = earlier
            mail["References"] = earlier
        mail.set_content(render_text(message))
        mail.add_alternative(render_html(message), subtype="html")
        return mail

    def build_digest(self, messages: Sequence[AlertMessage], period: str = "") -> EmailMessage:
        mail = self._new_mail(render_digest_subject(messages, period),
                              self.digest_message_id(messages))
        mail.set_content(render_digest_text(messages, period))
        mail.add_alternative(render_digest_html(messages, period), subtype="html")
        return mail

    def send(self, message: AlertMessage) -> None:
        self._deliver(self.build_message(message), f"alert {message.alert_id}")

    def send_digest(self, messages: Sequence[AlertMessage], *, period: str = "") -> None:
        self._deliver(self.build_digest(messages, period), f"digest of {len(messages)} alerts")

    def _deliver(self, mail: EmailMessage, what: str) -> None:
        try:
            refused = self._transmit(mail)
        except OSError as error:  # smtplib's and ssl's errors are OSErrors too
            kind, detail = _classify(error)
            raise kind(self.clean_reason(f"{self._where}: {detail}")) from None
        if refused:
            # The others have it: sending again would duplicate it for them.
            log.warning("%s", self.clean_reason(
                f"{self._where}: {what} delivered, but refused for "
                f"{', '.join(sorted(refused))}"))

    @property
    def _where(self) -> str:
        return f"smtp {self.config.host}:{self.config.port}"

    def _transmit(self, mail: EmailMessage) -> dict:
        smtp = self._connect()
        try:
            if self.config.username:
                self._login(smtp)
            refused = smtp.send_message(mail, from_addr=self._envelope_from, to_addrs=self._rcpt)
        except BaseException as error:
            smtp.close()
            # Silence (not an answer, whatever it says) once the whole message went out.
            silent = isinstance(error, OSError) and not isinstance(
                error, smtplib.SMTPResponseException)
            if silent and smtp.message_sent:
                raise _NoFinalReply(_text(error)) from None
            raise
        # The server took the mail when it answered DATA; a failed QUIT must not undo that.
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
        return refused

    def _login(self, smtp: smtplib.SMTP) -> None:
        try:
            smtp.login(self.config.username or "", self.config.password or "")
        except (smtplib.SMTPResponseException, smtplib.SMTPServerDisconnected):
            raise
        except smtplib.SMTPException as error:
            # No AUTH offered, or no mechanism in common: a setup problem.
            raise smtplib.SMTPNotSupportedError(f"login: {_text(error)}") from None
        except UnicodeEncodeError:
            # smtplib sends logins as ASCII; its error would quote a character of them.
            raise smtplib.SMTPNotSupportedError(
                "login: the user name and password must be ASCII") from None

    def _tls_context(self) -> ssl.SSLContext:
        # Built once, and only for a channel that speaks TLS: loading the system's
        # certificates costs more than sending a message.
        if self._ssl_context is None:
            self._ssl_context = ssl.create_default_context()
        return self._ssl_context

    def _connect(self) -> _SMTP:
        c = self.config
        if c.security == "ssl":
            return _SMTP_SSL(c.host, c.port, timeout=c.timeout, context=self._tls_context())
        smtp = _SMTP(c.host, c.port, timeout=c.timeout)
        try:
            if c.security == "starttls":
                smtp.ehlo()
                if not smtp.has_extn("starttls"):
                    raise smtplib.SMTPNotSupportedError("server does not offer STARTTLS")
                smtp.starttls(context=self._tls_context())
                smtp.ehlo()
        except BaseException:
            smtp.close()
            raise
        return smtp


def _text(error: object) -> str:
    """An error's text (bytes decoded); `clean_reason` masks and cuts it later."""
    text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
    return _AUTH_ECHO.sub(r"\1 ***", text) or type(error).__name__


def _classify(error: OSError) -> tuple[type[DeliveryError], str]:
    """The kind of a failed send and what to say of it (unmasked yet)."""
    if isinstance(error, _NoFinalReply):
        return PossiblyDeliveredError, (f"no reply after the message was sent ({error}); "
                                        "it may have been delivered")
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return _recipients_error(error.recipients)
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return PermanentDeliveryError, _text(error)
    if isinstance(error, smtplib.SMTPResponseException):
        return _response_error(error.smtp_code, error.smtp_error)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return TransientDeliveryError, f"disconnected: {_text(error)}"
    if isinstance(error, ssl.SSLCertVerificationError):
        return PermanentDeliveryError, ("TLS certificate not trusted: "
                                        f"{error.verify_message or _text(error)}")
    if isinstance(error, TimeoutError):
        return TransientDeliveryError, "timed out"
    return TransientDeliveryError, f"{type(error).__name__}: {_text(error)}"


def _response_error(code: int, text: bytes | str) -> tuple[type[DeliveryError], str]:
    # -1 is smtplib's "no valid reply"; 4xx asks to try again later.
    kind = TransientDeliveryError if code == -1 or 400 <= code < 500 else PermanentDeliveryError
    return kind, f"{code} {_text(text)}"


def _recipients_error(recipients: dict) -> tuple[type[DeliveryError], str]:
    codes = [code for code, _ in recipients.values()]
    detail = "; ".join(
        f"{address}: {code} {_text(text)}" for address, (code, text) in recipients.items()
    )
    kind = (TransientDeliveryError if all(400 <= code < 500 for code in codes)
            else PermanentDeliveryError)
    return kind, f"recipients refused: {detail}"
