"""Repository contract suites: each port's one suite runs against the in-memory fake, SQLite
and PostgreSQL (`backend`). SQL is the reference: a fake that answers otherwise fails here.

Fast by design: one migrated SQLite file and the session's PostgreSQL database (as the
application's non-owner role, so row-level security binds) serve every test; each test works
in organisations and users of its own (fresh ids), and the few tests that read a global table
(the outbox, the purge queue) clear it first. When the package is done the PostgreSQL tables
are emptied, as `clean_postgres` leaves them for the tests that follow.

Markers: the memory runs are `unit` (no services), the SQL runs `integration`.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from nexuscore.platform.database import create_engine, session_maker
from nexuscore.platform.migrations import upgrade_head
from tests.conftest import APP_ROLE

MEMORY, SQLITE, POSTGRES = "memory", "sqlite", "postgres"
_KINDS = ("unit", "integration", "e2e")


@dataclass(frozen=True)
class Database:
    """A migrated database: sessions as the application sees it, and an owner engine to clear tables."""

    kind: str  # SQLITE | POSTGRES
    sessions: async_sessionmaker[AsyncSession]
    owner: AsyncEngine

    async def clear(self, *tables: str) -> None:
        """Empty global tables a test reads whole (as the owner: row-level security aside)."""
        async with self.owner.begin() as conn:
            for table in tables:
                await conn.execute(text(f'DELETE FROM "{table}"'))


@dataclass(frozen=True)
class Backend:
    name: str  # MEMORY | SQLITE | POSTGRES
    database: Database | None  # None for the in-memory fakes

    @property
    def is_memory(self) -> bool:
        return self.database is None

    async def clear(self, *tables: str) -> None:
        if self.database is not None:
            await self.database.clear(*tables)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The contract folder has no marker of its own: each run takes its backend's (memory: unit,
    # SQL: integration). A test here without exactly one would escape `-m unit` / `-m integration`.
    here = f"{os.sep}tests{os.sep}contract{os.sep}"
    for item in items:
        if here in str(item.fspath):
            kinds = [k for k in _KINDS if item.get_closest_marker(k)]
            if len(kinds) != 1:
                raise pytest.UsageError(f"{item.nodeid}: a contract test runs on `backend` (markers {kinds})")


@pytest.fixture(scope="session")
async def contract_sqlite(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Database]:
    path: Path = tmp_path_factory.mktemp("contract") / "contract.db"
    url = f"sqlite+aiosqlite:///{path}"
    await asyncio.to_thread(upgrade_head, url)  # alembic's env runs its own event loop
    engine = create_engine(url)
    try:
        yield Database(SQLITE, session_maker(engine), engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="package")
async def contract_postgres(postgres_url: str) -> AsyncIterator[Database]:
    app_url = make_url(postgres_url).set(username=APP_ROLE, password=None).render_as_string(hide_password=False)
    app = create_engine(app_url, pool_size=2)
    owner = create_engine(postgres_url, pool_size=1)
    try:
        yield Database(POSTGRES, session_maker(app), owner)
    finally:
        await app.dispose()
        async with owner.begin() as conn:
            tables = (
                await conn.scalars(
                    text(
                        "SELECT quote_ident(tablename) FROM pg_tables "
                        "WHERE schemaname = current_schema() AND tablename <> 'alembic_version'"
                    )
                )
            ).all()
            await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        await owner.dispose()


@pytest.fixture(
    params=[
        pytest.param(MEMORY, marks=pytest.mark.unit),
        pytest.param(SQLITE, marks=pytest.mark.integration),
        pytest.param(POSTGRES, marks=pytest.mark.integration),
    ]
)
def backend(request: pytest.FixtureRequest) -> Backend:
    """The backend a contract test runs on; databases are opened only when a SQL run needs one."""
    name: str = request.param
    if name == MEMORY:
        return Backend(name, None)
    database: Database = request.getfixturevalue(f"contract_{name}")
    return Backend(name, database)
