"""Stripe errors become our problems: card declined 402, rate limited or down 503 with
Retry-After, the customer's bad data 422, our own bad request stays a 500."""

from __future__ import annotations

import pytest
import stripe

from nexuscore.kernel.errors import Conflict, QuotaExceeded, ValidationError
from nexuscore.platform.http.problems import _domain_status
from nexuscore.subscriptions.adapters.gateways.stripe_calls import mapped
from nexuscore.subscriptions.ports.gateway import CardDeclined, GatewayRefused, GatewayUnavailable


async def _raise(exc: Exception) -> None:
    raise exc


async def test_card_declined_is_402() -> None:
    with pytest.raises(CardDeclined) as raised:
        await mapped(lambda: _raise(stripe.CardError("Your card was declined.", "number", "card_declined")))
    assert isinstance(raised.value, QuotaExceeded) and _domain_status(raised.value)[0] == 402


@pytest.mark.parametrize(
    "exc",
    [stripe.RateLimitError("slow down"), stripe.APIConnectionError("down"), stripe.APIError("boom", http_status=503)],
)
async def test_rate_limited_or_unavailable_is_503_with_retry_after(exc: Exception) -> None:
    with pytest.raises(GatewayUnavailable) as raised:
        await mapped(lambda: _raise(exc))
    assert _domain_status(raised.value)[0] == 503 and raised.value.extra["retryAfter"] > 0


async def test_customer_data_refused_is_422_naming_the_field() -> None:
    exc = stripe.InvalidRequestError("Invalid value for sg_uen.", "value", code="tax_id_invalid")
    with pytest.raises(GatewayRefused) as raised:
        await mapped(lambda: _raise(exc))
    assert isinstance(raised.value, ValidationError) and raised.value.errors[0].field == "value"


async def test_our_own_bad_request_stays_an_error_and_key_reuse_is_409() -> None:
    with pytest.raises(stripe.InvalidRequestError):
        await mapped(lambda: _raise(stripe.InvalidRequestError("No such parameter: foo", "foo")))
    with pytest.raises(Conflict):
        await mapped(lambda: _raise(stripe.IdempotencyError("Keys for idempotent requests ...")))
