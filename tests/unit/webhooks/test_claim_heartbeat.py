"""A handler that runs longer than `stuck_after` is not claimed a second time: its heartbeat
renews the claim while it runs. A worker whose heartbeat stops (killed, hung) still loses the
claim after `stuck_after`, and its late outcome is dropped (written under its token only)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from uuid import UUID

from nexuscore.kernel.clock import FixedClock
from nexuscore.webhooks.adapters.memory.inbox import InMemoryUnitOfWorkFactory
from nexuscore.webhooks.adapters.memory.targets import MemoryBillingProfileSync, MemoryGateway, MemorySubscriptionSync
from nexuscore.webhooks.adapters.stripe.signature import parse_event
from nexuscore.webhooks.application.handlers import HandlerContext, HandlerRegistry
from nexuscore.webhooks.application.ingest import ingest_event
from nexuscore.webhooks.application.processing import process_event, sweep_due
from nexuscore.webhooks.application.services import WebhooksServices
from nexuscore.webhooks.domain.model import InboxStatus
from nexuscore.webhooks.ports.targets import Targets

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
STUCK_AFTER = timedelta(seconds=60)


class Slow:
    """A handler that runs until the test releases it, counting its runs."""

    def __init__(self) -> None:
        self.runs = 0
        self.started = asyncio.Event()
        self.release = asyncio.Event()

    async def __call__(self, ctx: HandlerContext) -> str:
        self.runs += 1
        self.started.set()
        await self.release.wait()
        return "done"


class Beats:
    """The heartbeat's pause, released one beat at a time by the test."""

    def __init__(self) -> None:
        self.ticks: asyncio.Queue[None] = asyncio.Queue()
        self.waits: list[float] = []

    async def pause(self, seconds: float) -> None:
        self.waits.append(seconds)
        await self.ticks.get()


async def setup() -> tuple[WebhooksServices, InMemoryUnitOfWorkFactory, FixedClock, Slow, Beats, UUID]:
    clock, slow, beats = FixedClock(NOW), Slow(), Beats()
    svc = WebhooksServices(
        clock=clock,
        targets=Targets(MemorySubscriptionSync(), MemoryBillingProfileSync(), MemoryGateway()),
        handlers=HandlerRegistry({("stripe", "slow.thing"): slow}),
        stuck_after=STUCK_AFTER,
        pause=beats.pause,
    )
    uows = InMemoryUnitOfWorkFactory()
    body = {"id": "evt_slow", "object": "event", "type": "slow.thing", "created": int(NOW.timestamp()), "data": {}}
    async with uows() as uow:
        result = await ingest_event(uow, svc, incoming=parse_event(json.dumps(body).encode()))
    assert result.inbox_id is not None
    return svc, uows, clock, slow, beats, result.inbox_id


async def settle(condition: object, uows: InMemoryUnitOfWorkFactory, inbox_id: UUID, clock: FixedClock) -> None:
    for _ in range(1000):  # the other task's turn on this loop, bounded
        if uows.store.events[inbox_id].claimed_at == clock.now():
            return
        await asyncio.sleep(0)
    raise AssertionError(f"the heartbeat did not renew the claim ({condition})")


async def test_a_handler_running_past_stuck_after_keeps_its_claim_while_it_beats() -> None:
    svc, uows, clock, slow, beats, inbox_id = await setup()
    first = asyncio.create_task(process_event(uows, svc, inbox_id=inbox_id))
    await slow.started.wait()
    for beat in range(6):  # two minutes of handler time: twice stuck_after
        clock.advance(timedelta(seconds=20))
        await beats.ticks.put(None)
        await settle(beat, uows, inbox_id, clock)
    assert beats.waits[0] == STUCK_AFTER.total_seconds() / 3
    # a second worker given the event, and the sweeper, find nothing to take
    assert await process_event(uows, svc, inbox_id=inbox_id) is None
    assert await sweep_due(uows, svc, enqueue=lambda _id: asyncio.sleep(0)) == 0
    slow.release.set()
    outcome = await first
    assert outcome is not None and outcome.status is InboxStatus.PROCESSED and outcome.attempt == 1
    assert slow.runs == 1
    stored = uows.store.events[inbox_id]
    assert (stored.status, stored.claim_token, stored.attempts) == (InboxStatus.PROCESSED, None, 1)


async def test_a_worker_that_stops_beating_loses_the_claim_and_its_late_outcome() -> None:
    svc, uows, clock, slow, _beats, inbox_id = await setup()
    hung = asyncio.create_task(process_event(uows, svc, inbox_id=inbox_id))
    await slow.started.wait()
    clock.advance(STUCK_AFTER + timedelta(seconds=1))  # no beat was let through
    kicked: list[UUID] = []

    async def enqueue(found: UUID) -> None:
        kicked.append(found)

    assert await sweep_due(uows, svc, enqueue=enqueue) == 1 and kicked == [inbox_id]
    second = asyncio.create_task(process_event(uows, svc, inbox_id=inbox_id))
    for _ in range(1000):
        if slow.runs == 2:
            break
        await asyncio.sleep(0)
    assert slow.runs == 2  # taken over: the presumed-dead worker's claim is gone
    slow.release.set()
    results = [await hung, await second]
    assert results[0] is None  # its outcome dropped
    assert results[1] is not None and results[1].status is InboxStatus.PROCESSED
    assert [a.number for a in await _attempts(uows, inbox_id)] == [1]


async def _attempts(uows: InMemoryUnitOfWorkFactory, inbox_id: UUID) -> list[object]:
    async with uows() as uow:
        return list(await uow.inbox.attempts(inbox_id))
