"""The shared metadata with every context's tables on it (alembic autogenerate, drift test)."""

from __future__ import annotations

# Each context's module.py imports its table modules, so importing the list completes the metadata.
from nexuscore.bootstrap import modules as _modules  # noqa: F401
from nexuscore.platform import idempotency as _idempotency  # noqa: F401  (the platform's own table)
from nexuscore.platform.database import metadata

__all__ = ["metadata"]
