"""Plans, subscriptions and their states: what the subscriptions context decides.

Prices are SGD minor units, GST-exclusive. A price is never edited: a new one replaces it
(the old one stays with what was sold at it). A subscription mirrors the gateway's (Stripe's)
object; its state only ever changes through a gateway snapshot (`Subscription.apply`), which
is version-guarded so late or repeated deliveries change nothing.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from uuid import UUID

from nexuscore.kernel.errors import FieldError, ValidationError
from nexuscore.kernel.ids import new_id

FREE_PLAN_CODE = "free"
PLAN_CODE = re.compile(r"^[a-z][a-z0-9-]{1,31}$")


class Interval(enum.StrEnum):
    MONTH = "month"
    YEAR = "year"


class Feature(enum.StrEnum):
    """Operations a plan may include; anything else is in every plan."""

    LEAD_IMPORT = "lead_import"
    LEAD_EXPORT = "lead_export"
    API_ACCESS = "api_access"
    PRIORITY_SUPPORT = "priority_support"


class SubscriptionStatus(enum.StrEnum):
    """Stripe's subscription statuses, mirrored."""

    INCOMPLETE = "incomplete"
    INCOMPLETE_EXPIRED = "incomplete_expired"
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    UNPAID = "unpaid"
    CANCELED = "canceled"
    PAUSED = "paused"

    @property
    def terminal(self) -> bool:
        return self in (SubscriptionStatus.CANCELED, SubscriptionStatus.INCOMPLETE_EXPIRED)

    @property
    def live(self) -> bool:
        """A paid subscription the organisation holds (a second checkout is refused)."""
        return self in _LIVE


S = SubscriptionStatus
_LIVE = frozenset({S.TRIALING, S.ACTIVE, S.PAST_DUE, S.UNPAID, S.PAUSED})
# The transitions Stripe makes; anything else in a snapshot is refused (and logged by the caller).
ALLOWED_TRANSITIONS: dict[SubscriptionStatus, frozenset[SubscriptionStatus]] = {
    S.INCOMPLETE: frozenset({S.ACTIVE, S.TRIALING, S.PAST_DUE, S.INCOMPLETE_EXPIRED, S.CANCELED}),
    S.INCOMPLETE_EXPIRED: frozenset(),
    S.TRIALING: frozenset({S.ACTIVE, S.PAST_DUE, S.UNPAID, S.PAUSED, S.CANCELED}),
    S.ACTIVE: frozenset({S.TRIALING, S.PAST_DUE, S.UNPAID, S.PAUSED, S.CANCELED}),
    S.PAST_DUE: frozenset({S.ACTIVE, S.UNPAID, S.PAUSED, S.CANCELED}),
    S.UNPAID: frozenset({S.ACTIVE, S.PAST_DUE, S.CANCELED}),
    S.PAUSED: frozenset({S.ACTIVE, S.TRIALING, S.CANCELED}),
    S.CANCELED: frozenset(),
}


def may_transition(old: SubscriptionStatus, new: SubscriptionStatus) -> bool:
    return old == new or new in ALLOWED_TRANSITIONS[old]


@dataclass(frozen=True)
class PlanPrice:
    """One price of a plan for one interval. Never edited; replaced by a new one."""

    interval: Interval
    amount: int  # SGD minor units, GST-exclusive
    created_at: datetime
    currency: str = "SGD"
    gateway_price_id: str | None = None
    id: UUID = field(default_factory=new_id)


@dataclass
class Plan:
    code: str
    name: str
    description: str
    created_at: datetime
    updated_at: datetime
    trial_days: int = 0
    seat_limit: int | None = None  # None: unlimited
    lead_limit: int | None = None
    features: frozenset[str] = frozenset()
    prices: dict[Interval, PlanPrice] = field(default_factory=dict)  # the current price per interval
    archived: bool = False
    gateway_product_id: str | None = None

    def __post_init__(self) -> None:
        errors = []
        if not PLAN_CODE.match(self.code):
            errors.append(FieldError("code", "2-32 lowercase letters, digits or hyphens, starting with a letter"))
        if not self.name.strip() or len(self.name) > 100:
            errors.append(FieldError("name", "1-100 characters"))
        if len(self.description) > 1000:
            errors.append(FieldError("description", "at most 1000 characters"))
        if not 0 <= self.trial_days <= 90:
            errors.append(FieldError("trialDays", "between 0 and 90"))
        for name, limit in (("seats", self.seat_limit), ("leads", self.lead_limit)):
            if limit is not None and limit < 1:
                errors.append(FieldError(f"limits.{name}", "at least 1, or null for unlimited"))
        unknown = sorted(self.features - {f.value for f in Feature})
        if unknown:
            errors.append(FieldError("features", f"unknown features {unknown}"))
        for price in self.prices.values():
            if not 0 < price.amount <= 100_000_000:
                errors.append(FieldError(f"prices.{price.interval}", "a positive amount of cents"))
        if self.code == FREE_PLAN_CODE and self.prices:
            errors.append(FieldError("prices", "the free plan has no price"))
        if errors:
            raise ValidationError("The plan is not valid.", errors=errors)

    @property
    def is_free(self) -> bool:
        return not self.prices

    def price(self, interval: Interval) -> PlanPrice | None:
        return self.prices.get(interval)

    def has_feature(self, feature: str) -> bool:
        return feature in self.features

    def set_price(self, interval: Interval, amount: int, now: datetime) -> PlanPrice:
        """A new price for new subscriptions; the old one is kept as it was (never edited)."""
        current = self.prices.get(interval)
        if current is not None and current.amount == amount:
            return current
        price = PlanPrice(interval=interval, amount=amount, created_at=now)
        changed = dict(self.prices)
        changed[interval] = price
        candidate = replace(self, prices=changed)  # validates the amount
        self.prices = candidate.prices
        self.updated_at = now
        return price


def lookup_key(plan_code: str, interval: Interval) -> str:
    """The gateway's stable name of a plan's current price (Stripe `lookup_key`)."""
    return f"{plan_code}_{interval.value}"


@dataclass(frozen=True)
class SubscriptionSnapshot:
    """The gateway's subscription as it stood at `observed_at` (the event's time, or the
    retrieval's). Stripe-shaped fields, already parsed by the gateway adapter."""

    gateway_subscription_id: str
    gateway_customer_id: str
    organization_id: UUID
    status: SubscriptionStatus
    plan_code: str
    interval: Interval
    created: datetime  # the gateway object's own creation time
    observed_at: datetime
    current_period_start: datetime | None = None
    current_period_end: datetime | None = None
    trial_start: datetime | None = None
    trial_end: datetime | None = None
    cancel_at_period_end: bool = False
    canceled_at: datetime | None = None
    ended_at: datetime | None = None
    pending_plan_code: str | None = None  # a downgrade scheduled for the period end
    pending_interval: Interval | None = None


class SyncOutcome(enum.StrEnum):
    CREATED = "created"
    APPLIED = "applied"
    STALE = "stale"  # older than what is stored: nothing changed
    TERMINAL = "terminal"  # the stored subscription ended; a late update cannot bring it back
    REFUSED = "refused"  # a status change Stripe never makes


@dataclass
class Subscription:
    organization_id: UUID
    gateway_subscription_id: str
    gateway_customer_id: str
    plan_code: str
    interval: Interval
    status: SubscriptionStatus
    gateway_created: datetime
    version_at: datetime  # observed_at of the snapshot last applied
    created_at: datetime
    updated_at: datetime
    current_period_start: datetime | None = None
    current_period_end: datetime | None = None
    trial_start: datetime | None = None
    trial_end: datetime | None = None
    cancel_at_period_end: bool = False
    canceled_at: datetime | None = None
    ended_at: datetime | None = None
    past_due_since: datetime | None = None
    pending_plan_code: str | None = None
    pending_interval: Interval | None = None
    trial_ending_noted_at: datetime | None = None
    id: UUID = field(default_factory=new_id)

    @property
    def pending_change_at(self) -> datetime | None:
        """When a scheduled downgrade applies: the current period's end (until then the
        current plan, and its limits, hold)."""
        return self.current_period_end if self.pending_plan_code else None

    @classmethod
    def from_snapshot(cls, snapshot: SubscriptionSnapshot, now: datetime) -> Subscription:
        sub = cls(
            organization_id=snapshot.organization_id,
            gateway_subscription_id=snapshot.gateway_subscription_id,
            gateway_customer_id=snapshot.gateway_customer_id,
            plan_code=snapshot.plan_code,
            interval=snapshot.interval,
            status=snapshot.status,
            gateway_created=snapshot.created,
            version_at=snapshot.observed_at,
            created_at=now,
            updated_at=now,
        )
        sub._copy(snapshot)
        return sub

    def is_older(self, snapshot: SubscriptionSnapshot) -> bool:
        """True when `snapshot` predates what is stored: by event time first, then (event times
        have one-second resolution, so ties happen) by the gateway's own timestamps: an earlier
        billing period, or no end where one is stored."""
        if snapshot.observed_at != self.version_at:
            return snapshot.observed_at < self.version_at
        stored = (self.current_period_start, self.ended_at)
        seen = (snapshot.current_period_start, snapshot.ended_at)
        for ours, theirs in zip(stored, seen, strict=True):
            if ours is not None and (theirs is None or theirs < ours):
                return True
        return False

    def apply(self, snapshot: SubscriptionSnapshot, now: datetime) -> SyncOutcome:
        if snapshot.gateway_subscription_id != self.gateway_subscription_id:
            raise ValueError("a snapshot of another subscription")
        if self.status.terminal:
            return SyncOutcome.TERMINAL
        if self.is_older(snapshot):
            return SyncOutcome.STALE
        if not may_transition(self.status, snapshot.status):
            return SyncOutcome.REFUSED
        if snapshot.status is S.PAST_DUE and self.status is not S.PAST_DUE:
            self.past_due_since = snapshot.observed_at
        elif snapshot.status not in (S.PAST_DUE, S.UNPAID):
            self.past_due_since = None
        self.status = snapshot.status
        self.plan_code = snapshot.plan_code
        self.interval = snapshot.interval
        self.version_at = snapshot.observed_at
        self._copy(snapshot)
        self.updated_at = now
        return SyncOutcome.APPLIED

    def _copy(self, s: SubscriptionSnapshot) -> None:
        self.current_period_start = s.current_period_start
        self.current_period_end = s.current_period_end
        self.trial_start = s.trial_start
        self.trial_end = s.trial_end
        self.cancel_at_period_end = s.cancel_at_period_end
        self.canceled_at = s.canceled_at
        self.ended_at = s.ended_at
        self.pending_plan_code = s.pending_plan_code
        self.pending_interval = s.pending_interval
        if s.status is S.PAST_DUE and self.past_due_since is None:
            self.past_due_since = s.observed_at


class OverseasEvidence(enum.StrEnum):
    """How a customer's belonging to a country outside Singapore was established (GST s21(3))."""

    BILLING_ADDRESS = "billing_address"
    REGISTRATION_DOCUMENT = "registration_document"
    DECLARATION = "declaration"
    PAYMENT_METHOD = "payment_method"


@dataclass
class BillingProfile:
    """Who the organisation is billed as; synced to the gateway customer (tax ids included)."""

    organization_id: UUID
    legal_name: str
    billing_email: str
    address_lines: tuple[str, ...]
    postal_code: str
    country: str  # ISO 3166-1 alpha-2
    updated_at: datetime
    uen: str | None = None
    gst_registration_number: str | None = None
    belonging_country: str | None = None  # overseas customers: the country they belong in
    belonging_evidence: OverseasEvidence | None = None
    gateway_customer_id: str | None = None


class ProfileSyncOutcome(enum.StrEnum):
    CREATED = "created"
    APPLIED = "applied"
    UNCHANGED = "unchanged"  # the gateway holds what we hold (our own push coming back)
    STALE = "stale"  # not newer than the profile's last change: nothing changed
    NOT_OURS = "not-ours"  # no organisation of ours has this customer


@dataclass(frozen=True)
class GatewayCustomer:
    """The gateway's customer as of `observed_at` (the event's time, or a refetch's): what a
    billing profile is made of. `tax_ids_known` is False when the object came without them
    (Stripe leaves them out of the customer unless expanded): ours are kept then."""

    gateway_customer_id: str
    organization_id: UUID | None
    legal_name: str | None
    billing_email: str | None
    address_lines: tuple[str, ...]
    postal_code: str | None
    country: str | None
    uen: str | None
    gst_registration_number: str | None
    tax_ids_known: bool
    deleted: bool
    observed_at: datetime
