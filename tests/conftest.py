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
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

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


APP_ROLE = "nexuscore_app"


def _grant_app_role_sql() -> str:
    # The application's role: may read and write, owns nothing, bypasses no row-level security.
    return f"""
    DO $$ BEGIN
        CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object THEN NULL;
    END $$;
    GRANT USAGE ON SCHEMA public TO {APP_ROLE};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE};
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE};
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {APP_ROLE};
    """


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A new, migrated database for this test session (owner URL); dropped at the end."""
    from nexuscore.platform.migrations import upgrade_head

    admin_url = os.environ.get("TEST_DATABASE_URL", DEFAULT_ADMIN_URL)
    name = f"nexuscore_test_{os.getpid()}_{secrets.token_hex(3)}"
    asyncio.run(_admin_execute(admin_url, f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(drivername="postgresql+asyncpg", database=name).render_as_string(hide_password=False)
    try:
        upgrade_head(url)
        asyncio.run(_admin_execute(url, _grant_app_role_sql()))
        yield url
    finally:
        asyncio.run(_admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def clean_postgres(postgres_url: str) -> AsyncIterator[str]:
    """Isolates a test: every application table is emptied after it."""
    yield postgres_url
    await truncate_all(postgres_url)


async def truncate_all(postgres_url: str) -> None:
    """Empties every application table of the test database."""
    from nexuscore.bootstrap.models import metadata
    from nexuscore.platform.database import create_engine

    engine = create_engine(postgres_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            # An app torn down mid-request (a test that failed, a task cancelled at shutdown) can
            # leave a connection idle in a transaction, holding locks TRUNCATE would wait on for
            # ever. The test is over: end such sessions, and never wait on a lock without bound.
            await conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'"
                )
            )
            await conn.execute(text("SET LOCAL lock_timeout = '30s'"))
            tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


@pytest.fixture
def app_postgres_url(clean_postgres: str) -> str:
    """The same test database as the application's non-owner role: row-level security binds it."""
    return make_url(clean_postgres).set(username=APP_ROLE, password=None).render_as_string(hide_password=False)


@pytest.fixture
async def app_sessions(app_postgres_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions as the application opens them (its role, its engine settings) on that database."""
    from nexuscore.platform.database import create_engine, session_maker

    engine = create_engine(app_postgres_url, pool_size=2)
    try:
        yield session_maker(engine)
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
def pg_settings(app_postgres_url: str, tmp_path: Path) -> Settings:
    return make_settings(tmp_path, DATABASE_URL=app_postgres_url, OUTBOX_RELAY_IN_PROCESS="false")


@pytest.fixture
async def pg_runtime(pg_settings: Settings) -> AsyncIterator[Any]:
    """Runtime on the test database with an in-process broker that runs tasks inline."""
    from nexuscore.bootstrap.runtime import build_runtime

    runtime = build_runtime(pg_settings, await_inplace=True)
    await runtime.startup(run_relay=False)
    try:
        yield runtime
    finally:
        await runtime.shutdown()
