"""Throttle contract: the in-memory fake and the Redis adapter pass the same tests.

Time comes from a FixedClock that the tests move; Redis is the real one (`redis_url`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

import pytest
from redis.asyncio import Redis

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.throttle import Throttle, ThrottlePolicy, epoch_ms
from nexuscore.platform.throttle import InMemoryThrottle, RedisThrottle

pytestmark = pytest.mark.integration

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LONG_WINDOW = ThrottlePolicy(limit=3, window_seconds=3600, base_delay_seconds=1, max_delay_seconds=900)


@dataclass
class Backend:
    throttle: Throttle
    clock: FixedClock

    def advance(self, seconds: float) -> None:
        self.clock.advance(timedelta(seconds=seconds))


@pytest.fixture(params=["memory", "redis"])
def backend_redis_url(request: pytest.FixtureRequest) -> str | None:
    """None for the in-memory adapter; the tests' Redis database (flushed) for the Redis one."""
    if request.param == "redis":
        url: str = request.getfixturevalue("redis_url")
        return url
    return None


@pytest.fixture
async def backend(backend_redis_url: str | None) -> AsyncIterator[Backend]:
    clock = FixedClock(START)
    if backend_redis_url is None:
        yield Backend(InMemoryThrottle(clock), clock)
        return
    client = Redis.from_url(backend_redis_url)
    try:
        yield Backend(RedisThrottle(client, clock), clock)
    finally:
        await client.aclose()


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    try:
        yield client
    finally:
        await client.aclose()


# ---- the contract, run against both adapters


async def test_allowed_under_the_limit(backend: Backend) -> None:
    t = backend.throttle
    assert await t.retry_after("login:a", LONG_WINDOW) == 0
    assert await t.hit("login:a", LONG_WINDOW) == 0
    assert await t.hit("login:a", LONG_WINDOW) == 0
    assert await t.retry_after("login:a", LONG_WINDOW) == 0


async def test_past_the_limit_the_wait_doubles_up_to_the_cap(backend: Backend) -> None:
    t = backend.throttle
    for _ in range(LONG_WINDOW.limit - 1):
        assert await t.hit("login:a", LONG_WINDOW) == 0
    waits = []
    for _ in range(13):
        wait = await t.hit("login:a", LONG_WINDOW)
        assert await t.retry_after("login:a", LONG_WINDOW) == wait
        waits.append(wait)
        backend.advance(wait)  # the caller waits exactly as told, then fails again
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]


async def test_waiting_out_retry_after_lets_one_more_attempt_through(backend: Backend) -> None:
    t = backend.throttle
    policy = ThrottlePolicy(limit=2, window_seconds=600, base_delay_seconds=4)
    await t.hit("login:a", policy)
    assert await t.hit("login:a", policy) == 4
    backend.advance(3.999)
    assert await t.retry_after("login:a", policy) == 1  # 1 ms left still means "wait"
    backend.advance(0.001)
    assert await t.retry_after("login:a", policy) == 0
    assert await t.hit("login:a", policy) == 8  # the failed attempt counts and doubles the wait


async def test_events_older_than_the_window_are_forgotten(backend: Backend) -> None:
    t = backend.throttle
    policy = ThrottlePolicy(limit=2, window_seconds=60, base_delay_seconds=100)
    await t.hit("login:a", policy)
    backend.advance(10)
    assert await t.hit("login:a", policy) == 100
    backend.advance(49)
    assert await t.retry_after("login:a", policy) == 51
    backend.advance(1)  # the first event is now exactly a window old
    assert await t.retry_after("login:a", policy) == 0
    assert await t.hit("login:a", policy) == 100  # two events in the window, not three: no doubling
    backend.advance(60)
    assert await t.retry_after("login:a", policy) == 0
    assert await t.hit("login:a", policy) == 0


async def test_reset_forgets_the_key(backend: Backend) -> None:
    t = backend.throttle
    policy = ThrottlePolicy(limit=1, window_seconds=600)
    assert await t.hit("login:a", policy) == 1
    assert await t.hit("login:a", policy) == 2
    await t.reset("login:a")
    assert await t.retry_after("login:a", policy) == 0
    assert await t.hit("login:a", policy) == 1
    await t.reset("never-seen")  # resetting an unknown key is fine


async def test_keys_are_independent(backend: Backend) -> None:
    t = backend.throttle
    policy = ThrottlePolicy(limit=1, window_seconds=600)
    assert await t.hit("login:account:1", policy) == 1
    assert await t.retry_after("login:account:2", policy) == 0
    assert await t.hit("login:ip:10.0.0.1", policy) == 1
    await t.reset("login:account:2")
    assert await t.retry_after("login:account:1", policy) == 1
    await t.reset("login:account:1")
    assert await t.retry_after("login:ip:10.0.0.1", policy) == 1


async def test_concurrent_hits_are_all_counted(backend: Backend) -> None:
    # All 50 hits land in the same millisecond (the clock stands still).
    policy = ThrottlePolicy(limit=45, window_seconds=600)
    results = await asyncio.gather(*(backend.throttle.hit("register:ip:10.0.0.9", policy) for _ in range(50)))
    # Each hit saw a consistent count: 44 under the limit, then one per doubling.
    assert sorted(results) == [0] * 44 + [1, 2, 4, 8, 16, 32]
    assert await backend.throttle.retry_after("register:ip:10.0.0.9", policy) == 32


async def test_a_long_burst_stays_at_the_cap_and_then_fades(backend: Backend) -> None:
    t = backend.throttle
    policy = ThrottlePolicy(limit=2, window_seconds=120, base_delay_seconds=1, max_delay_seconds=60)
    for _ in range(300):
        await t.hit("forgot:a@example.com", policy)
    assert await t.retry_after("forgot:a@example.com", policy) == 60
    backend.advance(59)
    assert await t.retry_after("forgot:a@example.com", policy) == 1
    backend.advance(1)
    assert await t.retry_after("forgot:a@example.com", policy) == 0
    assert await t.hit("forgot:a@example.com", policy) == 60  # still many events in the window
    backend.advance(120)
    assert await t.hit("forgot:a@example.com", policy) == 0  # all forgotten


async def test_huge_keys_work(backend: Backend) -> None:
    t = backend.throttle
    policy = ThrottlePolicy(limit=1, window_seconds=600)
    huge = "login:account:" + "x" * 10_000 + "@example.com"
    assert await t.hit(huge, policy) == 1
    assert await t.retry_after(huge, policy) == 1
    assert await t.retry_after(huge[:-1], policy) == 0


# ---- Redis specifics


async def test_redis_keys_get_a_ttl_and_reset_deletes_them(redis_client: Redis) -> None:
    clock = FixedClock(START)
    throttle = RedisThrottle(redis_client, clock)
    policy = ThrottlePolicy(limit=3, window_seconds=600, max_delay_seconds=300)
    await throttle.hit("login:a", policy)
    key = throttle.redis_key("login:a")
    ttl_ms = await redis_client.pttl(key)
    assert (600 + 300) * 1000 - 5_000 < ttl_ms <= (600 + 300) * 1000
    assert await redis_client.keys("*") == [key.encode()]
    await throttle.reset("login:a")
    assert await redis_client.exists(key) == 0


async def test_redis_times_come_from_the_injected_clock(redis_client: Redis) -> None:
    clock = FixedClock(START)  # months away from the real time
    throttle = RedisThrottle(redis_client, clock)
    await throttle.hit("login:a", LONG_WINDOW)
    clock.advance(timedelta(milliseconds=1500))
    await throttle.hit("login:a", LONG_WINDOW)
    scored = cast(
        "list[tuple[bytes, float]]", await redis_client.zrange(throttle.redis_key("login:a"), 0, -1, withscores=True)
    )
    assert [int(score) for _member, score in scored] == [epoch_ms(START), epoch_ms(START) + 1500]


async def test_redis_key_of_an_attacker_sized_key_stays_short_and_holds_no_pii(redis_client: Redis) -> None:
    throttle = RedisThrottle(redis_client, FixedClock(START))
    email = "a" * 10_000 + "@example.com"
    await throttle.hit(f"login:account:{email}", LONG_WINDOW)
    keys = cast("list[bytes]", await redis_client.keys("*"))
    assert len(keys) == 1
    assert keys[0].startswith(b"nexuscore:throttle:")
    assert len(keys[0]) <= len("nexuscore:throttle:") + 64
    assert b"example.com" not in keys[0]
    members = cast("list[bytes]", await redis_client.zrange(keys[0], 0, -1))
    assert all(len(m) < 64 and b"example" not in m for m in members)


async def test_redis_keeps_only_the_events_that_matter(redis_client: Redis) -> None:
    throttle = RedisThrottle(redis_client, FixedClock(START))
    policy = ThrottlePolicy(limit=5, window_seconds=600, max_delay_seconds=900)
    for _ in range(100):
        await throttle.hit("login:a", policy)
    assert await redis_client.zcard(throttle.redis_key("login:a")) == policy.max_relevant_events == 15
    assert await throttle.retry_after("login:a", policy) == 900


async def test_redis_prefix_is_configurable(redis_client: Redis) -> None:
    throttle = RedisThrottle(redis_client, FixedClock(START), prefix="test:t:")
    await throttle.hit("k", LONG_WINDOW)
    keys = cast("list[bytes]", await redis_client.keys("*"))
    assert [k.decode() for k in keys] == [throttle.redis_key("k")]
    assert throttle.redis_key("k").startswith("test:t:")


# ---- in-memory specifics


async def test_memory_evicts_the_least_recently_hit_keys_beyond_max_keys() -> None:
    throttle = InMemoryThrottle(FixedClock(START), max_keys=3)
    policy = ThrottlePolicy(limit=1, window_seconds=600)
    for key in ("k1", "k2", "k3"):
        await throttle.hit(key, policy)
    await throttle.hit("k1", policy)  # k1 is now the most recently hit
    await throttle.hit("k4", policy)  # evicts k2
    assert len(throttle) == 3
    assert await throttle.retry_after("k2", policy) == 0
    assert await throttle.retry_after("k1", policy) == 2
    assert await throttle.retry_after("k3", policy) == 1


async def test_memory_drops_idle_keys() -> None:
    clock = FixedClock(START)
    throttle = InMemoryThrottle(clock)
    policy = ThrottlePolicy(limit=1, window_seconds=60)
    await throttle.hit("k1", policy)
    clock.advance(timedelta(seconds=60))
    assert await throttle.retry_after("k1", policy) == 0
    assert len(throttle) == 0
