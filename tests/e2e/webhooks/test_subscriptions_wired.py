"""The inbox wired to the REAL subscriptions context on PostgreSQL: signed Stripe-shaped
deliveries through HTTP, processed by the inbox's task (in-process broker), change what
`GET /orgs/{orgId}/subscription` answers, whatever the delivery order. The local gateway's
store stands for Stripe's current objects (what a refetch reads)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from nexuscore.bootstrap.app import create_app
from nexuscore.bootstrap.runtime import Runtime, build_runtime
from nexuscore.kernel.clock import FixedClock
from nexuscore.platform.database import bind_rls_scope
from nexuscore.platform.settings import Settings
from nexuscore.subscriptions.adapters.gateways.local_store import SqlLocalGatewayStore
from nexuscore.subscriptions.adapters.sql.tables import SubscriptionRow
from nexuscore.subscriptions.adapters.sql.unit_of_work import SqlSubscriptionsUnitOfWork
from nexuscore.subscriptions.application.plans import seed_plans
from nexuscore.subscriptions.application.services import SubscriptionsServices
from nexuscore.webhooks.adapters.sql.repositories import SqlUnitOfWorkFactory
from nexuscore.webhooks.application.processing import process_event
from tests.conftest import make_settings
from tests.e2e.conftest import Inbox, auth, bearer, link_token, register, signed_in
from tests.e2e.webhooks.conftest import (
    SECRET,
    deliver,
    drain,
    event_body,
    in_app,
    inbox_row,
    inbox_statuses,
    stripe_header,
    webhook_services,
)

pytestmark = pytest.mark.e2e
Client = AsyncTestClient[Litestar]
# Near the wall clock: the sign-in tokens the tests use are checked against it.
START = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def wired_settings(app_postgres_url: str, tmp_path: Path) -> Settings:
    return make_settings(
        tmp_path,
        DATABASE_URL=app_postgres_url,
        OUTBOX_RELAY_IN_PROCESS="false",
        STRIPE_WEBHOOK_SECRETS=SECRET,
        MAIL_BACKEND="file",
        API_BASE_URL="http://testserver.local",
    )


@pytest.fixture
def runtime(wired_settings: Settings, clock: FixedClock) -> Runtime:
    return build_runtime(wired_settings, clock=clock, await_inplace=True)


@pytest.fixture
async def hooks(runtime: Runtime) -> AsyncIterator[Client]:
    async with AsyncTestClient(create_app(runtime=runtime), base_url="http://testserver.local") as c:

        async def seed() -> None:
            async with runtime.sessions() as session:
                services = SubscriptionsServices(runtime.clock, None, "")  # type: ignore[arg-type]
                await seed_plans(SqlSubscriptionsUnitOfWork(session, runtime.clock), services)

        await in_app(c, seed)
        yield c


async def _owner_and_org(client: Client, runtime: Runtime, settings: Settings) -> tuple[dict[str, str], str]:
    email = "owner@acme.sg"
    assert (await register(client, email, name="Owner")).status_code == 201
    await drain(client, runtime)  # the verification mail goes out through the outbox
    token = link_token(await Inbox(settings.mail_dir).wait_for(email, "Verify your email"))
    assert (await client.post("/api/v1/auth/verify-email", json={"token": token})).status_code == 200
    owner = bearer((await signed_in(client, email))["accessToken"])
    created = await client.post("/api/v1/orgs", json={"name": "Acme Pte Ltd"}, headers=owner)
    assert created.status_code == 201, created.text
    return owner, str(created.json()["id"])


def _unix(moment: datetime) -> int:
    return int(moment.timestamp())


def stripe_subscription(
    org_id: str | None,
    *,
    status: str = "active",
    lookup_key: str = "starter_month",
    cancel_at_period_end: bool = False,
    ended: datetime | None = None,
) -> dict[str, Any]:
    """A subscription as Stripe's API (version 2025-03-31) sends it: period on the item."""
    return {
        "id": "sub_wired_1",
        "object": "subscription",
        "customer": "cus_wired_1",
        "status": status,
        "created": _unix(START - timedelta(hours=1)),
        "metadata": {"organization_id": org_id} if org_id else {},
        "items": {
            "object": "list",
            "data": [
                {
                    "id": "si_1",
                    "price": {"id": f"price_{lookup_key}", "lookup_key": lookup_key, "unit_amount": 4900},
                    "quantity": 1,
                    "current_period_start": _unix(START - timedelta(hours=1)),
                    "current_period_end": _unix(START + timedelta(days=30)),
                }
            ],
        },
        "cancel_at_period_end": cancel_at_period_end,
        "canceled_at": _unix(ended) if ended else None,
        "ended_at": _unix(ended) if ended else None,
        "trial_start": None,
        "trial_end": None,
    }


async def _gateway_holds(client: Client, runtime: Runtime, obj: dict[str, Any]) -> None:
    """Stripe's current object (what a refetch reads) in the local gateway's store."""

    async def put() -> None:
        await SqlLocalGatewayStore(runtime.sessions).put(obj["id"], "subscription", obj, START)

    await in_app(client, put)


async def _send(client: Client, event_id: str, type_: str, obj: dict[str, Any], created: datetime) -> None:
    body = event_body(event_id, type_, obj, created=created)
    response = await deliver(client, body, stripe_header(body, at=START))
    assert response.status_code == 200, response.text


async def _subscription_of(client: Client, oid: str, owner: dict[str, str]) -> dict[str, Any]:
    response = await client.get(f"/api/v1/orgs/{oid}/subscription", headers=auth(owner))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _rows(client: Client, runtime: Runtime) -> int:
    async def count() -> int:
        async with runtime.sessions() as session:
            await bind_rls_scope(session, system=True)  # every organisation's rows
            return int(await session.scalar(select(func.count()).select_from(SubscriptionRow)) or 0)

    return await in_app(client, count)


async def test_created_updated_deleted_change_the_organisations_subscription_in_any_order(
    hooks: Client, runtime: Runtime, wired_settings: Settings
) -> None:
    owner, oid = await _owner_and_org(hooks, runtime, wired_settings)
    assert (await _subscription_of(hooks, oid, owner))["planCode"] == "free"
    t0 = START - timedelta(minutes=30)

    created = stripe_subscription(oid)
    await _gateway_holds(hooks, runtime, created)
    await _send(hooks, "evt_created", "customer.subscription.created", created, t0)
    await drain(hooks, runtime)
    sub = await _subscription_of(hooks, oid, owner)
    assert (sub["planCode"], sub["status"], sub["interval"]) == ("starter", "active", "month")

    upgraded = stripe_subscription(oid, lookup_key="growth_year")
    await _gateway_holds(hooks, runtime, upgraded)
    await _send(hooks, "evt_upgraded", "customer.subscription.updated", upgraded, t0 + timedelta(minutes=10))
    await drain(hooks, runtime)
    sub = await _subscription_of(hooks, oid, owner)
    assert (sub["planCode"], sub["interval"], sub["cancelAtPeriodEnd"]) == ("growth", "year", False)

    # An `updated` older than the stored state changes nothing (refused; the refetch reads
    # what the gateway holds now, which is the stored state).
    older = stripe_subscription(oid, lookup_key="starter_month", cancel_at_period_end=True)
    await _send(hooks, "evt_older", "customer.subscription.updated", older, t0 + timedelta(minutes=5))
    await drain(hooks, runtime)
    sub = await _subscription_of(hooks, oid, owner)
    assert (sub["planCode"], sub["interval"], sub["cancelAtPeriodEnd"]) == ("growth", "year", False)

    ended_at = t0 + timedelta(minutes=20)
    deleted = stripe_subscription(oid, lookup_key="growth_year", status="canceled", ended=ended_at)
    await _gateway_holds(hooks, runtime, deleted)
    await _send(hooks, "evt_deleted", "customer.subscription.deleted", deleted, ended_at)
    await drain(hooks, runtime)
    sub = await _subscription_of(hooks, oid, owner)
    assert (sub["planCode"], sub["status"]) == ("free", "canceled")

    # A late `updated` (even with a later event time) never brings it back.
    late = stripe_subscription(oid, lookup_key="growth_year", status="active")
    await _send(hooks, "evt_late", "customer.subscription.updated", late, t0 + timedelta(minutes=25))
    await drain(hooks, runtime)
    sub = await _subscription_of(hooks, oid, owner)
    assert (sub["planCode"], sub["status"]) == ("free", "canceled")

    assert set((await inbox_statuses(hooks, runtime)).values()) == {"processed"}
    assert await _rows(hooks, runtime) == 1


async def test_checkout_completed_and_created_at_once_make_one_subscription(
    hooks: Client, runtime: Runtime, wired_settings: Settings
) -> None:
    owner, oid = await _owner_and_org(hooks, runtime, wired_settings)
    # Stripe copies subscription_data.metadata; the session's client_reference_id names the
    # organisation too (used when the subscription's metadata lacks it).
    current = stripe_subscription(None)
    await _gateway_holds(hooks, runtime, current)
    session = {
        "id": "cs_wired_1",
        "object": "checkout.session",
        "mode": "subscription",
        "subscription": "sub_wired_1",
        "client_reference_id": oid,
    }
    await _send(hooks, "evt_checkout", "checkout.session.completed", session, START)
    await _send(hooks, "evt_sub_created", "customer.subscription.created", stripe_subscription(oid), START)
    services = webhook_services(runtime)
    uows = SqlUnitOfWorkFactory(runtime.sessions, runtime.clock)
    ids = [(await inbox_row(hooks, runtime, e)).id for e in ("evt_checkout", "evt_sub_created")]

    async def both() -> list[Any]:
        return list(await asyncio.gather(*(process_event(uows, services, inbox_id=i) for i in ids)))

    outcomes = await in_app(hooks, both)
    assert [o.status.value for o in outcomes] == ["processed", "processed"], [o.error for o in outcomes]
    assert await _rows(hooks, runtime) == 1
    sub = await _subscription_of(hooks, oid, owner)
    assert (sub["planCode"], sub["status"]) == ("starter", "active")


async def test_objects_not_ours_end_ignored_with_a_reason(
    hooks: Client, runtime: Runtime, wired_settings: Settings
) -> None:
    await _send(hooks, "evt_foreign", "customer.subscription.updated", stripe_subscription(None), START)
    customer = {"id": "cus_wired_1", "object": "customer", "email": "a@b.sg", "address": None}
    await _send(hooks, "evt_customer", "customer.updated", customer, START)
    await drain(hooks, runtime)
    assert await inbox_statuses(hooks, runtime) == {"evt_foreign": "ignored", "evt_customer": "ignored"}
    foreign = await inbox_row(hooks, runtime, "evt_foreign")
    assert "organization_id" in foreign.last_error and foreign.next_attempt_at is None
    assert "no organisation's of ours" in (await inbox_row(hooks, runtime, "evt_customer")).last_error
    assert await _rows(hooks, runtime) == 0


async def test_trial_will_end_is_noted_once_however_often_it_arrives(
    hooks: Client, runtime: Runtime, wired_settings: Settings
) -> None:
    from nexuscore.events.adapters.sql.tables import DomainEventRow

    owner, oid = await _owner_and_org(hooks, runtime, wired_settings)
    trialing = stripe_subscription(oid, status="trialing") | {
        "trial_start": _unix(START - timedelta(days=11)),
        "trial_end": _unix(START + timedelta(days=3)),
    }
    await _gateway_holds(hooks, runtime, trialing)
    await _send(hooks, "evt_trial_sub", "customer.subscription.created", trialing, START - timedelta(days=11))
    for n in (1, 2):  # Stripe may send it again; a replay is the same
        await _send(hooks, f"evt_trial_end_{n}", "customer.subscription.trial_will_end", trialing, START)
    await drain(hooks, runtime)
    assert set((await inbox_statuses(hooks, runtime)).values()) == {"processed"}
    sub = await _subscription_of(hooks, oid, owner)
    assert (sub["planCode"], sub["status"]) == ("starter", "trialing")

    async def noted() -> list[str]:
        async with runtime.sessions() as session:
            await bind_rls_scope(session, system=True)
            rows = await session.scalars(select(DomainEventRow.type).where(DomainEventRow.type.like("subscription.%")))
            return list(rows)

    assert (await in_app(hooks, noted)).count("subscription.trial_ending") == 1


async def _inbox(client: Client, runtime: Runtime) -> list[tuple[str, str, str | None]]:
    """(type, status, last error) of every stored event, in arrival order."""
    from nexuscore.webhooks.adapters.sql.tables import InboxEventRow

    async def read() -> list[tuple[str, str, str | None]]:
        async with runtime.sessions() as session:
            rows = await session.execute(
                select(InboxEventRow.type, InboxEventRow.status, InboxEventRow.last_error).order_by(
                    InboxEventRow.received_at, InboxEventRow.id
                )
            )
            return [(t, s, e) for t, s, e in rows.all()]

    return await in_app(client, read)


async def _stored(client: Client, runtime: Runtime, oid: str) -> SubscriptionRow:
    async def read() -> SubscriptionRow:
        async with runtime.sessions() as session:
            await bind_rls_scope(session, system=True)
            return (await session.scalars(select(SubscriptionRow).where(SubscriptionRow.organization_id == oid))).one()

    return await in_app(client, read)


PROFILE = {
    "legalName": "Acme Pte Ltd",
    "billingEmail": "billing@acme.sg",
    "address": {"lines": ["1 Raffles Place", "#20-01"], "postalCode": "048616", "country": "SG"},
    "uen": "201912345K",
}


async def test_the_local_gateways_pay_and_clock_reach_us_through_the_inbox(
    hooks: Client, runtime: Runtime, wired_settings: Settings, clock: FixedClock
) -> None:
    from nexuscore.subscriptions.adapters.tasks.local_gateway import LOCAL_GATEWAY_TICK_TASK
    from tests.e2e.webhooks.conftest import run_task

    owner, oid = await _owner_and_org(hooks, runtime, wired_settings)
    assert (await hooks.put(f"/api/v1/orgs/{oid}/billing-profile", json=PROFILE, headers=owner)).status_code == 200
    started = await hooks.post(
        f"/api/v1/orgs/{oid}/subscription/checkout", json={"planCode": "starter", "interval": "month"}, headers=owner
    )
    assert started.status_code == 201, started.text
    session_id = started.json()["sessionId"]
    page = await hooks.get(f"/dev/checkout/{session_id}")
    assert 'name="card"' in page.text and "pm_card_chargeCustomerFail" in page.text
    form = {"confirm": (None, "yes"), "card": (None, "pm_card_chargeCustomerFail")}  # renewals will decline
    paid = await hooks.post(f"/dev/checkout/{session_id}/pay", files=form, follow_redirects=False)
    assert paid.status_code == 303, paid.text
    # nothing changed our state directly: the events wait in the inbox
    assert await _rows(hooks, runtime) == 0
    await drain(hooks, runtime)
    stored = {t: (s, e) for t, s, e in await _inbox(hooks, runtime)}
    assert stored["checkout.session.completed"][0] == "processed"
    assert stored["customer.subscription.created"][0] == "processed"
    assert {"invoice.finalized", "invoice.paid", "customer.created"} <= stored.keys()
    assert stored["customer.updated"][0] == "processed"  # our own push coming back: changes nothing
    sub = await _subscription_of(hooks, oid, owner)
    assert (sub["planCode"], sub["status"]) == ("starter", "trialing")

    # a portal session (the local one: the card control) while the sign-in is fresh
    portal = await hooks.post(f"/api/v1/orgs/{oid}/billing-portal", headers=owner)
    assert portal.status_code == 201, portal.text
    portal_path = portal.json()["url"].removeprefix("http://testserver.local")
    assert portal_path.startswith("/dev/portal/")

    # the trial ends: the scheduled task at the clock's new now; the card declines
    clock.advance(timedelta(days=14))
    assert await run_task(hooks, runtime, LOCAL_GATEWAY_TICK_TASK) == 1
    await drain(hooks, runtime)
    assert (await _stored(hooks, runtime, oid)).status == "past_due"
    types = [t for t, _, _ in await _inbox(hooks, runtime)]
    assert types[-3:] == ["invoice.finalized", "invoice.payment_failed", "customer.subscription.updated"]
    assert await run_task(hooks, runtime, LOCAL_GATEWAY_TICK_TASK) == 0  # nothing new until the card changes

    # a good card in the portal: the open invoice is paid at the next tick
    shown = await hooks.get(portal_path)
    assert shown.status_code == 200 and "4000 0000 0000 0341" in shown.text
    changed = await hooks.post(
        f"{portal_path}/card", files={"confirm": (None, "yes"), "card": (None, "pm_card_visa")}, follow_redirects=False
    )
    assert changed.status_code == 303, changed.text
    clock.advance(timedelta(minutes=1))
    assert await run_task(hooks, runtime, LOCAL_GATEWAY_TICK_TASK) == 1
    await drain(hooks, runtime)
    assert (await _stored(hooks, runtime, oid)).status == "active"
    assert all(s in ("processed", "ignored") for _, s, _ in await _inbox(hooks, runtime))


async def test_customer_updated_takes_the_gateways_billing_details(
    hooks: Client, runtime: Runtime, wired_settings: Settings
) -> None:
    owner, oid = await _owner_and_org(hooks, runtime, wired_settings)
    assert (await hooks.put(f"/api/v1/orgs/{oid}/billing-profile", json=PROFILE, headers=owner)).status_code == 200
    await drain(hooks, runtime)
    store = SqlLocalGatewayStore(runtime.sessions)

    async def gateway_customer() -> dict[str, Any]:
        customers = [c for c in await store.list_since("customer", START - timedelta(days=1))]
        assert len(customers) == 1
        return customers[0]

    pushed = await in_app(hooks, gateway_customer)
    # edited at the gateway (the portal): Stripe holds it, and tells us
    edited = pushed | {
        "name": "Acme Holdings Pte Ltd",
        "address": {"line1": "2 Shenton Way", "line2": None, "postal_code": "068804", "country": "SG"},
    }

    async def hold() -> None:
        await store.put(edited["id"], "customer", edited, START)

    await in_app(hooks, hold)
    await _send(hooks, "evt_cus_edit", "customer.updated", edited, START + timedelta(minutes=1))
    # a late delivery of an older state: stale, and the refetch finds the edit
    await _send(hooks, "evt_cus_old", "customer.updated", pushed, START - timedelta(minutes=1))
    await drain(hooks, runtime)
    assert (await inbox_row(hooks, runtime, "evt_cus_edit")).status == "processed"
    assert (await inbox_row(hooks, runtime, "evt_cus_old")).status == "processed"
    profile = (await hooks.get(f"/api/v1/orgs/{oid}/billing-profile", headers=owner)).json()
    assert profile["legalName"] == "Acme Holdings Pte Ltd"
    assert profile["address"] == {"lines": ["2 Shenton Way"], "postalCode": "068804", "country": "SG"}
    assert profile["uen"] == "201912345K"  # the event carried no tax ids: ours are kept
