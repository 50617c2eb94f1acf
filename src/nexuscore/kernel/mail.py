"""Outgoing mail: the message every context composes and the Mailer port that sends it.

Kept in the kernel (stdlib only) so any context's core can send verification, reset,
invitation or DSAR mail without importing another context; adapters live in platform.

Two failures are told apart so callers and task retries can react:
- `MailDeliveryError`: transient (server unreachable, timeout, 4xx, session set-up such as
  a refused login). Tasks let it propagate so the retry middleware tries again.
- `MailRejected`: permanent (5xx for the recipients or the content). Retrying cannot help.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import getaddresses
from types import MappingProxyType
from typing import Protocol

# CR and LF end a header line (header injection); NUL is never valid in a header.
_FORBIDDEN_IN_HEADERS = ("\r", "\n", "\0")
# RFC 5322 field name: printable US-ASCII except ':'.
_HEADER_NAME = re.compile(r"^[!-9;-~]+$")
_TAG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
# Set by the adapters from the message's own fields; extra headers may not override them.
RESERVED_HEADERS = frozenset(
    {
        "from",
        "sender",
        "to",
        "cc",
        "bcc",
        "reply-to",
        "subject",
        "date",
        "message-id",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
        "return-path",
    }
)


class MailDeliveryError(Exception):
    """The message could not be handed over now; sending it again later may succeed."""


class MailRejected(Exception):
    """The server refused the message for good (5xx); sending it again will not help.

    `recipients` maps each refused address to the server's reply, when the refusal was
    per recipient.
    """

    def __init__(self, message: str, *, recipients: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.recipients: dict[str, str] = dict(recipients or {})


def _check_header_text(what: str, value: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a string, got {type(value).__name__}")
    if any(char in value for char in _FORBIDDEN_IN_HEADERS):
        raise ValueError(f"{what} must not contain CR, LF or NUL characters (header injection): {value!r}")


def parse_mailbox(value: str, *, what: str = "address") -> tuple[str, str]:
    """Split one mailbox (`a@b.sg` or `Name <a@b.sg>`) into (display name, address).

    ValueError unless `value` is exactly one mailbox with a `local@domain` address.
    """
    _check_header_text(what, value)
    found = getaddresses([value])
    if len(found) != 1:
        raise ValueError(f"{what} must be exactly one mailbox, got {value!r}")
    name, address = found[0]
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or " " in address:
        raise ValueError(f"{what} must contain an address like name@example.sg, got {value!r}")
    return name, address


def mailbox_address(value: str) -> str:
    """The bare address of a mailbox: `NexusCore <no-reply@x.sg>` -> `no-reply@x.sg`."""
    return parse_mailbox(value)[1]


_CONTENT_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")
MAX_ATTACHMENT_BYTES = 10 * 1_048_576


@dataclass(frozen=True)
class Attachment:
    """A file sent with a mail (an invoice's PDF): its name, its media type, its bytes."""

    filename: str
    content_type: str  # "application/pdf"
    data: bytes = field(repr=False)

    def __post_init__(self) -> None:
        _check_header_text("attachment filename", self.filename)
        if not self.filename.strip() or "/" in self.filename or "\\" in self.filename:
            raise ValueError(f"attachment filename must be a plain file name, got {self.filename!r}")
        if not _CONTENT_TYPE.match(self.content_type):
            raise ValueError(f"attachment content type must be like application/pdf, got {self.content_type!r}")
        if not isinstance(self.data, bytes):
            raise TypeError("attachment data must be bytes")
        if len(self.data) > MAX_ATTACHMENT_BYTES:
            raise ValueError(f"attachment {self.filename!r} is over {MAX_ATTACHMENT_BYTES} bytes")

    @property
    def maintype(self) -> str:
        return self.content_type.split("/", 1)[0]

    @property
    def subtype(self) -> str:
        return self.content_type.split("/", 1)[1]


@dataclass(frozen=True)
class EmailMessage:
    """One mail to one or more recipients, with a plain-text body, an optional HTML one, and
    optional attachments.

    `headers` are extra headers (`List-Unsubscribe`, `X-Entity-Ref-ID`, ...); the ones the
    adapters derive from the other fields are refused. `tags` classify the mail
    (`identity.verification`) for logs and providers.
    """

    to: tuple[str, ...]
    subject: str
    text: str
    html: str | None = None
    reply_to: str | None = None
    headers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    tags: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()

    def __post_init__(self) -> None:
        given_to: object = self.to  # callers outside the type checker may pass a bare string
        if isinstance(given_to, str):
            raise TypeError("to must be a tuple of addresses, not a single string")
        to = tuple(self.to)
        if not to:
            raise ValueError("a mail needs at least one recipient in `to`")
        for address in to:
            parse_mailbox(address, what="recipient")
        object.__setattr__(self, "to", to)

        _check_header_text("subject", self.subject)
        if not self.subject.strip():
            raise ValueError("subject must not be blank")
        if not isinstance(self.text, str):
            raise TypeError("text must be a string")
        if self.html is not None and not isinstance(self.html, str):
            raise TypeError("html must be a string or None")
        if self.reply_to is not None:
            parse_mailbox(self.reply_to, what="reply_to")

        headers: dict[str, str] = {}
        for name, value in dict(self.headers).items():
            if not isinstance(name, str) or not _HEADER_NAME.match(name):
                raise ValueError(f"header name {name!r} is not a valid RFC 5322 field name")
            if name.lower() in RESERVED_HEADERS:
                raise ValueError(f"header {name!r} is set from the message fields and cannot be given in headers")
            _check_header_text(f"header {name}", value)
            headers[name] = value
        object.__setattr__(self, "headers", MappingProxyType(headers))

        given_tags: object = self.tags
        if isinstance(given_tags, str):
            raise TypeError("tags must be a tuple of strings, not a single string")
        tags = tuple(self.tags)
        for tag in tags:
            if not isinstance(tag, str) or not _TAG.match(tag):
                raise ValueError(f"tag {tag!r} must be 1-64 characters of [A-Za-z0-9_.:-]")
        object.__setattr__(self, "tags", tags)
        attachments = tuple(self.attachments)
        if not all(isinstance(a, Attachment) for a in attachments):
            raise TypeError("attachments must be Attachment objects")
        object.__setattr__(self, "attachments", attachments)

    @property
    def recipients(self) -> tuple[str, ...]:
        """The bare addresses of `to`, for the SMTP envelope."""
        return tuple(mailbox_address(address) for address in self.to)


class Mailer(Protocol):
    """Port: hand a message over for delivery.

    Raises MailDeliveryError when a later attempt may succeed, MailRejected when not.
    """

    async def send(self, message: EmailMessage) -> None: ...
