"""The inbox under faults on the production layout: PostgreSQL, the Redis stream broker and
real worker processes (`run_worker`, as `nexuscore worker` runs it, with file-backed target
fakes, so the tests count the handler's effects across processes; the real subscriptions context
behind the inbox is shown by tests/e2e/webhooks/test_subscriptions_wired.py)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from taskiq.kicker import AsyncKicker

from nexuscore.bootstrap.app import create_app
from nexuscore.platform.broker import build_broker
from nexuscore.platform.database import create_engine, session_maker
from nexuscore.webhooks.adapters.sql.tables import AttemptRow, InboxEventRow
from nexuscore.webhooks.adapters.tasks.tasks import SWEEP_TASK
from tests.conftest import make_settings
from tests.e2e.webhooks.conftest import SECRET, deliver, event_body, stripe_header, subscription

pytestmark = pytest.mark.integration
REDIS_PORT = int(os.environ.get("TEST_FAULT_REDIS_PORT", "6461"))  # this test's own Redis, which it stops and starts

WORKER = textwrap.dedent(
    """
    import asyncio, pathlib, sys
    sys.path.insert(0, sys.argv[2])
    from nexuscore.bootstrap.processes import run_worker
    from nexuscore.platform.settings import load_settings
    from nexuscore.webhooks.adapters import targets
    from tests.integration.webhooks.file_targets import file_targets

    directory = pathlib.Path(sys.argv[1])
    targets.default_targets = lambda infra: file_targets(directory)
    asyncio.run(run_worker(load_settings(dotenv=None)))
    """
)


def _env(database_url: str, redis_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "ENVIRONMENT": "test",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "OUTBOX_POLL_SECONDS": "0.05",
        "STRIPE_WEBHOOK_SECRETS": SECRET,
        "WEBHOOK_STUCK_AFTER_SECONDS": "1",
        "WEBHOOK_RETRY_BASE_SECONDS": "0",
        "WEBHOOK_MAX_ATTEMPTS": "3",
        "NEXUSCORE_VAR_DIR": str(tmp_path / "var"),
        "LOG_LEVEL": "WARNING",
    }


def start_worker(directory: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    root = str(Path(__file__).resolve().parents[3])
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(directory), root], env={**os.environ, **env}, stderr=subprocess.PIPE
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(30)


async def until(
    check: Callable[[], object], what: str, *, timeout: float = 60, every: Callable[[], object] | None = None
) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        if every is not None:
            kicked = every()
            if asyncio.iscoroutine(kicked):
                await kicked
        await asyncio.sleep(0.1)  # polling other processes (their clocks are real)


@pytest.fixture
async def redis_server(tmp_path: Path) -> AsyncIterator[Callable[[], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            ["redis-server", "--port", str(REDIS_PORT), "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
            stdout=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        stop(process)


async def status_of(database_url: str, event_id: str) -> tuple[str | None, int]:
    engine = create_engine(database_url, pool_size=1)
    try:
        async with session_maker(engine)() as session:
            row = await session.scalar(select(InboxEventRow).where(InboxEventRow.event_id == event_id))
            attempts = (
                list(await session.scalars(select(AttemptRow).where(AttemptRow.inbox_id == row.id))) if row else []
            )
    finally:
        await engine.dispose()
    return (row.status if row else None), len(attempts)


async def ingest(app: Litestar, event_id: str) -> None:
    body = event_body(event_id, "customer.subscription.created", subscription(), created=_now())
    async with AsyncTestClient(app) as client:
        response = await deliver(client, body, stripe_header(body, at=_now()))
        assert response.status_code == 200, response.text


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)  # the API and the workers run on the system clock here


async def test_worker_killed_mid_event_is_recovered_by_the_sweeper_and_the_effect_happens_once(
    app_postgres_url: str, redis_url: str, tmp_path: Path
) -> None:
    files = tmp_path / "targets"
    files.mkdir()
    (files / "hold").touch()
    env = _env(app_postgres_url, redis_url, tmp_path)
    settings = make_settings(tmp_path, **{**env, "OUTBOX_RELAY_IN_PROCESS": "false"})
    await ingest(create_app(settings), "evt_killed")
    first = start_worker(files, env)
    try:
        await until(lambda: (files / "started").exists() or first.poll() is not None, "the handler to start")
        assert first.poll() is None, first.stderr.read().decode() if first.stderr else ""
        first.send_signal(signal.SIGKILL)  # after the effect, before the inbox records it
        first.wait(30)
    finally:
        stop(first)
    assert await status_of(app_postgres_url, "evt_killed") == ("processing", 0)
    (files / "hold").unlink()
    second = start_worker(files, env)
    broker = build_broker(settings)
    await broker.startup()
    sweep = AsyncKicker(task_name=SWEEP_TASK, broker=broker, labels={})
    try:

        async def processed() -> bool:
            return (await status_of(app_postgres_url, "evt_killed"))[0] == "processed"

        # The scheduler sends the sweep every minute; the test sends it itself until done.
        await until(processed, "the sweeper to recover the event", every=sweep.kiq)
    finally:
        await broker.shutdown()
        stop(second)
    assert (files / "effects.log").read_text().splitlines() == ["stripe:sub_1 evt_killed"]  # once


async def test_redis_down_during_ingest_still_answers_200_and_is_processed_when_it_returns(
    app_postgres_url: str, tmp_path: Path, redis_server: Callable[[], subprocess.Popen[bytes]]
) -> None:
    files = tmp_path / "targets"
    files.mkdir()
    redis_url = f"redis://127.0.0.1:{REDIS_PORT}/0"
    env = _env(app_postgres_url, redis_url, tmp_path)
    # Nothing listens on the port: the API starts anyway and the ingest commits.
    app = create_app(make_settings(tmp_path, **{**env, "OUTBOX_RELAY_IN_PROCESS": "true"}))
    await ingest(app, "evt_outage")
    assert await status_of(app_postgres_url, "evt_outage") == ("received", 0)
    redis_server()
    worker = start_worker(files, env)
    try:

        async def processed() -> bool:
            return (await status_of(app_postgres_url, "evt_outage"))[0] == "processed"

        await until(processed, "the worker to relay and process the event")
    finally:
        stop(worker)
    assert (files / "effects.log").read_text().splitlines() == ["stripe:sub_1 evt_outage"]


async def test_real_worker_retries_a_handler_that_fails_twice_then_succeeds(
    app_postgres_url: str, redis_url: str, tmp_path: Path
) -> None:
    files = tmp_path / "targets"
    files.mkdir()
    (files / "fail-2").touch()
    env = _env(app_postgres_url, redis_url, tmp_path)
    settings = make_settings(tmp_path, **{**env, "OUTBOX_RELAY_IN_PROCESS": "false"})
    await ingest(create_app(settings), "evt_twice")
    worker = start_worker(files, env)
    broker = build_broker(settings)
    await broker.startup()
    sweep = AsyncKicker(task_name=SWEEP_TASK, broker=broker, labels={})
    try:

        async def done() -> bool:
            return (await status_of(app_postgres_url, "evt_twice")) == ("processed", 3)

        # WEBHOOK_RETRY_BASE_SECONDS=0: each retry is due at once, sent by the sweep.
        await until(done, "two failures and a success", every=sweep.kiq)
    finally:
        await broker.shutdown()
        stop(worker)
    assert (files / "effects.log").read_text().splitlines() == ["stripe:sub_1 evt_twice"]


async def test_real_worker_gives_up_on_a_handler_that_always_fails_and_a_staff_replay_runs_it_again(
    app_postgres_url: str, redis_url: str, tmp_path: Path
) -> None:
    from sqlalchemy import update

    from nexuscore.identity.adapters.sql.tables import UserRow
    from tests.e2e.conftest import PASSWORD, register, signed_in

    files = tmp_path / "targets"
    files.mkdir()
    (files / "fail-99").touch()  # fails every attempt of this test
    env = _env(app_postgres_url, redis_url, tmp_path)
    settings = make_settings(tmp_path, **{**env, "OUTBOX_RELAY_IN_PROCESS": "false"})
    await ingest(create_app(settings), "evt_dead")
    worker = start_worker(files, env)
    broker = build_broker(settings)
    await broker.startup()
    sweep = AsyncKicker(task_name=SWEEP_TASK, broker=broker, labels={})
    try:

        async def dead() -> bool:
            return (await status_of(app_postgres_url, "evt_dead")) == ("dead", 3)  # WEBHOOK_MAX_ATTEMPTS=3

        await until(dead, "three failures to end the event dead", every=sweep.kiq)
        assert not (files / "effects.log").exists()
        for control in files.glob("fail-*"):
            control.unlink()  # the fault is mended
        async with AsyncTestClient(create_app(settings)) as client:  # a fresh app: one lifespan each
            email = "ops@nexuscore.sg"
            assert (await register(client, email)).status_code == 201
            engine = create_engine(app_postgres_url, pool_size=1)
            try:
                async with session_maker(engine)() as session:
                    await session.execute(update(UserRow).where(UserRow.email == email).values(is_staff=True))
                    await session.commit()
                    row = await session.scalar(select(InboxEventRow).where(InboxEventRow.event_id == "evt_dead"))
            finally:
                await engine.dispose()
            assert row is not None
            staff = {"Authorization": f"Bearer {(await signed_in(client, email, PASSWORD))['accessToken']}"}
            replayed = await client.post(f"/api/v1/admin/webhooks/{row.id}/replay", headers=staff)
            assert replayed.status_code == 202, replayed.text  # accepted: the worker runs it

        async def processed() -> bool:
            return (await status_of(app_postgres_url, "evt_dead")) == ("processed", 4)

        # the replay's outbox message reaches the worker's relay; no sweep needed
        await until(processed, "the replayed event to be processed by the worker")
    finally:
        await broker.shutdown()
        stop(worker)
    assert (files / "effects.log").read_text().splitlines() == ["stripe:sub_1 evt_dead"]
