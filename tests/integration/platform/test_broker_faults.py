"""Broker and scheduler under faults (issue 17, rows 1-4 and 7), on the real Redis."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from taskiq import AckableMessage, ScheduledTask
from taskiq.message import BrokerMessage

from nexuscore.bootstrap.app import create_app
from nexuscore.platform.broker import (
    CONSUMER_GROUP,
    QUEUE_NAME,
    SCHEDULE_PREFIX,
    BrokerDegradedError,
    build_broker,
    build_schedule_source,
    build_scheduler,
    ping_broker,
)
from nexuscore.platform.redis_stream import STATE_OK, ResilientStreamBroker
from nexuscore.platform.schedules import RedisRetryScheduleSource
from nexuscore.platform.settings import Settings
from tests.conftest import make_settings

pytestmark = pytest.mark.integration


def _retry(task_name: str, due: datetime, **kwargs: Any) -> ScheduledTask:
    return ScheduledTask(task_name=task_name, labels={}, args=[], kwargs=kwargs, time=due)


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture
async def source(tmp_path: Path, redis_url: str) -> AsyncIterator[Any]:
    built = build_schedule_source(make_settings(tmp_path, REDIS_URL=redis_url))
    assert built is not None
    await built.startup()
    yield built
    await built.shutdown()


# --- row 1: every retry is sent when due -----------------------------------------------------


async def test_a_retry_whose_minute_has_passed_is_returned_on_every_read(source: Any) -> None:
    now = datetime.now(UTC)
    await source.get_schedules()  # the scheduler's first read happened already
    late = _retry("test.late", now - timedelta(minutes=3), n=1)  # added while the scheduler was down
    await source.add_schedule(late)
    assert [s.schedule_id for s in await source.get_schedules()] == [late.schedule_id]
    # and again on the next read, until it is sent
    assert [s.schedule_id for s in await source.get_schedules()] == [late.schedule_id]


async def test_a_retry_added_after_its_minute_was_read_is_still_returned(redis_url: str) -> None:
    clock = [datetime(2030, 1, 1, 12, 0, 5, tzinfo=UTC)]
    source = RedisRetryScheduleSource(redis_url, prefix=SCHEDULE_PREFIX, now=lambda: clock[0])
    try:
        assert await source.get_schedules() == []
        # added later into the minute that was already read (a retry with a short delay)
        retry = _retry("test.same_minute", datetime(2030, 1, 1, 12, 0, 3, tzinfo=UTC))
        await source.add_schedule(retry)
        clock[0] = datetime(2030, 1, 1, 12, 3, tzinfo=UTC)
        assert [s.schedule_id for s in await source.get_schedules()] == [retry.schedule_id]
        # one due far ahead is not handed to the scheduler yet; one due within the lookahead is
        far = _retry("test.far", clock[0] + timedelta(minutes=10))
        soon = _retry("test.soon", clock[0] + timedelta(seconds=5))
        await source.add_schedule(far)
        await source.add_schedule(soon)
        ids = {s.schedule_id for s in await source.get_schedules()}
        assert ids == {retry.schedule_id, soon.schedule_id}
    finally:
        await source.shutdown()


async def test_schedules_are_stored_as_json_and_removed_once_sent(
    tmp_path: Path, redis_url: str, redis: Redis, source: Any
) -> None:
    retry = _retry("test.sent", datetime.now(UTC) - timedelta(seconds=1), who="x")
    await source.add_schedule(retry)
    raw = await redis.get(f"{SCHEDULE_PREFIX}:data:{retry.schedule_id}")
    assert json.loads(raw)["task_name"] == "test.sent"  # JSON, never pickle
    broker = build_broker(make_settings(tmp_path, REDIS_URL=redis_url))
    await broker.startup()
    try:
        scheduler = build_scheduler(broker, make_settings(tmp_path, REDIS_URL=redis_url))
        await scheduler.on_ready(source, retry)
    finally:
        await broker.shutdown()
    assert await redis.xlen(QUEUE_NAME) == 1
    assert await source.get_schedules() == []
    assert await redis.exists(f"{SCHEDULE_PREFIX}:data:{retry.schedule_id}") == 0


async def test_start_up_migrates_schedules_kept_under_the_old_minute_lists(
    tmp_path: Path, redis_url: str, redis: Redis
) -> None:
    old = _retry("test.old", datetime(2024, 5, 1, 8, 30, tzinfo=UTC))
    await redis.set(f"{SCHEDULE_PREFIX}:data:{old.schedule_id}", json.dumps(old.model_dump(mode="json")))
    await redis.rpush(f"{SCHEDULE_PREFIX}:time:2024-05-01T08:30", old.schedule_id)
    source = build_schedule_source(make_settings(tmp_path, REDIS_URL=redis_url))
    assert source is not None
    await source.startup()
    try:
        assert [s.schedule_id for s in await source.get_schedules()] == [old.schedule_id]
        assert [k async for k in redis.scan_iter(match=f"{SCHEDULE_PREFIX}:time:*")] == []
        await source.startup()  # a second start-up changes nothing
        assert [s.schedule_id for s in await source.get_schedules()] == [old.schedule_id]
    finally:
        await source.shutdown()


# --- row 2: a failed send is retried ----------------------------------------------------------


class _FirstKickFails(ResilientStreamBroker):
    """A stale pooled connection after a Redis restart: the first send fails, then it works."""

    kicks = 0

    async def kick(self, message: BrokerMessage) -> None:
        self.kicks += 1
        if self.kicks == 1:
            raise RedisConnectionError("Connection closed by server.")
        await super().kick(message)


async def test_a_send_that_fails_on_a_stale_connection_is_retried(
    tmp_path: Path, redis_url: str, redis: Redis, source: Any
) -> None:
    settings = make_settings(tmp_path, REDIS_URL=redis_url)
    broker = _FirstKickFails(redis_url, queue_name=QUEUE_NAME, consumer_group_name=CONSUMER_GROUP, consumer_id="0")
    scheduler = build_scheduler(broker, settings)
    waits: list[float] = []

    async def no_wait(seconds: float) -> None:
        waits.append(seconds)

    scheduler._sleep = no_wait  # type: ignore[attr-defined]
    retry = _retry("test.stale", datetime.now(UTC) - timedelta(seconds=1))
    await source.add_schedule(retry)
    await broker.startup()
    try:
        # the scheduler loop runs each send as a task nobody awaits: it must end cleanly
        send = asyncio.create_task(scheduler.on_ready(source, retry))
        await send
        assert send.exception() is None
    finally:
        await broker.shutdown()
    assert broker.kicks == 2 and len(waits) == 1
    assert await redis.xlen(QUEUE_NAME) == 1
    assert await source.get_schedules() == []


# --- row 3: unacknowledged messages are reclaimed on a timer ----------------------------------


def _stream_broker(redis_url: str, **kwargs: Any) -> ResilientStreamBroker:
    params: dict[str, Any] = {
        "queue_name": QUEUE_NAME,
        "consumer_group_name": CONSUMER_GROUP,
        "consumer_id": "0",
        "xread_block": 100,
    }
    params.update(kwargs)
    return ResilientStreamBroker(redis_url, **params)


async def _next(listener: Any, timeout: float = 5.0) -> AckableMessage:
    message = await asyncio.wait_for(anext(listener), timeout)
    assert isinstance(message, AckableMessage)
    return message


async def test_a_message_a_dead_consumer_never_acked_is_reclaimed_with_no_new_traffic(
    redis_url: str, redis: Redis
) -> None:
    dead = _stream_broker(redis_url, consumer_name="dead")
    # min-idle 0 stands for "idle long enough" without waiting for it
    alive = _stream_broker(redis_url, consumer_name="alive", idle_timeout=0, reclaim_interval=0)
    await dead.startup()
    await alive.startup()
    try:
        await dead.kick(BrokerMessage(task_id="1", task_name="t", message=b"payload", labels={}))
        got = await _next(dead.listen())  # delivered, never acknowledged: the worker was killed
        assert got.data == b"payload"
        reclaimed = await _next(alive.listen())  # nothing new was published since
        assert reclaimed.data == b"payload"
        await reclaimed.ack()
        assert (await redis.xpending(QUEUE_NAME, CONSUMER_GROUP))["pending"] == 0
    finally:
        await dead.shutdown()
        await alive.shutdown()


async def test_reclaim_runs_on_its_interval_and_leaves_fresh_messages_alone(redis_url: str, redis: Redis) -> None:
    clock = [1000.0]
    broker = _stream_broker(
        redis_url, consumer_name="w", idle_timeout=60_000, reclaim_interval=15, monotonic=lambda: clock[0]
    )
    await broker.startup()
    try:
        async with Redis.from_url(redis_url) as r:
            assert broker._reclaim_due()  # first read reclaims
            assert not broker._reclaim_due()
            clock[0] += 15
            assert broker._reclaim_due()
            await broker.kick(BrokerMessage(task_id="1", task_name="t", message=b"fresh", labels={}))
            assert [m.data for m in await broker.read_new(r)] == [b"fresh"]
            assert await broker.reclaim(r) == []  # in flight for less than a minute: not taken
    finally:
        await broker.shutdown()


# --- row 4: a consumer group lost with an empty restart ---------------------------------------


async def test_the_worker_recreates_its_lost_group_and_reads_what_was_published_meanwhile(
    redis_url: str, redis: Redis
) -> None:
    worker = _stream_broker(redis_url, consumer_name="w")
    await worker.startup()
    try:
        await redis.flushdb()  # Redis came back empty: no stream, no group
        await redis.xadd(QUEUE_NAME, {b"data": b"into-the-void"})  # a publish by a plain XADD
        message = await _next(worker.listen())
        assert message.data == b"into-the-void"
        assert worker.consumer_state == STATE_OK
    finally:
        await worker.shutdown()


async def test_a_publish_after_an_empty_restart_lands_where_a_group_reads_it(
    tmp_path: Path, redis_url: str, redis: Redis
) -> None:
    broker = build_broker(make_settings(tmp_path, REDIS_URL=redis_url))
    await broker.startup()
    try:
        await redis.flushdb()
        await broker.kick(BrokerMessage(task_id="1", task_name="t", message=b"event", labels={}))
    finally:
        await broker.shutdown()
    groups = await redis.xinfo_groups(QUEUE_NAME)
    assert [g["name"] for g in groups] == [CONSUMER_GROUP.encode()]
    fetched = await redis.xreadgroup(CONSUMER_GROUP, "reader", {QUEUE_NAME: ">"}, count=10)
    assert [fields[b"data"] for _, entries in fetched for _, fields in entries] == [b"event"]


async def test_readiness_reports_the_broker_degraded_while_no_group_can_consume(
    pg_settings: Settings, tmp_path: Path, redis_url: str, redis: Redis
) -> None:
    settings = make_settings(
        tmp_path, DATABASE_URL=pg_settings.database_url, REDIS_URL=redis_url, OUTBOX_RELAY_IN_PROCESS="false"
    )
    async with AsyncTestClient(create_app(settings)) as client:
        assert (await client.get("/health/ready")).status_code == 200
        await redis.flushdb()
        answer = await client.get("/health/ready")
        assert answer.status_code == 503
        assert answer.json()["checks"]["broker"] == "degraded: no consumer group"
        worker = _stream_broker(redis_url)
        await worker.ensure_group()  # what the worker does on its next read
        await worker.shutdown()
        assert (await client.get("/health/ready")).status_code == 200
    await redis.flushdb()
    with pytest.raises(BrokerDegradedError):
        await ping_broker(worker, settings)


# --- row 7: backoff on broker outages ---------------------------------------------------------


class _ReadsFail(ResilientStreamBroker):
    """Redis down for the first `failures` reads."""

    def __init__(self, *args: Any, failures: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.failures = failures
        self.reads = 0

    async def read_new(self, redis: Redis) -> list[AckableMessage]:
        self.reads += 1
        if self.reads <= self.failures:
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        return await super().read_new(redis)


async def test_reads_back_off_exponentially_with_a_cap_and_log_once_per_state_change(
    redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    waits: list[float] = []

    async def no_wait(seconds: float) -> None:
        waits.append(seconds)

    broker = _ReadsFail(
        redis_url,
        failures=12,
        queue_name=QUEUE_NAME,
        consumer_group_name=CONSUMER_GROUP,
        consumer_id="0",
        xread_block=100,
        backoff_base=0.5,
        backoff_cap=30.0,
        sleep=no_wait,
    )
    await broker.startup()
    caplog.set_level(logging.INFO, logger="nexuscore.platform.redis_stream")
    try:
        await broker.kick(BrokerMessage(task_id="1", task_name="t", message=b"after-outage", labels={}))
        message = await _next(broker.listen())
    finally:
        await broker.shutdown()
    assert message.data == b"after-outage"
    assert broker.reads == 13 and len(waits) == 12
    ceilings = [min(30.0, 0.5 * 2**i) for i in range(12)]
    for wait, ceiling in zip(waits, ceilings, strict=True):
        assert ceiling / 2 <= wait <= ceiling
    assert max(waits) <= 30.0
    lines = [r.getMessage() for r in caplog.records if r.name == "nexuscore.platform.redis_stream"]
    assert len(lines) == 2, lines
    assert lines[0].startswith("broker unavailable") and lines[1].startswith("broker available again")


async def test_a_scheduler_started_while_redis_is_down_migrates_on_its_first_read(redis_url: str, redis: Redis) -> None:
    old = _retry("test.old", datetime(2024, 5, 1, 8, 30, tzinfo=UTC))
    await redis.set(f"{SCHEDULE_PREFIX}:data:{old.schedule_id}", json.dumps(old.model_dump(mode="json")))
    down = RedisRetryScheduleSource("redis://127.0.0.1:1/0", prefix=SCHEDULE_PREFIX)
    await down.startup()  # does not raise: the scheduler process keeps running
    await down.shutdown()
    source = RedisRetryScheduleSource(redis_url, prefix=SCHEDULE_PREFIX)
    try:
        assert [s.schedule_id for s in await source.get_schedules()] == [old.schedule_id]
    finally:
        await source.shutdown()
