"""Calls to Stripe through the SDK, with its errors mapped to our problems and idempotency keys
derived from our command ids (shared by the gateway and its catalogue sync)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import stripe

from nexuscore.kernel.errors import Conflict, FieldError
from nexuscore.subscriptions.ports.gateway import CardDeclined, GatewayRefused, GatewayUnavailable

# Invalid requests caused by what the customer typed, not by our code: a 422 naming the field.
_CUSTOMER_DATA_CODES = frozenset({"tax_id_invalid", "email_invalid", "postal_code_invalid", "address_invalid"})
T = TypeVar("T")


def plain(obj: Any) -> dict[str, Any]:
    # StripeObject is not a dict since v15 (and `.items` is a method name): read it as one.
    result: dict[str, Any] = obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)
    return result


async def mapped(call: Callable[[], Awaitable[T]]) -> T:
    try:
        return await call()
    except stripe.CardError as exc:
        raise CardDeclined(exc.user_message or "The card was declined.", extra={"declineCode": exc.code}) from exc
    except stripe.RateLimitError as exc:
        raise GatewayUnavailable("The payment gateway is busy. Try again shortly.", retry_after_seconds=2) from exc
    except stripe.APIConnectionError as exc:
        raise GatewayUnavailable() from exc
    except stripe.IdempotencyError as exc:
        raise Conflict("This request was already made with other parameters; use a new Idempotency-Key.") from exc
    except stripe.InvalidRequestError as exc:
        if exc.code in _CUSTOMER_DATA_CODES:
            field = exc.param or "body"
            raise GatewayRefused(
                exc.user_message or str(exc.user_message), errors=[FieldError(field, exc.code or "")]
            ) from exc
        raise
    except stripe.APIError as exc:
        if (exc.http_status or 500) >= 500:
            raise GatewayUnavailable() from exc
        raise


def idempotency(command_id: str, step: str) -> dict[str, Any]:
    """Request options naming one step of one command: a retried command replays, never repeats."""
    return {"idempotency_key": f"{command_id}:{step}"[:255]}
