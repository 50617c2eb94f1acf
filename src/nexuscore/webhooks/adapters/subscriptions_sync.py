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
- `SubscriptionsBillingProfileSync`: `customer.updated` takes the gateway's customer into the
  billing profile through subscriptions' `sync_billing_profile` (its own parser reads the raw
  customer; version-guarded by the event time against the profile's last change, so our own
  pushes coming back change nothing). Outcomes: created/applied → applied; unchanged →
  unchanged; stale → stale (the handler refetches the truth); a customer of no organisation of
  ours, or one holding data we refuse, raises `NotApplicable`.
- `SubscriptionsGatewayObjects`: the inbox's refetches (subscription, customer) and the event
  list of `webhooks backfill`, all through subscriptions' one gateway (Stripe's pinned client,
  or the local gateway's store).
- The subscriptions services are the process's one instance (`subscriptions.services_for`),
  looked up at first use: the subscriptions module is built on the same session maker.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.subscriptions import api as subscriptions
from nexuscore.webhooks.ports.targets import (
    BillingProfileSnapshot,
    GatewayEvent,
    NotApplicable,
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


Services = Callable[[], subscriptions.SubscriptionsServices]


class SubscriptionsContextSync:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], services: Services) -> None:
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
                        session, self._services(), snapshot=parsed, gateway_event_type=event_type
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


_PROFILE_OUTCOMES = {
    subscriptions.ProfileSyncOutcome.CREATED: SyncOutcome.APPLIED,
    subscriptions.ProfileSyncOutcome.APPLIED: SyncOutcome.APPLIED,
    subscriptions.ProfileSyncOutcome.UNCHANGED: SyncOutcome.UNCHANGED,
    subscriptions.ProfileSyncOutcome.STALE: SyncOutcome.STALE,
}


class SubscriptionsBillingProfileSync:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], services: Services) -> None:
        self._sessions = sessions
        self._services = services

    async def sync_billing_profile(self, snapshot: BillingProfileSnapshot) -> SyncOutcome:
        if snapshot.provider != "stripe" or not snapshot.raw:
            raise NotApplicable(f"no {snapshot.provider} customer object to read")
        customer = subscriptions.stripe_customer_snapshot(snapshot.raw, observed_at=snapshot.as_of)
        try:
            async with self._sessions() as session:
                outcome = await subscriptions.sync_billing_profile(session, self._services(), customer=customer)
        except subscriptions.ValidationError as exc:
            raise NotApplicable(f"customer {snapshot.customer_id}: the gateway holds data we refuse: {exc}") from None
        if outcome is subscriptions.ProfileSyncOutcome.NOT_OURS:
            raise NotApplicable(f"customer {snapshot.customer_id} is no organisation's of ours")
        return _PROFILE_OUTCOMES[outcome]


class SubscriptionsGatewayObjects:
    def __init__(self, services: Services) -> None:
        self._services = services

    async def fetch_subscription(self, subscription_id: str) -> Mapping[str, Any]:
        return await self._services().gateway.retrieve_subscription_object(subscription_id)

    async def fetch_customer(self, customer_id: str) -> Mapping[str, Any]:
        return await self._services().gateway.retrieve_customer_object(customer_id)

    async def list_events(self, *, since: datetime) -> AsyncIterator[GatewayEvent]:
        async for event in self._services().gateway.list_event_objects(since):
            # Re-serialised here: listed events have no raw delivery body to keep.
            yield GatewayEvent(payload=json.dumps(event, separators=(",", ":")), data=event)
