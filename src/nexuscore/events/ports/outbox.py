"""Ports of the events context: relaying and dispatching (EventRecorder lives in the kernel)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from nexuscore.events.domain.stored_event import StoredEvent
from nexuscore.kernel.events import EventRecord, EventRecorder
from nexuscore.kernel.paging import Page, PageRequest

__all__ = [
    "DispatchStore",
    "DispatchTransaction",
    "EventPublisher",
    "EventQuery",
    "EventRecorder",
    "OutboxStore",
    "OutboxTransaction",
]


class OutboxTransaction(Protocol):
    """One relay pass's transaction: claims unpublished events and marks them published."""

    async def claim_unpublished(self, limit: int) -> Sequence[StoredEvent]:
        """Oldest first; on PostgreSQL locked with SKIP LOCKED so relays share the work."""
        ...

    async def mark_published(self, event_ids: Sequence[UUID], at: datetime) -> None: ...

    async def claim_undispatched(
        self, published_before: datetime, limit: int, max_redeliveries: int
    ) -> Sequence[StoredEvent]:
        """Published before `published_before`, no dispatch recorded, re-published fewer than
        `max_redeliveries` times; oldest first, SKIP LOCKED on PostgreSQL."""
        ...

    async def mark_republished(self, event_ids: Sequence[UUID], at: datetime) -> None:
        """`published_at` becomes `at` (the bound starts again) and `redeliveries` grows by one."""
        ...

    async def mark_dispatched(self, event_ids: Sequence[UUID], at: datetime) -> None:
        """Events no consumer needs to see (the publisher skipped them) count as dispatched."""
        ...

    async def commit(self) -> None: ...


class OutboxStore(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[OutboxTransaction]: ...


class EventPublisher(Protocol):
    """Hands one committed event to the message broker."""

    async def publish(self, event: EventRecord) -> bool:
        """True when it was sent; False when no consumer would act on it (nothing to dispatch)."""
        ...


class DispatchTransaction(Protocol):
    """The transaction a subscriber runs in, together with the record that it ran."""

    async def load(self, event_id: UUID) -> EventRecord | None: ...

    async def mark_processed(self, subscriber: str, event_id: UUID, at: datetime) -> bool:
        """Record that `subscriber` handled the event; False when it already had."""
        ...

    async def mark_dispatched(self, event_id: UUID, at: datetime, *, wait: bool = True) -> None:
        """Record that every subscriber of the event has run (the relay stops re-publishing it).
        `wait=False`: if another transaction holds the event's row, record nothing (SKIP LOCKED)."""
        ...

    @property
    def resources(self) -> Any:
        """Whatever the adapter offers handlers to build their own ports on (e.g. a DB session)."""
        ...

    async def commit(self) -> None: ...


class DispatchStore(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[DispatchTransaction]: ...


class EventQuery(Protocol):
    async def list_for_organization(
        self,
        organization_id: UUID,
        page: PageRequest,
        *,
        event_type: str | None = None,
        actor_id: UUID | None = None,
        occurred_from: datetime | None = None,
        occurred_to: datetime | None = None,
    ) -> Page[StoredEvent]: ...
