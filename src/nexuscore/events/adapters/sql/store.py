"""SQL adapters of the events ports, on SQLAlchemy async sessions (PostgreSQL and SQLite)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.events.adapters.sql.tables import DomainEventRow, ProcessedEventRow
from nexuscore.events.domain.stored_event import StoredEvent
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.events import DomainEvent, EventRecord, as_record
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.platform.database import bind_rls_scope


def _to_event(row: DomainEventRow) -> EventRecord:
    return EventRecord(
        id=row.id,
        type=row.type,
        organization_id=row.organization_id,
        actor_id=row.actor_id,
        subject=row.subject,
        payload=row.payload,
        occurred_at=row.occurred_at,
    )


def _to_stored(row: DomainEventRow) -> StoredEvent:
    return StoredEvent(
        _to_event(row),
        recorded_at=row.recorded_at,
        published_at=row.published_at,
        dispatched_at=row.dispatched_at,
        redeliveries=row.redeliveries or 0,
    )


@asynccontextmanager
async def _session_scope(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session whose work is kept only if the caller commits it."""
    async with sessions() as session:
        try:
            yield session
        finally:
            if session.in_transaction():
                await session.rollback()


class SqlEventRecorder:
    """Appends to the caller's session: the events commit with the use case's other writes."""

    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def append(self, *events: DomainEvent | EventRecord) -> None:
        if not events:
            return
        now = self._clock.now()
        records = [as_record(e) for e in events]
        await self._session.execute(
            insert(DomainEventRow),
            [
                {
                    "id": e.id,
                    "type": e.type,
                    "organization_id": e.organization_id,
                    "actor_id": e.actor_id,
                    "subject": e.subject,
                    "payload": dict(e.payload),
                    "occurred_at": e.occurred_at,
                    "recorded_at": now,
                    "published_at": None,
                    "dispatched_at": None,
                    "redeliveries": 0,
                }
                for e in records
            ],
        )


class SqlEventLookup:
    """Reads the caller's session (its row-level-security scope applies): whether an event
    like one about to be recorded already was, for a use case that coalesces its events."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def recorded_since(self, *, event_type: str, subject: str, actor_id: UUID, since: datetime) -> bool:
        found = await self._session.scalar(
            select(DomainEventRow.id)
            .where(
                DomainEventRow.type == event_type,
                DomainEventRow.subject == subject,
                DomainEventRow.actor_id == actor_id,
                DomainEventRow.occurred_at >= since,
            )
            .limit(1)
        )
        return found is not None


class _SqlOutboxTransaction:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim_unpublished(self, limit: int) -> Sequence[StoredEvent]:
        stmt = (
            select(DomainEventRow)
            .where(DomainEventRow.published_at.is_(None))
            .order_by(DomainEventRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)  # PostgreSQL; SQLite has one writer anyway
        )
        rows = (await self._session.scalars(stmt)).all()
        return [_to_stored(r) for r in rows]

    async def mark_published(self, event_ids: Sequence[UUID], at: datetime) -> None:
        await self._session.execute(
            update(DomainEventRow).where(DomainEventRow.id.in_(list(event_ids))).values(published_at=at)
        )

    async def claim_undispatched(
        self, published_before: datetime, limit: int, max_redeliveries: int
    ) -> Sequence[StoredEvent]:
        stmt = (
            select(DomainEventRow)
            .where(
                DomainEventRow.published_at.is_not(None),
                DomainEventRow.dispatched_at.is_(None),
                DomainEventRow.published_at < published_before,
                DomainEventRow.redeliveries < max_redeliveries,
            )
            .order_by(DomainEventRow.published_at, DomainEventRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = (await self._session.scalars(stmt)).all()
        return [_to_stored(r) for r in rows]

    async def mark_republished(self, event_ids: Sequence[UUID], at: datetime) -> None:
        if event_ids:
            await self._session.execute(
                update(DomainEventRow)
                .where(DomainEventRow.id.in_(list(event_ids)))
                .values(published_at=at, redeliveries=DomainEventRow.redeliveries + 1)
            )

    async def mark_dispatched(self, event_ids: Sequence[UUID], at: datetime) -> None:
        if event_ids:
            await self._session.execute(
                update(DomainEventRow)
                .where(DomainEventRow.id.in_(list(event_ids)), DomainEventRow.dispatched_at.is_(None))
                .values(dispatched_at=at)
            )

    async def commit(self) -> None:
        await self._session.commit()


class SqlOutboxStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_SqlOutboxTransaction]:
        async with _session_scope(self._sessions) as session:
            await bind_rls_scope(session, system=True)  # the relay serves every tenant
            yield _SqlOutboxTransaction(session)


class _SqlDispatchTransaction:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @property
    def resources(self) -> Any:
        return self._session

    async def load(self, event_id: UUID) -> EventRecord | None:
        row = await self._session.get(DomainEventRow, event_id)
        return None if row is None else _to_event(row)

    async def mark_processed(self, subscriber: str, event_id: UUID, at: datetime) -> bool:
        values = {"subscriber": subscriber, "event_id": event_id, "processed_at": at}
        dialect = self._session.get_bind().dialect.name
        # ON CONFLICT DO NOTHING: a concurrent duplicate waits for the first, then sees it.
        if dialect == "postgresql":
            stmt: Any = pg_insert(ProcessedEventRow).values(values).on_conflict_do_nothing()
        else:
            stmt = sqlite_insert(ProcessedEventRow).values(values).on_conflict_do_nothing()
        result = await self._session.execute(stmt)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def mark_dispatched(self, event_id: UUID, at: datetime, *, wait: bool = True) -> None:
        target: Any = DomainEventRow.id == event_id
        if not wait:
            unlocked = select(DomainEventRow.id).where(target).with_for_update(skip_locked=True)
            target = DomainEventRow.id.in_(unlocked.scalar_subquery())
        await self._session.execute(
            update(DomainEventRow).where(target, DomainEventRow.dispatched_at.is_(None)).values(dispatched_at=at)
        )

    async def commit(self) -> None:
        await self._session.commit()


class SqlDispatchStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[_SqlDispatchTransaction]:
        async with _session_scope(self._sessions) as session:
            # Subscribers are trusted system code acting for whichever tenant an event names.
            await bind_rls_scope(session, system=True)
            yield _SqlDispatchTransaction(session)


class SqlEventQuery:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

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
        conditions = [DomainEventRow.organization_id == organization_id]
        if event_type:
            conditions.append(DomainEventRow.type == event_type)
        if actor_id:
            conditions.append(DomainEventRow.actor_id == actor_id)
        if occurred_from:
            conditions.append(DomainEventRow.occurred_at >= occurred_from)
        if occurred_to:
            conditions.append(DomainEventRow.occurred_at < occurred_to)
        total = await self._session.scalar(select(func.count()).select_from(DomainEventRow).where(*conditions))
        rows = (
            await self._session.scalars(
                select(DomainEventRow)
                .where(*conditions)
                .order_by(DomainEventRow.id.desc())
                .limit(page.limit)
                .offset(page.offset)
            )
        ).all()
        return Page([_to_stored(r) for r in rows], total or 0, page.limit, page.offset)

    async def list_for_subject(
        self, subject: str, organization_id: UUID | None, *, types: Sequence[str], limit: int = 100
    ) -> list[StoredEvent]:
        """The first `limit` events of these types about one subject (`privacy_breach:<id>`),
        oldest first, of one organisation or (None) of the platform. The types are required:
        the type index narrows the search (there is no index on subject)."""
        scope = (
            DomainEventRow.organization_id.is_(None)
            if organization_id is None
            else DomainEventRow.organization_id == organization_id
        )
        rows = (
            await self._session.scalars(
                select(DomainEventRow)
                .where(DomainEventRow.type.in_(list(types)), DomainEventRow.subject == subject, scope)
                .order_by(DomainEventRow.id)
                .limit(limit)
            )
        ).all()
        return [_to_stored(r) for r in rows]
