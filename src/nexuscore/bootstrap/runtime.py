"""The composition root's object graph: one per process (api, worker, scheduler, CLI, tests)."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from taskiq import AsyncBroker

from nexuscore.bootstrap.modules import build_context_modules
from nexuscore.events import module as events_module
from nexuscore.events.module import EventsModule, OutboxRelayLoop, SubscriberRegistry
from nexuscore.kernel.clock import Clock, SystemClock
from nexuscore.kernel.mail import Mailer
from nexuscore.platform.broker import backoff_delay, build_broker, retry_middleware
from nexuscore.platform.database import create_engine, is_sqlite, session_maker
from nexuscore.platform.idempotency import SqlIdempotencyStore, register_idempotency_tasks
from nexuscore.platform.mail import build_mailer
from nexuscore.platform.modules import ContextModule, Infrastructure
from nexuscore.platform.settings import Settings
from nexuscore.platform.stripe_client import close_stripe_client, stripe_client_from_settings

logger = logging.getLogger(__name__)


@dataclass
class Runtime:
    infra: Infrastructure
    modules: Sequence[ContextModule]
    events: EventsModule
    _started: bool = field(default=False, init=False)
    _broker_retry: asyncio.Task[None] | None = field(default=None, init=False)

    @property
    def settings(self) -> Settings:
        return self.infra.settings

    @property
    def engine(self) -> AsyncEngine:
        return self.infra.engine

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        return self.infra.sessions

    @property
    def broker(self) -> AsyncBroker:
        return self.infra.broker

    @property
    def clock(self) -> Clock:
        return self.infra.clock

    @property
    def mailer(self) -> Mailer:
        return self.infra.mailer

    @property
    def redis(self) -> Redis | None:
        return self.infra.redis

    @property
    def relay(self) -> OutboxRelayLoop:
        return self.events.relay

    @property
    def subscribers(self) -> SubscriberRegistry:
        return self.events.subscribers

    @property
    def all_modules(self) -> list[ContextModule]:
        return [*self.modules, self.events.context]

    def module(self, name: str) -> ContextModule:
        return next(m for m in self.all_modules if m.name == name)

    async def startup(self, *, run_relay: bool | None = None) -> None:
        if self._started:
            return
        try:
            await self.broker.startup()
        except Exception:
            # Redis is down: serve anyway (/health/ready reports it; the outbox keeps events)
            # and keep trying in the background.
            logger.warning("broker start-up failed; retrying in the background", exc_info=True)
            self._broker_retry = asyncio.create_task(self._retry_broker_startup(), name="broker-startup")
        for module in self.all_modules:
            for hook in module.on_startup:
                await hook()
        if self.settings.outbox_relay_in_process if run_relay is None else run_relay:
            self.events.relay.start()
        self._started = True

    async def _retry_broker_startup(self) -> None:
        attempt = 0
        while True:
            attempt += 1
            await asyncio.sleep(backoff_delay(attempt, base=1.0, cap=30.0))
            try:
                await self.broker.startup()
            except Exception as exc:
                logger.warning("broker start-up attempt %d failed: %s", attempt, exc)
            else:
                logger.info("broker started after %d retries", attempt)
                return

    async def shutdown(self) -> None:
        if not self._started:
            return
        if self._broker_retry is not None:
            self._broker_retry.cancel()
        await self.events.relay.stop()
        if not self.settings.uses_redis:
            retry_middleware(self.broker).cancel_pending()
        await self.broker.shutdown()
        await self.close()
        self._started = False

    async def close(self) -> None:
        """Release what the runtime holds (for processes that never started it: CLI, seed)."""
        await self.engine.dispose()
        if self.redis is not None:
            await self.redis.aclose()
        for module in self.all_modules:
            for hook in module.on_shutdown:
                result = hook()
                if inspect.isawaitable(result):
                    await result
        if self.infra.stripe is not None:  # after the modules' hooks, which may still call Stripe
            await close_stripe_client(self.infra.stripe)


def ensure_sqlite_dir(url: str) -> None:
    if is_sqlite(url) and ":///" in url and ":memory:" not in url:
        Path(url.split(":///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)


def resilient_redis(url: str) -> Redis:
    """The app's Redis client. A command that meets a dead pooled connection (Redis restarted)
    is retried once on a fresh one, so no request fails for it; idle connections are checked
    before reuse; while Redis is down a command fails within about a second (the throttle then
    answers 503) instead of hanging through long retries."""
    return Redis.from_url(
        url,
        socket_connect_timeout=1,
        socket_timeout=2,
        health_check_interval=30,
        retry=Retry(ExponentialBackoff(cap=0.2, base=0.05), retries=1),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
    )


def build_infrastructure(
    settings: Settings, *, clock: Clock | None = None, await_inplace: bool = False, mailer: Mailer | None = None
) -> Infrastructure:
    ensure_sqlite_dir(settings.database_url)
    engine = create_engine(settings.database_url)
    clock = clock or SystemClock()
    return Infrastructure(
        settings=settings,
        engine=engine,
        sessions=session_maker(engine),
        broker=build_broker(settings, await_inplace=await_inplace),
        clock=clock,
        mailer=mailer or build_mailer(settings, clock=clock),
        redis=resilient_redis(settings.redis_url) if settings.redis_url else None,
        stripe=stripe_client_from_settings(settings),
    )


def build_runtime(
    settings: Settings, *, clock: Clock | None = None, await_inplace: bool = False, mailer: Mailer | None = None
) -> Runtime:
    """Build the shared infrastructure, then every context module on it, then the events
    context with the subscribers the others declared."""
    infra = build_infrastructure(settings, clock=clock, await_inplace=await_inplace, mailer=mailer)
    modules = build_context_modules(infra)
    # The events context runs the others' subscribers, so it is built after them.
    events = events_module.build(infra, [s for m in modules for s in m.subscribers])
    for module in [*modules, events.context]:
        if module.register_tasks is not None:
            module.register_tasks(infra.broker)
    register_idempotency_tasks(infra.broker, SqlIdempotencyStore(infra.engine, infra.clock))
    return Runtime(infra, modules, events)
