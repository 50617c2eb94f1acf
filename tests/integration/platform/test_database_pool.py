"""The PostgreSQL pool replaces connections the server closed, without a round trip per checkout."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine.url import make_url

from nexuscore.platform.database import create_engine

pytestmark = pytest.mark.integration


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _backend_pid(engine: object) -> int:
    async with engine.connect() as conn:  # type: ignore[attr-defined]
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def test_a_pooled_connection_the_server_terminated_is_replaced_at_checkout(postgres_url: str) -> None:
    engine = create_engine(postgres_url, pool_size=1)
    admin = await asyncpg.connect(_dsn(postgres_url))
    try:
        first = await _backend_pid(engine)
        assert await _backend_pid(engine) == first  # pooled: the same backend again
        await admin.execute("SELECT pg_terminate_backend($1)", first)
        await asyncio.sleep(0.2)  # the pooled socket sees EOF on the next loop turn

        replacement = await _backend_pid(engine)  # no error reaches the caller

        assert replacement != first
    finally:
        await admin.close()
        await engine.dispose()


async def test_checkout_sends_nothing_to_the_server(postgres_url: str) -> None:
    # pool_pre_ping would send BEGIN, a query and ROLLBACK before every checkout.
    engine = create_engine(postgres_url, pool_size=1)
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    try:
        await _backend_pid(engine)
        statements.clear()
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        assert statements == ["SELECT 1"]
        assert engine.pool._pre_ping is False  # type: ignore[attr-defined]
    finally:
        await engine.dispose()


async def test_prepared_statements_are_planned_for_their_parameters(postgres_url: str) -> None:
    """asyncpg prepares each statement; PostgreSQL would switch it to a generic plan after five
    runs (one that cannot see the parameters: a lead list's owner, tag or tenant)."""
    engine = create_engine(postgres_url, pool_size=1)
    query = text("SELECT count(*) FROM pg_class WHERE relpages > :pages")
    try:
        async with engine.connect() as conn:
            for pages in range(12):
                await conn.execute(query, {"pages": pages})
            generic, custom = (
                await conn.execute(
                    text(
                        "SELECT sum(generic_plans), sum(custom_plans) FROM pg_prepared_statements "
                        "WHERE statement LIKE '%relpages >%' AND statement NOT LIKE '%pg_prepared_statements%'"
                    )
                )
            ).one()
        assert (generic, custom) == (0, 12)
    finally:
        await engine.dispose()
