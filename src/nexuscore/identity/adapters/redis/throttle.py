"""Redis Throttle: one sorted set per key, shared by every api replica.

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
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ReadOnlyError
from redis.exceptions import TimeoutError as RedisTimeoutError

from nexuscore.identity.ports.throttle import ThrottlePolicy, compute_retry_after, epoch_ms
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.errors import DependencyUnavailable

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
