"""Mail: the kernel's EmailMessage and the adapters that need no server (file, log, memory)."""

from __future__ import annotations

import dataclasses
import email
import email.message
import email.policy
import logging
import re
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.mail import EmailMessage, MailDeliveryError, MailRejected, mailbox_address
from nexuscore.platform.mail import (
    TAGS_HEADER,
    ConsoleMailer,
    FileMailer,
    RecordingMailer,
    SmtpMailer,
    build_mailer,
    build_mime_message,
)
from tests.conftest import make_settings

pytestmark = pytest.mark.unit

SENDER = "NexusCore <no-reply@nexuscore.localhost>"
AT = datetime(2025, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)
FILE_NAME = re.compile(r"^\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{8}\.eml$")


def message(**changes: object) -> EmailMessage:
    fields: dict[str, object] = {
        "to": ("Tan Ah Kow <ahkow@example.sg>",),
        "subject": "Verify your email address",
        "text": "Hi Ah Kow,\n\nhttps://app.example.sg/verify-email?token=abc\n",
        "html": '<p>Hi Ah Kow,</p><p><a href="https://app.example.sg/verify-email?token=abc">verify</a></p>',
    }
    fields.update(changes)
    return EmailMessage(**fields)  # type: ignore[arg-type]


def parse(data: bytes) -> email.message.EmailMessage:
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(parsed, email.message.EmailMessage)
    return parsed


def body(mime: email.message.EmailMessage, kind: str | None = None) -> str:
    """A decoded text part with LF line endings (the wire form, and so the file, uses CRLF)."""
    part = mime if kind is None else mime.get_body((kind,))
    assert part is not None, f"no {kind} part"
    content = part.get_content()
    assert isinstance(content, str)
    return content.replace("\r\n", "\n")


# --------------------------------------------------------------------------- EmailMessage


class TestEmailMessage:
    def test_a_valid_message(self) -> None:
        msg = message(reply_to="support@nexuscore.sg", headers={"X-Entity-Ref-ID": "u-1"}, tags=("verify-email",))
        assert msg.to == ("Tan Ah Kow <ahkow@example.sg>",)
        assert msg.recipients == ("ahkow@example.sg",)
        assert msg.reply_to == "support@nexuscore.sg"
        assert dict(msg.headers) == {"X-Entity-Ref-ID": "u-1"}
        assert msg.tags == ("verify-email",)

    def test_defaults(self) -> None:
        msg = EmailMessage(to=("a@b.sg",), subject="s", text="t")
        assert (msg.html, msg.reply_to, dict(msg.headers), msg.tags) == (None, None, {}, ())

    def test_several_recipients(self) -> None:
        msg = message(to=("a@b.sg", '"Lim, Mei" <mei@c.sg>'))
        assert msg.recipients == ("a@b.sg", "mei@c.sg")

    def test_a_list_of_recipients_becomes_a_tuple(self) -> None:
        msg = message(to=["a@b.sg"], tags=["x"])
        assert msg.to == ("a@b.sg",) and msg.tags == ("x",)

    def test_is_frozen_and_hashable(self) -> None:
        msg = message(headers={"X-A": "1"})
        with pytest.raises(dataclasses.FrozenInstanceError):
            msg.subject = "other"  # type: ignore[misc]
        assert hash(msg) == hash(message(headers={"X-A": "1"}))
        assert msg == message(headers={"X-A": "1"})
        assert msg != message(headers={"X-A": "2"})

    def test_headers_are_a_private_read_only_copy(self) -> None:
        given = {"X-A": "1"}
        msg = message(headers=given)
        given["X-A"] = "changed"
        assert msg.headers["X-A"] == "1"
        with pytest.raises(TypeError):
            msg.headers["X-A"] = "2"  # type: ignore[index]

    def test_needs_a_recipient(self) -> None:
        with pytest.raises(ValueError, match="recipient"):
            message(to=())

    def test_a_bare_string_is_not_a_recipient_tuple(self) -> None:
        # tuple("a@b.sg") would be a tuple of characters
        with pytest.raises(TypeError):
            message(to="a@b.sg")

    @pytest.mark.parametrize("address", ["ahkow", "ahkow@", "@example.sg", "", "a@b.sg, c@d.sg", "a b@c.sg", "Name <>"])
    def test_bad_recipients(self, address: str) -> None:
        with pytest.raises(ValueError, match="recipient"):
            message(to=(address,))

    @pytest.mark.parametrize("subject", ["", "   "])
    def test_blank_subject(self, subject: str) -> None:
        with pytest.raises(ValueError, match="subject"):
            message(subject=subject)

    @pytest.mark.parametrize("bad", ["x\r\nBcc: victim@evil.sg", "x\nBcc: victim@evil.sg", "x\rBcc: v@e.sg", "x\0"])
    def test_header_injection_in_subject(self, bad: str) -> None:
        with pytest.raises(ValueError, match="header injection"):
            message(subject=bad)

    @pytest.mark.parametrize("bad", ["a@b.sg\r\nBcc: victim@evil.sg", "a@b.sg\nBcc: victim@evil.sg", "a@b.sg\r"])
    def test_header_injection_in_recipients(self, bad: str) -> None:
        with pytest.raises(ValueError, match="header injection"):
            message(to=("ok@b.sg", bad))

    def test_header_injection_in_reply_to(self) -> None:
        with pytest.raises(ValueError, match="header injection"):
            message(reply_to="a@b.sg\r\nBcc: victim@evil.sg")

    def test_header_injection_in_extra_header_values(self) -> None:
        with pytest.raises(ValueError, match="header injection"):
            message(headers={"X-Ref": "1\r\nBcc: victim@evil.sg"})

    @pytest.mark.parametrize("name", ["X Ref", "X-Ref:", "", "X-Réf", "X-Ref\r\nBcc"])
    def test_bad_extra_header_names(self, name: str) -> None:
        with pytest.raises(ValueError, match="field name"):
            message(headers={name: "1"})

    @pytest.mark.parametrize("name", ["From", "to", "BCC", "Subject", "Message-ID", "Content-Type", "Reply-To"])
    def test_extra_headers_cannot_override_the_message_fields(self, name: str) -> None:
        with pytest.raises(ValueError, match="cannot be given in headers"):
            message(headers={name: "x@y.sg"})

    def test_bad_reply_to(self) -> None:
        with pytest.raises(ValueError, match="reply_to"):
            message(reply_to="nobody")

    @pytest.mark.parametrize("tag", ["", "has space", "comma,separated", "-leading", "x" * 65, "line\nbreak"])
    def test_bad_tags(self, tag: str) -> None:
        with pytest.raises(ValueError, match="tag"):
            message(tags=(tag,))

    def test_tags_must_be_a_tuple(self) -> None:
        with pytest.raises(TypeError):
            message(tags="verify-email")

    def test_mailbox_address(self) -> None:
        assert mailbox_address("NexusCore <no-reply@nexuscore.sg>") == "no-reply@nexuscore.sg"
        assert mailbox_address("a@b.sg") == "a@b.sg"


def test_the_two_failures_are_distinct() -> None:
    assert not issubclass(MailRejected, MailDeliveryError)
    assert not issubclass(MailDeliveryError, MailRejected)
    rejected = MailRejected("no such user", recipients={"a@b.sg": "550 no such user"})
    assert rejected.recipients == {"a@b.sg": "550 no such user"}
    assert str(rejected) == "no such user"
    assert MailRejected("x").recipients == {}


# --------------------------------------------------------------------------- MIME


class TestMime:
    def test_text_and_html_are_alternatives(self) -> None:
        msg = message()
        mime = parse(build_mime_message(msg, sender=SENDER, now=AT).as_bytes())
        assert mime.get_content_type() == "multipart/alternative"
        parts = [part.get_content_type() for part in mime.iter_parts()]
        assert parts == ["text/plain", "text/html"]  # plainest first, as RFC 2046 asks
        assert body(mime, "plain") == msg.text
        assert body(mime, "html").rstrip("\n") == msg.html

    def test_text_only_is_a_single_part(self) -> None:
        mime = parse(build_mime_message(message(html=None), sender=SENDER, now=AT).as_bytes())
        assert not mime.is_multipart()
        assert mime.get_content_type() == "text/plain"
        assert body(mime) == message().text

    def test_headers(self) -> None:
        msg = message(reply_to="Support <support@nexuscore.sg>", headers={"X-Ref": "u-1"}, tags=("a", "b.c"))
        mime = parse(build_mime_message(msg, sender=SENDER, now=AT).as_bytes())
        assert mime["From"] == SENDER
        assert mime["To"] == "Tan Ah Kow <ahkow@example.sg>"
        assert mime["Subject"] == "Verify your email address"
        assert mime["Reply-To"] == "Support <support@nexuscore.sg>"
        assert mime["X-Ref"] == "u-1"
        assert mime[TAGS_HEADER] == "a, b.c"
        assert mime["Date"].datetime == AT.replace(microsecond=0)
        assert re.fullmatch(r"<[^<>@]+@nexuscore\.localhost>", mime["Message-ID"])
        assert mime["MIME-Version"] == "1.0"

    def test_each_message_gets_its_own_message_id(self) -> None:
        ids = {build_mime_message(message(), sender=SENDER, now=AT)["Message-ID"] for _ in range(20)}
        assert len(ids) == 20

    def test_non_ascii_survives(self) -> None:
        msg = message(
            to=("陈美玲 <meiling@example.sg>",),
            subject="Rappel: facture n° 42 — 请付款",
            text="Ringgit, 新元 and € — all fine.\n",
            html="<p>新元 €</p>",
        )
        raw = build_mime_message(msg, sender="Nexus Café <no-reply@nexuscore.sg>", now=AT).as_bytes(
            policy=email.policy.SMTP
        )
        headers = raw.split(b"\r\n\r\n", 1)[0]
        assert headers.isascii()  # RFC 2047 encoded words; 8-bit bodies are re-encoded by aiosmtplib if need be
        mime = parse(raw)
        assert mime["Subject"] == msg.subject
        assert mime["To"] == msg.to[0]
        assert mime["From"] == "Nexus Café <no-reply@nexuscore.sg>"
        assert body(mime, "plain") == msg.text
        assert "新元 €" in body(mime, "html")

    def test_several_recipients_share_one_to_header(self) -> None:
        mime = build_mime_message(message(to=("a@b.sg", "c@d.sg")), sender=SENDER, now=AT)
        assert [str(a.addr_spec) for a in mime["To"].addresses] == ["a@b.sg", "c@d.sg"]


# --------------------------------------------------------------------------- FileMailer


class TestFileMailer:
    async def test_writes_a_parseable_eml(self, tmp_path: Path) -> None:
        directory = tmp_path / "var" / "mail"  # created on first use
        mailer = FileMailer(directory, SENDER, clock=FixedClock(AT))
        msg = message(tags=("verify-email",))
        await mailer.send(msg)

        files = list(directory.iterdir())
        assert len(files) == 1
        path = files[0]
        assert FILE_NAME.match(path.name), path.name
        assert path.name.startswith("20250314T092653.589793Z-")
        raw = path.read_bytes()
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # RFC 5322 line endings

        mime = parse(raw)
        assert mime["From"] == SENDER
        assert mime["To"] == "Tan Ah Kow <ahkow@example.sg>"
        assert mime["Subject"] == msg.subject
        assert mime["Message-ID"].endswith("@nexuscore.localhost>")
        assert mime["Date"].datetime == AT.replace(microsecond=0)
        assert mime[TAGS_HEADER] == "verify-email"
        assert mime.get_content_type() == "multipart/alternative"
        assert body(mime, "plain") == msg.text
        assert body(mime, "html").rstrip("\n") == msg.html

    async def test_text_only(self, tmp_path: Path) -> None:
        mailer = FileMailer(tmp_path, SENDER)
        path = mailer.write(message(html=None))
        mime = parse(path.read_bytes())
        assert mime.get_content_type() == "text/plain"
        assert body(mime) == message().text

    async def test_each_message_is_its_own_file(self, tmp_path: Path) -> None:
        mailer = FileMailer(tmp_path, SENDER, clock=FixedClock(AT))  # same instant: the random part differs
        for n in range(5):
            await mailer.send(message(subject=f"mail {n}"))
        files = sorted(tmp_path.iterdir())
        assert len(files) == 5
        assert {parse(f.read_bytes())["Subject"] for f in files} == {f"mail {n}" for n in range(5)}

    async def test_names_sort_in_sending_order(self, tmp_path: Path) -> None:
        clock = FixedClock(AT)
        mailer = FileMailer(tmp_path, SENDER, clock=clock)
        for n in range(3):
            clock.set(AT.replace(second=n, microsecond=999_999 - n))
            await mailer.send(message(subject=f"mail {n}"))
        assert [parse(f.read_bytes())["Subject"] for f in sorted(tmp_path.iterdir())] == ["mail 0", "mail 1", "mail 2"]

    async def test_leaves_no_temporary_files_and_keeps_them_private(self, tmp_path: Path) -> None:
        await FileMailer(tmp_path, SENDER).send(message())
        (path,) = tmp_path.iterdir()  # no hidden .tmp file beside it
        assert stat.S_IMODE(path.stat().st_mode) == 0o600  # reset links are secrets

    async def test_an_unwritable_directory_is_a_delivery_error(self, tmp_path: Path) -> None:
        blocker = tmp_path / "mail"
        blocker.write_text("a file where the directory should be")
        with pytest.raises(MailDeliveryError, match="could not write mail"):
            await FileMailer(blocker, SENDER).send(message())

    def test_refuses_a_bad_sender(self, tmp_path: Path) -> None:
        with pytest.raises(ValueError, match="sender"):
            FileMailer(tmp_path, "nobody")


# --------------------------------------------------------------------------- ConsoleMailer


class TestConsoleMailer:
    async def test_subject_and_recipients_at_info_body_at_debug(self, caplog: pytest.LogCaptureFixture) -> None:
        caplog.set_level(logging.DEBUG, logger="nexuscore.mail")
        msg = message(to=("a@b.sg", "c@d.sg"))
        await ConsoleMailer(SENDER).send(msg)
        info = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
        debug = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
        assert all(r.name == "nexuscore.mail" for r in caplog.records)
        assert len(info) == 1
        assert "a@b.sg" in info[0] and "c@d.sg" in info[0] and msg.subject in info[0]
        assert "token=abc" not in info[0]
        assert any(msg.text in line for line in debug)
        assert any(msg.html in line for line in debug)  # type: ignore[operator]

    async def test_bodies_stay_out_of_info_logs(self, caplog: pytest.LogCaptureFixture) -> None:
        caplog.set_level(logging.INFO, logger="nexuscore.mail")
        await ConsoleMailer(SENDER).send(message())
        assert caplog.records
        assert not any("token=abc" in r.getMessage() for r in caplog.records)


# --------------------------------------------------------------------------- RecordingMailer


class TestRecordingMailer:
    async def test_records_in_order(self) -> None:
        mailer = RecordingMailer()
        first, second = message(subject="one"), message(subject="two")
        await mailer.send(first)
        await mailer.send(second)
        assert mailer.sent == [first, second]

    async def test_can_be_made_to_fail(self) -> None:
        mailer = RecordingMailer()
        mailer.failure = MailDeliveryError("server down")
        with pytest.raises(MailDeliveryError, match="server down"):
            await mailer.send(message())
        assert mailer.sent == []
        mailer.failure = None
        await mailer.send(message())
        assert len(mailer.sent) == 1


# --------------------------------------------------------------------------- SmtpMailer (no server needed)


class TestSmtpMailerConstruction:
    def test_security_must_be_known(self) -> None:
        with pytest.raises(ValueError, match="security"):
            SmtpMailer("localhost", 25, SENDER, security="ssl")  # type: ignore[arg-type]

    def test_credentials_come_in_pairs(self) -> None:
        with pytest.raises(ValueError, match="together"):
            SmtpMailer("localhost", 25, SENDER, username="u")

    def test_port_range(self) -> None:
        with pytest.raises(ValueError, match="port"):
            SmtpMailer("localhost", 0, SENDER)

    def test_envelope_sender_is_the_bare_address(self) -> None:
        assert SmtpMailer("localhost", 25, SENDER).envelope_sender == "no-reply@nexuscore.localhost"

    def test_repr_hides_the_password(self) -> None:
        mailer = SmtpMailer("localhost", 25, SENDER, username="u", password="hunter2-smtp")
        assert "hunter2-smtp" not in repr(mailer)


# --------------------------------------------------------------------------- build_mailer


class TestBuildMailer:
    def test_file_is_the_default(self, tmp_path: Path) -> None:
        settings = make_settings(tmp_path)
        mailer = build_mailer(settings)
        assert isinstance(mailer, FileMailer)
        assert mailer.directory == settings.mail_dir == tmp_path / "var" / "mail"
        assert mailer.sender == "NexusCore <no-reply@nexuscore.localhost>"

    def test_console(self, tmp_path: Path) -> None:
        mailer = build_mailer(make_settings(tmp_path, MAIL_BACKEND="console", MAIL_FROM="a@b.sg"))
        assert isinstance(mailer, ConsoleMailer)
        assert mailer.sender == "a@b.sg"

    def test_smtp(self, tmp_path: Path) -> None:
        settings = make_settings(
            tmp_path,
            MAIL_BACKEND="smtp",
            MAIL_FROM="Acme <billing@acme.sg>",
            SMTP_HOST="mail.acme.sg",
            SMTP_PORT="2525",
            SMTP_USERNAME="mailer",
            SMTP_PASSWORD="pw",
            SMTP_SECURITY="tls",
            SMTP_TIMEOUT_SECONDS="3",
        )
        mailer = build_mailer(settings)
        assert isinstance(mailer, SmtpMailer)
        assert (mailer.host, mailer.port, mailer.security, mailer.timeout) == ("mail.acme.sg", 2525, "tls", 3.0)
        assert (mailer.sender, mailer.envelope_sender) == ("Acme <billing@acme.sg>", "billing@acme.sg")
        assert mailer.username == "mailer"

    def test_smtp_without_a_host_is_refused(self, tmp_path: Path) -> None:
        settings = dataclasses.replace(make_settings(tmp_path), mail_backend="smtp")
        with pytest.raises(ValueError, match="SMTP_HOST"):
            build_mailer(settings)

    async def test_the_default_mailer_writes_into_var_mail(self, tmp_path: Path) -> None:
        settings = make_settings(tmp_path)
        await build_mailer(settings).send(message())
        assert len(list(settings.mail_dir.glob("*.eml"))) == 1
