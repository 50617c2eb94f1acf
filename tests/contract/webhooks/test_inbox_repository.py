"""InboxRepository and ReplayJobRepository contract (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from uuid import UUID

import pytest

from nexuscore.kernel.ids import new_id
from nexuscore.kernel.paging import PageRequest
from nexuscore.webhooks.domain.model import (
    Attempt,
    InboxEvent,
    InboxFilter,
    InboxStatus,
    ReplayJob,
    ReplayJobStatus,
)
from nexuscore.webhooks.ports.repositories import UnitOfWorkFactory
from tests.contract.conftest import Backend
from tests.contract.webhooks.backends import T0, unit_of_work_factory

LATER = T0 + timedelta(minutes=5)


@pytest.fixture
async def uows(backend: Backend) -> UnitOfWorkFactory:
    return await unit_of_work_factory(backend)


def inbox_event(
    event_id: str = "evt_1", *, provider: str = "stripe", type_: str = "a.b", at: datetime = T0
) -> InboxEvent:
    return InboxEvent(
        provider=provider,
        event_id=event_id,
        type=type_,
        livemode=False,
        created=T0,
        api_version="2025-03-31.basil",
        payload=json.dumps({"id": event_id}),
        received_at=at,
    )


async def add(uows: UnitOfWorkFactory, *events: InboxEvent) -> list[bool]:
    async with uows() as uow:
        stored = [await uow.inbox.add_if_absent(e) for e in events]
        await uow.commit()
    return stored


async def test_an_event_is_stored_once_per_provider_and_id(uows: UnitOfWorkFactory) -> None:
    first = inbox_event()
    assert await add(uows, first, inbox_event(), inbox_event(provider="other")) == [True, False, True]
    async with uows() as uow:
        assert await uow.inbox.get(first.id) == first
        found = await uow.inbox.find("stripe", "evt_1")
        assert found is not None and found.id == first.id
        assert await uow.inbox.find("stripe", "evt_2") is None
        assert await uow.inbox.known_event_ids("stripe", ["evt_1", "evt_2"]) == {"evt_1"}
        assert await uow.inbox.known_event_ids("stripe", []) == set()


async def test_claims_are_exclusive_until_finished_or_stuck(uows: UnitOfWorkFactory) -> None:
    event = inbox_event()
    await add(uows, event)
    token, other = new_id(), new_id()
    async with uows() as uow:
        claimed = await uow.inbox.claim(event.id, token=token, now=T0, stuck_before=T0 - timedelta(minutes=10))
        assert claimed is not None and claimed.status is InboxStatus.PROCESSING and claimed.attempts == 1
        assert claimed.claim_token == token and claimed.claimed_at == T0
        assert await uow.inbox.claim(event.id, token=other, now=T0, stuck_before=T0 - timedelta(minutes=10)) is None
        assert await uow.inbox.finish(event.id, token=other, status=InboxStatus.PROCESSED, now=T0) is False
        # stuck: claimed before `stuck_before`, someone else may take it over
        again = await uow.inbox.claim(event.id, token=other, now=LATER, stuck_before=LATER)
        assert again is not None and again.attempts == 2
        assert await uow.inbox.finish(event.id, token=token, status=InboxStatus.PROCESSED, now=LATER) is False
        assert await uow.inbox.finish(
            event.id,
            token=other,
            status=InboxStatus.FAILED,
            now=LATER,
            next_attempt_at=LATER + timedelta(hours=1),
            error="boom",
        )
        await uow.commit()
    async with uows() as uow:
        failed = await uow.inbox.get(event.id)
        assert failed is not None
        assert (failed.status, failed.last_error, failed.claim_token, failed.processed_at) == (
            InboxStatus.FAILED,
            "boom",
            None,
            None,
        )
        assert await uow.inbox.claim(event.id, token=token, now=LATER, stuck_before=LATER) is None  # not due
        due = LATER + timedelta(hours=1)
        assert await uow.inbox.claim(event.id, token=token, now=due, stuck_before=due) is not None
        assert await uow.inbox.finish(event.id, token=token, status=InboxStatus.DEAD, now=due, error="gave up")
        assert await uow.inbox.claim(event.id, token=other, now=due, stuck_before=due) is None  # final
        dead = await uow.inbox.get(event.id)
        assert dead is not None and dead.status is InboxStatus.DEAD and dead.processed_at == due


async def test_a_renewed_claim_is_not_stuck_and_only_its_token_renews(uows: UnitOfWorkFactory) -> None:
    event = inbox_event()
    await add(uows, event)
    token, other = new_id(), new_id()
    async with uows() as uow:
        assert await uow.inbox.claim(event.id, token=token, now=T0, stuck_before=T0 - timedelta(minutes=10))
        assert await uow.inbox.renew_claim(event.id, token=other, now=LATER) is False
        assert await uow.inbox.renew_claim(event.id, token=token, now=LATER) is True
        await uow.commit()
    async with uows() as uow:
        # claimed at T0 but renewed at LATER: not stuck before LATER, so neither claimable nor due
        assert await uow.inbox.claim(event.id, token=other, now=LATER, stuck_before=LATER) is None
        assert await uow.inbox.due(now=LATER, stuck_before=LATER, limit=10) == []
        assert await uow.inbox.finish(event.id, token=token, status=InboxStatus.PROCESSED, now=LATER)
        assert await uow.inbox.renew_claim(event.id, token=token, now=LATER) is False  # finished
        await uow.commit()


async def test_replay_resets_unless_processing(uows: UnitOfWorkFactory) -> None:
    event = inbox_event()
    await add(uows, event)
    token = new_id()
    async with uows() as uow:
        await uow.inbox.claim(event.id, token=token, now=T0, stuck_before=T0)
        assert await uow.inbox.reset_for_replay(event.id) is False
        await uow.inbox.finish(event.id, token=token, status=InboxStatus.DEAD, now=T0)
        assert await uow.inbox.reset_for_replay(event.id) is True
        assert await uow.inbox.reset_for_replay(new_id()) is False
        await uow.commit()
    async with uows() as uow:
        replayed = await uow.inbox.get(event.id)
        assert replayed is not None
        assert (replayed.status, replayed.attempts, replayed.processed_at) == (InboxStatus.RECEIVED, 0, None)


async def test_attempts_round_trip_in_order(uows: UnitOfWorkFactory) -> None:
    event = inbox_event()
    await add(uows, event)
    second = Attempt(inbox_id=event.id, number=2, started_at=LATER, duration_ms=1.5, outcome="processed")
    first = Attempt(inbox_id=event.id, number=1, started_at=T0, duration_ms=12.25, outcome="failed", error="x")
    async with uows() as uow:
        assert await uow.inbox.attempt_count(event.id) == 0
        await uow.inbox.add_attempt(second)
        await uow.inbox.add_attempt(first)
        await uow.commit()
    async with uows() as uow:
        assert await uow.inbox.attempts(event.id) == [first, second]
        assert await uow.inbox.attempt_count(event.id) == 2


async def test_page_filters_orders_and_counts(uows: UnitOfWorkFactory) -> None:
    events = [inbox_event(f"evt_{n}", type_="x.y" if n % 2 else "a.b", at=T0 + timedelta(seconds=n)) for n in range(5)]
    await add(uows, *events)
    async with uows() as uow:
        page = await uow.inbox.page(InboxFilter(), PageRequest(limit=2))
        assert [e.event_id for e in page.items] == ["evt_4", "evt_3"] and page.total == 5 and page.has_more
        rest = await uow.inbox.page(InboxFilter(), PageRequest(limit=2, offset=4))
        assert [e.event_id for e in rest.items] == ["evt_0"] and rest.total == 5
        typed = await uow.inbox.page(InboxFilter(type="x.y"), PageRequest())
        assert [e.event_id for e in typed.items] == ["evt_3", "evt_1"]
        since = await uow.inbox.page(InboxFilter(since=T0 + timedelta(seconds=3)), PageRequest())
        assert since.total == 2
        assert (await uow.inbox.page(InboxFilter(event_id="evt_2", provider="stripe"), PageRequest())).total == 1
        assert (await uow.inbox.page(InboxFilter(status=InboxStatus.DEAD), PageRequest())).total == 0
        ids = await uow.inbox.ids_matching(InboxFilter(), after=None, limit=3)
        assert ids == sorted(e.id for e in events)[:3]
        assert await uow.inbox.ids_matching(InboxFilter(), after=ids[-1], limit=10) == sorted(e.id for e in events)[3:]


async def test_due_finds_lost_failed_and_stuck_rows(uows: UnitOfWorkFactory) -> None:
    old, fresh, failing, stuck = (inbox_event(f"evt_{n}") for n in range(4))
    fresh.received_at = LATER
    await add(uows, old, fresh, failing, stuck)
    async with uows() as uow:
        await uow.inbox.claim(failing.id, token=(t := new_id()), now=T0, stuck_before=T0)
        await uow.inbox.finish(failing.id, token=t, status=InboxStatus.FAILED, now=T0, next_attempt_at=LATER)
        await uow.inbox.claim(stuck.id, token=new_id(), now=T0, stuck_before=T0)
        await uow.inbox.claim(old.id, token=(t2 := new_id()), now=T0, stuck_before=T0)
        await uow.inbox.finish(
            old.id, token=t2, status=InboxStatus.FAILED, now=T0, next_attempt_at=LATER + timedelta(days=1)
        )
        await uow.commit()
    async with uows() as uow:
        assert await uow.inbox.due(now=T0, stuck_before=T0, limit=10) == []
        expected = sorted([failing.id, stuck.id])
        assert await uow.inbox.due(now=LATER, stuck_before=T0 + timedelta(seconds=1), limit=10) == expected
        assert await uow.inbox.oldest_unfinished_received_at() == T0


async def test_replay_jobs_round_trip(uows: UnitOfWorkFactory) -> None:
    job = ReplayJob(status_filter=InboxStatus.DEAD, type_filter="a.b", since=T0, created_at=T0, requested_by=new_id())
    async with uows() as uow:
        await uow.replay_jobs.add(job)
        await uow.commit()
    async with uows() as uow:
        loaded = await uow.replay_jobs.get(job.id, for_update=True)
        assert loaded == job
        assert loaded is not None
        loaded.status, loaded.total, loaded.replayed, loaded.cursor = ReplayJobStatus.DONE, 3, 3, UUID(int=7)
        await uow.replay_jobs.save(loaded)
        await uow.commit()
    async with uows() as uow:
        assert await uow.replay_jobs.get(job.id) == loaded
        assert await uow.replay_jobs.get(new_id()) is None
