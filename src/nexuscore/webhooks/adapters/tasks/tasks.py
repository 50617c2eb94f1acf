"""taskiq side of the webhooks context: the outbox subscriber that hands stored events to the
process task, the process task, the sweeper schedule and the bulk replay task."""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from taskiq import AsyncBroker

from nexuscore.events.api import EventRecord, Subscriber
from nexuscore.kernel.clock import Clock
from nexuscore.webhooks.adapters import metrics
from nexuscore.webhooks.adapters.sql.repositories import SqlUnitOfWorkFactory
from nexuscore.webhooks.application.operations import run_replay_job
from nexuscore.webhooks.application.processing import process_event, sweep_due
from nexuscore.webhooks.application.services import WebhooksServices
from nexuscore.webhooks.domain.events import WebhookReceived, WebhookReplayRequested
from nexuscore.webhooks.domain.model import InboxStatus

logger = logging.getLogger(__name__)
PROCESS_TASK = "nexuscore.webhooks.process"
SWEEP_TASK = "nexuscore.webhooks.sweep"
REPLAY_TASK = "nexuscore.webhooks.replay"


async def _kick(broker: AsyncBroker, name: str, **kwargs: str) -> None:
    task = broker.find_task(name)
    if task is None:
        raise LookupError(f"task {name} is not registered on the broker")
    await task.kiq(**kwargs)


def webhook_subscribers(broker: AsyncBroker) -> list[Subscriber]:
    """The outbox message of a stored (or replayed) event becomes a process task. A failed
    kick fails the dispatch, which retries; a duplicate kick is harmless (claims are once)."""

    async def hand_to_worker(event: EventRecord, _session: Any) -> None:
        if "inboxId" in event.payload:
            await _kick(broker, PROCESS_TASK, inbox_id=str(event.payload["inboxId"]))
        elif "jobId" in event.payload:
            await _kick(broker, REPLAY_TASK, job_id=str(event.payload["jobId"]))

    return [Subscriber.to("webhooks.process", (WebhookReceived, WebhookReplayRequested), hand_to_worker)]


def _observe(provider: str, status: InboxStatus, lag_seconds: float) -> None:
    metrics.PROCESSED.labels(provider, status.value).inc()
    if status is InboxStatus.FAILED:
        metrics.RETRIES.labels(provider).inc()
    elif status is InboxStatus.DEAD:
        metrics.DEAD.labels(provider).inc()
    if status is not InboxStatus.FAILED:
        metrics.LAG.labels(provider).observe(lag_seconds)


def register_webhook_tasks(
    broker: AsyncBroker, uows: SqlUnitOfWorkFactory, services: WebhooksServices, clock: Clock
) -> None:
    async def process(inbox_id: str) -> str | None:
        outcome = await process_event(uows, services, inbox_id=UUID(inbox_id))
        if outcome is None:
            return None
        # The provider label: every event so far is Stripe's; the outcome carries no provider.
        _observe("stripe", outcome.status, outcome.lag_seconds)
        return outcome.status.value

    async def sweep() -> int:
        async def enqueue(inbox_id: UUID) -> None:
            await _kick(broker, PROCESS_TASK, inbox_id=str(inbox_id))

        handed = await sweep_due(uows, services, enqueue=enqueue)
        async with uows() as uow:
            oldest = await uow.inbox.oldest_unfinished_received_at()
        metrics.OLDEST_UNFINISHED.set((clock.now() - oldest).total_seconds() if oldest else 0)
        if handed:
            logger.info("webhook sweeper handed out %d events", handed)
        return handed

    async def replay(job_id: str) -> int:
        job = await run_replay_job(uows, services, job_id=UUID(job_id))
        return job.replayed if job else 0

    broker.register_task(process, task_name=PROCESS_TASK)
    # Every minute, sent by the one scheduler process: retries fall due, lost rows come back.
    broker.register_task(sweep, task_name=SWEEP_TASK, schedule=[{"cron": "* * * * *"}])
    broker.register_task(replay, task_name=REPLAY_TASK, retry_on_error=True, max_retries=8)
