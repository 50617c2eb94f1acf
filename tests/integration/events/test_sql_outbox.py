"""The events store, outbox relay and dispatch on real PostgreSQL and the taskiq broker."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from nexuscore.bootstrap.runtime import Runtime, build_runtime
from nexuscore.events.adapters.sql.store import SqlEventQuery, SqlEventRecorder, SqlOutboxStore
from nexuscore.events.adapters.sql.tables import DomainEventRow, ProcessedEventRow
from nexuscore.events.adapters.tasks.dispatch import OutboxRelayLoop, TaskiqEventPublisher
from nexuscore.events.application.relay import relay_outbox_batch
from nexuscore.events.application.services import EventsServices
from nexuscore.kernel.events import EventRecord
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.paging import PageRequest
from nexuscore.platform.database import bind_rls_scope
from tests.conftest import make_settings

pytestmark = pytest.mark.integration

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


async def _record(runtime: Runtime, *events: EventRecord, commit: bool = True) -> None:
    async with runtime.sessions() as session:
        await bind_rls_scope(session, system=True)  # events of several tenants at once
        await SqlEventRecorder(session, runtime.clock).append(*events)
        if commit:
            await session.commit()


async def _count(runtime: Runtime, stmt: Any) -> int:
    async with runtime.sessions() as session:
        await bind_rls_scope(session, system=True)
        return int(await session.scalar(stmt) or 0)


def _subscribe_counter(runtime: Runtime, name: str = "test.counter") -> list[Any]:
    handled: list[Any] = []

    async def handler(event: EventRecord, session: Any) -> None:
        # Runs in the dispatch transaction: prove it by querying through the given session.
        assert await session.scalar(text("SELECT 1")) == 1
        handled.append(event.id)

    runtime.subscribers.subscribe(name, "lead.created", handler)
    return handled


async def test_rolled_back_use_case_leaves_no_event(pg_runtime: Runtime) -> None:
    await _record(pg_runtime, EventRecord(type="lead.created", occurred_at=T0), commit=False)
    assert await _count(pg_runtime, select(func.count()).select_from(DomainEventRow)) == 0


async def test_committed_event_is_relayed_dispatched_and_marked(pg_runtime: Runtime) -> None:
    handled = _subscribe_counter(pg_runtime)
    event = EventRecord(type="lead.created", occurred_at=T0, organization_id=new_id(), payload={"a": [1, "b"]})
    await _record(pg_runtime, event)

    assert await pg_runtime.relay.run_once() == 1
    assert handled == [event.id]
    async with pg_runtime.sessions() as session:
        await bind_rls_scope(session, org_id=event.organization_id)
        row = await session.get(DomainEventRow, event.id)
        assert row is not None and row.published_at is not None
        assert row.payload == {"a": [1, "b"]}
    assert await pg_runtime.relay.run_once() == 0


async def test_an_in_process_relay_sends_only_events_with_a_subscriber_here(pg_runtime: Runtime) -> None:
    handled = _subscribe_counter(pg_runtime)
    sent: list[str] = []
    kiq = pg_runtime.broker.kick

    async def recording_kick(message: Any) -> None:
        sent.append(message.labels.get("task_name", message.task_name))
        await kiq(message)

    wanted = EventRecord(type="lead.created", occurred_at=T0)
    unwanted = EventRecord(type="user.logged_in", occurred_at=T0)
    await _record(pg_runtime, wanted, unwanted)
    pg_runtime.broker.kick = recording_kick  # type: ignore[method-assign]
    try:
        assert await pg_runtime.relay.run_once() == 2  # both relayed and marked ...
    finally:
        pg_runtime.broker.kick = kiq  # type: ignore[method-assign]
    assert len(sent) == 1  # ... only the one with a subscriber was sent
    assert handled == [wanted.id]
    unpublished = select(func.count()).select_from(DomainEventRow).where(DomainEventRow.published_at.is_(None))
    assert await _count(pg_runtime, unpublished) == 0


async def test_only_the_in_process_broker_filters_at_the_relay(tmp_path: Path) -> None:
    # With Redis the consuming worker may run other code (a rolling deploy): send everything.
    shared = build_runtime(make_settings(tmp_path, REDIS_URL="redis://127.0.0.1:6379/15"))
    local = build_runtime(make_settings(tmp_path))
    try:
        assert shared.relay._publisher._local_subscribers is None
        assert local.relay._publisher._local_subscribers is local.subscribers
    finally:
        for runtime in (shared, local):
            await runtime.close()


async def test_relay_crash_between_publish_and_mark_redelivers_and_is_handled_once(pg_runtime: Runtime) -> None:
    handled = _subscribe_counter(pg_runtime)
    event = EventRecord(type="lead.created", occurred_at=T0)
    await _record(pg_runtime, event)

    class CrashAfterPublish(TaskiqEventPublisher):
        async def publish(self, e: EventRecord) -> None:
            await super().publish(e)
            raise RuntimeError("relay process died before marking")

    store = SqlOutboxStore(pg_runtime.sessions)
    with pytest.raises(RuntimeError, match="died"):
        await relay_outbox_batch(
            store, EventsServices(pg_runtime.clock), publisher=CrashAfterPublish(pg_runtime.broker)
        )
    assert handled == [event.id]  # the first delivery went through before the crash
    unpublished = select(func.count()).select_from(DomainEventRow).where(DomainEventRow.published_at.is_(None))
    assert await _count(pg_runtime, unpublished) == 1

    # The next relay pass delivers again; the subscriber's ledger makes it a no-op.
    assert (
        await relay_outbox_batch(
            store, EventsServices(pg_runtime.clock), publisher=TaskiqEventPublisher(pg_runtime.broker)
        )
        == 1
    )
    assert handled == [event.id]
    assert await _count(pg_runtime, unpublished) == 0
    assert await _count(pg_runtime, select(func.count()).select_from(ProcessedEventRow)) == 1


async def test_concurrent_relays_skip_locked_rows_and_publish_each_event_once(pg_runtime: Runtime) -> None:
    events = [EventRecord(type="audit.tested", occurred_at=T0) for _ in range(60)]
    await _record(pg_runtime, *events)
    published: list[Any] = []
    gate = asyncio.Event()

    class SlowPublisher:
        async def publish(self, e: EventRecord) -> None:
            published.append(e.id)
            await gate.wait()  # hold the row locks until both relays have claimed

    store = SqlOutboxStore(pg_runtime.sessions)
    first = asyncio.create_task(
        relay_outbox_batch(store, EventsServices(pg_runtime.clock), publisher=SlowPublisher(), batch_size=30)
    )
    await asyncio.sleep(0.2)
    second = asyncio.create_task(
        relay_outbox_batch(store, EventsServices(pg_runtime.clock), publisher=SlowPublisher(), batch_size=30)
    )
    await asyncio.sleep(0.2)
    gate.set()
    assert sorted(await asyncio.gather(first, second)) == [30, 30]
    assert sorted(published) == sorted(e.id for e in events)  # disjoint claims, nothing twice


async def test_concurrent_duplicate_dispatch_runs_the_handler_once(pg_runtime: Runtime) -> None:
    handled = _subscribe_counter(pg_runtime)
    event = EventRecord(type="lead.created", occurred_at=T0)
    await _record(pg_runtime, event)
    task = pg_runtime.broker.find_task("nexuscore.events.dispatch")
    assert task is not None
    await asyncio.gather(*(task.kiq(event_id=str(event.id), event_type=event.type) for _ in range(5)))
    assert handled == [event.id]


async def test_event_query_pages_by_organization(pg_runtime: Runtime) -> None:
    org = new_id()
    await _record(
        pg_runtime,
        *[EventRecord(type="lead.created", occurred_at=T0, organization_id=org) for _ in range(3)],
        EventRecord(type="lead.created", occurred_at=T0, organization_id=new_id()),
    )
    async with pg_runtime.sessions() as session:
        await bind_rls_scope(session, org_id=org)
        page = await SqlEventQuery(session).list_for_organization(org, PageRequest(limit=2))
    assert page.total == 3 and len(page.items) == 2 and page.has_more
    assert page.items[0].event.id > page.items[1].event.id


async def test_relay_loop_keeps_running_when_the_database_is_unreachable(pg_runtime: Runtime) -> None:
    from nexuscore.platform.database import create_engine, session_maker

    broken = create_engine("postgresql+asyncpg://postgres@127.0.0.1:1/none")
    loop = OutboxRelayLoop(session_maker(broken), pg_runtime.broker, pg_runtime.clock, poll_seconds=0.05)
    loop.start()
    await asyncio.sleep(0.3)
    assert loop._task is not None and not loop._task.done()
    await loop.stop()
    await broken.dispose()
