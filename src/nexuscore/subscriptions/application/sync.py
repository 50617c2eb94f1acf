"""`sync_subscription(snapshot)`: the one way a subscription's state changes.

Webhook deliveries (the inbox), the local gateway's checkout page and our own commands'
gateway answers all come through here. Version-guarded: a snapshot older than the stored one
changes nothing, an ended subscription is never brought back, and a status change Stripe
never makes is refused. Concurrent syncs of one subscription serialise on its row lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nexuscore.kernel.errors import Conflict
from nexuscore.kernel.events import DomainEvent
from nexuscore.subscriptions.application.services import SubscriptionsServices
from nexuscore.subscriptions.domain import events as ev
from nexuscore.subscriptions.domain.model import (
    Subscription,
    SubscriptionSnapshot,
    SubscriptionStatus,
    SyncOutcome,
)
from nexuscore.subscriptions.ports.repositories import SubscriptionsUnitOfWork

TRIAL_WILL_END = "customer.subscription.trial_will_end"


@dataclass(frozen=True)
class SyncResult:
    outcome: SyncOutcome
    subscription: Subscription


async def sync_subscription(
    uow: SubscriptionsUnitOfWork,
    services: SubscriptionsServices,
    *,
    snapshot: SubscriptionSnapshot,
    gateway_event_type: str | None = None,
) -> SyncResult:
    result = await apply_snapshot(uow, services, snapshot=snapshot, gateway_event_type=gateway_event_type)
    await uow.commit()
    return result


async def apply_snapshot(
    uow: SubscriptionsUnitOfWork,
    services: SubscriptionsServices,
    *,
    snapshot: SubscriptionSnapshot,
    gateway_event_type: str | None = None,
) -> SyncResult:
    """`sync_subscription` without the commit, for use cases that call the gateway first."""
    await uow.bind_tenant(snapshot.organization_id)
    now = services.clock.now()
    stored = await uow.subscriptions.get_by_gateway_id(snapshot.gateway_subscription_id, for_update=True)
    if stored is None:
        subscription = Subscription.from_snapshot(snapshot, now)
        await uow.subscriptions.add(subscription)
        await uow.events.append(*_created_events(subscription, snapshot))
        return SyncResult(SyncOutcome.CREATED, subscription)
    if stored.organization_id != snapshot.organization_id:
        raise Conflict("The snapshot names another organisation than the stored subscription.")
    before = _Seen(stored)
    outcome = stored.apply(snapshot, now)
    events: list[DomainEvent] = []
    if outcome is SyncOutcome.APPLIED:
        events = _change_events(before, stored, snapshot)
    if gateway_event_type == TRIAL_WILL_END and stored.trial_ending_noted_at is None and not stored.status.terminal:
        stored.trial_ending_noted_at = now
        events.append(ev.SubscriptionTrialEnding(**_common(stored, snapshot), trial_end=stored.trial_end))
    if outcome is SyncOutcome.APPLIED or events:
        await uow.subscriptions.save(stored)
        await uow.events.append(*events)
    return SyncResult(outcome, stored)


@dataclass(frozen=True)
class _Seen:
    status: SubscriptionStatus
    plan_code: str
    cancel_at_period_end: bool
    pending_plan_code: str | None

    def __init__(self, s: Subscription) -> None:
        object.__setattr__(self, "status", s.status)
        object.__setattr__(self, "plan_code", s.plan_code)
        object.__setattr__(self, "cancel_at_period_end", s.cancel_at_period_end)
        object.__setattr__(self, "pending_plan_code", s.pending_plan_code)


def _common(s: Subscription, snapshot: SubscriptionSnapshot) -> dict[str, Any]:
    return {
        "occurred_at": snapshot.observed_at,
        "organization_id": s.organization_id,
        "gateway_subscription_id": s.gateway_subscription_id,
        "plan_code": s.plan_code,
        "status": s.status.value,
    }


def _created_events(s: Subscription, snapshot: SubscriptionSnapshot) -> list[DomainEvent]:
    common = _common(s, snapshot)
    out: list[DomainEvent] = [ev.SubscriptionCreated(**common, interval=s.interval.value)]
    if s.status is SubscriptionStatus.ACTIVE:
        out.append(ev.SubscriptionActivated(**common))
    return out


def _change_events(before: _Seen, s: Subscription, snapshot: SubscriptionSnapshot) -> list[DomainEvent]:
    c = _common(s, snapshot)
    out: list[DomainEvent] = []
    S = SubscriptionStatus
    if s.plan_code != before.plan_code:
        out.append(ev.SubscriptionPlanChanged(**c, previous_plan_code=before.plan_code, interval=s.interval.value))
    if s.pending_plan_code and s.pending_plan_code != before.pending_plan_code:
        out.append(
            ev.SubscriptionChangeScheduled(
                **c, pending_plan_code=s.pending_plan_code, effective_at=s.current_period_end
            )
        )
    if s.status != before.status:
        if s.status is S.ACTIVE:
            out.append(ev.SubscriptionActivated(**c))
        elif s.status is S.PAST_DUE:
            out.append(ev.SubscriptionPastDue(**c))
        elif s.status is S.CANCELED:
            out.append(ev.SubscriptionCanceled(**c, ended_at=s.ended_at))
        else:
            out.append(ev.SubscriptionStatusChanged(**c, previous_status=before.status.value))
    if s.status is not S.CANCELED and s.cancel_at_period_end != before.cancel_at_period_end:
        if s.cancel_at_period_end:
            out.append(ev.SubscriptionCancellationScheduled(**c, cancel_at=s.current_period_end))
        else:
            out.append(ev.SubscriptionResumed(**c))
    return out
