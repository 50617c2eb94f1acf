"""The Redis stream broker the worker consumes: taskiq-redis's `RedisStreamBroker` made to
survive faults.

- Reclaim on a timer: every `reclaim_interval` seconds, whatever the traffic, messages left
  unacknowledged for `idle_timeout` ms (a killed worker's) are claimed with XAUTOCLAIM and run
  here. taskiq-redis only reclaimed after a read that returned new messages, so on a quiet
  system never.
- A lost consumer group (Redis restarted empty) is recreated and reading carries on; a kick
  creates the group with the message in one script, so nothing is published into a stream no
  group reads.
- Read failures (Redis down) back off exponentially up to a cap, with one log line when the
  broker goes down and one when it is back.

`consumer_state` says whether this process can consume ("ok", "down", "no-group"). The
worker also writes it to Redis as a heartbeat (`<queue>:consumers:<consumer>`, JSON
`{"state", "at"}` with a TTL, refreshed after successful reads and on every state change),
so the API's readiness reports the broker degraded from what the consumers themselves see.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError
from taskiq import AckableMessage
from taskiq.message import BrokerMessage
from taskiq_redis import RedisStreamBroker

logger = logging.getLogger(__name__)

# Create the group (from the start of the stream) when it is missing, then append: atomic, so
# a message is never added to a stream that no consumer group reads.
KICK_SCRIPT = """
redis.pcall('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
return redis.call('XADD', KEYS[1], '*', 'data', ARGV[2])
"""

STATE_OK = "ok"
STATE_DOWN = "down"
STATE_NO_GROUP = "no-group"
HEARTBEAT_INTERVAL_SECONDS = 5.0
HEARTBEAT_TTL_SECONDS = 20  # a worker gone this long stops counting either way


def heartbeat_pattern(queue_name: str) -> str:
    return f"{queue_name}:consumers:*"


def _ceiling(attempt: int, base: float, cap: float) -> float:
    return min(cap, base * (2 ** max(0, attempt - 1)))


class ResilientStreamBroker(RedisStreamBroker):
    def __init__(
        self,
        url: str,
        *,
        reclaim_interval: float = 15.0,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        super().__init__(url, **kwargs)
        self.reclaim_interval = reclaim_interval
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._sleep = sleep
        self._monotonic = monotonic
        self.consumer_state: str = STATE_OK
        self.failed_reads = 0
        self._last_reclaim: float | None = None
        self._reclaim_cursor = "0-0"
        self._last_beat: float | None = None

    @property
    def heartbeat_key(self) -> str:
        return f"{self.queue_name}:consumers:{self.consumer_name}"

    async def beat(self, redis: Redis, *, force: bool = False) -> None:
        """Write this consumer's state with a TTL (at most every HEARTBEAT_INTERVAL_SECONDS
        unless forced by a state change). Best effort: Redis being down is seen by every check."""
        now = self._monotonic()
        if not force and self._last_beat is not None and now - self._last_beat < HEARTBEAT_INTERVAL_SECONDS:
            return
        self._last_beat = now
        value = json.dumps({"state": self.consumer_state, "at": round(time.time(), 3)})
        try:
            await redis.set(self.heartbeat_key, value, ex=HEARTBEAT_TTL_SECONDS)
        except Exception as exc:
            logger.debug("heartbeat not written: %s", exc)

    async def kick(self, message: BrokerMessage) -> None:
        queue_name = message.labels.get("queue_name") or self.queue_name
        async with Redis(connection_pool=self.connection_pool) as redis:
            await redis.eval(KICK_SCRIPT, 1, queue_name, self.consumer_group_name, message.message)

    async def ensure_group(self) -> None:
        """Create the consumer group (from the stream's start) unless it exists."""
        async with Redis(connection_pool=self.connection_pool) as redis:
            try:
                await redis.xgroup_create(self.queue_name, self.consumer_group_name, id="0", mkstream=True)
            except ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise

    def _ack(self, msg_id: bytes | str) -> Callable[[], Awaitable[None]]:
        async def ack() -> None:
            async with Redis(connection_pool=self.connection_pool) as redis:
                await redis.xack(self.queue_name, self.consumer_group_name, msg_id)

        return ack

    def _messages(self, entries: Any) -> list[AckableMessage]:
        out = []
        for msg_id, fields in entries or []:
            if not fields or b"data" not in fields:
                continue  # trimmed or foreign entry
            out.append(AckableMessage(data=fields[b"data"], ack=self._ack(msg_id)))
        return out

    async def read_new(self, redis: Redis) -> list[AckableMessage]:
        fetched = await redis.xreadgroup(
            self.consumer_group_name,
            self.consumer_name,
            {self.queue_name: ">"},
            block=self.block,
            count=self.count,
        )
        return [m for _stream, entries in fetched or [] for m in self._messages(entries)]  # type: ignore[str-unpack]

    async def reclaim(self, redis: Redis) -> list[AckableMessage]:
        """Claim messages idle for `idle_timeout` ms (one batch; the cursor carries on next time)."""
        result = await redis.xautoclaim(
            self.queue_name,
            self.consumer_group_name,
            self.consumer_name,
            min_idle_time=self.idle_timeout,
            start_id=self._reclaim_cursor,
            count=self.unacknowledged_batch_size,
        )
        cursor, entries = result[0], result[1]
        self._reclaim_cursor = cursor.decode() if isinstance(cursor, bytes) else str(cursor)
        messages = self._messages(entries)
        if messages:
            logger.warning("reclaimed %d unacknowledged message(s) idle for %d ms", len(messages), self.idle_timeout)
        return messages

    def _reclaim_due(self) -> bool:
        now = self._monotonic()
        if self._last_reclaim is None or now - self._last_reclaim >= self.reclaim_interval:
            self._last_reclaim = now
            return True
        return False

    async def _read(self, redis: Redis) -> list[AckableMessage]:
        messages = await self.reclaim(redis) if self._reclaim_due() else []
        return messages + await self.read_new(redis)

    def _went_wrong(self, state: str, exc: Exception) -> float:
        self.failed_reads += 1
        if self.consumer_state != state:
            if state == STATE_NO_GROUP:
                logger.warning("consumer group %s is missing; recreating it", self.consumer_group_name)
            else:
                logger.warning("broker unavailable (%s: %s); retrying with backoff", type(exc).__name__, exc)
            self.consumer_state = state
        ceiling = _ceiling(self.failed_reads, self.backoff_base, self.backoff_cap)
        return random.uniform(ceiling / 2, ceiling)

    def _recovered(self) -> None:
        if self.consumer_state != STATE_OK:
            logger.warning("broker available again after %d failed read(s)", self.failed_reads)
        self.consumer_state = STATE_OK
        self.failed_reads = 0

    async def listen(self) -> AsyncGenerator[AckableMessage, None]:
        async with Redis(connection_pool=self.connection_pool) as redis:
            while True:
                try:
                    messages = await self._read(redis)
                except ResponseError as exc:
                    if "NOGROUP" not in str(exc):
                        await self._sleep(self._went_wrong(STATE_DOWN, exc))
                        continue
                    self._went_wrong(STATE_NO_GROUP, exc)
                    await self.beat(redis, force=True)
                    try:
                        await self.ensure_group()
                    except Exception as create_exc:  # Redis went away again: back off
                        await self._sleep(self._went_wrong(STATE_DOWN, create_exc))
                    continue
                except Exception as exc:  # connection refused, reset, timeout: back off
                    await self._sleep(self._went_wrong(STATE_DOWN, exc))
                    continue
                changed = self.consumer_state != STATE_OK
                self._recovered()
                await self.beat(redis, force=changed)
                for message in messages:
                    yield message
