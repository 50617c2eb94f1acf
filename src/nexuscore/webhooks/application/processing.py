"""Processing: claim a stored event, run its handler, record the attempt and the outcome.

Bends the use-case shape like the events context: processing spans transactions (the claim
commits before the handler runs, so a killed worker leaves a claimed row the sweeper finds),
so it takes a unit-of-work factory rather than one unit of work.

While the handler runs, a heartbeat renews the claim every third of `stuck_after` under the
claim's token, so a handler that runs longer than `stuck_after` is not taken for lost and
claimed a second time; only a worker that stops beating (killed, hung loop, cut off from the
database) lets its row become stuck. The outcome is still written under the token only, for
the case where the heartbeat could not reach the database in time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

from nexuscore.kernel.ids import new_id
from nexuscore.webhooks.application.handlers import HandlerContext
from nexuscore.webhooks.application.services import WebhooksServices
from nexuscore.webhooks.domain.model import Attempt, InboxStatus
from nexuscore.webhooks.ports.repositories import UnitOfWorkFactory
from nexuscore.webhooks.ports.targets import NotApplicable

logger = logging.getLogger(__name__)
MAX_ERROR_CHARS = 2000


@dataclass(frozen=True)
class ProcessOutcome:
    status: InboxStatus
    attempt: int
    note: str | None = None
    error: str | None = None
    lag_seconds: float = 0.0  # from receipt to this outcome


async def process_event(
    uows: UnitOfWorkFactory, services: WebhooksServices, *, inbox_id: UUID
) -> ProcessOutcome | None:
    """Run the event's handler once, if this call can claim it; None when it cannot (already
    processed, claimed by another worker, or a failed event not due yet)."""
    clock = services.clock
    now = clock.now()
    token = new_id()
    async with uows() as uow:
        event = await uow.inbox.claim(inbox_id, token=token, now=now, stuck_before=now - services.stuck_after)
        await uow.commit()
    if event is None:
        return None
    handler = services.handlers.get(event.provider, event.type)
    note: str | None = None
    error: str | None = None
    if handler is None:
        status = InboxStatus.IGNORED  # the handler went away since ingest (or a replay of an ignored event)
    else:
        stop = asyncio.Event()
        heartbeat = asyncio.create_task(_keep_claim(uows, services, inbox_id=inbox_id, token=token, stop=stop))
        try:
            data = json.loads(event.payload)
            note = await handler(HandlerContext(event=event, data=data, targets=services.targets, now=now))
            status = InboxStatus.PROCESSED
        except NotApplicable as exc:  # the owner keeps no such object: stored, never retried
            error = f"ignored: {exc}"[:MAX_ERROR_CHARS]
            status = InboxStatus.IGNORED
        except Exception as exc:  # any handler failure is recorded and retried, never lost
            error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
            status = InboxStatus.DEAD if services.retry.exhausted(event.attempts) else InboxStatus.FAILED
        finally:
            stop.set()  # a renewal in flight completes first: no transaction is cut short
            await heartbeat
    finished = clock.now()
    next_attempt_at = (
        finished + services.retry.delay(event.attempts, services.jitter()) if status is InboxStatus.FAILED else None
    )
    async with uows() as uow:
        number = await uow.inbox.attempt_count(inbox_id) + 1
        if not await uow.inbox.finish(
            inbox_id, token=token, status=status, now=finished, next_attempt_at=next_attempt_at, error=error
        ):
            await uow.rollback()
            logger.warning("webhook %s: claim lost while its handler ran; outcome dropped", inbox_id)
            return None
        await uow.inbox.add_attempt(
            Attempt(
                inbox_id=inbox_id,
                number=number,
                started_at=now,
                duration_ms=(finished - now).total_seconds() * 1000,
                outcome=status.value,
                error=error,
            )
        )
        await uow.commit()
    if error:
        logger.warning("webhook %s (%s) attempt %d %s: %s", event.event_id, event.type, number, status.value, error)
    return ProcessOutcome(
        status=status,
        attempt=number,
        note=note,
        error=error,
        lag_seconds=(finished - event.received_at).total_seconds(),
    )


async def _keep_claim(
    uows: UnitOfWorkFactory, services: WebhooksServices, *, inbox_id: UUID, token: UUID, stop: asyncio.Event
) -> None:
    """Renew the claim until `stop` (the handler ended) or until it is lost (taken over)."""
    while True:
        paused = asyncio.ensure_future(services.pause(services.heartbeat_seconds))
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait({paused, stopped}, return_when=asyncio.FIRST_COMPLETED)
        for waiter in (paused, stopped):
            waiter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await waiter
        if stop.is_set():
            return
        try:
            async with uows() as uow:
                held = await uow.inbox.renew_claim(inbox_id, token=token, now=services.clock.now())
                await uow.commit()
        except Exception:  # a missed beat is retried at the next; a long outage loses the claim
            logger.warning("webhook %s: heartbeat failed", inbox_id, exc_info=True)
            continue
        if not held:
            logger.warning("webhook %s: claim lost while its handler runs", inbox_id)
            return


async def sweep_due(
    uows: UnitOfWorkFactory,
    services: WebhooksServices,
    *,
    enqueue: Callable[[UUID], Awaitable[None]],
    limit: int = 500,
) -> int:
    """Hand out again what is due: failed events whose wait is over, and received or
    processing ones older than `stuck_after` (their message or their worker was lost)."""
    now = services.clock.now()
    async with uows() as uow:
        due = await uow.inbox.due(now=now, stuck_before=now - services.stuck_after, limit=limit)
    for inbox_id in due:
        await enqueue(inbox_id)
    return len(due)
