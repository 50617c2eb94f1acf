"""What an organisation may do: the effective plan, its limits and features, and standing.

The effective plan is the subscription's while it is trialing or active, or past due within
the grace period; otherwise the free plan. Past due (or unpaid) beyond the grace period makes
the organisation read-only until paid. Nothing is ever deleted for being over a limit: the
limits stop creation only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from nexuscore.kernel.errors import QuotaExceeded
from nexuscore.subscriptions.domain.model import FREE_PLAN_CODE, Feature, Plan, Subscription, SubscriptionStatus

DEFAULT_GRACE_DAYS = 7


class FeatureNotInPlan(QuotaExceeded):
    code = "feature-not-in-plan"
    default_message = "Your plan does not include this feature."


class PaymentRequired(QuotaExceeded):
    code = "payment-required"
    default_message = "Payment is overdue: the organisation is read-only until the invoice is paid."


@dataclass(frozen=True)
class Entitlement:
    plan_code: str
    seat_limit: int | None
    lead_limit: int | None
    features: frozenset[str]
    read_only: bool = False
    # False while the catalogue has no free plan yet (not seeded): nothing is limited then.
    catalogued: bool = True

    def require_feature(self, feature: str) -> None:
        if feature not in self.features:
            raise FeatureNotInPlan(
                f"The {self.plan_code} plan does not include {feature.replace('_', ' ')}.",
                extra={"feature": feature, "planCode": self.plan_code},
            )


def _within_grace(subscription: Subscription, now: datetime, grace: timedelta) -> bool:
    since = subscription.past_due_since or subscription.version_at
    return now <= since + grace


def effective_plan_code(subscription: Subscription | None, now: datetime, grace_days: int) -> str:
    if subscription is None:
        return FREE_PLAN_CODE
    status = subscription.status
    if status in (SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE):
        return subscription.plan_code
    if status is SubscriptionStatus.PAST_DUE and _within_grace(subscription, now, timedelta(days=grace_days)):
        return subscription.plan_code
    return FREE_PLAN_CODE


def is_read_only(subscription: Subscription | None, now: datetime, grace_days: int) -> bool:
    if subscription is None or subscription.status not in (SubscriptionStatus.PAST_DUE, SubscriptionStatus.UNPAID):
        return False
    return not _within_grace(subscription, now, timedelta(days=grace_days))


def entitlement_of(plan: Plan | None, *, read_only: bool = False) -> Entitlement:
    if plan is None:
        return Entitlement(FREE_PLAN_CODE, None, None, frozenset(f.value for f in Feature), read_only, catalogued=False)
    return Entitlement(plan.code, plan.seat_limit, plan.lead_limit, plan.features, read_only)


@dataclass(frozen=True)
class Usage:
    seats: int  # members + pending invitations
    leads: int  # active leads


@dataclass(frozen=True)
class LimitExceeded:
    limit: str  # "seats" | "leads"
    used: int
    allowed: int


def exceeded_limits(plan: Plan, usage: Usage) -> list[LimitExceeded]:
    """The new plan's limits the organisation's current usage is over (a downgrade refuses)."""
    found = []
    if plan.seat_limit is not None and usage.seats > plan.seat_limit:
        found.append(LimitExceeded("seats", usage.seats, plan.seat_limit))
    if plan.lead_limit is not None and usage.leads > plan.lead_limit:
        found.append(LimitExceeded("leads", usage.leads, plan.lead_limit))
    return found
