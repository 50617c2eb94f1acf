"""Long-running non-HTTP processes: the taskiq worker and the scheduler."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import timedelta

from taskiq.api import run_receiver_task, run_scheduler_task

from nexuscore.bootstrap.runtime import build_runtime
from nexuscore.platform.broker import build_scheduler
from nexuscore.platform.heap import freeze_startup_heap
from nexuscore.platform.logging import configure_logging
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
        await _until_signalled(asyncio.create_task(run_receiver_task(runtime.broker, run_startup=False)))
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
        await _until_signalled(
            asyncio.create_task(run_scheduler_task(scheduler, run_startup=True, interval=SCHEDULE_REFRESH))
        )
    finally:
        await runtime.shutdown()
