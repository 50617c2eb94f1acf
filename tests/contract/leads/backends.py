"""The leads unit of work of one tenant on each backend: the only place the contract suites
name the adapters, so a moved module is one import to fix."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.ids import new_id
from nexuscore.leads.adapters.memory.store import InMemoryLeadsUnitOfWork, IntegrityViolation, LeadsState
from nexuscore.leads.adapters.sql.unit_of_work import SqlLeadsUnitOfWork
from nexuscore.leads.domain.model import Activity, ActivityKind, Lead
from nexuscore.leads.ports.repositories import LeadsUnitOfWork
from tests.contract.conftest import Backend

# Microseconds on purpose: PostgreSQL keeps them, and the round trip must be exact.
NOW = datetime(2026, 11, 26, 9, 0, 0, 123456, tzinfo=UTC)
TODAY = date(2026, 11, 26)
USER = UUID("01900000-0000-7000-8000-000000000001")

# What a store refuses that is a bug in the caller, not a domain error (a taken id, a missing lead).
REFUSED = (IntegrityError, IntegrityViolation)


class LeadsBackend:
    """Opens units of work of any tenant over one backend's shared, committed state."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.clock = FixedClock(NOW)
        self._state = LeadsState()

    @asynccontextmanager
    async def uow(self, org_id: UUID) -> AsyncIterator[LeadsUnitOfWork]:
        """A unit of work; whatever it has not committed is discarded when the block ends."""
        database = self.backend.database
        if database is None:
            yield InMemoryLeadsUnitOfWork(self._state, org_id, self.clock)
            return
        async with database.sessions() as session:
            yield SqlLeadsUnitOfWork(session, org_id, self.clock)

    async def add(self, org_id: UUID, *leads: Lead) -> None:
        async with self.uow(org_id) as uow:
            await uow.leads.add_many(leads)
            await uow.commit()


def make_lead(org_id: UUID, first_name: str = "Ann", last_name: str = "Tan", **fields: Any) -> Lead:
    values: dict[str, Any] = {
        "created_by": USER,
        "created_at": NOW,
        "updated_by": USER,
        "updated_at": NOW,
        **fields,
    }
    return Lead(organization_id=org_id, first_name=first_name, last_name=last_name, **values)


def make_activity(lead: Lead, kind: ActivityKind, at: datetime, **fields: Any) -> Activity:
    values: dict[str, Any] = {"created_by": USER, "created_at": at, **fields}
    return Activity(organization_id=lead.organization_id, lead_id=lead.id, kind=kind, occurred_at=at, **values)


def new_org() -> UUID:
    return new_id()
