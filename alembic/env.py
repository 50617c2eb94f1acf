"""Alembic environment: async engine, every context's tables, one linear history.

The URL comes from `sqlalchemy.url` when a caller set it (tests, the CLI), else from
DATABASE_URL through the application settings.
"""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from nexuscore.bootstrap.models import metadata
from nexuscore.platform.database import create_engine
from nexuscore.platform.migrations import compare_column_type

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from nexuscore.platform.settings import load_settings

    return load_settings().database_url


def _configure(connection: Connection | None = None, url: str | None = None) -> None:
    context.configure(
        connection=connection,
        url=url,
        target_metadata=metadata,
        compare_type=compare_column_type,
        compare_server_default=True,
        render_as_batch=True,  # SQLite needs batch mode to alter tables
        literal_binds=connection is None,
    )


def run_migrations_offline() -> None:
    _configure(url=database_url())
    with context.begin_transaction():
        context.run_migrations()


def _run_sync(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    engine = create_engine(database_url())
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_sync)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
elif (existing := config.attributes.get("connection")) is not None:
    _run_sync(existing)
else:
    asyncio.run(run_migrations_online())
