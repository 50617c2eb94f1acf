"""taskiq broker factory and the retry policy every task shares."""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any

from taskiq import AsyncBroker, InMemoryBroker, ScheduleSource, SmartRetryMiddleware
from taskiq.kicker import AsyncKicker
from taskiq.message import TaskiqMessage
from taskiq.schedule_sources import LabelScheduleSource
from taskiq.serializers import JSONSerializer
from taskiq_redis import RedisAsyncResultBackend

from nexuscore.platform.redis_stream import STATE_OK, ResilientStreamBroker, heartbeat_pattern
from nexuscore.platform.schedules import RedisRetryScheduleSource, ResilientScheduler
from nexuscore.platform.settings import Settings

logger = logging.getLogger(__name__)

QUEUE_NAME = "nexuscore:tasks"
CONSUMER_GROUP = "nexuscore-workers"
SCHEDULE_PREFIX = "nexuscore:schedule"
# A message unacknowledged this long (its worker died) is claimed by another worker; the
# reclaim runs on a timer, so with no traffic at all it is redelivered within
# RECLAIM_IDLE_MS + RECLAIM_INTERVAL_SECONDS. Handlers are idempotent, so a handler still
# running after a minute being run a second time is safe.
RECLAIM_IDLE_MS = 60_000
RECLAIM_INTERVAL_SECONDS = 15.0


class BrokerDegradedError(Exception):
    """The broker answers but cannot deliver (no consumer group, or this process's reads fail)."""


def backoff_delay(attempt: int, *, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with full jitter: uniform in [0, min(cap, base * 2**(attempt-1))].

    Full jitter spreads a burst of failing tasks out instead of retrying them in lockstep.
    """
    ceiling = min(cap, base * (2 ** max(0, attempt - 1)))
    return (rng or random).uniform(ceiling / 2, ceiling)


class BackoffRetryMiddleware(SmartRetryMiddleware):
    """SmartRetry with true exponential backoff, and a delay that really waits.

    With a schedule source (production: Redis) the retry is stored there and the scheduler
    process sends it when due, so a worker crash in between loses nothing. Without one
    (the in-process broker of development and tests) the retry is kicked after an
    in-process sleep. Tasks opt in with the label `retry_on_error=True`.
    """

    def __init__(
        self,
        *,
        max_retries: int = 5,
        base_delay: float = 2.0,
        max_delay: float = 300.0,
        schedule_source: ScheduleSource | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        super().__init__(
            default_retry_count=max_retries,
            default_retry_label=False,
            default_delay=base_delay,
            use_jitter=True,
            use_delay_exponent=True,
            max_delay_exponent=max_delay,
            schedule_source=schedule_source,
        )
        self._sleep = sleep
        self._pending: set[asyncio.Task[None]] = set()

    def make_delay(self, message: TaskiqMessage, retries: int) -> float:
        base = float(message.labels.get("delay", self.default_delay))
        return backoff_delay(retries, base=base, cap=self.max_delay_exponent)

    async def on_send(self, kicker: AsyncKicker[Any, Any], message: TaskiqMessage, delay: float) -> None:
        if self.schedule_source is not None:
            await super().on_send(kicker, message, delay)
            return

        async def _later() -> None:
            await self._sleep(delay)
            await kicker.kiq(*message.args, **message.kwargs)

        task = asyncio.create_task(_later())
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    def cancel_pending(self) -> None:
        """Drop retries still sleeping in this process (in-process broker shutting down)."""
        for task in list(self._pending):
            task.cancel()

    async def drain(self) -> None:
        """Wait for retries that are sleeping in this process (tests, graceful shutdown)."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)


def build_schedule_source(settings: Settings) -> ScheduleSource | None:
    if not settings.redis_url:
        return None
    # JSON, not taskiq-redis's default pickle: nothing read back from Redis can execute code.
    return RedisRetryScheduleSource(settings.redis_url, prefix=SCHEDULE_PREFIX)


def build_broker(settings: Settings, *, await_inplace: bool = False) -> AsyncBroker:
    """InMemoryBroker when REDIS_URL is unset; otherwise a RedisStreamBroker with acks."""
    schedule_source = build_schedule_source(settings)
    retry = BackoffRetryMiddleware(schedule_source=schedule_source)
    broker: AsyncBroker
    if settings.redis_url:
        broker = ResilientStreamBroker(
            settings.redis_url,
            queue_name=QUEUE_NAME,
            consumer_group_name=CONSUMER_GROUP,
            idle_timeout=RECLAIM_IDLE_MS,
            reclaim_interval=RECLAIM_INTERVAL_SECONDS,
            # A group created after the API already queued messages must still read them.
            consumer_id="0",
        ).with_result_backend(
            RedisAsyncResultBackend(
                settings.redis_url,
                result_ex_time=settings.task_result_ttl_seconds,
                prefix_str="nexuscore:results",
                serializer=JSONSerializer(),
            )
        )
    else:
        broker = InMemoryBroker(await_inplace=await_inplace, max_stored_results=1000)
    return broker.with_middlewares(retry)


def retry_middleware(broker: AsyncBroker) -> BackoffRetryMiddleware:
    for middleware in broker.middlewares:
        if isinstance(middleware, BackoffRetryMiddleware):
            return middleware
    raise LookupError("broker has no BackoffRetryMiddleware")


def build_scheduler(broker: AsyncBroker, settings: Settings) -> ResilientScheduler:
    sources: list[ScheduleSource] = [LabelScheduleSource(broker)]
    retry_source = build_schedule_source(settings)
    if retry_source is not None:
        sources.append(retry_source)
    return ResilientScheduler(broker=broker, sources=sources)


async def ping_broker(broker: AsyncBroker, settings: Settings) -> None:
    """Raise when the broker's backing service does not answer; BrokerDegradedError when it
    answers but no worker can consume (the consumer group is gone, e.g. Redis restarted
    empty), when the workers' own heartbeats say none of them can consume, or when this
    process is a worker whose reads are failing. No heartbeat at all (no worker running yet,
    or every one gone past its TTL) leaves the verdict to the consumer group."""
    if not settings.redis_url:
        return
    from redis.asyncio import Redis
    from redis.exceptions import ResponseError

    client = Redis.from_url(settings.redis_url, socket_connect_timeout=2, socket_timeout=2)
    try:
        await client.ping()
        try:
            groups = await client.xinfo_groups(QUEUE_NAME)
        except ResponseError:  # no such stream
            groups = []
        beat_keys = [key async for key in client.scan_iter(match=heartbeat_pattern(QUEUE_NAME), count=100)]
        beats = await client.mget(beat_keys) if beat_keys else []
    finally:
        await client.aclose()
    if not any(_name(g.get("name")) == CONSUMER_GROUP for g in groups):
        raise BrokerDegradedError("no consumer group")
    states = [_heartbeat_state(b) for b in beats if b is not None]
    if states and STATE_OK not in states:
        raise BrokerDegradedError(f"no consumer can read ({', '.join(sorted(set(states)))})")
    if isinstance(broker, ResilientStreamBroker) and broker.is_worker_process and broker.consumer_state != STATE_OK:
        raise BrokerDegradedError(f"consumer {broker.consumer_state}")


def _heartbeat_state(raw: bytes | str) -> str:
    try:
        return str(json.loads(raw)["state"])
    except (ValueError, KeyError, TypeError):
        return "unreadable"


def _name(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
