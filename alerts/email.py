"""Email alerts over SMTP: a plain-text and an HTML part, verified TLS by default."""

from __future__ import annotations

import hashlib
import logging
import re
import smtplib
import ssl
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from alerts.channel import (
    Channel,
    PermanentDeliveryError,
    TransientDeliveryError,
    config_problem,
)
from alerts.render import clean_line, render_html, render_subject, render_text
from crawler import clock
from crawler.config import EmailChannelConfig
from storage.records import AlertMessage

SECURITY_MODES = ("starttls", "ssl", "none")
# 7-bit transfer encodings: the mail passes any relay, 8BITMIME or not.
MAIL_POLICY = policy.SMTP.clone(cte_type="7bit")
_ADDRESS = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.?[^@\s<>,;\"]*")
_BREAKING = re.compile(r"[\x00-\x1f\x7f]")
_ID_PART = re.compile(r"[^A-Za-z0-9._-]")
log = logging.getLogger("marsad.alerts")


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
        sender = mailbox(config.sender)
        if sender is None:
            raise config_problem(name, "from", f"not an email address: {config.sender!r}")
        if not config.to:
            raise config_problem(name, "to", "needs at least one address")
        recipients = [mailbox(address) for address in config.to]
        for address, parsed in zip(config.to, recipients, strict=True):
            if parsed is None:
                raise config_problem(name, "to", f"not an email address: {address!r}")
        if bool(config.username) != bool(config.password):
            missing = "password" if config.username else "username"
            raise config_problem(name, missing, "username and password go together")
        if config.timeout <= 0:
            raise config_problem(name, "timeout", "must be positive")
        self.name = name
        self.config = config
        self._envelope_from = sender
        self._rcpt = [r for r in recipients if r]
        self._ssl_context = ssl_context

    def __repr__(self) -> str:
        c = self.config
        user = f" user={c.username!r}" if c.username else ""
        return f"<EmailChannel {self.name!r} {c.host}:{c.port} {c.security}{user}>"

    def secrets(self) -> tuple[str, ...]:
        return (self.config.password,) if self.config.password else ()

    def message_id(self, message: AlertMessage) -> str:
        """The same Message-ID for every send of one story to one channel."""
        digest = hashlib.sha256(f"{message.story}\n{message.channel}".encode()).hexdigest()[:32]
        channel = _ID_PART.sub("-", message.channel)[:40] or "channel"
        return f"<{digest}.{channel}@marsad>"

    def build_message(self, message: AlertMessage) -> EmailMessage:
        mail = EmailMessage(policy=MAIL_POLICY)
        mail["Subject"] = render_subject(message)
        mail["From"] = self.config.sender
        mail["To"] = ", ".join(self.config.to)
        mail["Date"] = format_datetime(clock.now())
        mail["Message-ID"] = self.message_id(message)
        mail["Auto-Submitted"] = "auto-generated"
        mail.set_content(render_text(message))
        mail.add_alternative(render_html(message), subtype="html")
        return mail

    def send(self, message: AlertMessage) -> None:
        mail = self.build_message(message)
        where = f"smtp {self.config.host}:{self.config.port}"
        try:
            refused = self._transmit(mail)
        except smtplib.SMTPRecipientsRefused as error:
            raise _recipients_error(where, error.recipients) from None
        except smtplib.SMTPNotSupportedError as error:
            raise PermanentDeliveryError(f"{where}: {_one_line(error)}") from None
        except smtplib.SMTPResponseException as error:
            raise _response_error(where, error.smtp_code, error.smtp_error) from None
        except smtplib.SMTPServerDisconnected as error:
            raise TransientDeliveryError(f"{where}: disconnected: {_one_line(error)}") from None
        except ssl.SSLCertVerificationError as error:
            raise PermanentDeliveryError(
                f"{where}: TLS certificate not trusted: {error.verify_message or _one_line(error)}"
            ) from None
        except TimeoutError:
            raise TransientDeliveryError(f"{where}: timed out") from None
        except (OSError, smtplib.SMTPException) as error:
            raise TransientDeliveryError(
                f"{where}: {type(error).__name__}: {_one_line(error)}"
            ) from None
        if refused:
            # The others have it: sending again would duplicate it for them.
            log.warning(
                "%s: alert %s delivered, but refused for %s",
                where,
                message.alert_id,
                ", ".join(sorted(refused)),
            )

    def _transmit(self, mail: EmailMessage) -> dict:
        smtp = self._connect()
        try:
            if self.config.username:
                self._login(smtp)
            refused = smtp.send_message(mail, from_addr=self._envelope_from, to_addrs=self._rcpt)
        except BaseException:
            smtp.close()
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
            raise smtplib.SMTPNotSupportedError(f"login: {_one_line(error)}") from None

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        context = self._ssl_context or ssl.create_default_context()
        if c.security == "ssl":
            return smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout, context=context)
        smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
        try:
            if c.security == "starttls":
                smtp.ehlo()
                if not smtp.has_extn("starttls"):
                    raise smtplib.SMTPNotSupportedError("server does not offer STARTTLS")
                smtp.starttls(context=context)
                smtp.ehlo()
        except BaseException:
            smtp.close()
            raise
        return smtp


def mailbox(value: str | None) -> str | None:
    """The bare address of 'a@b.org' or 'Name <a@b.org>'; None when it is not one."""
    if not value or _BREAKING.search(value):
        return None
    _, address = parseaddr(value)
    return address if _ADDRESS.fullmatch(address) else None


def _one_line(error: object) -> str:
    text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
    return clean_line(text)[:300] or type(error).__name__


def _response_error(where: str, code: int, text: bytes | str) -> Exception:
    reason = f"{where}: {code} {_one_line(text)}"
    if 400 <= code < 500:
        return TransientDeliveryError(reason)
    if code == -1:  # smtplib's "no valid reply"
        return TransientDeliveryError(reason)
    return PermanentDeliveryError(reason)


def _recipients_error(where: str, recipients: dict) -> Exception:
    codes = [code for code, _ in recipients.values()]
    detail = "; ".join(
        f"{address}: {code} {_one_line(text)}" for address, (code, text) in recipients.items()
    )
    reason = f"{where}: recipients refused: {detail}"
    if all(400 <= code < 500 for code in codes):
        return TransientDeliveryError(reason)
    return PermanentDeliveryError(reason)
