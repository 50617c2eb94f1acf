"""Repository ports of the subscriptions context and its unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from nexuscore.kernel.events import EventRecorder
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.subscriptions.domain.entitlements import Usage
from nexuscore.subscriptions.domain.model import BillingProfile, Plan, Subscription, SubscriptionStatus


class PlanRepository(Protocol):
    """The catalogue (a platform-wide table, no tenant)."""

    async def get(self, code: str) -> Plan | None: ...

    async def list(self, *, include_archived: bool = False) -> Sequence[Plan]:
        """Ordered by the monthly price (free first), then code."""
        ...

    async def add(self, plan: Plan) -> None:
        """Raises on a taken code (the caller checks first)."""
        ...

    async def save(self, plan: Plan) -> None:
        """Writes the plan; a current price not stored yet is added, and the plan's prices that
        are no longer current are marked replaced (never updated otherwise, never deleted)."""
        ...

    async def price_history(self, code: str) -> Sequence[tuple[str, int, bool]]:
        """(interval, amount, current) of every price the plan ever had, oldest first."""
        ...


class SubscriptionRepository(Protocol):
    async def get_by_gateway_id(self, gateway_subscription_id: str, *, for_update: bool = False) -> Subscription | None:
        """`for_update` locks the row until the transaction ends (concurrent syncs serialise)."""
        ...

    async def current_for_org(self, org_id: UUID) -> Subscription | None:
        """The organisation's live subscription, else its most recently created one."""
        ...

    async def org_had_trial(self, org_id: UUID) -> bool: ...

    async def add(self, subscription: Subscription) -> None: ...

    async def save(self, subscription: Subscription) -> None: ...

    async def list(
        self, page: PageRequest, *, status: SubscriptionStatus | None = None, plan_code: str | None = None
    ) -> Page[Subscription]:
        """Every organisation's (staff), newest first."""
        ...


class BillingProfileRepository(Protocol):
    async def get(self, org_id: UUID) -> BillingProfile | None: ...

    async def save(self, profile: BillingProfile) -> None:
        """Insert or replace the organisation's profile."""
        ...

    async def customer_id(self, org_id: UUID) -> str | None:
        """The organisation's gateway customer, once one was created (profile or not)."""
        ...

    async def set_customer_id(self, org_id: UUID, customer_id: str) -> None: ...


class UsageReader(Protocol):
    """What the organisation uses, read from the organisations and leads contexts."""

    async def usage(self, org_id: UUID) -> Usage: ...


class SubscriptionsUnitOfWork(Protocol):
    @property
    def plans(self) -> PlanRepository: ...

    @property
    def subscriptions(self) -> SubscriptionRepository: ...

    @property
    def billing_profiles(self) -> BillingProfileRepository: ...

    @property
    def usage(self) -> UsageReader: ...

    @property
    def events(self) -> EventRecorder: ...

    async def bind_tenant(self, org_id: UUID) -> None:
        """Scope the transaction to one organisation (row-level security on PostgreSQL)."""
        ...

    async def bind_system(self) -> None:
        """Every organisation's rows (staff reading the subscription list)."""
        ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
