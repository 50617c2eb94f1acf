"""Privacy fixtures: the real app on PostgreSQL (the non-owner role: row-level security on),
the outbox relay in process, tasks inline on the in-process broker, mail as files, and a
clock the tests hold (codes and links expire on it)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import anyio
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.bootstrap.app import create_app
from nexuscore.bootstrap.runtime import Runtime, build_runtime
from nexuscore.kernel.clock import FixedClock
from nexuscore.platform.database import bind_rls_scope
from nexuscore.platform.settings import Settings
from tests.e2e.conftest import auth

Client = AsyncTestClient[Litestar]


@pytest.fixture
def clock() -> FixedClock:
    # Tokens are signed and checked on this clock too: it starts at the real time and moves
    # only when a test moves it.
    return FixedClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def runtime(identity_settings: Settings, clock: FixedClock) -> Runtime:
    return build_runtime(identity_settings, clock=clock, await_inplace=True)


@pytest.fixture
async def client(runtime: Runtime) -> AsyncIterator[Client]:
    async with AsyncTestClient(create_app(runtime=runtime)) as c:
        yield c


async def org(client: Client, owner: dict[str, str], name: str) -> str:
    response = await client.post("/api/v1/orgs", json={"name": name}, headers=auth(owner))
    assert response.status_code == 201, response.text
    org_id: str = response.json()["id"]
    return org_id


async def lead(client: Client, org_id: str, user: dict[str, str], **fields: Any) -> dict[str, Any]:
    response = await client.post(f"/api/v1/orgs/{org_id}/leads", json=fields, headers=auth(user))
    assert response.status_code == 201, response.text
    found: dict[str, Any] = response.json()
    return found


async def settled(client: Client, url: str, headers: dict[str, str], *, timeout: float = 15.0) -> dict[str, Any]:
    """The request once the worker has finished with it (the relay hands it over asynchronously)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        response = await client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if body["status"] in ("complete", "error", "denied"):
            return body
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"request still {body['status']}: {body['history']}")
        await asyncio.sleep(0.05)


T = TypeVar("T")


async def in_app(client: Client, fn: Callable[[], Awaitable[T]]) -> T:
    """Run `fn` on the app's event loop (where the runtime's pool lives), from a worker thread."""
    result: T = await anyio.to_thread.run_sync(client.blocking_portal.call, fn)
    return result


async def system_read(client: Client, runtime: Runtime, fn: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Read the database as the trusted system (every tenant's rows)."""

    async def run() -> T:
        async with runtime.sessions() as session, session.begin():
            await bind_rls_scope(session, system=True)
            return await fn(session)

    return await in_app(client, run)
