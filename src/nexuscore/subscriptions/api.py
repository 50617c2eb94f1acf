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
  once); `stripe_customer_snapshot(obj, observed_at=...)` reads a Stripe `customer` into a
  `GatewayCustomer`, and `sync_billing_profile(session, services, customer=...)` takes it
  into the billing profile (version-guarded by the gateway's time against the profile's
  last change; `ProfileSyncOutcome`; a ValidationError when the gateway holds data we refuse).
  `services_for(sessions)` is the process's one `SubscriptionsServices` (built by this
  context's module on the same session maker: one gateway, one StripeClient per process),
  whose `gateway.retrieve_subscription_object(id)`, `gateway.retrieve_customer_object(id)`
  (Stripe-shaped JSON) and `gateway.list_event_objects(since)` serve the inbox's re-reads and
  backfill. `ORG_METADATA_KEY`: the metadata key naming the organisation on a gateway
  subscription (checkout's `client_reference_id` is the same id).
- For billing: `read_billing_profile(session, org_id)` is the organisation's `BillingProfile`
  (legal name, billing email, address, UEN, GST number, overseas evidence) or None; the
  session's row-level security scope must cover the organisation (its tenant or the system).
- `BillingProfilePersonalData(sessions, gateway, clock)`: this context's `PersonalDataProvider`
  (kernel.personal_data); its erasure also masks the gateway customer's contact (the module
  builds it on the process's one gateway).

Routes, commands and wiring are in `module.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.kernel.clock import SystemClock
from nexuscore.kernel.errors import ValidationError
from nexuscore.subscriptions.adapters.entitlements_reader import EntitlementReader
from nexuscore.subscriptions.adapters.gateways.stripe_shapes import ORG_METADATA_KEY, UnreadableSnapshot
from nexuscore.subscriptions.adapters.gateways.stripe_shapes import customer_snapshot as stripe_customer_snapshot
from nexuscore.subscriptions.adapters.gateways.stripe_shapes import (
    subscription_snapshot as stripe_subscription_snapshot,
)
from nexuscore.subscriptions.adapters.http.state import SUBSCRIPTIONS_STATE_KEY, SubscriptionsHttpState
from nexuscore.subscriptions.adapters.shared import services_for
from nexuscore.subscriptions.adapters.sql.personal_data import BillingProfilePersonalData
from nexuscore.subscriptions.adapters.sql.repositories import SqlBillingProfileRepository
from nexuscore.subscriptions.adapters.sql.unit_of_work import SqlSubscriptionsUnitOfWork
from nexuscore.subscriptions.application import billing_profiles, sync
from nexuscore.subscriptions.application.services import SubscriptionsServices
from nexuscore.subscriptions.application.sync import TRIAL_WILL_END, SyncResult
from nexuscore.subscriptions.domain.entitlements import Entitlement, FeatureNotInPlan, PaymentRequired
from nexuscore.subscriptions.domain.model import (
    BillingProfile,
    GatewayCustomer,
    OverseasEvidence,
    ProfileSyncOutcome,
    SubscriptionSnapshot,
    SubscriptionStatus,
    SyncOutcome,
)


async def read_billing_profile(session: AsyncSession, org_id: UUID) -> BillingProfile | None:
    """The organisation's billing profile, read in the session's transaction (a read needs no clock)."""
    return await SqlBillingProfileRepository(session, SystemClock()).get(org_id)


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


async def sync_billing_profile(
    session: AsyncSession, services: SubscriptionsServices, *, customer: GatewayCustomer
) -> ProfileSyncOutcome:
    """Take the gateway's customer into the billing profile (in the session's transaction; commits)."""
    uow = SqlSubscriptionsUnitOfWork(session, services.clock)
    return await billing_profiles.sync_billing_profile(uow, services, customer=customer)


def services_state(app_state: Mapping[str, Any]) -> SubscriptionsServices:
    """The services the subscriptions module built for this process (from a module's state)."""
    state: SubscriptionsHttpState = app_state[SUBSCRIPTIONS_STATE_KEY]
    return state.services


__all__ = [
    "ORG_METADATA_KEY",
    "TRIAL_WILL_END",
    "BillingProfile",
    "BillingProfilePersonalData",
    "Entitlement",
    "EntitlementReader",
    "FeatureNotInPlan",
    "GatewayCustomer",
    "OverseasEvidence",
    "PaymentRequired",
    "ProfileSyncOutcome",
    "SubscriptionSnapshot",
    "SubscriptionStatus",
    "SubscriptionsServices",
    "SyncOutcome",
    "SyncResult",
    "UnreadableSnapshot",
    "ValidationError",
    "read_billing_profile",
    "services_for",
    "services_state",
    "stripe_customer_snapshot",
    "stripe_subscription_snapshot",
    "sync_billing_profile",
    "sync_subscription",
]
