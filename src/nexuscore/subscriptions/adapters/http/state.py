"""What the subscriptions module built once per process for its routes, under one app-state key."""

from __future__ import annotations

from dataclasses import dataclass

from nexuscore.subscriptions.adapters.gateways.local import LocalPaymentGateway
from nexuscore.subscriptions.application.services import SubscriptionsServices

SUBSCRIPTIONS_STATE_KEY = "subscriptions"


@dataclass(frozen=True)
class SubscriptionsHttpState:
    services: SubscriptionsServices
    local_gateway: LocalPaymentGateway | None  # set when the local gateway is the one in use
