"""taskiq side of the privacy context: an approved request's processing starts with a task
kicked after the approval's commit, then one task per provider step (a lost kick of either is
found by the sweep).

Not an outbox subscriber: a subscriber runs inside the relay's dispatch transaction, and the
event store's erasure step rewrites event rows that transaction may hold locked (with the
in-process broker running tasks inline, the two would wait on each other for ever)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from taskiq import AsyncBroker

from nexuscore.kernel.clock import Clock
from nexuscore.platform.database import bind_rls_scope
from nexuscore.privacy.adapters.sql.repositories import SqlPrivacyUnitOfWork
from nexuscore.privacy.application import processing
from nexuscore.privacy.application.services import PrivacyServices
from nexuscore.privacy.domain.requests import SYSTEM_ACTOR

BEGIN_TASK = "nexuscore.privacy.begin"
STEP_TASK = "nexuscore.privacy.step"
SWEEP_TASK = "nexuscore.privacy.sweep"


async def _kick(broker: AsyncBroker, name: str, **kwargs: str) -> None:
    task = broker.find_task(name)
    if task is None:
        raise LookupError(f"task {name} is not registered on the broker")
    await task.kiq(**kwargs)


class TaskiqProcessingQueue:
    def __init__(self, broker: AsyncBroker) -> None:
        self._broker = broker

    async def enqueue_begin(self, request_id: UUID) -> None:
        await _kick(self._broker, BEGIN_TASK, request_id=str(request_id))

    async def enqueue_steps(self, request_id: UUID, providers: Sequence[str]) -> None:
        for provider in providers:
            await _kick(self._broker, STEP_TASK, request_id=str(request_id), provider=provider)


def system_uows(sessions: async_sessionmaker[AsyncSession], clock: Clock) -> Callable[[], Any]:
    """The worker's units of work: trusted background work, bound to the system scope."""

    @asynccontextmanager
    async def make() -> AsyncIterator[SqlPrivacyUnitOfWork]:
        async with sessions() as session:
            await bind_rls_scope(session, system=True)
            yield SqlPrivacyUnitOfWork(session, clock)

    return make


def register_privacy_tasks(broker: AsyncBroker, uows: Callable[[], Any], services: PrivacyServices) -> None:
    async def begin(request_id: str) -> str:
        async with uows() as uow:
            request = await processing.begin(uow, services, request_id=UUID(request_id), actor=SYSTEM_ACTOR)
        return request.status.value

    async def step(request_id: str, provider: str) -> None:
        async with uows() as uow:
            await processing.run_step(uow, services, request_id=UUID(request_id), provider=provider)

    async def sweep() -> int:
        async with uows() as uow:
            return await processing.sweep(uow, services)

    broker.register_task(begin, task_name=BEGIN_TASK, retry_on_error=True, max_retries=5)
    broker.register_task(sweep, task_name=SWEEP_TASK, schedule=[{"cron": "*/5 * * * *"}])
    broker.register_task(step, task_name=STEP_TASK, retry_on_error=True, max_retries=5)
