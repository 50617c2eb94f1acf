"""Relay and dispatch use cases against in-memory fakes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from nexuscore.events.adapters.memory.store import InMemoryEventStore, RecordingPublisher
from nexuscore.events.application.relay import dispatch_event, relay_outbox_batch
from nexuscore.events.application.services import EventsServices
from nexuscore.events.application.subscribers import SubscriberRegistry
from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.events import EventRecord
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.paging import PageRequest

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _event(event_type: str = "lead.created", **kw: Any) -> EventRecord:
    return EventRecord(type=event_type, occurred_at=T0, payload={"n": 1}, **kw)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def store(clock: FixedClock) -> InMemoryEventStore:
    return InMemoryEventStore(clock)


async def test_relay_publishes_in_order_and_marks_published(store: InMemoryEventStore, clock: FixedClock) -> None:
    events = [_event() for _ in range(5)]
    await store.append(*events)
    publisher = RecordingPublisher()

    assert await relay_outbox_batch(store, EventsServices(clock), publisher=publisher, batch_size=3) == 3
    assert await relay_outbox_batch(store, EventsServices(clock), publisher=publisher, batch_size=3) == 2
    assert await relay_outbox_batch(store, EventsServices(clock), publisher=publisher, batch_size=3) == 0

    assert [e.id for e in publisher.published] == [e.id for e in events]
    assert all(s.published_at == T0 for s in store.events.values())


async def test_crash_after_publish_redelivers_and_subscriber_handles_once(
    store: InMemoryEventStore, clock: FixedClock
) -> None:
    event = _event()
    await store.append(event)
    handled: list[Any] = []
    registry = SubscriberRegistry()

    async def on_lead_created(e: EventRecord, _resources: Any) -> None:
        handled.append(e.id)

    registry.subscribe("crm.counter", "lead.created", on_lead_created)
    publisher = RecordingPublisher()
    publisher.fail_after_publish = True

    with pytest.raises(RuntimeError, match="simulated crash"):
        await relay_outbox_batch(store, EventsServices(clock), publisher=publisher)
    assert store.unpublished(), "a crash before the mark commits must leave the event unpublished"

    publisher.fail_after_publish = False
    assert await relay_outbox_batch(store, EventsServices(clock), publisher=publisher) == 1
    assert [e.id for e in publisher.published] == [event.id, event.id]  # delivered twice

    for delivered in publisher.published:
        await dispatch_event(store, EventsServices(clock), event_id=delivered.id, registry=registry)
    assert handled == [event.id]  # handled once


async def test_failing_subscriber_is_retried_without_repeating_the_others(
    store: InMemoryEventStore, clock: FixedClock
) -> None:
    event = _event("user.registered")
    await store.append(event)
    calls: dict[str, int] = {"mailer": 0, "audit": 0}
    registry = SubscriberRegistry()

    async def mailer(e: EventRecord, _r: Any) -> None:
        calls["mailer"] += 1
        if calls["mailer"] == 1:
            raise ConnectionError("smtp down")

    async def audit(e: EventRecord, _r: Any) -> None:
        calls["audit"] += 1

    registry.subscribe("audit", "*", audit)
    registry.subscribe("mailer", "user.registered", mailer)

    # audit is registered for "*" and runs after type-specific subscribers
    with pytest.raises(ConnectionError):
        await dispatch_event(store, EventsServices(clock), event_id=event.id, registry=registry)
    assert await dispatch_event(store, EventsServices(clock), event_id=event.id, registry=registry) == [
        "mailer",
        "audit",
    ]
    assert await dispatch_event(store, EventsServices(clock), event_id=event.id, registry=registry) == []
    assert calls == {"mailer": 2, "audit": 1}


async def test_dispatch_of_unknown_event_does_nothing(store: InMemoryEventStore, clock: FixedClock) -> None:
    registry = SubscriberRegistry()
    assert await dispatch_event(store, EventsServices(clock), event_id=new_id(), registry=registry) == []


class _CountingStore(InMemoryEventStore):
    def __init__(self, clock: FixedClock) -> None:
        super().__init__(clock)
        self.transactions = 0

    def transaction(self) -> Any:
        self.transactions += 1
        return super().transaction()


async def test_dispatch_of_a_type_without_subscribers_only_records_the_dispatch(clock: FixedClock) -> None:
    store = _CountingStore(clock)
    event = _event("user.logged_in")
    await store.append(event)
    registry = SubscriberRegistry()
    registry.subscribe("crm.counter", "lead.created", lambda e, r: None)  # type: ignore[arg-type,return-value]

    assert (
        await dispatch_event(
            store, EventsServices(clock), event_id=event.id, registry=registry, event_type="user.logged_in"
        )
        == []
    )
    assert store.transactions == 1  # the dispatch record only: no load, no subscriber
    assert store.events[event.id].dispatched_at == clock.now()
    assert (
        await dispatch_event(store, EventsServices(clock), event_id=event.id, registry=registry) == []
    )  # no type given: looked up, then recorded
    assert store.transactions == 3


async def test_dispatch_with_a_type_still_runs_its_subscribers_once(clock: FixedClock) -> None:
    store = _CountingStore(clock)
    event = _event("lead.created")
    await store.append(event)
    handled: list[Any] = []
    registry = SubscriberRegistry()

    async def on_lead_created(e: EventRecord, _resources: Any) -> None:
        handled.append(e.id)

    registry.subscribe("crm.counter", "lead.created", on_lead_created)
    assert await dispatch_event(
        store, EventsServices(clock), event_id=event.id, registry=registry, event_type="lead.created"
    ) == ["crm.counter"]
    assert (
        await dispatch_event(
            store, EventsServices(clock), event_id=event.id, registry=registry, event_type="lead.created"
        )
        == []
    )
    assert handled == [event.id]


def test_registry_refuses_duplicate_subscriber_names() -> None:
    registry = SubscriberRegistry()

    async def handler(e: EventRecord, r: Any) -> None: ...

    registry.subscribe("a", ["x.y"], handler)
    with pytest.raises(ValueError, match="already registered"):
        registry.subscribe("a", ["x.z"], handler)
    assert [s.name for s in registry.for_type("x.y")] == ["a"]
    assert registry.for_type("x.z") == []


async def test_query_filters_by_org_type_actor_and_time(store: InMemoryEventStore) -> None:
    org, other_org, actor = new_id(), new_id(), new_id()
    await store.append(
        EventRecord(type="lead.created", occurred_at=T0, organization_id=org, actor_id=actor),
        EventRecord(type="lead.updated", occurred_at=T0 + timedelta(hours=1), organization_id=org),
        EventRecord(type="lead.created", occurred_at=T0, organization_id=other_org),
    )
    page = await store.list_for_organization(org, PageRequest(limit=10))
    assert page.total == 2
    assert [s.event.type for s in page.items] == ["lead.updated", "lead.created"]  # newest first
    assert (await store.list_for_organization(org, PageRequest(), event_type="lead.created")).total == 1
    assert (await store.list_for_organization(org, PageRequest(), actor_id=actor)).total == 1
    assert (await store.list_for_organization(org, PageRequest(), occurred_from=T0 + timedelta(minutes=1))).total == 1
