"""The subscriptions context behind the inbox's target ports, through `subscriptions.api` only.

- `SubscriptionsContextSync`: a snapshot's Stripe object (`raw`, the payload or the refetch)
  is read by subscriptions' own parser (`stripe_subscription_snapshot`, observed at the event's
  `created` or the refetch time) and applied by its version-guarded `sync_subscription`.
  Outcomes map to the inbox's: created/applied → applied; stale → stale (the handler refetches
  the truth); refused (a status change Stripe never makes: the payload is suspect) → stale, so
  it is refetched too; terminal (the stored subscription ended; nothing can change it) →
  unchanged, with no pointless refetch. An object subscriptions cannot read as one of ours (no
  `organization_id` metadata, a price without a `<plan>_<interval>` lookup key) raises
  `NotApplicable`: the event ends `ignored` with the reason, never retried.
- Two first deliveries of one subscription at once (`checkout.session.completed` and
  `customer.subscription.created`): both find no row, one insert wins the unique gateway id,
  the loser's commit fails; it is run once more, finds the winner's row and goes through the
  version guard like any later delivery (applied at the same time, or stale), never an error.
- `SubscriptionsGatewayObjects`: the inbox's refetch of a subscription through subscriptions'
  gateway (Stripe's pinned client, or the local gateway's store); customers and the event list
  (backfill) from `fallback` (webhooks' StripeHttpGateway when STRIPE_SECRET_KEY is set).
- `IgnoredBillingProfileSync`: subscriptions has no use case taking the gateway's customer
  (billing profiles are edited here and pushed to Stripe, never pulled), so `customer.updated`
  ends `ignored` with that reason instead of failing.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.subscriptions import api as subscriptions
from nexuscore.webhooks.ports.targets import (
    BillingProfileSnapshot,
    GatewayEvent,
    NotApplicable,
    PaymentGateway,
    SubscriptionSnapshot,
    SyncOutcome,
    TrialEnding,
)

logger = logging.getLogger(__name__)

_OUTCOMES = {
    subscriptions.SyncOutcome.CREATED: SyncOutcome.APPLIED,
    subscriptions.SyncOutcome.APPLIED: SyncOutcome.APPLIED,
    subscriptions.SyncOutcome.STALE: SyncOutcome.STALE,
    subscriptions.SyncOutcome.REFUSED: SyncOutcome.STALE,
    subscriptions.SyncOutcome.TERMINAL: SyncOutcome.UNCHANGED,
}


def _with_organization(raw: Mapping[str, Any], hint: str | None) -> Mapping[str, Any]:
    """The checkout's tenant (client_reference_id) as metadata, when the object lacks it."""
    metadata = raw.get("metadata")
    metadata = dict(metadata) if isinstance(metadata, Mapping) else {}
    if hint and not metadata.get(subscriptions.ORG_METADATA_KEY):
        return {**raw, "metadata": {**metadata, subscriptions.ORG_METADATA_KEY: hint}}
    return raw


class SubscriptionsContextSync:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], services: subscriptions.SubscriptionsServices
    ) -> None:
        self._sessions = sessions
        self._services = services

    def _parse(self, snapshot: SubscriptionSnapshot) -> subscriptions.SubscriptionSnapshot:
        if snapshot.provider != "stripe" or not snapshot.raw:
            raise NotApplicable(f"no {snapshot.provider} subscription object to read")
        raw = _with_organization(snapshot.raw, snapshot.organization_hint)
        try:
            return subscriptions.stripe_subscription_snapshot(raw, observed_at=snapshot.as_of)
        except (subscriptions.UnreadableSnapshot, ValueError) as exc:
            raise NotApplicable(f"subscription {snapshot.subscription_id} is not one of ours: {exc}") from None

    async def _sync(self, snapshot: SubscriptionSnapshot, event_type: str | None) -> SyncOutcome:
        parsed = self._parse(snapshot)
        for last_try in (False, True):
            try:
                async with self._sessions() as session:
                    result = await subscriptions.sync_subscription(
                        session, self._services, snapshot=parsed, gateway_event_type=event_type
                    )
                break
            except IntegrityError:
                if last_try:
                    raise
                logger.info("subscription %s: created concurrently; syncing again", parsed.gateway_subscription_id)
        if result.outcome is subscriptions.SyncOutcome.REFUSED:
            logger.warning(
                "subscription %s: %s → %s refused (a change Stripe never makes)",
                parsed.gateway_subscription_id,
                result.subscription.status.value,
                parsed.status.value,
            )
        return _OUTCOMES[result.outcome]

    async def sync_subscription(self, snapshot: SubscriptionSnapshot) -> SyncOutcome:
        return await self._sync(snapshot, None)

    async def trial_will_end(self, notice: TrialEnding) -> None:
        # The same snapshot again, with the event type: subscriptions notes the trial's end once.
        await self._sync(notice.subscription, subscriptions.TRIAL_WILL_END)


class IgnoredBillingProfileSync:
    async def sync_billing_profile(self, snapshot: BillingProfileSnapshot) -> SyncOutcome:
        raise NotApplicable("billing profiles are kept by NexusCore and pushed to the gateway, not pulled from it")


class SubscriptionsGatewayObjects:
    def __init__(self, services: subscriptions.SubscriptionsServices, fallback: PaymentGateway) -> None:
        self._services = services
        self._fallback = fallback

    async def fetch_subscription(self, subscription_id: str) -> Mapping[str, Any]:
        return await self._services.gateway.retrieve_subscription_object(subscription_id)

    async def fetch_customer(self, customer_id: str) -> Mapping[str, Any]:
        return await self._fallback.fetch_customer(customer_id)

    def list_events(self, *, since: datetime) -> AsyncIterator[GatewayEvent]:
        return self._fallback.list_events(since=since)
