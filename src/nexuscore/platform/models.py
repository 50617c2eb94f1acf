"""Imports every context's tables so metadata is complete (alembic autogenerate, drift test)."""

from __future__ import annotations

from nexuscore.events.adapters.sql import tables as _events_tables  # noqa: F401
from nexuscore.identity.adapters.sql import tables as _identity_tables  # noqa: F401
from nexuscore.leads.adapters.sql import tables as _leads_tables  # noqa: F401
from nexuscore.organizations.adapters.sql import tables as _organizations_tables  # noqa: F401
from nexuscore.platform.database import metadata

__all__ = ["metadata"]
