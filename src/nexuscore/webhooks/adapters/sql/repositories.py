"""SQL adapters of the inbox ports (PostgreSQL and SQLite)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from dataclasses import fields
from datetime import datetime
from typing import Any, cast
from uuid import UUID

from sqlalchemy import ColumnElement, Table, and_, bindparam, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.events.api import sql_event_recorder
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.webhooks.adapters.sql.tables import AttemptRow, InboxEventRow, ReplayJobRow
from nexuscore.webhooks.domain.model import (
    CLAIMABLE,
    FINAL,
    Attempt,
    InboxEvent,
    InboxFilter,
    InboxStatus,
    ReplayJob,
    ReplayJobStatus,
)
from nexuscore.webhooks.ports.repositories import InboxRepository, ReplayJobRepository

_EVENT_FIELDS = [f.name for f in fields(InboxEvent)]
_ATTEMPT_FIELDS = fields(Attempt)


def _event(row: InboxEventRow) -> InboxEvent:
    values: dict[str, Any] = {name: getattr(row, name) for name in _EVENT_FIELDS}
    values["status"] = InboxStatus(row.status)
    return InboxEvent(**values)


def _where(where: InboxFilter) -> list[ColumnElement[bool]]:
    t = InboxEventRow
    conditions: list[ColumnElement[bool]] = []
    if where.provider is not None:
        conditions.append(t.provider == where.provider)
    if where.status is not None:
        conditions.append(t.status == where.status.value)
    if where.type is not None:
        conditions.append(t.type == where.type)
    if where.event_id is not None:
        conditions.append(t.event_id == where.event_id)
    if where.since is not None:
        conditions.append(t.received_at >= where.since)
    return conditions


# ON CONFLICT DO NOTHING: a concurrent duplicate waits for the winner's commit and then inserts
# nothing, without an error that would abort the transaction (PostgreSQL and SQLite >= 3.35
# spell it alike). A text statement with typed parameters: SQLAlchemy compiles it once, where
# its dialect inserts were compiled again on every call (no cache key), a third of an ingest.
_INBOX = cast(Table, InboxEventRow.__table__)
_COLUMNS = ", ".join(c.name for c in _INBOX.c)
_INSERT_IF_ABSENT = text(
    f"INSERT INTO {InboxEventRow.__tablename__} ({_COLUMNS}) "  # noqa: S608 -- our own names, no input
    f"VALUES ({', '.join(':' + c.name for c in _INBOX.c)}) "
    "ON CONFLICT (provider, event_id) DO NOTHING RETURNING id"
).bindparams(*(bindparam(c.name, type_=c.type) for c in _INBOX.c))


# The drain's statements (every event runs claim, finish and the attempt insert): Core, built
# once with typed parameters. The ORM-enabled `update(InboxEventRow)` ran its session
# synchroniser (evaluating the WHERE clause against the identity map) and a flush for the
# attempt on every event, ~1,500 of a drained event's ~5,800 Python calls.
_I = _INBOX.c
_ATTEMPTS = cast(Table, AttemptRow.__table__)
_CLAIM = (
    update(_INBOX)
    .where(
        _I.id == bindparam("inbox_id", type_=_I.id.type),
        or_(
            and_(
                _I.status.in_([s.value for s in CLAIMABLE]),
                or_(_I.next_attempt_at.is_(None), _I.next_attempt_at <= bindparam("now", type_=_I.claimed_at.type)),
            ),
            and_(
                _I.status == InboxStatus.PROCESSING.value,
                _I.claimed_at < bindparam("stuck_before", type_=_I.claimed_at.type),
            ),
        ),
    )
    .values(
        status=InboxStatus.PROCESSING.value,
        claimed_at=bindparam("now"),
        claim_token=bindparam("token", type_=_I.claim_token.type),
        attempts=_I.attempts + 1,
    )
    .returning(*_INBOX.c)
)
_FINISH = (
    update(_INBOX)
    .where(
        _I.id == bindparam("inbox_id", type_=_I.id.type),
        _I.claim_token == bindparam("token", type_=_I.claim_token.type),
        _I.status == InboxStatus.PROCESSING.value,
    )
    .values(
        status=bindparam("new_status", type_=_I.status.type),
        next_attempt_at=bindparam("retry_at", type_=_I.next_attempt_at.type),
        claimed_at=None,
        claim_token=None,
        processed_at=bindparam("finished_at", type_=_I.processed_at.type),
        last_error=bindparam("error", type_=_I.last_error.type),
    )
    .returning(_I.id)
)
_ADD_ATTEMPT = _ATTEMPTS.insert()


class SqlInboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_if_absent(self, event: InboxEvent) -> bool:
        values = {name: getattr(event, name) for name in _EVENT_FIELDS}
        values["status"] = event.status.value
        return (await self._session.execute(_INSERT_IF_ABSENT, values)).scalar_one_or_none() is not None

    async def get(self, inbox_id: UUID) -> InboxEvent | None:
        row = await self._session.get(InboxEventRow, inbox_id, populate_existing=True)
        return _event(row) if row is not None else None

    async def find(self, provider: str, event_id: str) -> InboxEvent | None:
        row = await self._session.scalar(
            select(InboxEventRow).where(InboxEventRow.provider == provider, InboxEventRow.event_id == event_id)
        )
        return _event(row) if row is not None else None

    async def known_event_ids(self, provider: str, event_ids: Collection[str]) -> set[str]:
        if not event_ids:
            return set()
        found = await self._session.scalars(
            select(InboxEventRow.event_id).where(
                InboxEventRow.provider == provider, InboxEventRow.event_id.in_(list(event_ids))
            )
        )
        return set(found)

    async def claim(self, inbox_id: UUID, *, token: UUID, now: datetime, stuck_before: datetime) -> InboxEvent | None:
        # One conditional UPDATE: PostgreSQL re-checks the condition after waiting on a
        # concurrent claimer's row lock, SQLite serialises writers; either way one wins.
        result = await self._session.execute(
            _CLAIM, {"inbox_id": inbox_id, "now": now, "stuck_before": stuck_before, "token": token}
        )
        row = result.one_or_none()
        if row is None:
            return None
        values: dict[str, Any] = {name: row._mapping[name] for name in _EVENT_FIELDS}
        values["status"] = InboxStatus(values["status"])
        return InboxEvent(**values)

    async def renew_claim(self, inbox_id: UUID, *, token: UUID, now: datetime) -> bool:
        t = InboxEventRow
        result = await self._session.execute(
            update(t)
            .where(t.id == inbox_id, t.claim_token == token, t.status == InboxStatus.PROCESSING.value)
            .values(claimed_at=now)
            .returning(t.id)
        )
        return result.scalar_one_or_none() is not None

    async def finish(
        self,
        inbox_id: UUID,
        *,
        token: UUID,
        status: InboxStatus,
        now: datetime,
        next_attempt_at: datetime | None = None,
        error: str | None = None,
    ) -> bool:
        values = {
            "inbox_id": inbox_id,
            "token": token,
            "new_status": status.value,
            "retry_at": next_attempt_at,
            "finished_at": now if status in FINAL else None,
            "error": error,
        }
        return (await self._session.execute(_FINISH, values)).scalar_one_or_none() is not None

    async def reset_for_replay(self, inbox_id: UUID) -> bool:
        t = InboxEventRow
        result = await self._session.execute(
            update(t)
            .where(t.id == inbox_id, t.status != InboxStatus.PROCESSING.value)
            .values(status=InboxStatus.RECEIVED.value, attempts=0, next_attempt_at=None, processed_at=None)
            .returning(t.id)
        )
        return result.scalar_one_or_none() is not None

    async def add_attempt(self, attempt: Attempt) -> None:
        await self._session.execute(_ADD_ATTEMPT, {f.name: getattr(attempt, f.name) for f in _ATTEMPT_FIELDS})

    async def attempts(self, inbox_id: UUID) -> list[Attempt]:
        rows = await self._session.scalars(
            select(AttemptRow).where(AttemptRow.inbox_id == inbox_id).order_by(AttemptRow.number)
        )
        return [Attempt(**{f.name: getattr(r, f.name) for f in fields(Attempt)}) for r in rows]

    async def attempt_count(self, inbox_id: UUID) -> int:
        count = await self._session.scalar(
            select(func.coalesce(func.max(AttemptRow.number), 0)).where(AttemptRow.inbox_id == inbox_id)
        )
        return int(count or 0)

    async def page(self, where: InboxFilter, page: PageRequest) -> Page[InboxEvent]:
        conditions = _where(where)
        rows = list(
            await self._session.scalars(
                select(InboxEventRow)
                .where(*conditions)
                .order_by(InboxEventRow.received_at.desc(), InboxEventRow.id.desc())
                .limit(page.limit)
                .offset(page.offset)
            )
        )
        if page.offset == 0 and len(rows) < page.limit:
            total = len(rows)
        else:
            total = int(
                await self._session.scalar(select(func.count()).select_from(InboxEventRow).where(*conditions)) or 0
            )
        return Page([_event(r) for r in rows], total=total, limit=page.limit, offset=page.offset)

    async def ids_matching(self, where: InboxFilter, *, after: UUID | None, limit: int) -> list[UUID]:
        conditions = _where(where)
        if after is not None:
            conditions.append(InboxEventRow.id > after)
        found = await self._session.scalars(
            select(InboxEventRow.id).where(*conditions).order_by(InboxEventRow.id).limit(limit)
        )
        return list(found)

    async def due(self, *, now: datetime, stuck_before: datetime, limit: int) -> list[UUID]:
        t = InboxEventRow
        found = await self._session.scalars(
            select(t.id)
            .where(
                or_(
                    and_(t.status == InboxStatus.RECEIVED.value, t.received_at < stuck_before),
                    and_(t.status == InboxStatus.FAILED.value, t.next_attempt_at <= now),
                    and_(t.status == InboxStatus.PROCESSING.value, t.claimed_at < stuck_before),
                )
            )
            .order_by(t.id)
            .limit(limit)
        )
        return list(found)

    async def oldest_unfinished_received_at(self) -> datetime | None:
        t = InboxEventRow
        return await self._session.scalar(
            select(func.min(t.received_at)).where(
                t.status.in_([InboxStatus.RECEIVED.value, InboxStatus.PROCESSING.value, InboxStatus.FAILED.value])
            )
        )


_JOB_FIELDS = [f.name for f in fields(ReplayJob)]


def _job(row: ReplayJobRow) -> ReplayJob:
    values: dict[str, Any] = {name: getattr(row, name) for name in _JOB_FIELDS}
    values["status_filter"] = InboxStatus(row.status_filter)
    values["status"] = ReplayJobStatus(row.status)
    return ReplayJob(**values)


def _job_values(job: ReplayJob) -> dict[str, Any]:
    values = {name: getattr(job, name) for name in _JOB_FIELDS}
    values["status_filter"] = job.status_filter.value
    values["status"] = job.status.value
    return values


class SqlReplayJobRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, job: ReplayJob) -> None:
        self._session.add(ReplayJobRow(**_job_values(job)))
        await self._session.flush()

    async def get(self, job_id: UUID, *, for_update: bool = False) -> ReplayJob | None:
        statement = select(ReplayJobRow).where(ReplayJobRow.id == job_id).execution_options(populate_existing=True)
        if for_update:
            statement = statement.with_for_update()
        row = await self._session.scalar(statement)
        return _job(row) if row is not None else None

    async def save(self, job: ReplayJob) -> None:
        values = _job_values(job)
        del values["id"]
        await self._session.execute(update(ReplayJobRow).where(ReplayJobRow.id == job.id).values(**values))


class SqlWebhooksUnitOfWork:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.inbox: InboxRepository = SqlInboxRepository(session)
        self.replay_jobs: ReplayJobRepository = SqlReplayJobRepository(session)
        self.events = sql_event_recorder(session, clock)

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()


class SqlUnitOfWorkFactory:
    """A unit of work on a session of its own, rolled back unless committed."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[SqlWebhooksUnitOfWork]:
        async with self._sessions() as session:
            try:
                yield SqlWebhooksUnitOfWork(session, self._clock)
            finally:
                if session.in_transaction():
                    await session.rollback()
