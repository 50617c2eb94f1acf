"""Shared helpers of the leads SQL tests: engines as the application role, units of work, leads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.ids import new_id
from nexuscore.leads.adapters.sql.unit_of_work import SqlLeadsUnitOfWork
from nexuscore.leads.domain.model import Activity, ActivityKind, Lead

# Microseconds on purpose: PostgreSQL keeps them, and the round trip must be exact.
NOW = datetime(2026, 11, 26, 9, 0, 0, 123456, tzinfo=UTC)
TODAY = date(2026, 11, 26)
USER = UUID("01900000-0000-7000-8000-000000000001")

Sessions = async_sessionmaker[AsyncSession]


@asynccontextmanager
async def open_uow(sessions: Sessions, org_id: UUID, at: datetime = NOW) -> AsyncIterator[SqlLeadsUnitOfWork]:
    async with sessions() as session:
        yield SqlLeadsUnitOfWork(session, org_id, FixedClock(at))


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


async def add_leads(sessions: Sessions, org_id: UUID, *leads: Lead) -> None:
    async with open_uow(sessions, org_id) as uow:
        for lead in leads:
            await uow.leads.add(lead)
        await uow.commit()


def new_org() -> UUID:
    return new_id()
