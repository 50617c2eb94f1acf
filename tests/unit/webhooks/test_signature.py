"""The Stripe-Signature check, held to Stripe's own SDK where the SDK is right, and stricter
where the reference says it is not (future timestamps, ValueErrors for non-JSON bodies)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import stripe
from stripe import _webhook as stripe_webhook

from nexuscore.webhooks.adapters.stripe.signature import (
    DeliveryRejected,
    parse_event,
    sign,
    verify_signature,
)

SECRET = "whsec_unit_0123456789abcdef"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
T = int(NOW.timestamp())
BODY = json.dumps({"id": "evt_1", "object": "event", "type": "customer.updated", "created": T}).encode()


def header(body: bytes = BODY, secret: str = SECRET, t: int = T) -> str:
    return f"t={t},v1={sign(body, secret, t)}"


def cause(body: bytes, value: str | None, secrets: tuple[str, ...] = (SECRET,), now: datetime = NOW) -> str:
    with pytest.raises(DeliveryRejected) as refused:
        verify_signature(body, value, secrets, now=now)
    return refused.value.cause


def test_our_signature_is_stripes() -> None:
    theirs = stripe.WebhookSignature.generate_signature_header(BODY.decode(), SECRET, timestamp=T)
    assert theirs == header()
    verify_signature(BODY, theirs, [SECRET], now=NOW)
    # and Stripe's SDK accepts what we accept (as of its own clock's view)
    stripe.WebhookSignature.verify_header(BODY.decode(), header(), SECRET, tolerance=None)


def test_any_v1_with_any_secret_passes() -> None:
    mixed = f"t={T},v1={'0' * 64},v1={sign(BODY, 'whsec_other_0123456789', T)},v0=abc"
    verify_signature(BODY, mixed, [SECRET, "whsec_other_0123456789"], now=NOW)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "missing-signature"),
        ("", "missing-signature"),
        ("t=1", "no-v1-signature"),
        (f"v1={sign(BODY, SECRET, T)}", "malformed-signature"),
        (f"t=-{T},v1=00", "malformed-signature"),
        (f"t={T} ,v1=00", "bad-signature"),  # spaces around items are tolerated, as by Stripe
        ("t=١٢٣,v1=00", "malformed-signature"),  # non-ASCII digits
        ("x" * 5000, "malformed-signature"),
        (f"t={T},v0={sign(BODY, SECRET, T)}", "no-v1-signature"),
        (f"t={T},v1=é", "bad-signature"),
        (f"t={T},v1={sign(BODY, 'whsec_wrong_0123456789', T)}", "bad-signature"),
        (f"t={T + 1},v1={sign(BODY, SECRET, T)}", "bad-signature"),
    ],
)
def test_refusals(value: str | None, expected: str) -> None:
    assert cause(BODY, value) == expected


def test_no_secret_configured_refuses_everything() -> None:
    assert cause(BODY, header(), secrets=()) == "not-configured"


def test_tolerance_is_300_seconds_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    # Stripe's SDK reads the wall clock: give it the test's.
    monkeypatch.setattr(stripe_webhook, "time", SimpleNamespace(time=lambda: float(T)))
    for offset in (-300, 300):
        verify_signature(BODY, header(t=T + offset), [SECRET], now=NOW)
    for offset in (-301, 301):
        assert cause(BODY, header(t=T + offset)) == "timestamp-out-of-tolerance"
    # Stripe's SDK lets the future one through: the reason this check is our own.
    future = header(t=T + 3600)
    stripe.WebhookSignature.verify_header(BODY.decode(), future, SECRET, tolerance=300)
    assert cause(BODY, future) == "timestamp-out-of-tolerance"
    assert cause(BODY, header(), now=NOW + timedelta(seconds=301)) == "timestamp-out-of-tolerance"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"\xff\xfe", "not-utf8"),
        (b"not json", "not-json"),
        (b'{"a": Infinity}', "not-json"),
        (b"[" * 100_000, "not-json"),
        (b"null", "not-an-event"),
        (b'{"object": "event", "id": "evt", "type": "a.b", "created": true}', "not-an-event"),
        (b'{"object": "event", "id": "", "type": "a.b", "created": 1}', "not-an-event"),
        (b'{"object": "event", "id": "evt_\\u0000", "type": "a.b", "created": 1}', "not-an-event"),
        (b'{"object": "event", "id": "evt", "type": 5, "created": 1}', "not-an-event"),
    ],
)
def test_signed_bodies_that_are_not_events(body: bytes, expected: str) -> None:
    verify_signature(body, header(body), [SECRET], now=NOW)
    with pytest.raises(DeliveryRejected) as refused:
        parse_event(body)
    assert refused.value.cause == expected


def test_event_envelope() -> None:
    event = parse_event(BODY)
    assert (event.provider, event.event_id, event.type, event.created, event.livemode) == (
        "stripe",
        "evt_1",
        "customer.updated",
        NOW,
        False,
    )
    assert event.payload == BODY.decode()
