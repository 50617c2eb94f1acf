"""The composition root's object graph: one per process (api, worker, scheduler, CLI, tests)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from taskiq import AsyncBroker

from nexuscore.events.adapters.tasks.dispatch import OutboxRelayLoop, register_dispatch_task
from nexuscore.events.application.subscribers import SubscriberRegistry
from nexuscore.identity.api import IdentityModule, build_identity, register_identity_subscribers
from nexuscore.kernel.clock import Clock, SystemClock
from nexuscore.kernel.mail import Mailer
from nexuscore.leads.api import DefaultLeadEntitlements, register_leads_tasks
from nexuscore.organizations.api import register_organization_subscribers, register_organization_tasks
from nexuscore.platform.broker import backoff_delay, build_broker, retry_middleware
from nexuscore.platform.database import create_engine, is_sqlite, session_maker
from nexuscore.platform.mail import build_mailer
from nexuscore.platform.settings import Settings

logger = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    broker: AsyncBroker
    clock: Clock
    subscribers: SubscriberRegistry
    relay: OutboxRelayLoop
    mailer: Mailer
    redis: Redis | None
    identity: IdentityModule
    _started: bool = field(default=False, init=False)

    _broker_retry: asyncio.Task[None] | None = field(default=None, init=False)

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
        if self.settings.outbox_relay_in_process if run_relay is None else run_relay:
            self.relay.start()
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
        await self.relay.stop()
        if not self.settings.uses_redis:
            retry_middleware(self.broker).cancel_pending()
        await self.broker.shutdown()
        await self.engine.dispose()
        if self.redis is not None:
            await self.redis.aclose()
        self.identity.close()
        self._started = False


def ensure_sqlite_dir(url: str) -> None:
    if is_sqlite(url) and ":///" in url and ":memory:" not in url:
        Path(url.split(":///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)


def build_runtime(
    settings: Settings, *, clock: Clock | None = None, await_inplace: bool = False, mailer: Mailer | None = None
) -> Runtime:
    """Wire engine, broker, stores, mailer and every context's adapters and subscribers."""
    ensure_sqlite_dir(settings.database_url)
    engine = create_engine(settings.database_url)
    sessions = session_maker(engine)
    broker = build_broker(settings, await_inplace=await_inplace)
    clock = clock or SystemClock()
    redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
    mailer = mailer or build_mailer(settings, clock=clock)
    subscribers = SubscriberRegistry()
    identity = build_identity(settings, clock, redis, mailer)
    register_identity_subscribers(subscribers, identity.services, mailer)
    organizations = register_organization_subscribers(subscribers, mailer, clock, settings.app_base_url)
    register_organization_tasks(broker, sessions, organizations)
    register_leads_tasks(broker, sessions, clock, DefaultLeadEntitlements(settings.leads_default_limit))
    register_dispatch_task(broker, sessions, subscribers, clock)
    relay = OutboxRelayLoop(
        sessions,
        broker,
        clock,
        poll_seconds=settings.outbox_poll_seconds,
        # The in-process broker dispatches right here: events nobody here subscribes to stay
        # unsent. A Redis broker's consumers may run other code, so every event goes out.
        local_subscribers=None if settings.uses_redis else subscribers,
    )
    return Runtime(settings, engine, sessions, broker, clock, subscribers, relay, mailer, redis, identity)
