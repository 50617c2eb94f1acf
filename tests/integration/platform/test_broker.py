"""taskiq broker factory: in-process and Redis streams, acks, result TTL, delayed retries."""

from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from taskiq import InMemoryBroker, ScheduledTask
from taskiq.api import run_receiver_task
from taskiq_redis import RedisStreamBroker

from nexuscore.platform.broker import CONSUMER_GROUP, QUEUE_NAME, build_broker, build_scheduler, retry_middleware
from tests.conftest import make_settings

pytestmark = pytest.mark.integration


async def test_in_memory_retry_really_waits_with_growing_delays(tmp_path: Path) -> None:
    broker = build_broker(make_settings(tmp_path), await_inplace=True)
    assert isinstance(broker, InMemoryBroker)
    middleware = retry_middleware(broker)
    waits: list[float] = []

    async def recording_sleep(seconds: float) -> None:
        waits.append(seconds)

    middleware._sleep = recording_sleep
    attempts: list[int] = []

    async def flaky() -> str:
        attempts.append(len(attempts) + 1)
        if len(attempts) < 4:
            raise ConnectionError("transient")
        return "done"

    task = broker.register_task(flaky, task_name="test.flaky", retry_on_error=True, max_retries=5, delay=1.0)
    await broker.startup()
    try:
        await task.kiq()
        await middleware.drain()
    finally:
        await broker.shutdown()
    assert attempts == [1, 2, 3, 4]
    assert len(waits) == 3 and all(w > 0 for w in waits)
    # ceilings 1, 2, 4 with equal jitter: each wait lies in [ceiling/2, ceiling]
    for wait, ceiling in zip(waits, [1.0, 2.0, 4.0], strict=True):
        assert ceiling / 2 <= wait <= ceiling


async def test_unlabelled_task_is_not_retried(tmp_path: Path) -> None:
    broker = build_broker(make_settings(tmp_path), await_inplace=True)
    calls: list[int] = []

    async def fails() -> None:
        calls.append(1)
        raise ValueError("permanent")

    task = broker.register_task(fails, task_name="test.fails")
    await broker.startup()
    try:
        await task.kiq()
        await retry_middleware(broker).drain()
    finally:
        await broker.shutdown()
    assert calls == [1]


async def _start_worker(broker: Any) -> asyncio.Task[None]:
    worker = asyncio.create_task(run_receiver_task(broker, run_startup=False))
    await asyncio.sleep(0.1)
    return worker


async def _stop_worker(worker: asyncio.Task[None]) -> None:
    worker.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await worker


async def test_redis_stream_broker_runs_acks_and_expires_results(tmp_path: Path, redis_url: str) -> None:
    settings = make_settings(tmp_path, REDIS_URL=redis_url)
    broker = build_broker(settings)
    assert isinstance(broker, RedisStreamBroker)

    async def add(a: int, b: int) -> int:
        return a + b

    task = broker.register_task(add, task_name="test.add")
    await broker.startup()
    worker = await _start_worker(broker)
    redis = Redis.from_url(redis_url)
    try:
        kicked = await task.kiq(2, 3)
        result = await kicked.wait_result(timeout=10)
        assert result.return_value == 5
        # acknowledged: nothing pending in the consumer group
        pending = await redis.xpending(QUEUE_NAME, CONSUMER_GROUP)
        assert pending["pending"] == 0
        # results expire (TASK_RESULT_TTL_SECONDS)
        keys = [k async for k in redis.scan_iter(match="nexuscore:results*")]
        assert keys
        assert 0 < await redis.ttl(keys[0]) <= settings.task_result_ttl_seconds
    finally:
        await _stop_worker(worker)
        await broker.shutdown()
        await redis.aclose()


async def test_redis_retry_is_scheduled_for_later_and_sent_by_the_scheduler(tmp_path: Path, redis_url: str) -> None:
    settings = make_settings(tmp_path, REDIS_URL=redis_url)
    broker = build_broker(settings)
    attempts: list[datetime] = []

    async def flaky() -> str:
        attempts.append(datetime.now(UTC))
        if len(attempts) == 1:
            raise ConnectionError("transient")
        return "ok"

    task = broker.register_task(flaky, task_name="test.redis_flaky", retry_on_error=True, delay=60.0)
    scheduler = build_scheduler(broker, settings)
    retry_source = scheduler.sources[-1]
    await broker.startup()
    await retry_source.startup()
    worker = await _start_worker(broker)
    try:
        kicked_at = datetime.now(UTC)
        await task.kiq()
        due: list[ScheduledTask] = []
        redis = Redis.from_url(redis_url)
        for _ in range(50):
            raw = [await redis.get(k) async for k in redis.scan_iter(match="nexuscore:schedule:data:*")]
            due = [ScheduledTask.model_validate(json.loads(r)) for r in raw if r]
            if due:
                break
            await asyncio.sleep(0.1)
        await redis.aclose()
        assert len(attempts) == 1, "the retry must wait, not run at once"
        assert len(due) == 1 and due[0].time is not None and due[0].task_name == "test.redis_flaky"
        # stored for later (the Redis source keeps minute precision): at least ~30 s away
        assert due[0].time >= (kicked_at + timedelta(seconds=30)).replace(second=0, microsecond=0)
        # the scheduler sends it when due; the worker then runs it
        await scheduler.on_ready(retry_source, due[0])
        for _ in range(50):
            if len(attempts) == 2:
                break
            await asyncio.sleep(0.1)
        assert len(attempts) == 2
    finally:
        await _stop_worker(worker)
        await retry_source.shutdown()
        await broker.shutdown()
