"""The inbox ports on each backend: the only place the contract suite names the adapters."""

from __future__ import annotations

from datetime import UTC, datetime

from nexuscore.kernel.clock import FixedClock
from nexuscore.webhooks.adapters.memory.inbox import InMemoryUnitOfWorkFactory
from nexuscore.webhooks.adapters.sql.repositories import SqlUnitOfWorkFactory
from nexuscore.webhooks.ports.repositories import UnitOfWorkFactory
from tests.contract.conftest import Backend

# Microseconds on purpose: PostgreSQL keeps them, and the round trip must be exact.
T0 = datetime(2026, 3, 1, 9, 0, 0, 123456, tzinfo=UTC)
TABLES = ("webhooks_attempt", "webhooks_replay_job", "webhooks_inbox_event")


async def unit_of_work_factory(backend: Backend) -> UnitOfWorkFactory:
    """Each test starts on an empty inbox (it is one global table)."""
    await backend.clear(*TABLES)
    clock = FixedClock(T0)
    if backend.database is None:
        return InMemoryUnitOfWorkFactory()
    return SqlUnitOfWorkFactory(backend.database.sessions, clock)
