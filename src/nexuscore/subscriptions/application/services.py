"""The process-wide ports and settings the subscriptions use cases take as `services`."""

from __future__ import annotations

from dataclasses import dataclass

from nexuscore.kernel.clock import Clock
from nexuscore.subscriptions.domain.entitlements import DEFAULT_GRACE_DAYS
from nexuscore.subscriptions.ports.gateway import PaymentGateway


@dataclass(frozen=True)
class SubscriptionsServices:
    """Built once per process by the subscriptions module.

    `app_base_url` is the frontend the gateway sends the customer back to after checkout and
    from the portal; `grace_days` is BILLING_GRACE_DAYS.
    """

    clock: Clock
    gateway: PaymentGateway
    app_base_url: str
    grace_days: int = DEFAULT_GRACE_DAYS
