"""Stripe deliveries: the `Stripe-Signature` check and the event envelope, on the raw bytes.

Done here rather than with `stripe.Webhook.construct_event`, which accepts timestamps from
the future and raises plain `ValueError`s for bad UTF-8 or non-JSON bodies: every refusal
here is a `DeliveryRejected` with a cause (the metric label), which HTTP answers 400.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from nexuscore.webhooks.application.stripe_objects import STRIPE
from nexuscore.webhooks.domain.model import IncomingEvent

TOLERANCE_SECONDS = 300
MAX_HEADER_CHARS = 4096


class DeliveryRejected(Exception):
    """A delivery that is not a genuine, well-formed event. `cause` is a stable label."""

    def __init__(self, cause: str, detail: str) -> None:
        super().__init__(detail)
        self.cause = cause
        self.detail = detail


def _parse_header(header: str) -> tuple[int, list[str]]:
    if len(header) > MAX_HEADER_CHARS:
        raise DeliveryRejected("malformed-signature", "Stripe-Signature header is too long.")
    timestamp: int | None = None
    v1: list[str] = []
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            raise DeliveryRejected("malformed-signature", "Stripe-Signature items must be key=value.")
        if key == "t":
            if timestamp is not None or not value.isascii() or not value.isdigit() or len(value) > 12:
                raise DeliveryRejected("malformed-signature", "Stripe-Signature has no valid timestamp.")
            timestamp = int(value)
        elif key == "v1":
            v1.append(value)
    if timestamp is None:
        raise DeliveryRejected("malformed-signature", "Stripe-Signature has no timestamp.")
    if not v1:
        raise DeliveryRejected("no-v1-signature", "Stripe-Signature carries no v1 signature.")
    return timestamp, v1


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()


def verify_signature(
    payload: bytes,
    header: str | None,
    secrets: Sequence[str],
    *,
    now: datetime,
    tolerance_seconds: int = TOLERANCE_SECONDS,
) -> None:
    """Raise DeliveryRejected unless one `v1` matches one secret over `"{t}.{payload}"` and
    `t` is within the tolerance of `now`, in the past or in the future."""
    if not header:
        raise DeliveryRejected("missing-signature", "Stripe-Signature header is missing.")
    if not secrets:
        raise DeliveryRejected("not-configured", "No webhook secret is configured.")
    timestamp, candidates = _parse_header(header)
    expected = [sign(payload, secret, timestamp).encode() for secret in secrets]
    # Compare every pair, constant-time each, and decide once: no early exit by position.
    matched = False
    for candidate in candidates:
        given = candidate.encode("ascii", "replace")
        for wanted in expected:
            matched |= hmac.compare_digest(given, wanted)
    if not matched:
        raise DeliveryRejected("bad-signature", "No signature matches the payload.")
    if abs(now.timestamp() - timestamp) > tolerance_seconds:
        raise DeliveryRejected("timestamp-out-of-tolerance", "The signature timestamp is outside the tolerance.")


def _reject_constant(value: str) -> Any:
    raise ValueError(f"{value} is not JSON")


def parse_event(payload: bytes, *, provider: str = STRIPE) -> IncomingEvent:
    """The event envelope of a verified (or API-listed) payload."""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        raise DeliveryRejected("not-utf8", "The payload is not UTF-8.") from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise DeliveryRejected("not-json", "The payload is not JSON.") from None
    return incoming_from_data(data, text, provider=provider)


def incoming_from_data(data: Any, text: str, *, provider: str = STRIPE) -> IncomingEvent:
    if not isinstance(data, Mapping) or data.get("object") != "event":
        raise DeliveryRejected("not-an-event", "The payload is not an event object.")
    event_id, event_type, created = data.get("id"), data.get("type"), data.get("created")
    if not isinstance(event_id, str) or not event_id or len(event_id) > 255 or "\x00" in event_id:
        raise DeliveryRejected("not-an-event", "The event has no valid id.")
    if not isinstance(event_type, str) or not event_type or len(event_type) > 100 or "\x00" in event_type:
        raise DeliveryRejected("not-an-event", "The event has no valid type.")
    if isinstance(created, bool) or not isinstance(created, int) or not 0 <= created < 2**40:
        raise DeliveryRejected("not-an-event", "The event has no valid created time.")
    if "\x00" in text:
        # PostgreSQL text cannot hold NUL (JSON escapes it as \u0000, which json.loads decodes).
        raise DeliveryRejected("not-an-event", "The payload holds a NUL character.")
    api_version = data.get("api_version")
    return IncomingEvent(
        provider=provider,
        event_id=event_id,
        type=event_type,
        livemode=bool(data.get("livemode")),
        created=datetime.fromtimestamp(created, UTC),
        api_version=api_version if isinstance(api_version, str) and len(api_version) <= 40 else None,
        payload=text,
        data=data,
    )
