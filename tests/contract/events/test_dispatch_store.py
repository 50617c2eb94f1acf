"""DispatchStore contract: a subscriber's transaction loads the event and records, once per
subscriber and event, that it ran; only a committed mark counts."""

from __future__ import annotations

from datetime import timedelta

from nexuscore.kernel.events import EventRecord
from nexuscore.kernel.ids import new_id
from tests.contract.events.backends import T0, EventsBackend

LATER = T0 + timedelta(minutes=5)


async def test_load_gives_the_recorded_event(events: EventsBackend) -> None:
    event = EventRecord(
        type="lead.created",
        occurred_at=T0,
        organization_id=new_id(),
        actor_id=new_id(),
        subject="lead:1",
        payload={"a": [1]},
    )
    platform = EventRecord(type="platform.started", occurred_at=T0)
    await events.record(event, platform)
    async with events.dispatch().transaction() as tx:
        assert await tx.load(event.id) == event
        assert await tx.load(platform.id) == platform
        assert await tx.load(new_id()) is None


async def test_a_subscriber_marks_an_event_processed_once(events: EventsBackend) -> None:
    event = EventRecord(type="lead.created", occurred_at=T0, organization_id=new_id())
    await events.record(event)
    async with events.dispatch().transaction() as tx:
        assert await tx.mark_processed("a.subscriber", event.id, LATER) is True
        assert await tx.mark_processed("a.subscriber", event.id, LATER) is False
        assert await tx.mark_processed("another.subscriber", event.id, LATER) is True
        await tx.commit()
    async with events.dispatch().transaction() as tx:
        assert await tx.mark_processed("a.subscriber", event.id, LATER) is False
        assert await tx.mark_processed("another.subscriber", event.id, LATER) is False
        assert await tx.mark_processed("a.third", event.id, LATER) is True


async def test_an_uncommitted_mark_does_not_count(events: EventsBackend) -> None:
    event = EventRecord(type="lead.created", occurred_at=T0, organization_id=new_id())
    await events.record(event)
    async with events.dispatch().transaction() as tx:
        assert await tx.mark_processed("a.subscriber", event.id, LATER) is True
    async with events.dispatch().transaction() as tx:
        assert await tx.mark_processed("a.subscriber", event.id, LATER) is True
