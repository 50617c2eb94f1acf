"""Mailer adapters: `.eml` files (development), SMTP (production), the log, and memory (tests).

`build_mime_message` turns a kernel `EmailMessage` into an RFC 5322 message; the file and
SMTP adapters both use it, so what lands in `var/mail/` is byte for byte what an SMTP
server would receive (bar Message-ID and Date).
"""

from __future__ import annotations

import asyncio
import email.message
import email.policy
import logging
import os
import secrets
import ssl
import tempfile
from datetime import datetime
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import get_args

import aiosmtplib

from nexuscore.kernel.clock import Clock, SystemClock
from nexuscore.kernel.mail import EmailMessage, MailDeliveryError, Mailer, MailRejected, parse_mailbox
from nexuscore.platform.settings import Settings, SmtpSecurity

logger = logging.getLogger("nexuscore.mail")

TAGS_HEADER = "X-NexusCore-Tags"


def build_mime_message(message: EmailMessage, *, sender: str, now: datetime) -> email.message.EmailMessage:
    """The RFC 5322 form of `message`: text/plain, or multipart/alternative text + html; with
    attachments, multipart/mixed around that body and the files."""
    _, sender_address = parse_mailbox(sender, what="sender")
    mime = email.message.EmailMessage(policy=email.policy.default)
    mime["From"] = sender
    mime["To"] = ", ".join(message.to)
    mime["Subject"] = message.subject
    mime["Date"] = format_datetime(now)
    mime["Message-ID"] = make_msgid(domain=sender_address.rpartition("@")[2])
    if message.reply_to is not None:
        mime["Reply-To"] = message.reply_to
    for name, value in message.headers.items():
        mime[name] = value
    if message.tags:
        mime[TAGS_HEADER] = ", ".join(message.tags)
    mime.set_content(message.text)
    if message.html is not None:
        mime.add_alternative(message.html, subtype="html")
    for attachment in message.attachments:
        mime.add_attachment(
            attachment.data, maintype=attachment.maintype, subtype=attachment.subtype, filename=attachment.filename
        )
    return mime


def _check_sender(sender: str) -> str:
    parse_mailbox(sender, what="sender")
    return sender


class FileMailer:
    """Writes each message to `<directory>/<UTC timestamp>-<random>.eml` (the development default).

    Files appear atomically (written to a hidden temporary file, then renamed), so a mail
    viewer or a test polling the directory never reads half a message. They are created
    0600: they carry live verification and reset links.
    """

    def __init__(self, directory: Path, sender: str, *, clock: Clock | None = None) -> None:
        self.directory = Path(directory)
        self.sender = _check_sender(sender)
        self._clock = clock or SystemClock()

    async def send(self, message: EmailMessage) -> None:
        try:
            await asyncio.to_thread(self.write, message)
        except OSError as exc:
            raise MailDeliveryError(f"could not write mail to {self.directory}: {exc}") from exc

    def write(self, message: EmailMessage) -> Path:
        """Write the message now (blocking) and return the file's path."""
        now = self._clock.now()
        data = build_mime_message(message, sender=self.sender, now=now).as_bytes(policy=email.policy.SMTP)
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{now:%Y%m%dT%H%M%S.%fZ}-{secrets.token_hex(4)}.eml"
        fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".eml.tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        logger.info("mail written to %s (subject %r)", path, message.subject)
        return path


class SmtpMailer:
    """Sends through an SMTP server (one connection per message) with aiosmtplib.

    `security`: "none" (plain, never upgraded), "starttls" (upgrade required) or "tls"
    (implicit TLS, usually port 465). Failures are mapped for the caller:
    MailRejected for permanent (5xx) refusals of recipients or content, MailDeliveryError
    for everything a later attempt may fix (unreachable, timeouts, 4xx, failed login).
    """

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        security: SmtpSecurity = "starttls",
        timeout: float = 10.0,
        *,
        clock: Clock | None = None,
        tls_context: ssl.SSLContext | None = None,
        local_hostname: str | None = None,
    ) -> None:
        if security not in get_args(SmtpSecurity):
            raise ValueError(f"security must be one of {get_args(SmtpSecurity)}, got {security!r}")
        if (username is None) != (password is None):
            raise ValueError("username and password go together")
        if not 1 <= port <= 65535:
            raise ValueError(f"port must be between 1 and 65535, got {port}")
        self.host = host
        self.port = port
        self.sender = _check_sender(sender)
        self.envelope_sender = parse_mailbox(sender)[1]
        self.username = username
        self._password = password
        self.security = security
        self.timeout = timeout
        self._clock = clock or SystemClock()
        self._tls_context = tls_context
        self._local_hostname = local_hostname

    def __repr__(self) -> str:  # never shows the password
        return f"SmtpMailer({self.host}:{self.port}, security={self.security}, username={self.username!r})"

    async def send(self, message: EmailMessage) -> None:
        mime = build_mime_message(message, sender=self.sender, now=self._clock.now())
        where = f"SMTP server {self.host}:{self.port}"
        try:
            refused, _ = await aiosmtplib.send(
                mime,
                sender=self.envelope_sender,
                recipients=list(message.recipients),
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self._password,
                use_tls=self.security == "tls",
                start_tls=self.security == "starttls",
                tls_context=self._tls_context,
                timeout=self.timeout,
                local_hostname=self._local_hostname,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:  # every recipient refused: nothing was sent
            replies = {r.recipient: f"{r.code} {r.message}" for r in exc.recipients}
            if all(400 <= r.code < 500 for r in exc.recipients):
                raise MailDeliveryError(f"{where} deferred every recipient: {replies}") from exc
            raise MailRejected(f"{where} refused the recipients: {replies}", recipients=replies) from exc
        except aiosmtplib.SMTPDataError as exc:
            if 500 <= exc.code < 600:
                raise MailRejected(f"{where} refused the message: {exc.code} {exc.message}") from exc
            raise MailDeliveryError(f"{where} deferred the message: {exc.code} {exc.message}") from exc
        except aiosmtplib.SMTPAuthenticationError as exc:
            raise MailDeliveryError(
                f"{where} refused the login of {self.username!r} (check SMTP_USERNAME and SMTP_PASSWORD): "
                f"{exc.code} {exc.message}"
            ) from exc
        except aiosmtplib.SMTPResponseException as exc:  # greeting, EHLO, MAIL FROM, STARTTLS answers
            raise MailDeliveryError(f"{where} answered {exc.code} {exc.message}") from exc
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:  # unreachable, TLS, timeouts
            raise MailDeliveryError(f"could not send through {where}: {exc}") from exc
        if refused:
            # Delivered to the others: a retry would send them a duplicate, so this is final.
            replies = {address: f"{reply.code} {reply.message}" for address, reply in refused.items()}
            raise MailRejected(f"{where} refused some recipients (sent to the others): {replies}", recipients=replies)
        logger.info("mail sent through %s (subject %r, %d recipients)", where, message.subject, len(message.to))


class ConsoleMailer:
    """Logs mail instead of sending it: subject and recipients at INFO, bodies at DEBUG."""

    def __init__(self, sender: str) -> None:
        self.sender = _check_sender(sender)

    async def send(self, message: EmailMessage) -> None:
        logger.info("mail from %s to %s: %s", self.sender, ", ".join(message.to), message.subject)
        logger.debug("mail text body:\n%s", message.text)
        if message.html is not None:
            logger.debug("mail html body:\n%s", message.html)


class RecordingMailer:
    """In memory, for unit tests of use cases: `.sent` lists what was sent, in order.

    Set `.failure` to an exception to make every send raise it (and record nothing).
    """

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []
        self.failure: Exception | None = None

    async def send(self, message: EmailMessage) -> None:
        if self.failure is not None:
            raise self.failure
        self.sent.append(message)


def build_mailer(settings: Settings, *, clock: Clock | None = None) -> Mailer:
    """The mailer MAIL_BACKEND asks for."""
    if settings.mail_backend == "smtp":
        if settings.smtp_host is None:  # load_settings refuses this; Settings built by hand may not
            raise ValueError("MAIL_BACKEND=smtp needs SMTP_HOST")
        return SmtpMailer(
            settings.smtp_host,
            settings.smtp_port,
            settings.mail_from,
            username=settings.smtp_username,
            password=settings.smtp_password,
            security=settings.smtp_security,
            timeout=settings.smtp_timeout_seconds,
            clock=clock,
        )
    if settings.mail_backend == "console":
        return ConsoleMailer(settings.mail_from)
    return FileMailer(settings.mail_dir, settings.mail_from, clock=clock)
