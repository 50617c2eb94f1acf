"""The app on PostgreSQL with a controlled clock and the inline broker: consent, DNC,
retention and breach routes move through time without sleeping."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import anyio
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update

from nexuscore.bootstrap.app import create_app
from nexuscore.bootstrap.runtime import Runtime, build_runtime
from nexuscore.identity.adapters.sql.tables import UserRow
from nexuscore.kernel.clock import FixedClock
from nexuscore.platform.settings import Settings
from tests.conftest import make_settings
from tests.e2e.conftest import Inbox, auth, bearer, join_org, signed_in, verified_user

# 10:00 in Singapore, near the real date (tokens and mails are stamped by this clock).
NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
T = TypeVar("T")
Client = AsyncTestClient[Litestar]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def identity_settings(app_postgres_url: str, tmp_path: Path) -> Settings:
    return make_settings(
        tmp_path,
        DATABASE_URL=app_postgres_url,
        OUTBOX_RELAY_IN_PROCESS="true",
        OUTBOX_POLL_SECONDS="0.05",
        MAIL_BACKEND="file",
        APP_BASE_URL="https://app.example.sg",
    )


@pytest.fixture
def runtime(identity_settings: Settings, clock: FixedClock) -> Runtime:
    return build_runtime(identity_settings, clock=clock, await_inplace=True)


@pytest.fixture
async def client(runtime: Runtime) -> AsyncIterator[Client]:
    async with AsyncTestClient(create_app(runtime=runtime)) as c:
        yield c


async def in_app(client: Client, fn: Callable[[], Awaitable[T]]) -> T:
    """Run `fn` on the app's event loop, where the runtime's connection pool lives."""
    result: T = await anyio.to_thread.run_sync(client.blocking_portal.call, fn)
    return result


async def run_task(client: Client, runtime: Runtime, name: str) -> Any:
    async def kick() -> Any:
        task = runtime.broker.find_task(name)
        assert task is not None
        handle = await task.kiq()
        result = await handle.wait_result()
        assert not result.is_err, result.error
        return result.return_value

    return await in_app(client, kick)


async def make_staff(client: Client, runtime: Runtime, user_id: str) -> None:
    async def promote() -> None:
        async with runtime.sessions() as session:
            await session.execute(update(UserRow).where(UserRow.id == UUID(user_id)).values(is_staff=True))
            await session.commit()

    await in_app(client, promote)


async def new_org(client: Client, owner: dict[str, str], name: str = "Kopi Tiam Pte Ltd") -> str:
    response = await client.post("/api/v1/orgs", json={"name": name}, headers=auth(owner))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def tenant_with_roles(client: Client, inbox: Inbox, prefix: str) -> dict[str, Any]:
    """An organisation with an owner, an admin, a member and a viewer (each signed in)."""
    owner = await verified_user(client, inbox, f"{prefix}-owner@kopi.sg")
    oid = await new_org(client, owner)
    people: dict[str, Any] = {"oid": oid, "owner": owner}
    owner["email"] = f"{prefix}-owner@kopi.sg"
    for role in ("admin", "member", "viewer"):
        email = f"{prefix}-{role}@kopi.sg"
        people[role] = await join_org(client, inbox, oid, owner, email, role) | {"email": email}
    return people


async def refreshed(client: Client, user: dict[str, str]) -> dict[str, str]:
    """The user signed in again (after the clock moved past their access token's expiry)."""
    tokens = await signed_in(client, user["email"])
    return {**user, **bearer(tokens["accessToken"])}
