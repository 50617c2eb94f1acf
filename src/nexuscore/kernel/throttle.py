"""Throttle port: a sliding-window event counter with exponential backoff.

Used for failed logins (per account and per IP), for rate limits on register and
forgot-password, and for privacy's public intake. It is in the kernel because several
contexts' cores take it; the adapters (in-memory, Redis) are `nexuscore.platform.throttle`.

Callers name a key (e.g. ``"login:account:<user id>"``, ``"login:ip:<ip>"``) and a
`ThrottlePolicy`; the adapters record event times and share the pure rule
`compute_retry_after`, so both answer exactly alike.

Semantics
---------
* Only events inside the sliding window count: an event at time ``t`` counts at ``now`` when
  ``now - window_seconds < t``; an event exactly ``window_seconds`` old is forgotten.
* With ``n`` counted events and ``n < limit`` the caller may go ahead: ``retry_after == 0``.
* With ``n >= limit`` the caller must wait
  ``delay = min(max_delay_seconds, base_delay_seconds * 2 ** (n - limit))`` seconds, measured
  from the most recent counted event. Each extra event doubles the wait (backoff, not a fixed
  lockout), and as old events leave the window the wait shrinks again.
* ``retry_after = ceil(max(0, last_event + delay - now))`` in whole seconds, so a positive wait
  is at least 1 second; 0 means allowed now.

Intended use: check before acting, record after the fact::

    if wait := await throttle.retry_after(key, policy):
        raise RateLimited(retry_after_seconds=wait)
    ...  # attempt the login / send the mail
    await throttle.hit(key, policy)  # on a failed login, or on every register request

``hit`` is atomic in every adapter (concurrent hits are all counted). The check and the hit
are two calls, so a burst of concurrent requests that all pass the check may each record an
event; the backoff then grows by one doubling per event, which stops the burst.

Adapters may forget all but the newest `ThrottlePolicy.max_relevant_events` events of a key:
that never changes the answer (see the property), and it bounds memory per key.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from nexuscore.kernel.errors import RateLimited

__all__ = ["Throttle", "ThrottlePolicy", "compute_retry_after", "epoch_ms"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)
_MAX_DELAY_CAP = 366 * 24 * 3600  # a year: a longer cap is a mistake, and it keeps the arithmetic finite


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many events a key may have in a sliding window, and how the wait grows past that."""

    limit: int  # events allowed inside the window before callers must wait
    window_seconds: int  # sliding window length
    base_delay_seconds: float = 1.0  # wait after the first event over the limit
    max_delay_seconds: int = 900  # cap of the exponential backoff

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise ValueError("ThrottlePolicy.limit must be at least 1")
        if self.window_seconds < 1:
            raise ValueError("ThrottlePolicy.window_seconds must be at least 1")
        if not (math.isfinite(self.base_delay_seconds) and self.base_delay_seconds >= 0.001):
            raise ValueError("ThrottlePolicy.base_delay_seconds must be a finite number of at least 0.001")
        if not 1 <= self.max_delay_seconds <= _MAX_DELAY_CAP:
            raise ValueError(f"ThrottlePolicy.max_delay_seconds must be between 1 and {_MAX_DELAY_CAP}")

    @property
    def window_ms(self) -> int:
        return self.window_seconds * 1000

    @property
    def saturation_exponent(self) -> int:
        """Smallest k with ``base_delay * 2**k >= max_delay``: from there on the wait is the cap."""
        k, delay = 0, self.base_delay_seconds
        while delay < self.max_delay_seconds:
            delay *= 2  # exact in binary floating point, like `base * 2**k`
            k += 1
        return k

    @property
    def max_relevant_events(self) -> int:
        """The newest this many events of a key decide `compute_retry_after`; older ones may be dropped.

        The window always keeps a suffix (the newest events), so keeping only the newest
        ``K = limit + saturation_exponent`` events gives a count of ``min(K, n)`` instead of
        ``n``, and ``delay(min(K, n)) == delay(n)`` because both are the cap once ``n >= K``.
        """
        return self.limit + self.saturation_exponent

    def delay_seconds(self, counted_events: int) -> float:
        """The backoff after `counted_events` events in the window (0 while under the limit)."""
        if counted_events < self.limit:
            return 0.0
        exponent = counted_events - self.limit
        if exponent >= self.saturation_exponent:
            return float(self.max_delay_seconds)
        return min(float(self.max_delay_seconds), math.ldexp(self.base_delay_seconds, exponent))


def epoch_ms(moment: datetime) -> int:
    """Whole milliseconds since the Unix epoch of a timezone-aware moment (exact, no float rounding)."""
    if moment.tzinfo is None:
        raise ValueError("epoch_ms needs a timezone-aware datetime")
    return (moment - _EPOCH) // _MS


def compute_retry_after(event_times_ms: Sequence[int], now_ms: int, policy: ThrottlePolicy) -> int:
    """Whole seconds the caller must wait at `now_ms`, given the key's event times (any order)."""
    cutoff = now_ms - policy.window_ms
    counted = [t for t in event_times_ms if t > cutoff]
    if len(counted) < policy.limit:
        return 0
    delay_ms = math.ceil(policy.delay_seconds(len(counted)) * 1000)
    remaining_ms = max(counted) + delay_ms - now_ms
    if remaining_ms <= 0:
        return 0
    return -(-remaining_ms // 1000)  # ceil to whole seconds, so at least 1


class Throttle(Protocol):
    """Sliding-window throttle with exponential backoff; the semantics are in the module docstring."""

    async def retry_after(self, key: str, policy: ThrottlePolicy) -> int:
        """Whole seconds to wait now; 0 means allowed. Records nothing."""
        ...

    async def hit(self, key: str, policy: ThrottlePolicy) -> int:
        """Record one event now (atomically) and return `retry_after` as it stands after recording."""
        ...

    async def reset(self, key: str) -> None:
        """Forget the key's events (e.g. after a successful login)."""
        ...


async def admit(throttle: Throttle, key: str, policy: ThrottlePolicy) -> None:
    """Count one request against `key`; refuse it (429, nothing counted) when the policy says wait."""
    wait = await throttle.retry_after(key, policy)
    if wait:
        raise RateLimited(retry_after_seconds=wait)
    await throttle.hit(key, policy)
