"""The events store's ports on each backend (recorder, audit query, outbox, dispatch ledger):
the only place the contract suites name the adapters, so a moved module is one import to fix."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from uuid import UUID

from nexuscore.events.adapters.memory.store import InMemoryEventStore
from nexuscore.events.adapters.sql.store import SqlDispatchStore, SqlEventQuery, SqlEventRecorder, SqlOutboxStore
from nexuscore.events.ports.outbox import DispatchStore, EventQuery, OutboxStore
from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.events import DomainEvent, EventRecord, EventRecorder
from nexuscore.platform.database import bind_rls_scope
from tests.contract.conftest import Backend

# Microseconds on purpose: PostgreSQL keeps them, and the round trip must be exact.
T0 = datetime(2026, 3, 1, 9, 0, 0, 123456, tzinfo=UTC)
TABLES = ("events_processed_event", "events_domain_event")


class EventsBackend:
    """The events ports over one backend's shared, committed state."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.clock = FixedClock(T0)
        self._memory = InMemoryEventStore(self.clock)

    @asynccontextmanager
    async def recorder(self, *, commit: bool = True) -> AsyncIterator[EventRecorder]:
        """A recorder in a use case's transaction (as trusted code: events of any tenant),
        committed when the block ends if `commit`. The fake keeps what is appended at once."""
        database = self.backend.database
        if database is None:
            yield self._memory
            return
        async with database.sessions() as session:
            await bind_rls_scope(session, system=True)
            yield SqlEventRecorder(session, self.clock)
            if commit:
                await session.commit()

    async def record(self, *events: DomainEvent | EventRecord) -> None:
        async with self.recorder() as recorder:
            await recorder.append(*events)

    @asynccontextmanager
    async def query(self, org_id: UUID) -> AsyncIterator[EventQuery]:
        """The audit trail read in the tenant's row-level-security scope, as its endpoint does."""
        database = self.backend.database
        if database is None:
            yield self._memory
            return
        async with database.sessions() as session:
            await bind_rls_scope(session, org_id=org_id)
            yield SqlEventQuery(session)

    def outbox(self) -> OutboxStore:
        database = self.backend.database
        return self._memory if database is None else SqlOutboxStore(database.sessions)

    def dispatch(self) -> DispatchStore:
        database = self.backend.database
        return self._memory if database is None else SqlDispatchStore(database.sessions)

    async def clear(self) -> None:
        """Empty the event store (for the tests that read the whole outbox)."""
        await self.backend.clear(*TABLES)
