"""SmtpMailer against a real SMTP server (aiosmtpd on 127.0.0.1): delivery, AUTH, and failure mapping."""

from __future__ import annotations

import asyncio
import email
import email.message
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import aiosmtplib
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from nexuscore.kernel.mail import EmailMessage, MailDeliveryError, MailRejected
from nexuscore.platform.mail import SmtpMailer

pytestmark = [
    pytest.mark.integration,
    # The AUTH server runs without TLS on purpose (a test has no certificate); aiosmtpd warns about it.
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning"),
]

SENDER = "NexusCore <no-reply@nexuscore.localhost>"
USER, PASSWORD = "mailer", "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    login: bytes | None

    def parsed(self) -> email.message.EmailMessage:
        message = email.message_from_bytes(self.content, policy=email.policy.default)
        assert isinstance(message, email.message.EmailMessage)
        return message


class RecordingHandler:
    """Stores every accepted envelope; answers `refuse[address]` to RCPT, `data_reply` to DATA."""

    def __init__(self, refuse: dict[str, str] | None = None, data_reply: str | None = None) -> None:
        self.refuse = refuse or {}
        self.data_reply = data_reply
        self.received: list[Received] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_reply is not None:
            return self.data_reply
        login = session.auth_data.login if isinstance(session.auth_data, LoginPassword) else None
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content, login))
        return "250 2.0.0 Message accepted for delivery"


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data == (USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


@contextmanager
def smtp_server(handler: RecordingHandler, **smtp_options: Any) -> Iterator[int]:
    """A real SMTP server on 127.0.0.1 in a thread of its own; yields its port."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, server_hostname="smtp.test", **smtp_options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def mailer(port: int, **options: Any) -> SmtpMailer:
    options.setdefault("security", "none")
    options.setdefault("timeout", 5.0)
    return SmtpMailer("127.0.0.1", port, SENDER, local_hostname="client.test", **options)


def plain(**changes: Any) -> EmailMessage:
    fields: dict[str, Any] = {
        "to": ("Tan Ah Kow <ahkow@example.sg>",),
        "subject": "Reset your password",
        "text": "Hi Ah Kow,\n\nhttps://app.example.sg/reset-password?token=abc\n",
    }
    fields.update(changes)
    return EmailMessage(**fields)


def lf(text: str) -> str:
    return text.replace("\r\n", "\n")


@pytest.fixture
def handler() -> RecordingHandler:
    return RecordingHandler()


@pytest.fixture
def port(handler: RecordingHandler) -> Iterator[int]:
    with smtp_server(handler) as port:
        yield port


# --------------------------------------------------------------------------- delivery


async def test_plain_text_message(handler: RecordingHandler, port: int) -> None:
    message = plain()
    await mailer(port).send(message)

    (received,) = handler.received
    assert received.mail_from == "no-reply@nexuscore.localhost"  # envelope: bare address
    assert received.rcpt_tos == ["ahkow@example.sg"]
    assert received.login is None
    parsed = received.parsed()
    assert parsed["From"] == SENDER
    assert parsed["To"] == "Tan Ah Kow <ahkow@example.sg>"
    assert parsed["Subject"] == "Reset your password"
    assert parsed["Message-ID"].endswith("@nexuscore.localhost>")
    assert parsed["Date"] is not None
    assert parsed.get_content_type() == "text/plain"
    assert lf(parsed.get_content()) == message.text


async def test_html_message_has_both_parts(handler: RecordingHandler, port: int) -> None:
    message = plain(html='<p>Hi Ah Kow,</p><p><a href="https://app.example.sg/r?token=abc">Reset</a></p>')
    await mailer(port).send(message)

    parsed = handler.received[0].parsed()
    assert parsed.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    text_part, html_part = parsed.get_body(("plain",)), parsed.get_body(("html",))
    assert text_part is not None and html_part is not None
    assert lf(text_part.get_content()) == message.text
    assert lf(html_part.get_content()).rstrip("\n") == message.html


async def test_several_recipients_reply_to_headers_and_non_ascii(handler: RecordingHandler, port: int) -> None:
    message = plain(
        to=("a@example.sg", "陈美玲 <meiling@example.sg>"),
        subject="Rappel — 请付款",
        text="新元 and € survive the wire.\n",
        html="<p>新元 €</p>",
        reply_to="Support <support@nexuscore.sg>",
        headers={"X-Entity-Ref-ID": "inv-42"},
        tags=("billing.reminder",),
    )
    await mailer(port).send(message)

    (received,) = handler.received
    assert received.rcpt_tos == ["a@example.sg", "meiling@example.sg"]
    parsed = received.parsed()
    assert [a.addr_spec for a in parsed["To"].addresses] == ["a@example.sg", "meiling@example.sg"]
    assert parsed["Subject"] == "Rappel — 请付款"
    assert parsed["Reply-To"] == "Support <support@nexuscore.sg>"
    assert parsed["X-Entity-Ref-ID"] == "inv-42"
    assert parsed["X-NexusCore-Tags"] == "billing.reminder"
    text_part, html_part = parsed.get_body(("plain",)), parsed.get_body(("html",))
    assert text_part is not None and html_part is not None
    assert lf(text_part.get_content()) == message.text
    assert "新元 €" in html_part.get_content()


async def test_one_connection_per_message(handler: RecordingHandler, port: int) -> None:
    sender = mailer(port)
    await asyncio.gather(*(sender.send(plain(subject=f"mail {n}")) for n in range(5)))
    assert sorted(r.parsed()["Subject"] for r in handler.received) == [f"mail {n}" for n in range(5)]


async def test_starttls_is_required_not_hoped_for(handler: RecordingHandler, port: int) -> None:
    # The server offers no STARTTLS: security="starttls" must fail, never fall back to plain text.
    with pytest.raises(MailDeliveryError, match=r"(?i)starttls"):
        await mailer(port, security="starttls").send(plain())
    assert handler.received == []


# --------------------------------------------------------------------------- AUTH


@pytest.fixture
def auth_port(handler: RecordingHandler) -> Iterator[int]:
    with smtp_server(handler, authenticator=authenticator, auth_required=True, auth_require_tls=False) as port:
        yield port


async def test_logs_in_with_the_configured_credentials(handler: RecordingHandler, auth_port: int) -> None:
    await mailer(auth_port, username=USER, password=PASSWORD).send(plain())
    (received,) = handler.received
    assert received.login == USER.encode()
    assert received.rcpt_tos == ["ahkow@example.sg"]


async def test_wrong_password_is_a_clear_error(handler: RecordingHandler, auth_port: int) -> None:
    with pytest.raises(MailDeliveryError) as caught:
        await mailer(auth_port, username=USER, password="wrong").send(plain())
    text = str(caught.value)
    assert "refused the login" in text and repr(USER) in text and "535" in text
    assert "SMTP_PASSWORD" in text  # tells the operator what to fix
    assert "wrong" not in text  # never echoes the password
    assert handler.received == []


async def test_missing_credentials_are_not_a_rejection_of_the_mail(handler: RecordingHandler, auth_port: int) -> None:
    # 530 (authentication required) is our configuration, not the recipient's refusal.
    with pytest.raises(MailDeliveryError, match="530"):
        await mailer(auth_port).send(plain())
    assert handler.received == []


# --------------------------------------------------------------------------- failures


async def test_nothing_listening_is_a_delivery_error() -> None:
    port = free_port()  # bound, released: nothing listens there now
    with pytest.raises(MailDeliveryError, match=f"127.0.0.1:{port}"):
        await mailer(port).send(plain())


async def test_a_server_that_never_answers_times_out() -> None:
    connected = asyncio.Event()

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connected.set()
        await reader.read()  # never greets; returns when the client gives up
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        with pytest.raises(MailDeliveryError):
            await mailer(port, timeout=0.5).send(plain())
        assert connected.is_set()
    finally:
        server.close()
        await server.wait_closed()


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        ("550 5.1.1 <ahkow@example.sg>: Recipient address rejected: User unknown", MailRejected),
        ("553 5.1.3 Mailbox name not allowed", MailRejected),
        ("451 4.3.0 Temporary lookup failure, try again later", MailDeliveryError),
        ("452 4.2.2 Mailbox full", MailDeliveryError),
    ],
)
async def test_recipient_refusals(reply: str, error: type[Exception]) -> None:
    handler = RecordingHandler(refuse={"ahkow@example.sg": reply})
    with smtp_server(handler) as port:
        with pytest.raises(error) as caught:
            await mailer(port).send(plain())
    assert reply.split(" ", 1)[0] in str(caught.value)
    if isinstance(caught.value, MailRejected):
        assert set(caught.value.recipients) == {"ahkow@example.sg"}
        assert caught.value.recipients["ahkow@example.sg"].startswith(reply[:3])
    assert handler.received == []


async def test_some_recipients_refused_is_final_and_names_them() -> None:
    handler = RecordingHandler(refuse={"gone@example.sg": "550 5.1.1 User unknown"})
    with smtp_server(handler) as port:
        with pytest.raises(MailRejected) as caught:
            await mailer(port).send(plain(to=("ahkow@example.sg", "gone@example.sg")))
    # The others got it, so a retry (which MailDeliveryError would cause) would send them a duplicate.
    assert [r.rcpt_tos for r in handler.received] == [["ahkow@example.sg"]]
    assert set(caught.value.recipients) == {"gone@example.sg"}


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        ("554 5.7.1 Message rejected as spam", MailRejected),
        ("552 5.3.4 Message size exceeds fixed limit", MailRejected),
        ("451 4.7.1 Greylisted, please try again", MailDeliveryError),
    ],
)
async def test_data_refusals(reply: str, error: type[Exception]) -> None:
    handler = RecordingHandler(data_reply=reply)
    with smtp_server(handler) as port:
        with pytest.raises(error, match=reply[:3]):
            await mailer(port).send(plain())


async def test_delivery_errors_keep_the_cause() -> None:
    with pytest.raises(MailDeliveryError) as caught:
        await mailer(free_port()).send(plain())
    assert isinstance(caught.value.__cause__, (aiosmtplib.SMTPException, OSError))
