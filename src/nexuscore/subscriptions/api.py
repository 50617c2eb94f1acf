"""Published facade of the subscriptions context, for other contexts' adapters.

- `EntitlementReader(sessions, clock, grace_days=...)`: `await reader.entitlement(org_id)` is
  the organisation's effective plan now (`Entitlement`: plan code, seat and lead limits,
  features, `read_only`), with `require_feature(name)`. The organisations and leads limit
  ports read it.
- `PaymentRequired`, `FeatureNotInPlan`: the 402 problems (`payment-required`,
  `feature-not-in-plan`) those ports raise.
- For the webhook inbox: `stripe_subscription_snapshot(obj, observed_at=event time)` turns a
  Stripe `subscription` object (an event's `data.object`) into a `SubscriptionSnapshot`;
  `sync_subscription(session, services, snapshot=..., gateway_event_type=...)` applies it
  (version-guarded, commits; `gateway_event_type=TRIAL_WILL_END` also notes a trial's end
  once); `services_state(app_state)` (API) or `build_services(settings, sessions, clock)` (a
  worker) give the `SubscriptionsServices`, whose `gateway.retrieve_subscription_object(id)`
  (Stripe-shaped JSON), `gateway.retrieve_subscription(id)` and `gateway.list_events_since(t)`
  serve re-reads and the backfill. `ORG_METADATA_KEY`: the metadata key naming the
  organisation on a gateway subscription (checkout's `client_reference_id` is the same id).

- `BillingProfilePersonalData(sessions)`: this context's `PersonalDataProvider` (kernel.personal_data).

Routes, commands and wiring are in `module.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.kernel.clock import Clock
from nexuscore.subscriptions.adapters.entitlements_reader import EntitlementReader
from nexuscore.subscriptions.adapters.gateways.factory import build_gateway
from nexuscore.subscriptions.adapters.gateways.stripe_shapes import ORG_METADATA_KEY, UnreadableSnapshot
from nexuscore.subscriptions.adapters.gateways.stripe_shapes import (
    subscription_snapshot as stripe_subscription_snapshot,
)
from nexuscore.subscriptions.adapters.http.state import SUBSCRIPTIONS_STATE_KEY, SubscriptionsHttpState
from nexuscore.subscriptions.adapters.sql.personal_data import BillingProfilePersonalData
from nexuscore.subscriptions.adapters.sql.unit_of_work import SqlSubscriptionsUnitOfWork
from nexuscore.subscriptions.application import sync
from nexuscore.subscriptions.application.services import SubscriptionsServices
from nexuscore.subscriptions.application.sync import TRIAL_WILL_END, SyncResult
from nexuscore.subscriptions.domain.entitlements import Entitlement, FeatureNotInPlan, PaymentRequired
from nexuscore.subscriptions.domain.model import SubscriptionSnapshot, SubscriptionStatus, SyncOutcome


async def sync_subscription(
    session: AsyncSession,
    services: SubscriptionsServices,
    *,
    snapshot: SubscriptionSnapshot,
    gateway_event_type: str | None = None,
) -> SyncResult:
    """Apply a gateway snapshot in the session's transaction and commit."""
    uow = SqlSubscriptionsUnitOfWork(session, services.clock)
    return await sync.sync_subscription(uow, services, snapshot=snapshot, gateway_event_type=gateway_event_type)


def build_services(settings: Any, sessions: Any, clock: Clock) -> SubscriptionsServices:
    """The services as the subscriptions module builds them (`settings`: the platform's
    Settings; `sessions`: its session maker), for a process that has no app state (a worker)."""
    gateway = build_gateway(settings, sessions, clock)
    return SubscriptionsServices(clock, gateway, settings.app_base_url, settings.billing_grace_days)


def services_state(app_state: Mapping[str, Any]) -> SubscriptionsServices:
    """The services the subscriptions module built for this process (from a module's state)."""
    state: SubscriptionsHttpState = app_state[SUBSCRIPTIONS_STATE_KEY]
    return state.services


__all__ = [
    "ORG_METADATA_KEY",
    "TRIAL_WILL_END",
    "BillingProfilePersonalData",
    "Entitlement",
    "EntitlementReader",
    "FeatureNotInPlan",
    "PaymentRequired",
    "SubscriptionSnapshot",
    "SubscriptionStatus",
    "SubscriptionsServices",
    "SyncOutcome",
    "SyncResult",
    "UnreadableSnapshot",
    "build_services",
    "services_state",
    "stripe_subscription_snapshot",
    "sync_subscription",
]
