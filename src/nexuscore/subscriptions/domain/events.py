"""Subscriptions domain events. Each carries `organization_id`; the subject is the
subscription (`subscription:<gateway id>`), or the organisation for a checkout. Payloads hold
plan codes, statuses and times, never card or personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from nexuscore.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class SubscriptionEvent(DomainEvent):
    organization_id: UUID
    gateway_subscription_id: str
    plan_code: str
    status: str

    @property
    def subject(self) -> str | None:
        return f"subscription:{self.gateway_subscription_id}"


@dataclass(frozen=True, kw_only=True)
class CheckoutStarted(DomainEvent):
    name: ClassVar[str] = "subscription.checkout_started"
    organization_id: UUID
    session_id: str
    plan_code: str
    interval: str
    trial_days: int

    @property
    def subject(self) -> str | None:
        return f"organization:{self.organization_id}"


@dataclass(frozen=True, kw_only=True)
class SubscriptionCreated(SubscriptionEvent):
    name: ClassVar[str] = "subscription.created"
    interval: str


@dataclass(frozen=True, kw_only=True)
class SubscriptionActivated(SubscriptionEvent):
    name: ClassVar[str] = "subscription.activated"


@dataclass(frozen=True, kw_only=True)
class SubscriptionPlanChanged(SubscriptionEvent):
    name: ClassVar[str] = "subscription.plan_changed"
    previous_plan_code: str
    interval: str


@dataclass(frozen=True, kw_only=True)
class SubscriptionChangeScheduled(SubscriptionEvent):
    name: ClassVar[str] = "subscription.change_scheduled"
    pending_plan_code: str
    effective_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class SubscriptionPastDue(SubscriptionEvent):
    name: ClassVar[str] = "subscription.past_due"


@dataclass(frozen=True, kw_only=True)
class SubscriptionStatusChanged(SubscriptionEvent):
    """Any other status change (unpaid, paused, incomplete_expired...)."""

    name: ClassVar[str] = "subscription.status_changed"
    previous_status: str


@dataclass(frozen=True, kw_only=True)
class SubscriptionCancellationScheduled(SubscriptionEvent):
    name: ClassVar[str] = "subscription.cancellation_scheduled"
    cancel_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class SubscriptionResumed(SubscriptionEvent):
    name: ClassVar[str] = "subscription.resumed"


@dataclass(frozen=True, kw_only=True)
class SubscriptionCanceled(SubscriptionEvent):
    name: ClassVar[str] = "subscription.canceled"
    ended_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class SubscriptionTrialEnding(SubscriptionEvent):
    name: ClassVar[str] = "subscription.trial_ending"
    trial_end: datetime | None


@dataclass(frozen=True, kw_only=True)
class PlanEvent(DomainEvent):
    plan_code: str

    @property
    def subject(self) -> str | None:
        return f"plan:{self.plan_code}"


@dataclass(frozen=True, kw_only=True)
class PlanCreated(PlanEvent):
    name: ClassVar[str] = "plan.created"


@dataclass(frozen=True, kw_only=True)
class PlanUpdated(PlanEvent):
    name: ClassVar[str] = "plan.updated"
    replaced_prices: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PlanArchived(PlanEvent):
    name: ClassVar[str] = "plan.archived"
