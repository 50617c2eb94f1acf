"""The composition root's object graph: one per process (api, worker, scheduler, CLI, tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from taskiq import AsyncBroker

from nexuscore.events.adapters.tasks.dispatch import OutboxRelayLoop, register_dispatch_task
from nexuscore.events.application.subscribers import SubscriberRegistry
from nexuscore.kernel.clock import Clock, SystemClock
from nexuscore.platform.broker import build_broker, retry_middleware
from nexuscore.platform.database import create_engine, is_sqlite, session_maker
from nexuscore.platform.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    broker: AsyncBroker
    clock: Clock
    subscribers: SubscriberRegistry
    relay: OutboxRelayLoop
    _started: bool = field(default=False, init=False)

    async def startup(self, *, run_relay: bool | None = None) -> None:
        if self._started:
            return
        await self.broker.startup()
        if self.settings.outbox_relay_in_process if run_relay is None else run_relay:
            self.relay.start()
        self._started = True

    async def shutdown(self) -> None:
        if not self._started:
            return
        await self.relay.stop()
        await retry_middleware(self.broker).drain() if not self.settings.redis_url else None
        await self.broker.shutdown()
        await self.engine.dispose()
        self._started = False


def ensure_sqlite_dir(url: str) -> None:
    if is_sqlite(url) and ":///" in url and ":memory:" not in url:
        Path(url.split(":///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)


def build_runtime(settings: Settings, *, clock: Clock | None = None, await_inplace: bool = False) -> Runtime:
    """Wire engine, broker, subscribers and tasks. Contexts register their subscribers here."""
    ensure_sqlite_dir(settings.database_url)
    engine = create_engine(settings.database_url)
    sessions = session_maker(engine)
    broker = build_broker(settings, await_inplace=await_inplace)
    clock = clock or SystemClock()
    subscribers = SubscriberRegistry()
    register_dispatch_task(broker, sessions, subscribers, clock)
    relay = OutboxRelayLoop(sessions, broker, clock, poll_seconds=settings.outbox_poll_seconds)
    return Runtime(settings, engine, sessions, broker, clock, subscribers, relay)
