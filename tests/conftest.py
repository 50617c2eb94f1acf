"""Test harness: a fresh PostgreSQL database per session (migrated with alembic), table
truncation between tests, a Redis database number of its own flushed per test, and
app/runtime factories. Unit tests use none of these fixtures and need no services."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from nexuscore.platform.settings import Settings, load_settings

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Every test carries exactly the marker of the folder it lives in, so `-m unit` is exact.
    for item in items:
        for kind in ("unit", "integration", "e2e"):
            if f"{os.sep}tests{os.sep}{kind}{os.sep}" in str(item.fspath) and not item.get_closest_marker(kind):
                item.add_marker(getattr(pytest.mark, kind))


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _admin_execute(admin_url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(_asyncpg_dsn(admin_url))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A new, migrated database for this test session; dropped at the end."""
    from nexuscore.platform.migrations import upgrade_head

    admin_url = os.environ.get("TEST_DATABASE_URL", DEFAULT_ADMIN_URL)
    name = f"nexuscore_test_{os.getpid()}_{secrets.token_hex(3)}"
    asyncio.run(_admin_execute(admin_url, f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(drivername="postgresql+asyncpg", database=name).render_as_string(hide_password=False)
    try:
        upgrade_head(url)
        yield url
    finally:
        asyncio.run(_admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def clean_postgres(postgres_url: str) -> AsyncIterator[str]:
    """Isolates a test: every application table is emptied after it."""
    yield postgres_url
    from nexuscore.platform.database import create_engine
    from nexuscore.platform.models import metadata

    engine = create_engine(postgres_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


@pytest.fixture
async def redis_url() -> AsyncIterator[str]:
    """A Redis database number of the tests' own (TEST_REDIS_URL), flushed before and after."""
    from redis.asyncio import Redis

    url = os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL)
    client = Redis.from_url(url)
    await client.flushdb()
    try:
        yield url
    finally:
        await client.flushdb()
        await client.aclose()


def make_settings(tmp_path: Path, **env: str) -> Settings:
    base = {"ENVIRONMENT": "test", "NEXUSCORE_VAR_DIR": str(tmp_path / "var"), "LOG_LEVEL": "WARNING"}
    base.update(env)
    return load_settings(base, dotenv=None)


@pytest.fixture
def pg_settings(clean_postgres: str, tmp_path: Path) -> Settings:
    return make_settings(tmp_path, DATABASE_URL=clean_postgres, OUTBOX_RELAY_IN_PROCESS="false")


@pytest.fixture
async def pg_runtime(pg_settings: Settings) -> AsyncIterator[Any]:
    """Runtime on the test database with an in-process broker that runs tasks inline."""
    from nexuscore.platform.runtime import build_runtime

    runtime = build_runtime(pg_settings, await_inplace=True)
    await runtime.startup(run_relay=False)
    try:
        yield runtime
    finally:
        await runtime.shutdown()
