"""Plans, subscriptions and billing profiles behave alike on the fake, SQLite and PostgreSQL
(as the application's role there: row-level security binds)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nexuscore.kernel.ids import new_id
from nexuscore.kernel.paging import PageRequest
from nexuscore.subscriptions.domain.model import (
    BillingProfile,
    Interval,
    OverseasEvidence,
    Plan,
    PlanPrice,
    Subscription,
    SubscriptionStatus,
)
from tests.contract.conftest import Backend
from tests.contract.subscriptions.backends import NOW, REFUSED, SubscriptionsBackend, make_subscription

S = SubscriptionStatus


def make_plan(code: str, month: int | None = 1_000, **kw: object) -> Plan:
    prices = {Interval.MONTH: PlanPrice(Interval.MONTH, month, NOW)} if month else {}
    values: dict[str, object] = {"seat_limit": 5, "lead_limit": 100, "features": frozenset({"lead_export"}), **kw}
    return Plan(code, code.title(), "desc", NOW, NOW, prices=prices, **values)  # type: ignore[arg-type]


def code() -> str:
    return f"p{new_id().hex[:12]}"


async def test_plan_round_trip_and_price_replaced_not_edited(subs: SubscriptionsBackend) -> None:
    c = code()
    plan = make_plan(c, 4_900)
    async with subs.uow() as uow:
        await uow.plans.add(plan)
        await uow.commit()
    async with subs.uow() as uow:
        stored = await uow.plans.get(c)
        assert stored == plan
        assert stored is not None
        stored.set_price(Interval.MONTH, 5_900, NOW + timedelta(days=1))
        stored.set_price(Interval.YEAR, 59_000, NOW + timedelta(days=1))
        await uow.plans.save(stored)
        await uow.commit()
    async with subs.uow() as uow:
        again = await uow.plans.get(c)
        assert again is not None
        assert again.prices[Interval.MONTH].amount == 5_900 and again.prices[Interval.YEAR].amount == 59_000
        history = await uow.plans.price_history(c)
    assert sorted(history) == sorted([("month", 4_900, False), ("month", 5_900, True), ("year", 59_000, True)])


async def test_plan_code_taken_is_refused(subs: SubscriptionsBackend) -> None:
    c = code()
    async with subs.uow() as uow:
        await uow.plans.add(make_plan(c))
        await uow.commit()
    async with subs.uow() as uow:
        with pytest.raises(REFUSED):
            await uow.plans.add(make_plan(c))


async def test_plans_listed_by_price_archived_left_out(subs: SubscriptionsBackend, backend: Backend) -> None:
    await backend.clear("subscriptions_plan_price", "subscriptions_plan")
    async with subs.uow() as uow:
        for plan in (make_plan("zzz", 9_000), make_plan("aaa", None), make_plan("mmm", 100, archived=True)):
            await uow.plans.add(plan)
        await uow.commit()
    async with subs.uow() as uow:
        assert [p.code for p in await uow.plans.list()] == ["aaa", "zzz"]
        assert [p.code for p in await uow.plans.list(include_archived=True)] == ["aaa", "mmm", "zzz"]


async def test_subscription_round_trip_and_current(subs: SubscriptionsBackend) -> None:
    org = new_id()
    old = make_subscription(org, status=S.CANCELED, ended_at=NOW, trial_start=NOW)
    live = make_subscription(org, gateway_created=NOW - timedelta(days=1), pending_interval=Interval.YEAR)
    async with subs.uow() as uow:
        await uow.bind_tenant(org)
        assert await uow.subscriptions.current_for_org(org) is None
        assert not await uow.subscriptions.org_had_trial(org)
        await uow.subscriptions.add(old)
        await uow.subscriptions.add(live)
        await uow.commit()
    async with subs.uow() as uow:
        await uow.bind_tenant(org)
        assert await uow.subscriptions.get_by_gateway_id(live.gateway_subscription_id, for_update=True) == live
        assert await uow.subscriptions.current_for_org(org) == live  # the live one, though older
        assert await uow.subscriptions.org_had_trial(org)
        live.status = S.CANCELED
        await uow.subscriptions.save(live)
        await uow.commit()
    async with subs.uow() as uow:
        await uow.bind_tenant(org)
        current = await uow.subscriptions.current_for_org(org)
        assert current is not None and current.gateway_subscription_id == old.gateway_subscription_id


async def stored_subscription(subs: SubscriptionsBackend) -> Subscription:
    """A subscription of a new organisation, committed."""
    org = new_id()
    sub = make_subscription(org)
    async with subs.uow() as uow:
        await uow.bind_tenant(org)
        await uow.subscriptions.add(sub)
        await uow.commit()
    return sub


async def test_one_row_per_gateway_subscription(subs: SubscriptionsBackend) -> None:
    sub = await stored_subscription(subs)
    org = sub.organization_id
    async with subs.uow() as uow:
        await uow.bind_tenant(org)
        with pytest.raises(REFUSED):
            await uow.subscriptions.add(make_subscription(org, sub.gateway_subscription_id))


async def test_a_locking_read_sees_a_commit_made_after_the_unit_of_work_began(subs: SubscriptionsBackend) -> None:
    # sync_subscription's version guard relies on this: a command's unit of work that read the
    # subscription earlier must compare against what a webhook sync committed meanwhile.
    sub = await stored_subscription(subs)
    org = sub.organization_id
    async with subs.uow() as command:
        await command.bind_tenant(org)
        assert (await command.subscriptions.current_for_org(org)) is not None
        async with subs.uow() as webhook:
            await webhook.bind_tenant(org)
            seen = await webhook.subscriptions.get_by_gateway_id(sub.gateway_subscription_id, for_update=True)
            assert seen is not None
            seen.version_at = NOW + timedelta(seconds=5)
            seen.status = S.PAST_DUE
            await webhook.subscriptions.save(seen)
            await webhook.commit()
        locked = await command.subscriptions.get_by_gateway_id(sub.gateway_subscription_id, for_update=True)
        assert locked is not None
        assert (locked.status, locked.version_at) == (S.PAST_DUE, NOW + timedelta(seconds=5))


async def test_tenant_cannot_read_another_tenants_subscription(subs: SubscriptionsBackend, backend: Backend) -> None:
    if backend.name != "postgres":
        pytest.skip("row-level security is PostgreSQL's")
    org, other = new_id(), new_id()
    sub = make_subscription(org)
    async with subs.uow() as uow:
        await uow.bind_tenant(org)
        await uow.subscriptions.add(sub)
        await uow.commit()
    async with subs.uow() as uow:
        await uow.bind_tenant(other)
        assert await uow.subscriptions.get_by_gateway_id(sub.gateway_subscription_id) is None


async def test_admin_list_filters_and_pages(subs: SubscriptionsBackend, backend: Backend) -> None:
    await backend.clear("subscriptions_subscription")
    orgs = [new_id() for _ in range(3)]
    rows = [
        make_subscription(orgs[0], created_at=NOW),
        make_subscription(orgs[1], created_at=NOW + timedelta(seconds=1), status=S.PAST_DUE),
        make_subscription(orgs[2], created_at=NOW + timedelta(seconds=2), plan_code="growth"),
    ]
    for row in rows:
        async with subs.uow() as uow:
            await uow.bind_tenant(row.organization_id)
            await uow.subscriptions.add(row)
            await uow.commit()
    async with subs.uow() as uow:
        await uow.bind_system()
        everything = await uow.subscriptions.list(PageRequest(limit=2))
        assert (everything.total, [s.id for s in everything.items]) == (3, [rows[2].id, rows[1].id])
        past_due = await uow.subscriptions.list(PageRequest(), status=S.PAST_DUE)
        assert [s.id for s in past_due.items] == [rows[1].id]
        growth = await uow.subscriptions.list(PageRequest(), plan_code="growth")
        assert [s.id for s in growth.items] == [rows[2].id]


async def test_billing_profile_and_customer(subs: SubscriptionsBackend) -> None:
    org = new_id()
    profile = BillingProfile(
        org, "Acme Pte Ltd", "billing@acme.sg", ("1 Raffles Place", "#20-01"), "048616", "SG", NOW, "201912345K"
    )
    async with subs.uow() as uow:
        await uow.bind_tenant(org)
        assert await uow.billing_profiles.get(org) is None
        assert await uow.billing_profiles.customer_id(org) is None
        await uow.billing_profiles.set_customer_id(org, f"cus_{org.hex}")
        await uow.billing_profiles.save(profile)
        await uow.commit()
    async with subs.uow() as uow:
        await uow.bind_tenant(org)
        stored = await uow.billing_profiles.get(org)
        assert stored is not None and stored.gateway_customer_id == f"cus_{org.hex}"
        stored.gateway_customer_id = None
        assert stored == profile
        profile.belonging_country, profile.belonging_evidence = "MY", OverseasEvidence.DECLARATION
        await uow.billing_profiles.save(profile)
        await uow.commit()
        with pytest.raises(REFUSED):
            await uow.billing_profiles.set_customer_id(org, "cus_second")
    async with subs.uow() as uow:
        await uow.bind_tenant(org)
        again = await uow.billing_profiles.get(org)
        assert again is not None and again.belonging_evidence is OverseasEvidence.DECLARATION
