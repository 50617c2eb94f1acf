"""Migrations: `upgrade head` on an empty database, and no drift between models and migrations."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from nexuscore.bootstrap.models import metadata
from nexuscore.platform.database import create_engine
from nexuscore.platform.migrations import alembic_config, compare_column_type, upgrade_head

pytestmark = pytest.mark.integration


def _diff(connection: Any) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": compare_column_type, "compare_server_default": True, "render_as_batch": True}
    )
    return list(compare_metadata(context, metadata))


async def _assert_no_drift(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(_diff)
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"
    assert {t.name for t in metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_history_is_one_linear_chain() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite+aiosqlite://"))
    heads = script.get_heads()
    assert len(heads) == 1, f"more than one head: {heads}"
    revisions = list(script.walk_revisions())
    assert all(len(r._all_down_revisions) <= 1 for r in revisions), "merge revisions are not allowed"


async def test_postgres_upgrade_head_matches_models(postgres_url: str) -> None:
    # The session fixture ran `alembic upgrade head` on a newly created, empty database.
    await _assert_no_drift(postgres_url)


async def test_postgres_indexes_include_the_columns_the_models_include(postgres_url: str) -> None:
    """Alembic's comparison does not look at INCLUDE: a covering index that lost its included
    columns would still pass the drift check, and its filter would fetch every row again."""
    covering = {
        index.name: list(index.dialect_options["postgresql"]["include"])
        for table in metadata.sorted_tables
        for index in table.indexes
        if index.dialect_options["postgresql"]["include"]
    }
    assert covering, "no model declares a covering index"
    engine = create_engine(postgres_url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT i.relname, array_agg(a.attname ORDER BY k.n) FROM pg_index x "
                    "JOIN pg_class i ON i.oid = x.indexrelid "
                    "CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n) "
                    "JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum "
                    "WHERE i.relname = ANY(:names) AND k.n > x.indnkeyatts GROUP BY i.relname"
                ),
                {"names": list(covering)},
            )
            included = {name: list(columns) for name, columns in rows}
    finally:
        await engine.dispose()
    assert included == covering


async def test_sqlite_upgrade_head_matches_models(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'migrated.db'}"
    await asyncio.to_thread(upgrade_head, url)  # alembic's env runs its own event loop
    await _assert_no_drift(url)
