"""In-memory fakes of the subscriptions ports (unit tests, contract tests).

Writes are staged on a copy and applied on commit, as the SQL adapter's transaction does;
everything handed out is a copy. `add` of a taken key raises IntegrityViolation, as the
database's unique index would.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from nexuscore.kernel.clock import Clock
from nexuscore.kernel.events import DomainEvent, EventRecord, as_record
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.subscriptions.domain.entitlements import Usage
from nexuscore.subscriptions.domain.model import (
    BillingProfile,
    Interval,
    Plan,
    Subscription,
    SubscriptionStatus,
)


class IntegrityViolation(Exception):
    """What the database would refuse with an integrity error."""


@dataclass
class SubscriptionsState:
    plans: dict[str, Plan] = field(default_factory=dict)
    # every price a plan ever had: (plan code, interval, amount, price id, current)
    prices: list[tuple[str, Interval, int, UUID, bool]] = field(default_factory=list)
    subscriptions: dict[str, Subscription] = field(default_factory=dict)  # by gateway id
    profiles: dict[UUID, BillingProfile] = field(default_factory=dict)
    customers: dict[UUID, str] = field(default_factory=dict)
    events: list[EventRecord] = field(default_factory=list)


def _plan_order(plan: Plan) -> tuple[int, str]:
    month = plan.price(Interval.MONTH)
    return (month.amount if month else 0, plan.code)


class InMemoryPlans:
    def __init__(self, state: SubscriptionsState) -> None:
        self._st = state

    async def get(self, code: str) -> Plan | None:
        return copy.deepcopy(self._st.plans.get(code))

    async def list(self, *, include_archived: bool = False) -> Sequence[Plan]:
        plans = [p for p in self._st.plans.values() if include_archived or not p.archived]
        return [copy.deepcopy(p) for p in sorted(plans, key=_plan_order)]

    async def add(self, plan: Plan) -> None:
        if plan.code in self._st.plans:
            raise IntegrityViolation(f"plan {plan.code} exists")
        self._st.plans[plan.code] = copy.deepcopy(plan)
        self._record_prices(plan)

    async def save(self, plan: Plan) -> None:
        if plan.code not in self._st.plans:
            return
        self._st.plans[plan.code] = copy.deepcopy(plan)
        self._record_prices(plan)

    def _record_prices(self, plan: Plan) -> None:
        current = {p.id for p in plan.prices.values()}
        known = {row[3] for row in self._st.prices}
        self._st.prices = [
            (code, i, amount, pid, pid in current) if code == plan.code else (code, i, amount, pid, live)
            for code, i, amount, pid, live in self._st.prices
        ]
        for price in plan.prices.values():
            if price.id not in known:
                self._st.prices.append((plan.code, price.interval, price.amount, price.id, True))

    async def price_history(self, code: str) -> Sequence[tuple[str, int, bool]]:
        return [(i.value, amount, live) for c, i, amount, _, live in self._st.prices if c == code]


class InMemorySubscriptions:
    def __init__(self, state: SubscriptionsState, committed: SubscriptionsState) -> None:
        self._st = state
        self._committed = committed

    async def get_by_gateway_id(self, gateway_subscription_id: str, *, for_update: bool = False) -> Subscription | None:
        if for_update:
            # A locking read sees the latest commit, as SELECT ... FOR UPDATE does in SQL.
            latest = self._committed.subscriptions.get(gateway_subscription_id)
            if latest is not None:
                self._st.subscriptions[gateway_subscription_id] = copy.deepcopy(latest)
        return copy.deepcopy(self._st.subscriptions.get(gateway_subscription_id))

    def _of(self, org_id: UUID) -> list[Subscription]:
        found = [s for s in self._st.subscriptions.values() if s.organization_id == org_id]
        return sorted(found, key=lambda s: (s.gateway_created, s.created_at, str(s.id)), reverse=True)

    async def current_for_org(self, org_id: UUID) -> Subscription | None:
        subs = self._of(org_id)
        live = [s for s in subs if s.status.live]
        chosen = live or subs
        return copy.deepcopy(chosen[0]) if chosen else None

    async def org_had_trial(self, org_id: UUID) -> bool:
        return any(s.trial_start is not None for s in self._of(org_id))

    async def add(self, subscription: Subscription) -> None:
        if subscription.gateway_subscription_id in self._st.subscriptions:
            raise IntegrityViolation(f"subscription {subscription.gateway_subscription_id} exists")
        self._st.subscriptions[subscription.gateway_subscription_id] = copy.deepcopy(subscription)

    async def save(self, subscription: Subscription) -> None:
        if subscription.gateway_subscription_id in self._st.subscriptions:
            self._st.subscriptions[subscription.gateway_subscription_id] = copy.deepcopy(subscription)

    async def list(
        self, page: PageRequest, *, status: SubscriptionStatus | None = None, plan_code: str | None = None
    ) -> Page[Subscription]:
        found = [
            s
            for s in self._st.subscriptions.values()
            if (status is None or s.status is status) and (plan_code is None or s.plan_code == plan_code)
        ]
        found.sort(key=lambda s: (s.created_at, s.id), reverse=True)
        items = [copy.deepcopy(s) for s in found[page.offset : page.offset + page.limit]]
        return Page(items, len(found), page.limit, page.offset)


class InMemoryBillingProfiles:
    def __init__(self, state: SubscriptionsState) -> None:
        self._st = state

    async def get(self, org_id: UUID) -> BillingProfile | None:
        profile = copy.deepcopy(self._st.profiles.get(org_id))
        if profile is not None:
            profile.gateway_customer_id = self._st.customers.get(org_id)
        return profile

    async def save(self, profile: BillingProfile) -> None:
        self._st.profiles[profile.organization_id] = copy.deepcopy(profile)

    async def customer_id(self, org_id: UUID) -> str | None:
        return self._st.customers.get(org_id)

    async def set_customer_id(self, org_id: UUID, customer_id: str) -> None:
        if org_id in self._st.customers:
            raise IntegrityViolation(f"organisation {org_id} has a customer")
        self._st.customers[org_id] = customer_id


class _Events:
    def __init__(self, state: SubscriptionsState) -> None:
        self._st = state

    async def append(self, *events: DomainEvent | EventRecord) -> None:
        self._st.events.extend(as_record(e) for e in events)


class FixedUsage:
    """Usage a test sets per organisation (zero by default)."""

    def __init__(self) -> None:
        self.by_org: dict[UUID, Usage] = {}

    async def usage(self, org_id: UUID) -> Usage:
        return self.by_org.get(org_id, Usage(0, 0))


class InMemorySubscriptionsUnitOfWork:
    def __init__(self, committed: SubscriptionsState, clock: Clock, *, usage: FixedUsage | None = None) -> None:
        self.committed = committed
        self.clock = clock
        self.commits = 0
        self._usage = usage or FixedUsage()
        self.tenant: UUID | None = None
        self._begin()

    def _begin(self) -> None:
        self._staged = copy.deepcopy(self.committed)
        self._plans = InMemoryPlans(self._staged)
        self._subscriptions = InMemorySubscriptions(self._staged, self.committed)
        self._profiles = InMemoryBillingProfiles(self._staged)
        self._events = _Events(self._staged)

    @property
    def plans(self) -> InMemoryPlans:
        return self._plans

    @property
    def subscriptions(self) -> InMemorySubscriptions:
        return self._subscriptions

    @property
    def billing_profiles(self) -> InMemoryBillingProfiles:
        return self._profiles

    @property
    def usage(self) -> FixedUsage:
        return self._usage

    @property
    def events(self) -> _Events:
        return self._events

    async def bind_tenant(self, org_id: UUID) -> None:
        self.tenant = org_id

    async def bind_system(self) -> None:
        self.tenant = None

    async def commit(self) -> None:
        self.committed.__dict__.update(self._staged.__dict__)
        self.commits += 1
        self._begin()

    async def rollback(self) -> None:
        self._begin()
