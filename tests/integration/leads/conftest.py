"""Fixtures of the leads SQL tests: the test database as the application's non-owner role, so
PostgreSQL row-level security applies to everything these tests do."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from nexuscore.platform.database import create_engine, session_maker
from tests.integration.leads.support import Sessions


@pytest.fixture
async def app_engine(app_postgres_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(app_postgres_url, pool_size=6)  # room for the concurrency tests
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def sessions(app_engine: AsyncEngine) -> Sessions:
    return session_maker(app_engine)
