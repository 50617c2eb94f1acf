"""taskiq side of the outbox: the publisher that kicks dispatch tasks, the dispatch task
itself, and the relay loop that drives the relay use case."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import timedelta
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from taskiq import AsyncBroker

from nexuscore.events.adapters.sql.store import SqlDispatchStore, SqlOutboxStore
from nexuscore.events.application.relay import dispatch_event, redeliver_undispatched, relay_outbox_batch
from nexuscore.events.application.services import EventsServices
from nexuscore.events.application.subscribers import SubscriberRegistry
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.events import EventRecord

logger = logging.getLogger(__name__)

DISPATCH_TASK = "nexuscore.events.dispatch"


class TaskiqEventPublisher:
    """Publishes an event as a dispatch task carrying only primitives (id and type).

    `local_subscribers` is for a broker that delivers inside this process (development): an
    event none of them wants is not sent at all, since the dispatch would do nothing. With a
    shared broker leave it unset: the worker that consumes the task may run other code (a
    rolling deploy) and its own subscribers decide.
    """

    def __init__(self, broker: AsyncBroker, *, local_subscribers: SubscriberRegistry | None = None) -> None:
        self._broker = broker
        self._local_subscribers = local_subscribers

    async def publish(self, event: EventRecord) -> bool:
        if self._local_subscribers is not None and not self._local_subscribers.for_type(event.type):
            return False
        task = self._broker.find_task(DISPATCH_TASK)
        if task is None:
            raise LookupError(f"task {DISPATCH_TASK} is not registered on the broker")
        await task.kiq(event_id=str(event.id), event_type=event.type)
        return True


MAX_CONCURRENT_DISPATCHES = 4  # per process


def register_dispatch_task(
    broker: AsyncBroker,
    sessions: async_sessionmaker[AsyncSession],
    registry: SubscriberRegistry,
    clock: Clock,
) -> None:
    store = SqlDispatchStore(sessions)
    services = EventsServices(clock)
    # Each dispatch holds a database connection. The in-process broker starts every relayed
    # event at once, so a burst (a login storm's user.logged_in events) took more connections
    # than the pool has and made it churn, stalling requests; a few at a time keep up.
    running = asyncio.Semaphore(MAX_CONCURRENT_DISPATCHES)

    async def dispatch(event_id: str, event_type: str) -> list[str]:
        async with running:
            handled = await dispatch_event(
                store, services, event_id=UUID(event_id), registry=registry, event_type=event_type
            )
        if handled:
            logger.info("event %s (%s) handled by %s", event_id, event_type, ", ".join(handled))
        return handled

    broker.register_task(dispatch, task_name=DISPATCH_TASK, retry_on_error=True, max_retries=8)


class OutboxRelayLoop:
    """Polls the outbox and relays committed events until stopped. Safe to run in several
    processes at once on PostgreSQL (rows are claimed with SKIP LOCKED)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        broker: AsyncBroker,
        clock: Clock,
        *,
        poll_seconds: float = 0.5,
        batch_size: int = 100,
        local_subscribers: SubscriberRegistry | None = None,
        redeliver_after: float | None = 60.0,
    ) -> None:
        self._store = SqlOutboxStore(sessions)
        self._publisher = TaskiqEventPublisher(broker, local_subscribers=local_subscribers)
        self._services = EventsServices(clock)
        self._poll_seconds = poll_seconds
        self._batch_size = batch_size
        self._redeliver_after = timedelta(seconds=redeliver_after or 0)
        # The sweep looks a few times per bound, so a lost message waits at most ~1.25 bounds.
        self._sweep_every = None if redeliver_after is None else max(poll_seconds, redeliver_after / 4)
        self._last_sweep: float | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    async def redeliver_once(self) -> int:
        """Re-publish every event published over the bound ago with no dispatch recorded."""
        total = 0
        while True:
            n = await redeliver_undispatched(
                self._store,
                self._services,
                publisher=self._publisher,
                after=self._redeliver_after,
                batch_size=self._batch_size,
            )
            total += n
            if n < self._batch_size:
                return total

    async def _sweep_if_due(self) -> None:
        if self._sweep_every is None:
            return
        now = time.monotonic()
        if self._last_sweep is None or now - self._last_sweep >= self._sweep_every:
            self._last_sweep = now
            await self.redeliver_once()

    async def run_once(self) -> int:
        """Relay until the outbox is empty; return how many events were published."""
        total = 0
        while True:
            n = await relay_outbox_batch(
                self._store, self._services, publisher=self._publisher, batch_size=self._batch_size
            )
            total += n
            if n < self._batch_size:
                return total

    def wake(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                await self.run_once()
                await self._sweep_if_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                # The database or broker is down: keep the events, try again later.
                logger.exception("outbox relay pass failed; retrying")
            self._wake.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_seconds)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
