"""SQL adapters of the subscriptions repositories (PostgreSQL; SQLite for the embedded default).

Reads always refresh what the session holds (`populate_existing`), so no identity map serves
a stale row; a subscription read `for_update` is locked (FOR UPDATE on PostgreSQL; SQLite has
one writer at a time anyway).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.kernel.clock import Clock
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.platform.database import unique_write_scope
from nexuscore.subscriptions.adapters.sql.tables import (
    BillingProfileRow,
    CustomerRow,
    PlanPriceRow,
    PlanRow,
    SubscriptionRow,
)
from nexuscore.subscriptions.domain.model import (
    BillingProfile,
    Interval,
    OverseasEvidence,
    Plan,
    PlanPrice,
    Subscription,
    SubscriptionStatus,
)

_FRESH: dict[str, Any] = {"populate_existing": True}


class SqlPlanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def _prices(self, codes: Sequence[str]) -> dict[str, dict[Interval, PlanPrice]]:
        rows = await self._s.scalars(
            select(PlanPriceRow)
            .where(PlanPriceRow.plan_code.in_(codes), PlanPriceRow.replaced_at.is_(None))
            .execution_options(**_FRESH)
        )
        out: dict[str, dict[Interval, PlanPrice]] = {c: {} for c in codes}
        for r in rows:
            interval = Interval(r.interval)
            out[r.plan_code][interval] = PlanPrice(
                interval, r.amount, r.created_at, r.currency, r.gateway_price_id, r.id
            )
        return out

    @staticmethod
    def _plan(r: PlanRow, prices: dict[Interval, PlanPrice]) -> Plan:
        return Plan(
            r.code,
            r.name,
            r.description,
            r.created_at,
            r.updated_at,
            r.trial_days,
            r.seat_limit,
            r.lead_limit,
            frozenset(r.features),
            prices,
            r.archived,
            r.gateway_product_id,
        )

    async def get(self, code: str) -> Plan | None:
        row = await self._s.scalar(select(PlanRow).where(PlanRow.code == code).execution_options(**_FRESH))
        if row is None:
            return None
        return self._plan(row, (await self._prices([code]))[code])

    async def list(self, *, include_archived: bool = False) -> Sequence[Plan]:
        stmt = select(PlanRow).execution_options(**_FRESH)
        if not include_archived:
            stmt = stmt.where(PlanRow.archived.is_(False))
        rows = list(await self._s.scalars(stmt))
        prices = await self._prices([r.code for r in rows])
        plans = [self._plan(r, prices[r.code]) for r in rows]
        month = Interval.MONTH
        return sorted(plans, key=lambda p: (p.prices[month].amount if month in p.prices else 0, p.code))

    def _values(self, plan: Plan) -> dict[str, Any]:
        return {
            "name": plan.name,
            "description": plan.description,
            "trial_days": plan.trial_days,
            "seat_limit": plan.seat_limit,
            "lead_limit": plan.lead_limit,
            "features": sorted(plan.features),
            "archived": plan.archived,
            "gateway_product_id": plan.gateway_product_id,
            "created_at": plan.created_at,
            "updated_at": plan.updated_at,
        }

    async def add(self, plan: Plan) -> None:
        self._s.add(PlanRow(code=plan.code, **self._values(plan)))
        await self._s.flush()
        await self._write_prices(plan)

    async def save(self, plan: Plan) -> None:
        result = await self._s.execute(update(PlanRow).where(PlanRow.code == plan.code).values(**self._values(plan)))
        if getattr(result, "rowcount", 0):
            await self._write_prices(plan)

    async def _write_prices(self, plan: Plan) -> None:
        current = [p.id for p in plan.prices.values()]
        await self._s.execute(
            update(PlanPriceRow)
            .where(
                PlanPriceRow.plan_code == plan.code, PlanPriceRow.replaced_at.is_(None), PlanPriceRow.id.not_in(current)
            )
            .values(replaced_at=plan.updated_at)
        )
        known = set(await self._s.scalars(select(PlanPriceRow.id).where(PlanPriceRow.id.in_(current))))
        for p in plan.prices.values():
            if p.id in known:
                # the amount never changes; only the gateway's id is filled in by `plans sync`
                await self._s.execute(
                    update(PlanPriceRow).where(PlanPriceRow.id == p.id).values(gateway_price_id=p.gateway_price_id)
                )
            else:
                self._s.add(
                    PlanPriceRow(
                        id=p.id,
                        plan_code=plan.code,
                        interval=p.interval.value,
                        amount=p.amount,
                        currency=p.currency,
                        gateway_price_id=p.gateway_price_id,
                        created_at=p.created_at,
                        replaced_at=None,
                    )
                )
        await self._s.flush()

    async def price_history(self, code: str) -> Sequence[tuple[str, int, bool]]:
        rows = await self._s.execute(
            select(PlanPriceRow.interval, PlanPriceRow.amount, PlanPriceRow.replaced_at.is_(None))
            .where(PlanPriceRow.plan_code == code)
            .order_by(PlanPriceRow.created_at, PlanPriceRow.id)
        )
        return [(i, a, bool(c)) for i, a, c in rows.all()]


_SUB_FIELDS = (
    "organization_id",
    "gateway_subscription_id",
    "gateway_customer_id",
    "plan_code",
    "gateway_created",
    "version_at",
    "created_at",
    "updated_at",
    "current_period_start",
    "current_period_end",
    "trial_start",
    "trial_end",
    "cancel_at_period_end",
    "canceled_at",
    "ended_at",
    "past_due_since",
    "pending_plan_code",
    "trial_ending_noted_at",
)
_LIVE = [s.value for s in SubscriptionStatus if s.live]


def _subscription(r: SubscriptionRow) -> Subscription:
    values = {f: getattr(r, f) for f in _SUB_FIELDS}
    return Subscription(
        interval=Interval(r.interval),
        status=SubscriptionStatus(r.status),
        pending_interval=Interval(r.pending_interval) if r.pending_interval else None,
        id=r.id,
        **values,
    )


def _subscription_values(s: Subscription) -> dict[str, Any]:
    return {
        **{f: getattr(s, f) for f in _SUB_FIELDS},
        "interval": s.interval.value,
        "status": s.status.value,
        "pending_interval": s.pending_interval.value if s.pending_interval else None,
    }


class SqlSubscriptionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get_by_gateway_id(self, gateway_subscription_id: str, *, for_update: bool = False) -> Subscription | None:
        stmt = select(SubscriptionRow).where(SubscriptionRow.gateway_subscription_id == gateway_subscription_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = await self._s.scalar(stmt.execution_options(**_FRESH))
        return None if row is None else _subscription(row)

    def _of(self, org_id: UUID) -> Select[tuple[SubscriptionRow]]:
        return (
            select(SubscriptionRow)
            .where(SubscriptionRow.organization_id == org_id)
            .order_by(
                SubscriptionRow.gateway_created.desc(), SubscriptionRow.created_at.desc(), SubscriptionRow.id.desc()
            )
            .limit(1)
            .execution_options(**_FRESH)
        )

    async def current_for_org(self, org_id: UUID) -> Subscription | None:
        row = await self._s.scalar(self._of(org_id).where(SubscriptionRow.status.in_(_LIVE)))
        if row is None:
            row = await self._s.scalar(self._of(org_id))
        return None if row is None else _subscription(row)

    async def org_had_trial(self, org_id: UUID) -> bool:
        found = await self._s.scalar(
            select(func.count())
            .select_from(SubscriptionRow)
            .where(SubscriptionRow.organization_id == org_id, SubscriptionRow.trial_start.is_not(None))
        )
        return bool(found)

    async def add(self, subscription: Subscription) -> None:
        async with unique_write_scope(self._s):
            self._s.add(SubscriptionRow(id=subscription.id, **_subscription_values(subscription)))
            await self._s.flush()

    async def save(self, subscription: Subscription) -> None:
        await self._s.execute(
            update(SubscriptionRow)
            .where(SubscriptionRow.gateway_subscription_id == subscription.gateway_subscription_id)
            .values(**_subscription_values(subscription))
        )

    async def list(
        self, page: PageRequest, *, status: SubscriptionStatus | None = None, plan_code: str | None = None
    ) -> Page[Subscription]:
        conditions = []
        if status is not None:
            conditions.append(SubscriptionRow.status == status.value)
        if plan_code is not None:
            conditions.append(SubscriptionRow.plan_code == plan_code)
        total = await self._s.scalar(select(func.count()).select_from(SubscriptionRow).where(*conditions))
        rows = await self._s.scalars(
            select(SubscriptionRow)
            .where(*conditions)
            .order_by(SubscriptionRow.created_at.desc(), SubscriptionRow.id.desc())
            .limit(page.limit)
            .offset(page.offset)
            .execution_options(**_FRESH)
        )
        return Page([_subscription(r) for r in rows], int(total or 0), page.limit, page.offset)


class SqlBillingProfileRepository:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._s = session
        self._clock = clock

    async def get(self, org_id: UUID) -> BillingProfile | None:
        r = await self._s.scalar(
            select(BillingProfileRow).where(BillingProfileRow.organization_id == org_id).execution_options(**_FRESH)
        )
        if r is None:
            return None
        return BillingProfile(
            r.organization_id,
            r.legal_name,
            r.billing_email,
            tuple(r.address_lines),
            r.postal_code,
            r.country,
            r.updated_at,
            r.uen,
            r.gst_registration_number,
            r.belonging_country,
            OverseasEvidence(r.belonging_evidence) if r.belonging_evidence else None,
            await self.customer_id(org_id),
        )

    async def save(self, profile: BillingProfile) -> None:
        values = {
            "legal_name": profile.legal_name,
            "billing_email": profile.billing_email,
            "address_lines": list(profile.address_lines),
            "postal_code": profile.postal_code,
            "country": profile.country,
            "uen": profile.uen,
            "gst_registration_number": profile.gst_registration_number,
            "belonging_country": profile.belonging_country,
            "belonging_evidence": profile.belonging_evidence.value if profile.belonging_evidence else None,
            "updated_at": profile.updated_at,
        }
        org = profile.organization_id
        found = await self._s.execute(
            update(BillingProfileRow).where(BillingProfileRow.organization_id == org).values(**values)
        )
        if not getattr(found, "rowcount", 0):
            self._s.add(BillingProfileRow(organization_id=org, **values))
            await self._s.flush()

    async def customer_id(self, org_id: UUID) -> str | None:
        return await self._s.scalar(
            select(CustomerRow.gateway_customer_id).where(CustomerRow.organization_id == org_id)
        )

    async def set_customer_id(self, org_id: UUID, customer_id: str) -> None:
        async with unique_write_scope(self._s):
            self._s.add(
                CustomerRow(organization_id=org_id, gateway_customer_id=customer_id, created_at=self._clock.now())
            )
            await self._s.flush()
