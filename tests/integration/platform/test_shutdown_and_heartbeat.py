"""Issue 17, the rest: the scheduler finishes its sends in flight on SIGTERM; the worker's
receive callbacks leave no never-retrieved exception; readiness hears the worker's own
consuming state through its heartbeat. Real Redis (and PostgreSQL for the API)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis
from redis.exceptions import ResponseError
from taskiq import AckableMessage, ScheduledTask, TaskiqMessage, TaskiqMiddleware

from nexuscore.bootstrap.app import create_app
from nexuscore.bootstrap.processes import _graceful_receiver, schedule_until_signalled
from nexuscore.platform.broker import CONSUMER_GROUP, QUEUE_NAME, build_broker, build_scheduler
from nexuscore.platform.redis_stream import STATE_NO_GROUP, ResilientStreamBroker
from nexuscore.platform.schedules import RedisRetryScheduleSource
from nexuscore.platform.settings import Settings
from tests.conftest import make_settings

pytestmark = pytest.mark.integration


class _HeldSend(TaskiqMiddleware):
    """Holds every kick until released, so the test knows a send is in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def pre_send(self, message: TaskiqMessage) -> TaskiqMessage:
        self.entered.set()
        await self.release.wait()
        return message


@pytest.fixture
async def held(tmp_path: Path, redis_url: str) -> AsyncIterator[tuple[Any, _HeldSend, RedisRetryScheduleSource]]:
    settings = make_settings(tmp_path, REDIS_URL=redis_url)
    broker = build_broker(settings)
    gate = _HeldSend()
    broker.add_middlewares(gate)
    await broker.startup()
    scheduler = build_scheduler(broker, settings)
    source = scheduler.sources[-1]
    assert isinstance(source, RedisRetryScheduleSource)
    await source.startup()
    due = datetime.now(UTC) - timedelta(seconds=1)
    await source.add_schedule(ScheduledTask(task_name="test.later", labels={}, args=[], kwargs={"n": 1}, time=due))
    try:
        yield scheduler, gate, source
    finally:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        await source.shutdown()
        await broker.shutdown()


async def _stream_length(redis_url: str) -> int:
    async with Redis.from_url(redis_url) as redis:
        return int(await redis.xlen(QUEUE_NAME))


async def test_sigterm_lets_the_scheduler_finish_the_send_in_flight(held: Any, redis_url: str) -> None:
    scheduler, gate, source = held
    running = asyncio.create_task(schedule_until_signalled(scheduler, grace=30))
    await asyncio.wait_for(gate.entered.wait(), 30)  # the due retry is being sent
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.sleep(0.05)
    assert not running.done()  # the loop stopped, the send it started is still given its time
    gate.release.set()
    await asyncio.wait_for(running, 30)
    assert await _stream_length(redis_url) == 1  # sent
    assert await source.get_schedules() == []  # and cleaned up: not sent again at the next start


async def test_a_send_still_held_after_the_grace_period_keeps_its_schedule(held: Any, redis_url: str) -> None:
    scheduler, gate, source = held
    running = asyncio.create_task(schedule_until_signalled(scheduler, grace=0.2))
    await asyncio.wait_for(gate.entered.wait(), 30)
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(running, 30)
    assert scheduler.sends_in_flight == 0
    assert await _stream_length(redis_url) == 0
    assert [s.kwargs for s in await source.get_schedules()] == [{"n": 1}]  # sent on the next start


async def test_a_failed_ack_is_logged_once_not_left_as_a_never_retrieved_exception(
    tmp_path: Path, redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    broker = build_broker(make_settings(tmp_path, REDIS_URL=redis_url))
    ran: list[int] = []

    @broker.task(task_name="test.noop")
    async def noop(n: int) -> None:
        ran.append(n)

    await broker.startup()
    # Redis went away between the task's run and its ack: the ack meets a closed port.
    gone = ResilientStreamBroker("redis://127.0.0.1:6429/0", queue_name=QUEUE_NAME, consumer_group_name=CONSUMER_GROUP)
    try:
        message = TaskiqMessage(task_id="t1", task_name="test.noop", labels={}, args=[], kwargs={"n": 7})
        data = broker.formatter.dumps(message).message
        receiver = _graceful_receiver(asyncio.Event(), 1.0)(broker, run_startup=False)
        # taskiq starts each callback as a task nobody awaits; so does this test.
        callback = asyncio.create_task(receiver.callback(AckableMessage(data=data, ack=gone._ack(b"1-0"))))
        with caplog.at_level(logging.WARNING, logger="nexuscore.bootstrap.processes"):
            await asyncio.wait([callback], timeout=30)
        assert callback.done() and callback.exception() is None
        assert ran == [7]
        assert [r.getMessage() for r in caplog.records if "redelivered" in r.getMessage()] != []
    finally:
        await gone.shutdown()
        await broker.shutdown()


async def test_readiness_reports_the_broker_degraded_from_the_workers_own_heartbeat(
    pg_settings: Settings, tmp_path: Path, redis_url: str
) -> None:
    settings = make_settings(
        tmp_path, DATABASE_URL=pg_settings.database_url, REDIS_URL=redis_url, OUTBOX_RELAY_IN_PROCESS="false"
    )
    worker = ResilientStreamBroker(
        redis_url, queue_name=QUEUE_NAME, consumer_group_name=CONSUMER_GROUP, consumer_id="0", xread_block=100
    )
    await worker.ensure_group()  # the group exists: the API's own check alone said "ok"
    async with AsyncTestClient(create_app(settings)) as client, Redis.from_url(redis_url) as redis:
        assert (await client.get("/health/ready")).status_code == 200  # no worker heartbeat yet
        worker._went_wrong(STATE_NO_GROUP, ResponseError("NOGROUP"))  # the worker's reads fail
        await worker.beat(redis, force=True)
        answer = await client.get("/health/ready")
        assert answer.status_code == 503
        assert answer.json()["checks"] == {"database": "ok", "broker": "degraded: no consumer can read (no-group)"}
        await redis.xadd(QUEUE_NAME, {b"data": b"work"})
        listener = worker.listen()
        await asyncio.wait_for(anext(listener), 10)  # a successful read: the heartbeat says ok
        await listener.aclose()
        assert (await client.get("/health/ready")).status_code == 200
        assert await redis.ttl(worker.heartbeat_key) > 0  # a dead worker's state expires
    await worker.shutdown()
