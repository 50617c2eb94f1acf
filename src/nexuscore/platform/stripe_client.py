"""The process's one Stripe API client (stripe-python's `StripeClient`), configured here for
every context's Stripe adapter (subscriptions' payment gateway, billing's invoice gateway).

- Built once per process with the infrastructure (`Infrastructure.stripe`; None without
  STRIPE_SECRET_KEY), so every adapter sends the same pinned API version, the same timeout and
  the same retries, over one connection pool.
- `STRIPE_API_VERSION` is the one place the API version is pinned (stripe-python's own for the
  installed SDK): objects read from Stripe, and the local gateway's imitations, follow its shapes.
- Network failures, 409s and Stripe 5xx are retried by the SDK (2 retries, with its backoff);
  each request times out after 10 s. What is left raises stripe's errors
  (`APIConnectionError`, `APIError`, `InvalidRequestError` with `http_status` 404, ...), which
  each adapter maps to its own context's terms.
- `STRIPE_API_BASE` points the client at a stand-in of the API (tests); None is Stripe itself.
- `close_stripe_client(client)` releases its pooled connections when the process is done with
  it (the runtime's close).
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

import stripe

from nexuscore.platform.settings import Settings

STRIPE_API_VERSION = "2026-10-28.endive"
TIMEOUT_SECONDS = 10.0
NETWORK_RETRIES = 2

# Each client's HTTP transport, kept so it can be closed without reaching into the SDK's privates.
_TRANSPORTS: WeakKeyDictionary[stripe.StripeClient, stripe.HTTPXClient] = WeakKeyDictionary()


def stripe_client(secret_key: str, *, api_base: str | None = None) -> stripe.StripeClient:
    """A client configured the house's way (for the process's own, use `Infrastructure.stripe`)."""
    transport = stripe.HTTPXClient(timeout=TIMEOUT_SECONDS)
    client = stripe.StripeClient(
        secret_key,
        stripe_version=STRIPE_API_VERSION,
        base_addresses={"api": api_base} if api_base else None,
        max_network_retries=NETWORK_RETRIES,
        http_client=transport,
    )
    _TRANSPORTS[client] = transport
    return client


def stripe_client_from_settings(settings: Settings) -> stripe.StripeClient | None:
    """The process's client: None without STRIPE_SECRET_KEY (the local gateway, no Stripe)."""
    if not settings.stripe_secret_key:
        return None
    return stripe_client(settings.stripe_secret_key, api_base=settings.stripe_api_base)


async def close_stripe_client(client: stripe.StripeClient) -> None:
    """Close the client's connections (once; later requests through it fail)."""
    transport = _TRANSPORTS.pop(client, None)
    if transport is not None:
        await transport.close_async()  # type: ignore[no-untyped-call]  # the SDK leaves it unannotated
