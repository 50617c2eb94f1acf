"""Long-running non-HTTP processes: the taskiq worker and the scheduler."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import signal
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from taskiq import AckableMessage, AsyncBroker
from taskiq.api import run_receiver_task, run_scheduler_task
from taskiq.receiver import Receiver

from nexuscore.bootstrap.runtime import build_runtime
from nexuscore.platform.broker import build_scheduler
from nexuscore.platform.heap import freeze_startup_heap
from nexuscore.platform.logging import configure_logging
from nexuscore.platform.schedules import ResilientScheduler
from nexuscore.platform.settings import Settings

logger = logging.getLogger(__name__)

# How often the scheduler re-reads its sources. The retry source also hands over what falls
# due within its lookahead (15 s, longer than this), so a delayed retry fires on time.
SCHEDULE_REFRESH = timedelta(seconds=10)


async def _until_signalled(main: asyncio.Task[None]) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, main.cancel)
    try:
        await main
    except asyncio.CancelledError:
        logger.info("stopping")


async def run_worker(settings: Settings) -> None:
    """Consume tasks and relay the outbox (every worker relays; SKIP LOCKED shares the rows)."""
    configure_logging(settings)
    runtime = build_runtime(settings)
    await runtime.startup(run_relay=True)
    freeze_startup_heap()
    logger.info("worker started")
    try:
        await receive_until_signalled(runtime.broker)
    finally:
        await runtime.shutdown()


async def run_scheduler(settings: Settings) -> None:
    """Send scheduled and delayed-retry tasks when due. Run exactly one."""
    configure_logging(settings)
    runtime = build_runtime(settings)
    await runtime.startup(run_relay=False)
    scheduler = build_scheduler(runtime.broker, settings)
    freeze_startup_heap()
    logger.info("scheduler started")
    try:
        await schedule_until_signalled(scheduler)
    finally:
        await runtime.shutdown()


async def schedule_until_signalled(scheduler: ResilientScheduler, grace: float | None = None) -> None:
    """Send schedules until SIGTERM/SIGINT; then start no new send and let those in flight
    finish within the grace period (the loop's send tasks are not its children: cancelling
    the loop alone left them to be cancelled outright at exit)."""
    await _until_signalled(
        asyncio.create_task(run_scheduler_task(scheduler, run_startup=True, interval=SCHEDULE_REFRESH))
    )
    await scheduler.drain(SHUTDOWN_GRACE_SECONDS if grace is None else grace)


# SIGTERM to SIGKILL: what every process is given to finish in-flight work (docs/architecture.md).
SHUTDOWN_GRACE_SECONDS = 30.0


def _graceful_receiver(stop: asyncio.Event, grace: float) -> type[Receiver]:
    """A taskiq Receiver that stops fetching when `stop` is set and lets its running tasks
    finish (acknowledged as usual) for up to `grace` seconds. Tasks still running then are
    cancelled WITHOUT acknowledgement (taskiq would count a cancelled task as done and ack
    it): the stream redelivers them to another worker. Prefetched, unstarted messages are
    never acknowledged either."""

    class GracefulReceiver(Receiver):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.wait_tasks_timeout = grace
            self._in_flight: set[asyncio.Task[Any]] = set()
            self._handing_back = False

        async def callback(self, message: bytes | AckableMessage, raise_err: bool = False) -> None:
            task = asyncio.current_task()
            assert task is not None
            if isinstance(message, AckableMessage):
                message = AckableMessage(data=message.data, ack=self._unless_handed_back(message.ack))
            self._in_flight.add(task)
            try:
                await super().callback(message, raise_err=raise_err)
            except Exception as exc:
                # taskiq runs each callback in a task nobody awaits: an error here (the ack,
                # or the retry middleware scheduling a retry, meeting Redis down) surfaced
                # only as "Task exception was never retrieved". The message was not
                # acknowledged, so the stream redelivers it (reclaim): say so, once.
                logger.warning("task not acknowledged (%s: %s); it will be redelivered", type(exc).__name__, exc)
            finally:
                self._in_flight.discard(task)

        def _unless_handed_back(self, ack: Callable[[], Awaitable[None] | None]) -> Callable[[], Awaitable[None]]:
            async def guarded() -> None:
                if self._handing_back:
                    return
                result = ack()
                if inspect.isawaitable(result):
                    await result

            return guarded

        async def listen(self, finish_event: asyncio.Event) -> None:
            async def relay() -> None:
                await stop.wait()
                finish_event.set()

            relaying = asyncio.create_task(relay())
            try:
                await super().listen(finish_event)
            finally:
                relaying.cancel()
                if stop.is_set() and self._in_flight:
                    await self._hand_back()

        async def _hand_back(self) -> None:
            self._handing_back = True
            unfinished = list(self._in_flight)
            logger.warning("grace period over: %d task(s) handed back unacknowledged", len(unfinished))
            for task in unfinished:
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.gather(*unfinished, return_exceptions=True)

    return GracefulReceiver


async def receive_until_signalled(broker: AsyncBroker, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
    """Consume tasks until SIGTERM/SIGINT, then shut down gracefully (see `_graceful_receiver`).
    A second signal, or the grace period passing with the receiver still stuck, cancels it."""
    stop = asyncio.Event()
    main = asyncio.create_task(run_receiver_task(broker, receiver_cls=_graceful_receiver(stop, grace)))
    loop = asyncio.get_running_loop()

    def on_signal() -> None:
        if stop.is_set():
            main.cancel()
        else:
            logger.info("stopping: finishing running tasks (grace %.0f s)", grace)
            stop.set()
            loop.call_later(grace + 5, main.cancel)

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, on_signal)
    try:
        await main
    except asyncio.CancelledError:
        logger.info("stopped")
