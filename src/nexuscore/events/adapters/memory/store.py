"""In-memory fakes of the events ports, for unit tests of this and other contexts.

They follow the SQL adapters' semantics (tests/contract runs the same suites on both), but for
one thing by design: `append` keeps the events at once (a fake use case's unit of work is the
test itself), where the SQL recorder writes in the caller's transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from nexuscore.events.domain.stored_event import StoredEvent
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.events import DomainEvent, EventRecord, as_record
from nexuscore.kernel.paging import Page, PageRequest


class InMemoryEventStore:
    """Holds events and processed markers; transactions stage changes until commit."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.events: dict[UUID, StoredEvent] = {}
        self.processed: set[tuple[str, UUID]] = set()

    # EventRecorder (commits immediately: a fake use case's uow is the test itself)
    async def append(self, *events: DomainEvent | EventRecord) -> None:
        for e in map(as_record, events):
            self.events[e.id] = StoredEvent(e, recorded_at=self.clock.now())

    def unpublished(self) -> list[StoredEvent]:
        return sorted((s for s in self.events.values() if not s.is_published), key=lambda s: s.event.id)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_InMemoryTransaction]:
        yield _InMemoryTransaction(self)

    async def list_for_organization(
        self,
        organization_id: UUID,
        page: PageRequest,
        *,
        event_type: str | None = None,
        actor_id: UUID | None = None,
        occurred_from: datetime | None = None,
        occurred_to: datetime | None = None,
    ) -> Page[StoredEvent]:
        matches = [
            s
            for s in sorted(self.events.values(), key=lambda s: s.event.id, reverse=True)
            if s.event.organization_id == organization_id
            # As in SQL, an empty (falsy) filter filters nothing.
            and (not event_type or s.event.type == event_type)
            and (not actor_id or s.event.actor_id == actor_id)
            and (not occurred_from or s.event.occurred_at >= occurred_from)
            and (not occurred_to or s.event.occurred_at < occurred_to)
        ]
        return Page(matches[page.offset : page.offset + page.limit], len(matches), page.limit, page.offset)


class _InMemoryTransaction:
    def __init__(self, store: InMemoryEventStore) -> None:
        self._store = store
        self._published: dict[UUID, datetime] = {}
        self._republished: dict[UUID, datetime] = {}
        self._dispatched: dict[UUID, datetime] = {}
        self._processed: set[tuple[str, UUID]] = set()

    @property
    def resources(self) -> Any:
        return self._store

    async def claim_unpublished(self, limit: int) -> Sequence[StoredEvent]:
        # What this transaction has marked published is published to it, as in SQL.
        return [s for s in self._store.unpublished() if s.event.id not in self._published][:limit]

    async def mark_published(self, event_ids: Sequence[UUID], at: datetime) -> None:
        self._published.update({i: at for i in event_ids})

    async def claim_undispatched(
        self, published_before: datetime, limit: int, max_redeliveries: int
    ) -> Sequence[StoredEvent]:
        stale = [
            s
            for s in self._store.events.values()
            if s.published_at is not None
            and s.dispatched_at is None
            and s.published_at < published_before
            and s.redeliveries < max_redeliveries
            and s.event.id not in self._republished
        ]
        return sorted(stale, key=lambda s: (s.published_at, s.event.id))[:limit]

    async def mark_republished(self, event_ids: Sequence[UUID], at: datetime) -> None:
        self._republished.update({i: at for i in event_ids})

    async def mark_dispatched(self, event_ids: Sequence[UUID] | UUID, at: datetime, *, wait: bool = True) -> None:
        # The outbox port marks many, the dispatch port one: one fake plays both.
        ids = [event_ids] if isinstance(event_ids, UUID) else event_ids
        self._dispatched.update({i: at for i in ids if i in self._store.events})

    async def load(self, event_id: UUID) -> EventRecord | None:
        stored = self._store.events.get(event_id)
        return None if stored is None else stored.event

    async def mark_processed(self, subscriber: str, event_id: UUID, at: datetime) -> bool:
        key = (subscriber, event_id)
        if key in self._store.processed or key in self._processed:
            return False
        self._processed.add(key)
        return True

    async def commit(self) -> None:
        events = self._store.events
        for event_id, at in self._published.items():
            events[event_id] = replace(events[event_id], published_at=at)
        for event_id, at in self._republished.items():
            count = events[event_id].redeliveries + 1
            events[event_id] = replace(events[event_id], published_at=at, redeliveries=count)
        for event_id, at in self._dispatched.items():
            if events[event_id].dispatched_at is None:
                events[event_id] = replace(events[event_id], dispatched_at=at)
        self._store.processed |= self._processed
        for staged in (self._published, self._republished, self._dispatched):
            staged.clear()
        self._processed.clear()


class RecordingPublisher:
    """EventPublisher fake that remembers what it published, optionally failing after it."""

    def __init__(self) -> None:
        self.published: list[EventRecord] = []
        self.fail_after_publish = False

    async def publish(self, event: EventRecord) -> bool:
        self.published.append(event)
        if self.fail_after_publish:
            raise RuntimeError("simulated crash after publishing")
        return True
