"""Run alembic programmatically: the CLI's `migrate`/`makemigrations` and the test harness."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advanced_alchemy.types import GUID
from alembic import command
from alembic.config import Config

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def alembic_config(database_url: str) -> Config:
    ini = PROJECT_ROOT / "alembic.ini"
    cfg = Config(str(ini))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    cfg.attributes["configure_logging"] = False
    return cfg


def upgrade_head(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "head")


def make_migration(database_url: str, message: str) -> None:
    command.revision(alembic_config(database_url), message=message, autogenerate=True)


def compare_column_type(
    context: Any, inspected_column: Any, metadata_column: Any, inspected_type: Any, metadata_type: Any
) -> bool | None:
    """Alembic type comparison that knows SQLite reflects GUID's BINARY(16) as NUMERIC.

    Returns False (no change) for that false positive and None (alembic decides) otherwise.
    """
    if context.dialect.name == "sqlite" and isinstance(metadata_type, GUID):
        return False
    return None
