"""A real `nexuscore serve` killed (SIGKILL) after the use case committed and before the
response was stored: the retry, on a new server, does not run the operation again."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from nexuscore.platform.database import create_engine
from tests.e2e.conftest import PASSWORD

pytestmark = pytest.mark.e2e

NEXUSCORE = str(Path(sys.executable).parent / "nexuscore")
PORT = 8441  # this branch's test-server range is 8440-8449
BASE = f"http://127.0.0.1:{PORT}"


def _serve(database_url: str, var: Path) -> subprocess.Popen[bytes]:
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "NEXUSCORE_VAR_DIR": str(var),
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
    }
    proc = subprocess.Popen(
        [NEXUSCORE, "serve", "--port", str(PORT)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(BASE + "/health/live", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    pytest.fail("nexuscore serve did not come up")


def _owner_sql(owner_url: str, *statements: str) -> list[object]:
    async def run() -> list[object]:
        engine = create_engine(owner_url, pool_size=1)
        try:
            async with engine.begin() as conn:
                results = [await conn.execute(text(s)) for s in statements]
                return [r.scalar() if r.returns_rows else None for r in results]
        finally:
            await engine.dispose()

    return asyncio.run(run())


@pytest.fixture
def servers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)


def _token() -> dict[str, str]:
    login = httpx.post(BASE + "/api/v1/auth/login", json={"email": "ann@example.sg", "password": PASSWORD}, timeout=10)
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['accessToken']}", "Idempotency-Key": "create-acme"}


def test_a_server_killed_between_commit_and_storing_the_response_never_runs_the_operation_twice(
    servers: list[subprocess.Popen[bytes]], app_postgres_url: str, clean_postgres: str, tmp_path: Path
) -> None:
    servers.append(_serve(app_postgres_url, tmp_path / "var"))
    registered = httpx.post(
        BASE + "/api/v1/auth/register",
        json={"email": "ann@example.sg", "password": PASSWORD, "fullName": "Ann Tan"},
        timeout=10,
    )
    assert registered.status_code == 201, registered.text
    headers = _token()
    # Storing the response hangs (the row's move to `completed` sleeps), so the process can be
    # killed exactly there: after the use case's commit, before the response is kept or sent.
    _owner_sql(
        clean_postgres,
        "CREATE FUNCTION hang_completed() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN IF NEW.state = 'completed' THEN PERFORM pg_sleep(60); END IF; RETURN NEW; END $$",
        "CREATE TRIGGER hang_completed BEFORE UPDATE ON platform_idempotency_key "
        "FOR EACH ROW EXECUTE FUNCTION hang_completed()",
    )

    def kill_when_committed() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            state, orgs = _owner_sql(
                clean_postgres,
                "SELECT state FROM platform_idempotency_key",
                "SELECT count(*) FROM organizations_organization",
            )
            if state == "committed" and orgs == 1:
                servers[0].kill()
                return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_when_committed)
    killer.start()
    try:
        with pytest.raises(httpx.TransportError):  # the server died before answering
            httpx.post(BASE + "/api/v1/orgs", json={"name": "Acme"}, headers=headers, timeout=60)
    finally:
        killer.join()
    assert servers[0].wait(timeout=30) != 0
    # The dead server's transaction (asleep in the trigger) is ended; the trigger goes.
    _owner_sql(
        clean_postgres,
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid() AND usename = 'nexuscore_app'",
        "DROP TRIGGER hang_completed ON platform_idempotency_key",
        "DROP FUNCTION hang_completed()",
    )

    servers.append(_serve(app_postgres_url, tmp_path / "var"))
    retry = httpx.post(BASE + "/api/v1/orgs", json={"name": "Acme"}, headers=_token(), timeout=10)
    assert retry.status_code == 409, retry.text
    assert retry.json()["type"].endswith("/idempotency-key-spent")
    state, orgs = _owner_sql(
        clean_postgres,
        "SELECT state FROM platform_idempotency_key",
        "SELECT count(*) FROM organizations_organization",
    )
    assert (state, orgs) == ("committed", 1)
    # Without the key (a new request) it runs, so the 409 above was the key's doing.
    assert (
        httpx.post(
            BASE + "/api/v1/orgs",
            json={"name": "Acme"},
            headers={"Authorization": _token()["Authorization"]},
            timeout=10,
        ).status_code
        == 201
    )
