"""In-process Throttle: the development default (no Redis) and the fake for unit tests.

State lives in one process, so with several api replicas each counts on its own; production
uses `RedisThrottle`. Memory is bounded twice: per key only the newest
`ThrottlePolicy.max_relevant_events` event times are kept (which never changes an answer), and
beyond `max_keys` keys the least recently hit key is forgotten. Keys are stored as SHA-256
digests, so an attacker-supplied 10 kB email costs 32 bytes, and no email or IP sits in memory.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict, deque

from nexuscore.identity.ports.throttle import ThrottlePolicy, compute_retry_after, epoch_ms
from nexuscore.kernel.clock import Clock


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
