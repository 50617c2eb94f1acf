"""The CSV import task on real PostgreSQL as the non-owner application role (RLS on): batches,
resumption after a crash without duplicates, concurrent runs, and failure after the last retry."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from taskiq import AsyncBroker

from nexuscore.events.adapters.sql.tables import DomainEventRow
from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.leads.adapters.entitlements import DefaultLeadEntitlements
from nexuscore.leads.adapters.sql.tables import LeadRow
from nexuscore.leads.adapters.sql.unit_of_work import SqlLeadsUnitOfWork
from nexuscore.leads.adapters.tasks import imports as task_module
from nexuscore.leads.adapters.tasks.imports import IMPORT_TASK, register_leads_tasks
from nexuscore.leads.application import imports
from nexuscore.leads.application.services import LeadsServices
from nexuscore.leads.domain.model import ImportStatus, LeadImport
from nexuscore.platform.broker import build_broker, retry_middleware
from nexuscore.platform.database import bind_rls_scope, create_engine, session_maker
from tests.conftest import make_settings

pytestmark = pytest.mark.integration
T0 = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
ROWS = 2_500  # three batches of (at most) 1000


@pytest.fixture
async def engine(app_postgres_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(app_postgres_url, pool_size=4)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return session_maker(engine)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
async def broker(
    tmp_path: Path, sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> AsyncIterator[AsyncBroker]:
    broker = build_broker(make_settings(tmp_path), await_inplace=True)
    register_leads_tasks(broker, sessions, LeadsServices(clock, DefaultLeadEntitlements(None)))
    await broker.startup()
    try:
        yield broker
    finally:
        await broker.shutdown()


def _csv(rows: int) -> bytes:
    lines = ["First Name,Last Name,Email,Phone"]
    lines += [f"Person,{n},p{n}@example.sg," for n in range(1, rows + 1)]
    lines += ["Again,One,P1@EXAMPLE.SG,", "Broken,Row,not-an-email,"]  # a duplicate and an error, at the end
    return ("\n".join(lines) + "\n").encode()


async def _start(sessions: async_sessionmaker[AsyncSession], clock: FixedClock, org: UUID, data: bytes) -> LeadImport:
    async with sessions() as session:
        await bind_rls_scope(session, org_id=org)
        admin = TenantContext(org, uuid4(), Role.ADMIN)
        return await imports.start_import(
            SqlLeadsUnitOfWork(session, org, clock),
            LeadsServices(clock, DefaultLeadEntitlements(None)),
            tenant=admin,
            data=data,
            filename="x.csv",
        )


async def _job(sessions: async_sessionmaker[AsyncSession], clock: FixedClock, org: UUID, job_id: UUID) -> LeadImport:
    async with sessions() as session:
        await bind_rls_scope(session, org_id=org)
        job = await SqlLeadsUnitOfWork(session, org, clock).imports.get(job_id)
        assert job is not None
        return job


async def _counts(sessions: async_sessionmaker[AsyncSession], org: UUID) -> tuple[int, int, int]:
    """Leads, distinct emails and lead.imported events visible within the organisation's scope."""
    async with sessions() as session:
        await bind_rls_scope(session, org_id=org)
        leads = await session.scalar(select(func.count()).select_from(LeadRow))
        emails = await session.scalar(select(func.count(func.distinct(LeadRow.email))))
        events = await session.scalar(
            select(func.count()).select_from(DomainEventRow).where(DomainEventRow.type == "lead.imported")
        )
        return int(leads or 0), int(emails or 0), int(events or 0)


async def _kick(broker: AsyncBroker, org: UUID, job_id: UUID) -> None:
    task = broker.find_task(IMPORT_TASK)
    assert task is not None
    await task.kiq(org_id=str(org), import_id=str(job_id))
    await retry_middleware(broker).drain()


def _assert_complete(job: LeadImport) -> None:
    assert job.status is ImportStatus.COMPLETED
    assert (job.total_rows, job.processed_rows) == (ROWS + 2, ROWS + 2)
    assert (job.created_count, job.duplicate_count, job.error_count) == (ROWS, 1, 1)
    assert [(e.row, e.field, e.message) for e in job.errors] == [
        (ROWS + 1, "email", "Duplicate of row 1"),
        (ROWS + 2, "email", "must be an email address like name@example.sg"),
    ]


async def test_the_task_imports_in_batches_within_the_tenants_rls_scope(
    broker: AsyncBroker,
    sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    org, other_org = uuid4(), uuid4()
    job = await _start(sessions, clock, org, _csv(ROWS))
    commits: list[int] = []

    class CountingUnitOfWork(SqlLeadsUnitOfWork):
        async def commit(self) -> None:
            commits.append(1)
            await super().commit()

    monkeypatch.setattr(task_module, "SqlLeadsUnitOfWork", CountingUnitOfWork)
    await _kick(broker, org, job.id)

    _assert_complete(await _job(sessions, clock, org, job.id))
    assert len(commits) == 3  # one transaction per batch of 1000 rows
    assert await _counts(sessions, org) == (ROWS, ROWS, 1)
    # The rows belong to the tenant: the app role sees none of them from another organisation.
    assert await _counts(sessions, other_org) == (0, 0, 0)


async def test_a_crash_mid_way_is_retried_and_resumes_without_duplicates(
    broker: AsyncBroker,
    sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    org = uuid4()
    job = await _start(sessions, clock, org, _csv(ROWS))
    crashed: list[int] = []

    class CrashOnceUnitOfWork(SqlLeadsUnitOfWork):
        """The worker dies while committing the second batch (that transaction is lost)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.commits = 0

        async def commit(self) -> None:
            self.commits += 1
            if self.commits == 2 and not crashed:
                crashed.append(1)
                raise ConnectionResetError("worker killed mid-import")
            await super().commit()

    seen_between_attempts: list[tuple[ImportStatus, int, int, int]] = []

    async def between_attempts(_delay: float) -> None:
        # What a retry finds: the first batch committed, nothing of the second.
        half = await _job(sessions, clock, org, job.id)
        leads, _emails, _events = await _counts(sessions, org)
        seen_between_attempts.append((half.status, half.processed_rows, half.created_count, leads))

    monkeypatch.setattr(task_module, "SqlLeadsUnitOfWork", CrashOnceUnitOfWork)
    monkeypatch.setattr(retry_middleware(broker), "_sleep", between_attempts)
    await _kick(broker, org, job.id)

    assert crashed and seen_between_attempts == [(ImportStatus.RUNNING, 1000, 1000, 1000)]
    _assert_complete(await _job(sessions, clock, org, job.id))
    assert await _counts(sessions, org) == (ROWS, ROWS, 1)


async def test_two_workers_on_one_job_take_turns_and_create_nothing_twice(
    sessions: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    # A redelivered (reclaimed) message can run beside the original: the job row lock serialises them.
    org = uuid4()
    job = await _start(sessions, clock, org, _csv(ROWS))

    async def worker() -> LeadImport | None:
        async with sessions() as session:
            await bind_rls_scope(session, org_id=org)
            return await imports.run_import(
                SqlLeadsUnitOfWork(session, org, clock),
                LeadsServices(clock, DefaultLeadEntitlements(None)),
                import_id=job.id,
                batch_size=500,
            )

    first, second = await asyncio.gather(worker(), worker())
    assert first is not None and second is not None
    _assert_complete(await _job(sessions, clock, org, job.id))
    assert await _counts(sessions, org) == (ROWS, ROWS, 1)


async def test_when_the_last_attempt_fails_the_job_is_marked_failed(
    broker: AsyncBroker,
    sessions: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    org = uuid4()
    job = await _start(sessions, clock, org, _csv(10))
    attempts: list[int] = []

    async def always_broken(*args: Any, **kwargs: Any) -> None:
        attempts.append(1)
        raise RuntimeError("a bug")

    async def no_wait(_delay: float) -> None:
        return None

    monkeypatch.setattr(imports, "_run_batch", always_broken)
    monkeypatch.setattr(retry_middleware(broker), "_sleep", no_wait)
    await _kick(broker, org, job.id)

    assert len(attempts) == task_module.MAX_ATTEMPTS
    failed = await _job(sessions, clock, org, job.id)
    assert failed.status is ImportStatus.FAILED and failed.failure and failed.finished_at == T0
    assert await _counts(sessions, org) == (0, 0, 0)
