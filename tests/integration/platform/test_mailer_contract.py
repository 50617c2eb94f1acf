"""Mailer contract: every delivering adapter hands the same message over intact.

Each case runs against FileMailer (reading the `.eml` files back) and SmtpMailer (reading
what a real aiosmtpd server on 127.0.0.1 received). A new delivering adapter adds a case
to the `delivery` fixture.
"""

from __future__ import annotations

import email
import email.message
import email.policy
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from nexuscore.kernel.mail import EmailMessage, Mailer
from nexuscore.platform.mail import FileMailer, SmtpMailer

pytestmark = pytest.mark.integration

SENDER = "NexusCore <no-reply@nexuscore.localhost>"


def parse(data: bytes) -> email.message.EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


class InboxHandler:
    """aiosmtpd handler keeping the raw bytes of every message it accepts."""

    def __init__(self) -> None:
        self.contents: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.contents.append(envelope.content)
        return "250 OK"


@dataclass
class Delivery:
    """A mailer and a way to read, in sending order, what reached its destination."""

    mailer: Mailer
    received: Callable[[], list[email.message.EmailMessage]]


def _file_delivery(tmp_path: Path) -> Iterator[Delivery]:
    directory = tmp_path / "mail"

    def received() -> list[email.message.EmailMessage]:
        # Names start with a UTC timestamp (microseconds): sorted names are sending order.
        files = sorted(directory.glob("*.eml")) if directory.exists() else []
        return [parse(path.read_bytes()) for path in files]

    yield Delivery(FileMailer(directory, SENDER), received)


def _smtp_delivery(tmp_path: Path) -> Iterator[Delivery]:
    handler = InboxHandler()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    controller = Controller(handler, hostname="127.0.0.1", port=port, server_hostname="smtp.test")
    controller.start()
    try:
        mailer = SmtpMailer("127.0.0.1", port, SENDER, security="none", timeout=5.0, local_hostname="client.test")
        yield Delivery(mailer, lambda: [parse(content) for content in handler.contents])
    finally:
        controller.stop()


@pytest.fixture(params=["file", "smtp"])
def delivery(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Delivery]:
    factory = {"file": _file_delivery, "smtp": _smtp_delivery}[request.param]
    yield from factory(tmp_path)


def text_of(message: email.message.EmailMessage, kind: str) -> str:
    part = message.get_body((kind,))
    assert part is not None, f"no text/{kind} part"
    content = part.get_content()
    assert isinstance(content, str)
    return content.replace("\r\n", "\n")  # the wire form (and so the file) uses CRLF


VERIFY = EmailMessage(
    to=("Tan Ah Kow <ahkow@example.sg>",),
    subject="Verify your email address",
    text="Hi Ah Kow,\n\nPlease confirm your address:\nhttps://app.example.sg/verify-email?token=Zm9v-YmFy_123\n",
    html=(
        "<!doctype html><html><body><p>Hi Ah Kow,</p>"
        '<p><a href="https://app.example.sg/verify-email?token=Zm9v-YmFy_123">Confirm</a></p></body></html>'
    ),
    tags=("verify-email",),
)


async def test_text_and_html_arrive_intact(delivery: Delivery) -> None:
    await delivery.mailer.send(VERIFY)

    (received,) = delivery.received()
    assert received["From"] == SENDER
    assert received["To"] == "Tan Ah Kow <ahkow@example.sg>"
    assert received["Subject"] == "Verify your email address"
    assert received["Message-ID"]
    assert received["Date"].datetime.tzinfo is not None
    assert received.get_content_type() == "multipart/alternative"
    assert text_of(received, "plain") == VERIFY.text
    assert text_of(received, "html").rstrip("\n") == VERIFY.html


async def test_non_ascii_and_long_lines_arrive_intact(delivery: Delivery) -> None:
    long_line = "GST 9% on S$1,234.50 — " * 30  # > 78 characters: must be wrapped by encoding, not by us
    message = EmailMessage(
        to=("陈美玲 <meiling@example.sg>", "ops@example.sg"),
        subject="Tax invoice INV-2025-0042 — 税务发票",
        text=f"{long_line}\n新元 €\n",
        html=f"<p>{long_line}</p><p>新元 €</p>",
    )
    await delivery.mailer.send(message)

    (received,) = delivery.received()
    assert received["Subject"] == message.subject
    assert [a.addr_spec for a in received["To"].addresses] == ["meiling@example.sg", "ops@example.sg"]
    assert received["To"].addresses[0].display_name == "陈美玲"
    assert text_of(received, "plain") == message.text
    assert text_of(received, "html").rstrip("\n") == message.html


async def test_text_only_arrives_as_plain_text(delivery: Delivery) -> None:
    message = EmailMessage(to=("a@example.sg",), subject="Password changed", text="Your password was changed.\n")
    await delivery.mailer.send(message)

    (received,) = delivery.received()
    assert received.get_content_type() == "text/plain"
    assert not received.is_multipart()
    assert text_of(received, "plain") == message.text


async def test_reply_to_and_extra_headers_arrive(delivery: Delivery) -> None:
    message = EmailMessage(
        to=("a@example.sg",),
        subject="Invitation",
        text="Join us.\n",
        reply_to="Owner <owner@acme.example.sg>",
        headers={"X-Entity-Ref-ID": "invitation-7"},
    )
    await delivery.mailer.send(message)

    (received,) = delivery.received()
    assert received["Reply-To"] == "Owner <owner@acme.example.sg>"
    assert received["X-Entity-Ref-ID"] == "invitation-7"


async def test_each_message_arrives_separately(delivery: Delivery) -> None:
    for n in range(3):
        await delivery.mailer.send(EmailMessage(to=(f"user{n}@example.sg",), subject=f"mail {n}", text=f"body {n}\n"))

    received = delivery.received()
    assert sorted((m["Subject"], m["To"], text_of(m, "plain")) for m in received) == [
        (f"mail {n}", f"user{n}@example.sg", f"body {n}\n") for n in range(3)
    ]
    assert len({m["Message-ID"] for m in received}) == 3
