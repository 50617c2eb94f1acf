"""Outages of Redis and PostgreSQL are answered 503 with Retry-After (never 500), nothing is
written, and the API recovers by itself when the service is back (issue 17, rows 5 and 6).

Redis: a redis-server of the test's own (port 6392, no persistence) that the test stops and
starts. PostgreSQL is shared, so its outage is simulated: an app pointed at a closed port, and
backends terminated under a running app."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
import redis
from litestar.testing import AsyncTestClient
from sqlalchemy.engine import make_url

from nexuscore.bootstrap.app import create_app
from tests.conftest import make_settings
from tests.e2e.conftest import PASSWORD, login, register

OWN_REDIS_PORT = int(os.environ.get("TEST_OUTAGE_REDIS_PORT", "6392"))


class OwnRedis:
    """A redis-server the test may stop and start (on its own port, persisting nothing)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        probe = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:  # waits for the server process to listen, not for application time
            try:
                probe.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or self._process.poll() is not None:
                    raise RuntimeError(f"redis-server on port {self.port} did not start") from None
                time.sleep(0.02)
            finally:
                probe.close()

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    server = OwnRedis(OWN_REDIS_PORT)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _assert_503(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["type"].endswith("/dependency-unavailable")


async def test_redis_down_is_503_refuses_guesses_and_recovers_without_a_failed_request(
    own_redis: OwnRedis, app_postgres_url: str, tmp_path: Path
) -> None:
    settings = make_settings(
        tmp_path, DATABASE_URL=app_postgres_url, REDIS_URL=own_redis.url, OUTBOX_RELAY_IN_PROCESS="false"
    )
    async with AsyncTestClient(create_app(settings)) as client:
        assert (await register(client, "ann@example.sg")).status_code == 201
        for _ in range(3):  # pooled connections that go stale when Redis restarts
            assert (await login(client, "ann@example.sg", "wrong password, this one")).status_code == 401

        own_redis.stop()
        # The throttle cannot count: it refuses, even the right password (no guess gets through).
        _assert_503(await login(client, "ann@example.sg"))
        _assert_503(await login(client, "ann@example.sg", "another guess at it"))
        _assert_503(await register(client, "ben@example.sg"))

        own_redis.start()  # empty: no persistence
        # The first requests meet the stale pooled connections: replaced, not failed.
        assert (await login(client, "ann@example.sg")).status_code == 200
        registered = await register(client, "ben@example.sg")
        assert registered.status_code == 201, registered.text  # the refused attempt wrote nothing
        assert (await login(client, "ben@example.sg", PASSWORD)).status_code == 200


async def test_database_unreachable_is_503_not_500(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path, DATABASE_URL="postgresql+asyncpg://nexuscore_app@127.0.0.1:1/nowhere", OUTBOX_RELAY_IN_PROCESS="false"
    )
    async with AsyncTestClient(create_app(settings)) as client:
        _assert_503(await register(client, "ann@example.sg"))
        _assert_503(await login(client, "ann@example.sg"))
        assert (await client.get("/health/ready")).status_code == 503
        assert (await client.get("/health/live")).status_code == 200


async def test_terminated_database_connections_never_answer_500_and_the_api_recovers(
    app_postgres_url: str, clean_postgres: str, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=app_postgres_url, OUTBOX_RELAY_IN_PROCESS="false")
    async with AsyncTestClient(create_app(settings)) as client:
        assert (await register(client, "ann@example.sg")).status_code == 201
        owner = await asyncpg.connect(make_url(clean_postgres).set(drivername="postgresql").render_as_string(False))
        try:  # what a PostgreSQL restart does to the app's pooled connections
            terminated = await owner.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND usename = 'nexuscore_app'"
            )
        finally:
            await owner.close()
        assert terminated >= 1
        first = await login(client, "ann@example.sg")
        assert first.status_code in (200, 503), first.text
        if first.status_code == 503:
            _assert_503(first)
        assert (await login(client, "ann@example.sg")).status_code == 200
        assert (await register(client, "ben@example.sg")).status_code == 201
