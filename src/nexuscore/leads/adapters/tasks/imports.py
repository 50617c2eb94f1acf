"""taskiq side of CSV imports: the task that runs one import job, and how to enqueue it.

The task carries primitives only (organisation and import ids). It works as trusted system code
for exactly one tenant: row-level security is bound to that organisation, so the worker cannot
touch another tenant's rows even by mistake. A failed run is retried (retry_on_error) and resumes
after the last committed batch; when the last attempt fails too, the job is marked failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from uuid import UUID

import anyio
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from taskiq import AsyncBroker, Context, TaskiqDepends

from nexuscore.leads.adapters.sql.unit_of_work import SqlLeadsUnitOfWork
from nexuscore.leads.application.imports import fail_import, run_import
from nexuscore.leads.application.services import LeadsServices
from nexuscore.platform.database import bind_rls_scope

logger = logging.getLogger(__name__)
_T = TypeVar("_T")

IMPORT_TASK = "nexuscore.leads.run_import"
MAX_ATTEMPTS = 5


class ImportQueueError(Exception):
    """The import task could not be handed to the broker."""


class ThreadOffload:
    """imports.Offload on a worker thread: parsing and cleaning a large file would otherwise hold
    the event loop (and every other request or task on it) for seconds. The GIL still serialises
    Python code, but the loop gets its turn every few milliseconds."""

    async def run(self, work: Callable[[], _T]) -> _T:
        return await anyio.to_thread.run_sync(work)


THREAD_OFFLOAD = ThreadOffload()


def _last_attempt(labels: dict[str, Any]) -> bool:
    # SmartRetryMiddleware's bookkeeping: `_retries` retries so far, `max_retries` attempts in all.
    attempt = int(labels.get("_retries", 0)) + 1
    return attempt >= int(labels.get("max_retries", MAX_ATTEMPTS))


def register_leads_tasks(
    broker: AsyncBroker,
    sessions: async_sessionmaker[AsyncSession],
    services: LeadsServices,
) -> None:
    clock = services.clock

    async def tenant_uow(session: AsyncSession, org_id: UUID) -> SqlLeadsUnitOfWork:
        await bind_rls_scope(session, org_id=org_id)
        return SqlLeadsUnitOfWork(session, org_id, clock)

    async def run_lead_import(org_id: str, import_id: str, context: Annotated[Context, TaskiqDepends()]) -> str | None:
        org, job_id = UUID(org_id), UUID(import_id)
        try:
            async with sessions() as session:
                job = await run_import(
                    await tenant_uow(session, org), services, import_id=job_id, offload=THREAD_OFFLOAD
                )
        except Exception:
            if not _last_attempt(context.message.labels):
                raise
            logger.exception("lead import %s failed on its last attempt", import_id)
            async with sessions() as session:
                await fail_import(
                    await tenant_uow(session, org),
                    services,
                    import_id=job_id,
                    reason="The import stopped on an unexpected error.",
                )
            raise
        if job is None:
            logger.warning("lead import %s of organisation %s not found", import_id, org_id)
            return None
        logger.info(
            "lead import %s %s: %d created, %d duplicates, %d errors",
            import_id,
            job.status.value,
            job.created_count,
            job.duplicate_count,
            job.error_count,
        )
        return job.status.value

    broker.register_task(run_lead_import, task_name=IMPORT_TASK, retry_on_error=True, max_retries=MAX_ATTEMPTS)


async def enqueue_import(broker: AsyncBroker, org_id: UUID, import_id: UUID) -> None:
    task = broker.find_task(IMPORT_TASK)
    if task is None:
        raise ImportQueueError(f"task {IMPORT_TASK} is not registered on the broker")
    try:
        await task.kiq(org_id=str(org_id), import_id=str(import_id))
    except Exception as exc:
        raise ImportQueueError(str(exc)) from exc
