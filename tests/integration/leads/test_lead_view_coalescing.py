"""lead.viewed coalescing on PostgreSQL as the application role (RLS on): concurrent first
views of a lead by one member on one day record one event; another tenant's views are apart."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from uuid import UUID

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from nexuscore.events.adapters.sql.tables import DomainEventRow
from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.leads.adapters.entitlements import DefaultLeadEntitlements
from nexuscore.leads.application import leads
from nexuscore.leads.application.services import LeadsServices
from nexuscore.platform.database import bind_rls_scope, create_engine, session_maker
from tests.integration.leads.support import NOW, USER, Sessions, add_leads, make_lead, new_org, open_uow

pytestmark = pytest.mark.integration
VIEWS = 6


@pytest.fixture
async def engine(app_postgres_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(app_postgres_url, pool_size=VIEWS)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _view(sessions: Sessions, org_id: UUID, lead_id: UUID) -> None:
    async with open_uow(sessions, org_id) as uow:
        services = LeadsServices(FixedClock(NOW), DefaultLeadEntitlements(None))
        await leads.get_lead(uow, services, tenant=TenantContext(org_id, USER, Role.MEMBER), lead_id=lead_id)


async def _views(sessions: Sessions) -> list[tuple[UUID | None, str | None]]:
    async with sessions() as session, session.begin():
        await bind_rls_scope(session, system=True)
        rows = await session.execute(
            select(DomainEventRow.organization_id, DomainEventRow.subject).where(DomainEventRow.type == "lead.viewed")
        )
        return [tuple(r) for r in rows.all()]  # type: ignore[misc]


async def test_concurrent_first_views_record_one(engine: AsyncEngine) -> None:
    sessions = session_maker(engine)
    org, other_org = new_org(), new_org()
    ann, twin = make_lead(org), make_lead(other_org)
    await add_leads(sessions, org, ann)
    await add_leads(sessions, other_org, twin)
    await asyncio.gather(*(_view(sessions, org, ann.id) for _ in range(VIEWS)))
    await _view(sessions, other_org, twin.id)
    assert sorted(map(str, await _views(sessions))) == sorted(
        map(str, [(org, f"lead:{ann.id}"), (other_org, f"lead:{twin.id}")])
    )
    async with sessions() as session, session.begin():
        await bind_rls_scope(session, org_id=org)
        mine = await session.scalar(
            select(func.count()).select_from(DomainEventRow).where(DomainEventRow.type == "lead.viewed")
        )
    assert mine == 1  # the tenant's scope sees its own view only
