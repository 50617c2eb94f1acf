"""Staff operations: the inbox list, one event with its attempts, replays, and the backfill."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from nexuscore.kernel.errors import Conflict, NotFound
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.webhooks.application.ingest import IngestResult, ingest_event
from nexuscore.webhooks.application.services import WebhooksServices
from nexuscore.webhooks.domain.events import WebhookReceived, WebhookReplayRequested
from nexuscore.webhooks.domain.model import (
    Attempt,
    InboxEvent,
    InboxFilter,
    InboxStatus,
    IncomingEvent,
    ReplayJob,
    ReplayJobStatus,
)
from nexuscore.webhooks.ports.repositories import UnitOfWorkFactory, WebhooksUnitOfWork

REPLAY_PAGE = 100


async def list_inbox(
    uow: WebhooksUnitOfWork, services: WebhooksServices, *, where: InboxFilter, page: PageRequest
) -> Page[InboxEvent]:
    return await uow.inbox.page(where, page)


@dataclass(frozen=True)
class InboxEventDetail:
    event: InboxEvent
    attempts: list[Attempt]


async def get_inbox_event(uow: WebhooksUnitOfWork, services: WebhooksServices, *, inbox_id: UUID) -> InboxEventDetail:
    event = await uow.inbox.get(inbox_id)
    if event is None:
        raise NotFound("Webhook event not found.")
    return InboxEventDetail(event, await uow.inbox.attempts(inbox_id))


async def replay_event(
    uow: WebhooksUnitOfWork, services: WebhooksServices, *, inbox_id: UUID, actor_id: UUID | None
) -> InboxEvent:
    """Process the event again (handlers are idempotent), with a fresh attempt budget."""
    if await uow.inbox.get(inbox_id) is None:
        raise NotFound("Webhook event not found.")
    if not await uow.inbox.reset_for_replay(inbox_id):
        raise Conflict("The event is being processed right now.")
    now = services.clock.now()
    await uow.events.append(WebhookReplayRequested(occurred_at=now, actor_id=actor_id, inbox_id=inbox_id))
    await uow.commit()
    event = await uow.inbox.get(inbox_id)
    assert event is not None
    return event


async def request_bulk_replay(
    uow: WebhooksUnitOfWork,
    services: WebhooksServices,
    *,
    status: InboxStatus,
    type_: str | None,
    since: datetime | None,
    actor_id: UUID | None,
) -> ReplayJob:
    now = services.clock.now()
    job = ReplayJob(status_filter=status, type_filter=type_, since=since, created_at=now, requested_by=actor_id)
    await uow.replay_jobs.add(job)
    await uow.events.append(WebhookReplayRequested(occurred_at=now, actor_id=actor_id, job_id=job.id))
    await uow.commit()
    return job


async def get_replay_job(uow: WebhooksUnitOfWork, services: WebhooksServices, *, job_id: UUID) -> ReplayJob:
    job = await uow.replay_jobs.get(job_id)
    if job is None:
        raise NotFound("Replay job not found.")
    return job


async def run_replay_job(uows: UnitOfWorkFactory, services: WebhooksServices, *, job_id: UUID) -> ReplayJob | None:
    """Replay the job's events a page per transaction (progress, the cursor and each event's
    outbox message commit together), so a crashed run resumes after its last page."""
    while True:
        async with uows() as uow:
            job = await uow.replay_jobs.get(job_id, for_update=True)
            if job is None or job.status is ReplayJobStatus.DONE:
                return job
            where = InboxFilter(status=job.status_filter, type=job.type_filter, since=job.since)
            if job.status is ReplayJobStatus.PENDING:
                job.total = (await uow.inbox.page(where, PageRequest(limit=1))).total
                job.status = ReplayJobStatus.RUNNING
            ids = await uow.inbox.ids_matching(where, after=job.cursor, limit=REPLAY_PAGE)
            now = services.clock.now()
            for inbox_id in ids:
                if await uow.inbox.reset_for_replay(inbox_id):
                    job.replayed += 1
                    event = await uow.inbox.get(inbox_id)
                    assert event is not None
                    await uow.events.append(
                        WebhookReceived(
                            occurred_at=now, inbox_id=inbox_id, provider=event.provider, event_type=event.type
                        )
                    )
            if ids:
                job.cursor = ids[-1]
            if len(ids) < REPLAY_PAGE:
                job.status = ReplayJobStatus.DONE
                job.finished_at = now
            await uow.replay_jobs.save(job)
            await uow.commit()
            if job.status is ReplayJobStatus.DONE:
                return job


async def backfill_event(
    uow: WebhooksUnitOfWork, services: WebhooksServices, *, incoming: IncomingEvent
) -> IngestResult:
    """One listed event through the same ingest as a delivery (a stored one is a duplicate)."""
    return await ingest_event(uow, services, incoming=incoming)
