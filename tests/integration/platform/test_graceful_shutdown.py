"""SIGTERM to a worker: the task in flight finishes and is acknowledged within the grace period;
past it, the task is handed back unacknowledged (the stream redelivers it). Nothing is lost.

The worker is a real process (`receive_until_signalled`, as `nexuscore worker` runs it) on the
real Redis and PostgreSQL; its one extra task waits for the test to release it, so the test
knows the task is in flight when the signal arrives."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from taskiq.kicker import AsyncKicker

from nexuscore.platform.broker import CONSUMER_GROUP, QUEUE_NAME, build_broker
from tests.conftest import make_settings

WORKER = textwrap.dedent(
    """
    import asyncio, pathlib, sys
    from nexuscore.bootstrap.processes import receive_until_signalled
    from nexuscore.bootstrap.runtime import build_runtime
    from nexuscore.platform.settings import load_settings

    async def main() -> None:
        files, grace = pathlib.Path(sys.argv[1]), float(sys.argv[2])
        runtime = build_runtime(load_settings(dotenv=None))

        @runtime.broker.task(task_name="test.held")
        async def held(n: int) -> None:
            (files / f"started-{n}").touch()
            while not (files / "release").exists():  # the task's work: until the test releases it
                await asyncio.sleep(0.01)
            (files / f"done-{n}").touch()

        await runtime.startup(run_relay=False)
        (files / "ready").touch()
        try:
            await receive_until_signalled(runtime.broker, grace=grace)
        finally:
            await runtime.shutdown()

    asyncio.run(main())
    """
)


async def _appears(path: Path, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not path.exists():
        assert process.poll() is None, (
            f"worker exited early: {process.stderr.read().decode() if process.stderr else ''}"
        )
        assert asyncio.get_running_loop().time() < deadline, f"{path.name} never appeared"
        await asyncio.sleep(0.02)


@pytest.fixture
async def kicker(redis_url: str, app_postgres_url: str, tmp_path: Path) -> AsyncIterator[AsyncKicker[..., None]]:
    broker = build_broker(make_settings(tmp_path, DATABASE_URL=app_postgres_url, REDIS_URL=redis_url))
    await broker.startup()
    try:
        yield AsyncKicker(task_name="test.held", broker=broker, labels={})
    finally:
        await broker.shutdown()


def _start_worker(
    files: Path, grace: float, redis_url: str, database_url: str, tmp_path: Path
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ENVIRONMENT": "test",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "OUTBOX_RELAY_IN_PROCESS": "false",
        "NEXUSCORE_VAR_DIR": str(tmp_path / "var"),
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen([sys.executable, "-c", WORKER, str(files), str(grace)], env=env, stderr=subprocess.PIPE)


async def _unacknowledged(redis_url: str) -> int:
    client = Redis.from_url(redis_url)
    try:
        pending = await client.xpending(QUEUE_NAME, CONSUMER_GROUP)
        return int(pending["pending"])
    finally:
        await client.aclose()


@pytest.mark.parametrize("released", [True, False], ids=["finishes-in-grace", "handed-back-after-grace"])
async def test_sigterm_finishes_the_task_in_flight_or_hands_it_back(
    released: bool, kicker: AsyncKicker[..., None], redis_url: str, app_postgres_url: str, tmp_path: Path
) -> None:
    files = tmp_path / "files"
    files.mkdir()
    worker = _start_worker(files, 30.0 if released else 0.5, redis_url, app_postgres_url, tmp_path)
    try:
        await _appears(files / "ready", worker)
        await kicker.kiq(1)
        await _appears(files / "started-1", worker)

        worker.send_signal(signal.SIGTERM)
        if released:
            # The worker has stopped fetching and is waiting for its task: the task finishes.
            (files / "release").touch()
        exit_code = await asyncio.to_thread(worker.wait, 60)
        assert exit_code == 0, worker.stderr.read().decode() if worker.stderr else ""
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    if released:
        assert (files / "done-1").exists()
        assert await _unacknowledged(redis_url) == 0  # acknowledged: not run again
    else:
        assert not (files / "done-1").exists()
        assert await _unacknowledged(redis_url) == 1  # unacknowledged: the stream redelivers it
