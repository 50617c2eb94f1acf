"""The `Throttle` adapters (the port and its rule are `nexuscore.kernel.throttle`), shared by every
context that rate-limits (identity's sign-in and forgot-password, privacy's public intake).

Callers prefix their keys with their purpose (``"login:ip:..."``, ``"privacy-intake:ip:..."``),
so contexts sharing one Redis never count each other's events.

`RedisThrottle` (production): one sorted set per key, shared by every api replica.

* Score = event time in ms from the injected Clock (never Redis ``TIME``), member = that time
  plus a random suffix, so two events in the same millisecond are both counted.
* ``hit`` is one Lua script (atomic): drop events that left the window, add the event, keep
  only the newest `ThrottlePolicy.max_relevant_events`, refresh the TTL, return the event times.
  The answer is then computed by the same `compute_retry_after` as the in-memory adapter.
* The TTL is the window plus the maximum delay, so an idle key vanishes on its own (everything
  in it is irrelevant once the window has passed; the extra is slack for clock skew between
  replicas and Redis).
* Redis unreachable (down, restarting, still loading, a read-only replica after a failover):
  the throttle cannot count, so it refuses. Every call raises `DependencyUnavailable` (503
  with ``Retry-After``), so no guess gets through unthrottled and nothing behind the throttle
  runs. A stale pooled connection is replaced by the client's own retry (see
  `nexuscore.bootstrap.runtime.resilient_redis`), so after Redis returns no request fails.
* Redis key = prefix + SHA-256 hex of the caller's key: fixed length (an attacker-supplied
  10 kB email makes a 64-character key) and no email or IP in key names (PDPA).

`InMemoryThrottle`: the development default (no Redis) and the fake for unit tests. State
lives in one process, so with several api replicas each counts on its own; production uses
`RedisThrottle`. Memory is bounded twice: per key only the newest
`ThrottlePolicy.max_relevant_events` event times are kept (which never changes an answer), and
beyond `max_keys` keys the least recently hit key is forgotten. Keys are stored as SHA-256
digests, so an attacker-supplied 10 kB email costs 32 bytes, and no email or IP sits in memory.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ReadOnlyError
from redis.exceptions import TimeoutError as RedisTimeoutError

from nexuscore.kernel.clock import Clock
from nexuscore.kernel.errors import DependencyUnavailable
from nexuscore.kernel.throttle import Throttle, ThrottlePolicy, compute_retry_after, epoch_ms

__all__ = ["InMemoryThrottle", "RedisThrottle"]

logger = logging.getLogger(__name__)

# What "Redis cannot answer" looks like (BusyLoadingError is a ConnectionError). Anything else,
# a script error say, is a bug and stays a 500.
_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ReadOnlyError, OSError)
# Seconds a refused caller is told to wait: about how long a Redis restart takes.
UNAVAILABLE_RETRY_AFTER = 5

# KEYS[1] sorted set; ARGV[1] cutoff_ms. Read-only: the event times after the cutoff, as integers.
_TIMES_IN_WINDOW = """
local scored = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1], '+inf', 'WITHSCORES')
local times = {}
for i = 2, #scored, 2 do
  times[#times + 1] = tonumber(scored[i])
end
return times
"""

# KEYS[1] sorted set; ARGV: now_ms, cutoff_ms (events at or before it are forgotten),
# keep (newest events to keep), ttl_ms, member. Returns the event times in the window.
_HIT_SCRIPT = """
local key = KEYS[1]
redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[2])
redis.call('ZADD', key, ARGV[1], ARGV[5])
redis.call('ZREMRANGEBYRANK', key, 0, -(tonumber(ARGV[3]) + 1))
redis.call('PEXPIRE', key, ARGV[4])
local scored = redis.call('ZRANGEBYSCORE', key, '(' .. ARGV[2], '+inf', 'WITHSCORES')
local times = {}
for i = 2, #scored, 2 do
  times[#times + 1] = tonumber(scored[i])
end
return times
"""


class RedisThrottle:
    """Sliding-window throttle on Redis sorted sets; times come from the injected clock."""

    def __init__(self, redis: Redis, clock: Clock, prefix: str = "nexuscore:throttle:") -> None:
        self._redis = redis
        self._clock = clock
        self._prefix = prefix
        self._hit = redis.register_script(_HIT_SCRIPT)
        self._times = redis.register_script(_TIMES_IN_WINDOW)

    def redis_key(self, key: str) -> str:
        """The Redis key that holds `key`'s events (fixed length, whatever `key` is)."""
        return self._prefix + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()

    async def retry_after(self, key: str, policy: ThrottlePolicy) -> int:
        now = epoch_ms(self._clock.now())
        cutoff = now - policy.window_ms
        # Read-only (the window is a filter here); trimming happens on the next hit, or the TTL.
        times = await self._call(self._times, keys=[self.redis_key(key)], args=[cutoff])
        return compute_retry_after([int(t) for t in times], now, policy)

    async def hit(self, key: str, policy: ThrottlePolicy) -> int:
        now = epoch_ms(self._clock.now())
        cutoff = now - policy.window_ms
        ttl_ms = policy.window_ms + policy.max_delay_seconds * 1000
        member = f"{now}:{secrets.token_hex(8)}"
        times = await self._call(
            self._hit,
            keys=[self.redis_key(key)],
            args=[now, cutoff, policy.max_relevant_events, ttl_ms, member],
        )
        return compute_retry_after([int(t) for t in times], now, policy)

    async def reset(self, key: str) -> None:
        await self._call(self._redis.delete, self.redis_key(key))

    async def _call(self, command: Callable[..., Awaitable[Any]], *args: Any, **kwargs: Any) -> Any:
        try:
            return await command(*args, **kwargs)
        except _UNAVAILABLE as exc:
            logger.warning("throttle refused: redis unavailable (%s: %s)", type(exc).__name__, exc)
            raise DependencyUnavailable(
                "A required service is unavailable for a moment. Try again shortly.",
                extra={"retryAfter": UNAVAILABLE_RETRY_AFTER},
            ) from exc


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()


class InMemoryThrottle:
    """Sliding-window throttle over a dict of deques (event times in ms from the injected clock).

    Every method runs without awaiting anything, so on one event loop each call is atomic.
    """

    def __init__(self, clock: Clock, max_keys: int = 100_000) -> None:
        if max_keys < 1:
            raise ValueError("max_keys must be at least 1")
        self._clock = clock
        self._max_keys = max_keys
        # Least recently hit first, so eviction drops the keys most likely to be idle already.
        self._events: OrderedDict[bytes, deque[int]] = OrderedDict()

    def __len__(self) -> int:
        """Number of keys currently tracked (for tests and metrics)."""
        return len(self._events)

    async def retry_after(self, key: str, policy: ThrottlePolicy) -> int:
        digest = _digest(key)
        now = epoch_ms(self._clock.now())
        events = self._events.get(digest)
        if events is None:
            return 0
        self._prune(digest, events, now, policy)
        return compute_retry_after(events, now, policy)

    async def hit(self, key: str, policy: ThrottlePolicy) -> int:
        digest = _digest(key)
        now = epoch_ms(self._clock.now())
        keep = policy.max_relevant_events
        events = self._events.get(digest)
        if events is None or events.maxlen != keep:
            # deque(maxlen=keep) drops the oldest event on append: the bound per key.
            events = deque(events or (), maxlen=keep)
            self._events[digest] = events
        events.append(now)
        self._events.move_to_end(digest)
        self._prune(digest, events, now, policy)
        while len(self._events) > self._max_keys:
            self._events.popitem(last=False)
        return compute_retry_after(events, now, policy)

    async def reset(self, key: str) -> None:
        self._events.pop(_digest(key), None)

    def _prune(self, digest: bytes, events: deque[int], now_ms: int, policy: ThrottlePolicy) -> None:
        """Drop events that left the window (appended in clock order, so the oldest are on the left)."""
        cutoff = now_ms - policy.window_ms
        while events and events[0] <= cutoff:
            events.popleft()
        if not events:
            del self._events[digest]


def throttle_for(clock: Clock, redis: Redis | None) -> Throttle:
    """The process's throttle backend: Redis when configured (shared by every process), else in memory."""
    return InMemoryThrottle(clock) if redis is None else RedisThrottle(redis, clock)
