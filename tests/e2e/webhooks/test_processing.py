"""Processing stored events: handlers drive the target ports, out-of-order deliveries end in
the provider's current state, one claim per event, retries with backoff, dead, sweeper."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from nexuscore.bootstrap.runtime import Runtime
from nexuscore.kernel.clock import FixedClock
from nexuscore.webhooks.adapters.sql.repositories import SqlUnitOfWorkFactory
from nexuscore.webhooks.adapters.tasks.tasks import SWEEP_TASK
from nexuscore.webhooks.application.processing import process_event
from tests.e2e.webhooks.conftest import (
    NOW,
    Fakes,
    attempts_of,
    deliver,
    drain,
    event_body,
    in_app,
    inbox_row,
    inbox_statuses,
    run_task,
    stripe_header,
    subscription,
    webhook_services,
)

pytestmark = pytest.mark.e2e
Client = AsyncTestClient[Litestar]


async def send(client: Client, event_id: str, type_: str, obj: dict[str, Any], *, created: Any = NOW) -> None:
    body = event_body(event_id, type_, obj, created=created)
    response = await deliver(client, body, stripe_header(body))
    assert response.status_code == 200, response.text


async def test_subscription_created_reaches_the_owner(hooks: Client, runtime: Runtime, fakes: Fakes) -> None:
    await send(hooks, "evt_c", "customer.subscription.created", subscription())
    assert await drain(hooks, runtime) == 1
    assert await inbox_statuses(hooks, runtime) == {"evt_c": "processed"}
    stored = fakes.subscriptions.subscriptions[("stripe", "sub_1")]
    assert (stored.status, stored.price_ids, stored.organization_hint) == ("active", ("price_basic",), "org-1")
    assert stored.source_event_id == "evt_c" and stored.as_of == NOW
    [attempt] = await attempts_of(hooks, runtime, "evt_c")
    assert (attempt.number, attempt.outcome, attempt.error) == (1, "processed", None)
    assert fakes.gateway.fetches == []  # a full payload needs no refetch


async def test_updated_before_created_ends_in_the_current_state(hooks: Client, runtime: Runtime, fakes: Fakes) -> None:
    current = subscription(price="price_pro")
    fakes.gateway.subscriptions["sub_1"] = current
    await send(hooks, "evt_u", "customer.subscription.updated", current, created=NOW)
    await send(
        hooks, "evt_c", "customer.subscription.created", subscription(status="incomplete"), created=NOW - timedelta(10)
    )
    await drain(hooks, runtime)
    assert await inbox_statuses(hooks, runtime) == {"evt_u": "processed", "evt_c": "processed"}
    assert list(fakes.subscriptions.subscriptions) == [("stripe", "sub_1")]
    stored = fakes.subscriptions.subscriptions[("stripe", "sub_1")]
    assert (stored.status, stored.price_ids) == ("active", ("price_pro",))
    assert fakes.gateway.fetches == ["sub_1"]  # the refused (older) created was checked against the gateway


async def test_late_updated_never_resurrects_a_deleted_subscription(
    hooks: Client, runtime: Runtime, fakes: Fakes
) -> None:
    deleted = subscription(status="canceled", ended=NOW)
    fakes.gateway.subscriptions["sub_1"] = deleted
    await send(hooks, "evt_c", "customer.subscription.created", subscription(), created=NOW - timedelta(minutes=5))
    await send(hooks, "evt_d", "customer.subscription.deleted", deleted, created=NOW)
    await drain(hooks, runtime)
    await send(hooks, "evt_late", "customer.subscription.updated", subscription(), created=NOW - timedelta(minutes=1))
    await drain(hooks, runtime)
    assert set((await inbox_statuses(hooks, runtime)).values()) == {"processed"}
    stored = fakes.subscriptions.subscriptions[("stripe", "sub_1")]
    assert stored.status == "canceled" and stored.deleted


async def test_checkout_and_subscription_created_at_once_make_one_subscription(
    hooks: Client, runtime: Runtime, fakes: Fakes
) -> None:
    fakes.gateway.subscriptions["sub_1"] = subscription()
    session = {
        "id": "cs_1",
        "object": "checkout.session",
        "mode": "subscription",
        "subscription": "sub_1",
        "client_reference_id": "org-1",
    }
    await send(hooks, "evt_checkout", "checkout.session.completed", session)
    await send(hooks, "evt_created", "customer.subscription.created", subscription())
    services = webhook_services(runtime)
    uows = SqlUnitOfWorkFactory(runtime.sessions, runtime.clock)
    ids = [(await inbox_row(hooks, runtime, e)).id for e in ("evt_checkout", "evt_created")]

    async def both() -> list[Any]:
        return list(await asyncio.gather(*(process_event(uows, services, inbox_id=i) for i in ids)))

    outcomes = await in_app(hooks, both)
    assert [o.status.value for o in outcomes] == ["processed", "processed"]
    assert list(fakes.subscriptions.subscriptions) == [("stripe", "sub_1")]
    assert fakes.subscriptions.subscriptions[("stripe", "sub_1")].organization_hint == "org-1"


async def test_same_event_to_two_workers_runs_its_handler_once(hooks: Client, runtime: Runtime, fakes: Fakes) -> None:
    await send(hooks, "evt_twice", "customer.subscription.created", subscription())
    inbox_id: UUID = (await inbox_row(hooks, runtime, "evt_twice")).id
    services = webhook_services(runtime)
    uows = SqlUnitOfWorkFactory(runtime.sessions, runtime.clock)

    async def two_workers() -> list[Any]:
        return list(await asyncio.gather(*(process_event(uows, services, inbox_id=inbox_id) for _ in range(2))))

    outcomes = await in_app(hooks, two_workers)
    assert sorted(o is None for o in outcomes) == [False, True]
    assert len(fakes.subscriptions.applied) == 1
    assert len(await attempts_of(hooks, runtime, "evt_twice")) == 1
    # The outbox message for it arrives too: the claim refuses a processed event.
    await drain(hooks, runtime)
    assert len(fakes.subscriptions.applied) == 1


async def test_fails_twice_then_succeeds_on_the_backoff_schedule(
    hooks: Client, runtime: Runtime, fakes: Fakes, clock: FixedClock
) -> None:
    fakes.subscriptions.fail_next = 2
    await send(hooks, "evt_flaky", "customer.subscription.created", subscription())
    await drain(hooks, runtime)
    row = await inbox_row(hooks, runtime, "evt_flaky")
    assert row.status == "failed" and row.attempts == 1
    # WEBHOOK_RETRY_BASE_SECONDS=60: the first wait is in [30 s, 60 s].
    assert timedelta(seconds=30) <= row.next_attempt_at - NOW <= timedelta(seconds=60)
    assert await run_task(hooks, runtime, SWEEP_TASK) == 0  # not due yet
    clock.advance(timedelta(seconds=61))
    assert await run_task(hooks, runtime, SWEEP_TASK) == 1
    row = await inbox_row(hooks, runtime, "evt_flaky")
    assert row.status == "failed" and row.attempts == 2
    assert timedelta(seconds=60) <= row.next_attempt_at - clock.now() <= timedelta(seconds=120)
    clock.advance(timedelta(seconds=121))
    assert await run_task(hooks, runtime, SWEEP_TASK) == 1
    row = await inbox_row(hooks, runtime, "evt_flaky")
    assert row.status == "processed" and row.last_error is None
    attempts = await attempts_of(hooks, runtime, "evt_flaky")
    assert [a.outcome for a in attempts] == ["failed", "failed", "processed"]
    assert all("subscription store unavailable" in a.error for a in attempts[:2])
    assert len(fakes.subscriptions.applied) == 1


async def test_always_failing_goes_dead_then_replays(
    hooks: Client, runtime: Runtime, fakes: Fakes, clock: FixedClock
) -> None:
    fakes.subscriptions.fail_next = 1000
    await send(hooks, "evt_bad", "customer.subscription.created", subscription())
    await drain(hooks, runtime)
    for _ in range(2):  # WEBHOOK_MAX_ATTEMPTS=3
        clock.advance(timedelta(hours=1))
        assert await run_task(hooks, runtime, SWEEP_TASK) == 1
    row = await inbox_row(hooks, runtime, "evt_bad")
    assert row.status == "dead" and row.next_attempt_at is None and "injected" in row.last_error
    clock.advance(timedelta(days=2))
    assert await run_task(hooks, runtime, SWEEP_TASK) == 0  # dead stays dead
    assert [a.outcome for a in await attempts_of(hooks, runtime, "evt_bad")] == ["failed", "failed", "dead"]


async def test_sweeper_recovers_a_claim_whose_worker_died(
    hooks: Client, runtime: Runtime, fakes: Fakes, clock: FixedClock
) -> None:
    await send(hooks, "evt_lost", "customer.subscription.created", subscription())
    inbox_id: UUID = (await inbox_row(hooks, runtime, "evt_lost")).id
    uows = SqlUnitOfWorkFactory(runtime.sessions, runtime.clock)

    async def claim_and_die() -> None:  # what a worker killed after its claim leaves behind
        async with uows() as uow:
            assert await uow.inbox.claim(inbox_id, token=UUID(int=1), now=clock.now(), stuck_before=clock.now())
            await uow.commit()

    await in_app(hooks, claim_and_die)
    await drain(hooks, runtime)  # the outbox message meets a claimed row: nothing runs
    assert fakes.subscriptions.applied == []
    clock.advance(timedelta(minutes=9))
    assert await run_task(hooks, runtime, SWEEP_TASK) == 0
    clock.advance(timedelta(minutes=2))  # past WEBHOOK_STUCK_AFTER_SECONDS (600)
    assert await run_task(hooks, runtime, SWEEP_TASK) == 1
    assert (await inbox_row(hooks, runtime, "evt_lost")).status == "processed"
    assert len(fakes.subscriptions.applied) == 1


async def test_customer_updated_thin_payload_is_refetched(hooks: Client, runtime: Runtime, fakes: Fakes) -> None:
    fakes.gateway.customers["cus_1"] = {
        "id": "cus_1",
        "object": "customer",
        "email": "billing@acme.sg",
        "name": "Acme Pte Ltd",
        "address": {"country": "SG", "postal_code": "018956"},
        "tax_ids": {"data": [{"value": "M90312345X"}]},
    }
    await send(hooks, "evt_cu", "customer.updated", {"id": "cus_1", "object": "customer"})
    await drain(hooks, runtime)
    profile = fakes.profiles.profiles[("stripe", "cus_1")]
    assert (profile.email, profile.tax_ids, profile.address["country"]) == ("billing@acme.sg", ("M90312345X",), "SG")
    assert fakes.gateway.fetches == ["cus_1"]
