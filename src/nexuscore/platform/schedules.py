"""Delayed retries: a Redis schedule source that loses none, and a scheduler whose sends retry.

taskiq-redis's `ListRedisScheduleSource` kept one list per minute and read past minutes only
on its first run (and could not parse them at all under a prefix with a colon), so a retry
added into a minute after that minute was read was never sent. This source keeps one sorted
set of schedule ids scored by due time: every read returns everything due (however late) plus
what falls due within `lookahead`, so a retry whose minute has passed, or one added while the
scheduler was down, is sent on the next read. Data stays JSON (never pickle), under the same
`<prefix>:data:<id>` keys as before; start-up indexes any data key not in the set yet and
drops the old per-minute lists (the one-off migration, harmless to repeat).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from taskiq import ScheduledTask, ScheduleSource, TaskiqScheduler
from taskiq.exceptions import ScheduledTaskCancelledError
from taskiq.kicker import AsyncKicker
from taskiq.serializers import JSONSerializer
from taskiq.utils import maybe_awaitable

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (RedisConnectionError, RedisTimeoutError, OSError)


def _is_transient(exc: BaseException | None) -> bool:
    """A Redis connection or timeout error, also when wrapped (taskiq's SendTaskError)."""
    while exc is not None:
        if isinstance(exc, TRANSIENT_ERRORS):
            return True
        exc = exc.__cause__
    return False


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class RedisRetryScheduleSource(ScheduleSource):
    """One-off (`time`) schedules in Redis; cron schedules come from task labels instead."""

    def __init__(
        self,
        url: str,
        *,
        prefix: str,
        lookahead: timedelta = timedelta(seconds=15),
        now: Callable[[], datetime] = _utcnow,
        batch_size: int = 500,
    ) -> None:
        super().__init__()
        self._redis = Redis.from_url(url)
        self._prefix = prefix
        self._lookahead = lookahead
        self._now = now
        self._batch_size = batch_size
        self._serializer = JSONSerializer()
        self._migrated = False

    @property
    def due_key(self) -> str:
        return f"{self._prefix}:due"

    def data_key(self, schedule_id: str) -> str:
        return f"{self._prefix}:data:{schedule_id}"

    async def startup(self) -> None:
        # Redis may be down when the scheduler starts: the first read that works migrates.
        try:
            await self.migrate()
        except Exception as exc:
            logger.warning("schedule source migration deferred (%s: %s)", type(exc).__name__, exc)

    async def shutdown(self) -> None:
        await self._redis.aclose()

    async def migrate(self) -> int:
        """Index every stored schedule not yet in the due set; drop the old per-minute lists."""
        indexed = 0
        data_prefix = self.data_key("")
        async for key in self._redis.scan_iter(match=f"{data_prefix}*", count=500):
            schedule_id = key.decode().removeprefix(data_prefix)
            if await self._redis.zscore(self.due_key, schedule_id) is not None:
                continue
            raw = await self._redis.get(key)
            schedule = self._load(raw) if raw else None
            if schedule is None or schedule.time is None:
                logger.warning("schedule %s is unreadable or not one-off; left alone", schedule_id)
                continue
            await self._redis.zadd(self.due_key, {schedule_id: self._score(schedule.time)}, nx=True)
            indexed += 1
        old_lists = [key async for key in self._redis.scan_iter(match=f"{self._prefix}:time:*", count=500)]
        if old_lists:
            await self._redis.delete(*old_lists)
        self._migrated = True
        if indexed or old_lists:
            logger.info("schedule source migrated: %d indexed, %d old minute lists dropped", indexed, len(old_lists))
        return indexed

    @staticmethod
    def _score(when: datetime) -> float:
        return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()

    def _load(self, raw: bytes | str) -> ScheduledTask | None:
        try:
            return ScheduledTask.model_validate(self._serializer.loadb(raw if isinstance(raw, bytes) else raw.encode()))
        except Exception:  # a corrupt entry must not stop the others
            return None

    async def add_schedule(self, schedule: ScheduledTask) -> None:
        if schedule.time is None:
            raise ValueError("this source keeps one-off (time) schedules only; declare crons as task labels")
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(self.data_key(schedule.schedule_id), self._serializer.dumpb(schedule.model_dump(mode="json")))
            pipe.zadd(self.due_key, {schedule.schedule_id: self._score(schedule.time)})
            await pipe.execute()

    async def delete_schedule(self, schedule_id: str) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(self.data_key(schedule_id))
            pipe.zrem(self.due_key, schedule_id)
            await pipe.execute()

    async def post_send(self, task: ScheduledTask) -> None:
        await self.delete_schedule(task.schedule_id)

    async def get_schedules(self) -> list[ScheduledTask]:
        """Everything due by now + lookahead, however overdue."""
        if not self._migrated:
            await self.migrate()
        horizon = (self._now() + self._lookahead).timestamp()
        ids = await self._redis.zrangebyscore(self.due_key, "-inf", horizon, start=0, num=self._batch_size)
        if not ids:
            return []
        raws = await self._redis.mget([self.data_key(_text(i)) for i in ids])
        schedules: list[ScheduledTask] = []
        orphans: list[Any] = []
        for schedule_id, raw in zip(ids, raws, strict=True):
            schedule = self._load(raw) if raw else None
            if schedule is None:
                orphans.append(schedule_id)
            else:
                schedules.append(schedule)
        if orphans:
            await self._redis.zrem(self.due_key, *orphans)
        return schedules


class ResilientScheduler(TaskiqScheduler):
    """A send that fails on a transient Redis error (a stale pooled connection after a
    restart) is retried with capped backoff instead of raising into a task nobody awaits
    ("Task exception was never retrieved") and leaving that schedule unsent. The kick and
    the source's clean-up are retried separately, so a failed clean-up does not kick twice."""

    def __init__(
        self,
        *args: Any,
        retry_base: float = 0.5,
        retry_cap: float = 30.0,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._retry_base = retry_base
        self._retry_cap = retry_cap
        self._sleep = sleep
        self._sending: set[asyncio.Task[Any]] = set()

    @property
    def sends_in_flight(self) -> int:
        return len(self._sending)

    async def drain(self, grace: float) -> int:
        """Let the sends in flight finish for up to `grace` seconds (the loop that starts them
        is stopped first); cancel the rest and return how many. A cancelled send leaves its
        schedule in the source (clean-up runs only after a kick), so it is sent on the next
        start: at worst once more, never lost."""
        pending = set(self._sending)
        if pending:
            logger.info("stopping: finishing %d send(s) in flight (grace %.0f s)", len(pending), grace)
            _done, pending = await asyncio.wait(pending, timeout=grace)
        for task in pending:
            task.cancel()
        if pending:
            logger.warning("grace period over: %d send(s) cancelled; their schedules stay in the source", len(pending))
            await asyncio.gather(*pending, return_exceptions=True)
        return len(pending)

    async def _retrying(self, what: str, task: ScheduledTask, step: Callable[[], Awaitable[Any]]) -> bool:
        attempt = 0
        while True:
            try:
                await step()
            except Exception as exc:
                if not _is_transient(exc):
                    logger.exception("%s of schedule %s failed; left in its source", what, task.schedule_id)
                    return False
                attempt += 1
                if attempt == 1:
                    logger.warning("%s of schedule %s failed (%s); retrying", what, task.schedule_id, exc)
                ceiling = min(self._retry_cap, self._retry_base * 2 ** (attempt - 1))
                await self._sleep(random.uniform(ceiling / 2, ceiling))
            else:
                if attempt:
                    logger.info("%s of schedule %s succeeded after %d retries", what, task.schedule_id, attempt)
                return True

    async def on_ready(self, source: ScheduleSource, task: ScheduledTask) -> None:
        current = asyncio.current_task()
        if current is not None:
            self._sending.add(current)
        try:
            await self._send(source, task)
        finally:
            if current is not None:
                self._sending.discard(current)

    async def _send(self, source: ScheduleSource, task: ScheduledTask) -> None:
        try:
            await maybe_awaitable(source.pre_send(task))
        except ScheduledTaskCancelledError:
            logger.info("scheduled task %s has been cancelled", task.task_name)
            return

        async def kick() -> None:
            kicker: AsyncKicker[Any, Any] = AsyncKicker(task.task_name, self.broker, task.labels)
            await (
                kicker.with_labels(schedule_id=task.schedule_id)
                .with_task_id(task_id=task.task_id)
                .kiq(*task.args, **task.kwargs)
            )

        async def clean_up() -> None:
            await maybe_awaitable(source.post_send(task))

        if await self._retrying("send", task, kick):
            await self._retrying("clean-up", task, clean_up)
