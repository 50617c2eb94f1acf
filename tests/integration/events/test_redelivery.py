"""Redis restarted empty with dispatch tasks waiting in the stream (issue 17, row 4): the
relay had marked the events published and nothing sent them again. Now the consumer records
a dispatch in PostgreSQL and the relay re-publishes what has none after the bound; every
subscriber still runs exactly once. Real PostgreSQL, real Redis, taskiq's own Receiver."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy import select
from taskiq import AckableMessage
from taskiq.receiver import Receiver

from nexuscore.bootstrap.runtime import Runtime, build_runtime
from nexuscore.events.adapters.sql.store import SqlEventRecorder
from nexuscore.events.adapters.sql.tables import DomainEventRow
from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.events import EventRecord, Subscriber
from nexuscore.platform.broker import QUEUE_NAME
from nexuscore.platform.database import bind_rls_scope
from nexuscore.platform.redis_stream import ResilientStreamBroker
from nexuscore.platform.settings import Settings
from tests.conftest import make_settings

pytestmark = pytest.mark.integration

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
BOUND = timedelta(seconds=30)


@pytest.fixture
async def runtime(pg_settings: Settings, redis_url: str, tmp_path: Path) -> AsyncIterator[tuple[Runtime, Counter[str]]]:
    settings = make_settings(
        tmp_path,
        DATABASE_URL=pg_settings.database_url,
        REDIS_URL=redis_url,
        OUTBOX_RELAY_IN_PROCESS="false",
        OUTBOX_REDELIVER_SECONDS=str(BOUND.total_seconds()),
    )
    built = build_runtime(settings, clock=FixedClock(T0))
    runs: Counter[str] = Counter()

    def counting(name: str) -> Any:
        async def handle(event: EventRecord, resources: Any) -> None:
            runs[f"{name}:{event.id}"] += 1

        return handle

    for name in ("mail", "audit"):
        built.subscribers.add(Subscriber(f"drill.{name}", frozenset({"drill.happened"}), counting(name)))
    await built.startup(run_relay=False)
    assert isinstance(built.broker, ResilientStreamBroker)
    await built.broker.ensure_group()
    try:
        yield built, runs
    finally:
        await built.shutdown()


async def _record(runtime: Runtime, *events: EventRecord) -> None:
    async with runtime.sessions() as session:
        await bind_rls_scope(session, system=True)
        await SqlEventRecorder(session, runtime.clock).append(*events)
        await session.commit()


async def _consume_all(runtime: Runtime) -> int:
    """What a worker does: read every waiting message and run it through taskiq's Receiver."""
    broker = runtime.broker
    assert isinstance(broker, ResilientStreamBroker)
    receiver = Receiver(broker, run_startup=False)
    consumed = 0
    async with Redis(connection_pool=broker.connection_pool) as redis:
        while True:
            broker.block = 1  # ms: this loop drains, it does not wait
            messages: list[AckableMessage] = await broker.read_new(redis)
            if not messages:
                return consumed
            for message in messages:
                await receiver.callback(message, raise_err=True)
                consumed += 1


async def _dispatched(runtime: Runtime, event: EventRecord) -> datetime | None:
    async with runtime.sessions() as session:
        await bind_rls_scope(session, system=True)
        return await session.scalar(select(DomainEventRow.dispatched_at).where(DomainEventRow.id == event.id))


async def test_events_lost_with_an_emptied_redis_are_redelivered_and_handled_once_per_subscriber(
    runtime: tuple[Runtime, Counter[str]], redis_url: str
) -> None:
    rt, runs = runtime
    clock = rt.clock
    assert isinstance(clock, FixedClock)
    events = [EventRecord(type="drill.happened", occurred_at=T0) for _ in range(3)]
    await _record(rt, *events)
    assert await rt.relay.run_once() == 3  # published: three dispatch tasks wait in the stream

    async with Redis.from_url(redis_url) as redis:
        assert await redis.xlen(QUEUE_NAME) == 3
        await redis.flushdb()  # Redis comes back empty before any worker read them
    assert isinstance(rt.broker, ResilientStreamBroker)
    await rt.broker.ensure_group()  # what the worker's read does on NOGROUP (test_broker_faults)
    assert await _consume_all(rt) == 0  # the worker recreates its group: nothing to read
    assert not runs

    clock.advance(BOUND / 2)
    assert await rt.relay.redeliver_once() == 0  # within the bound: maybe just slow
    clock.advance(BOUND)
    assert await rt.relay.redeliver_once() == 3
    clock.advance(BOUND * 2)
    # Redelivered again before any consumer ran (a slow worker): two messages per event now.
    assert await rt.relay.redeliver_once() == 3
    assert await _consume_all(rt) == 6

    assert runs == Counter({f"{n}:{e.id}": 1 for e in events for n in ("mail", "audit")})
    assert all([await _dispatched(rt, e) == clock.now() for e in events])
    clock.advance(BOUND * 2)
    assert await rt.relay.redeliver_once() == 0  # dispatched: done for good


async def test_a_dispatch_that_fails_is_not_recorded_and_is_redelivered(
    runtime: tuple[Runtime, Counter[str]],
) -> None:
    rt, runs = runtime
    clock = rt.clock
    assert isinstance(clock, FixedClock)
    failing = {"on": True}

    async def flaky(event: EventRecord, resources: Any) -> None:
        if failing["on"]:
            raise RuntimeError("SMTP down")
        runs[f"flaky:{event.id}"] += 1

    rt.subscribers.add(Subscriber("drill.flaky", frozenset({"drill.happened"}), flaky))
    event = EventRecord(type="drill.happened", occurred_at=T0)
    await _record(rt, event)
    await rt.relay.run_once()
    await _consume_all(rt)  # mail and audit ran; flaky failed (its retry goes to the scheduler)
    assert await _dispatched(rt, event) is None
    failing["on"] = False
    clock.advance(BOUND * 2)
    assert await rt.relay.redeliver_once() == 1
    await _consume_all(rt)
    assert runs == Counter({f"mail:{event.id}": 1, f"audit:{event.id}": 1, f"flaky:{event.id}": 1})
    assert await _dispatched(rt, event) is not None
