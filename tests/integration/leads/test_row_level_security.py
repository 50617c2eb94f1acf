"""PostgreSQL row-level security on the leads tables, as the application's non-owner role."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import Table, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.paging import PageRequest
from nexuscore.leads.adapters.sql.tables import activity_table, import_table, lead_table, round_robin_table
from nexuscore.leads.adapters.sql.unit_of_work import SqlLeadsUnitOfWork
from nexuscore.leads.domain.model import ActivityKind, Lead, LeadImport
from nexuscore.leads.ports.repositories import ExportFilter, LeadFilter, LeadSort
from nexuscore.platform.database import bind_rls_scope
from tests.integration.leads.support import (
    NOW,
    USER,
    Sessions,
    add_leads,
    make_activity,
    make_lead,
    new_org,
    open_uow,
)

pytestmark = pytest.mark.integration
TABLES = (lead_table, activity_table, import_table, round_robin_table)


async def _make_tenant(sessions: Sessions, name: str) -> tuple[UUID, Lead, LeadImport]:
    org = new_org()
    lead = make_lead(org, name, "Lead", email=f"{name.lower()}@x.sg", phone="+6591234567", tags=["shared"])
    job = LeadImport(organization_id=org, created_by=USER, created_at=NOW, filename=f"{name}.csv", total_rows=1)
    async with open_uow(sessions, org) as uow:
        await uow.leads.add(lead)
        await uow.activities.add(make_activity(lead, ActivityKind.MEETING, NOW))
        await uow.imports.add(job, "first_name\nX\n")
        await uow.advance_round_robin(1)
        await uow.commit()
    return org, lead, job


async def _table_counts(uow: SqlLeadsUnitOfWork) -> list[int]:
    # No organization_id filter here: only row-level security decides what is visible.
    return [int(await uow.session.scalar(select(func.count()).select_from(t)) or 0) for t in TABLES]


async def test_the_leads_tables_have_rls_enabled_and_the_app_role_owns_none(app_engine: AsyncEngine) -> None:
    async with app_engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT c.relname, c.relrowsecurity, pg_get_userbyid(c.relowner) = current_user "
                    "FROM pg_class c WHERE c.relname LIKE 'leads\\_%' AND c.relkind = 'r' ORDER BY c.relname"
                )
            )
        ).all()
    assert [tuple(row) for row in rows] == [(t.name, True, False) for t in sorted(TABLES, key=lambda t: t.name)]


async def test_a_tenant_sees_none_of_another_tenants_rows(sessions: Sessions) -> None:
    a, lead_a, job_a = await _make_tenant(sessions, "Alpha")
    _b, lead_b, job_b = await _make_tenant(sessions, "Beta")
    async with open_uow(sessions, a) as uow:
        assert await _table_counts(uow) == [1, 1, 1, 1]
        assert await uow.leads.get(lead_b.id) is None
        assert await uow.leads.get_many([lead_a.id, lead_b.id]) == [lead_a]
        page = await uow.leads.search(LeadFilter(tag="shared"), LeadSort(), PageRequest())
        assert ([x.id for x in page.items], page.total) == ([lead_a.id], 1)
        assert [x.id async for x in uow.leads.stream(ExportFilter())] == [lead_a.id]
        assert await uow.leads.find_duplicate(email="beta@x.sg", phone=None) is None
        assert await uow.leads.existing_contacts(["beta@x.sg"], []) == {}
        assert (await uow.activities.list_for_lead(lead_b.id, PageRequest())).total == 0
        assert (await uow.activities.engagement(lead_b.id)).interactions == 0
        assert await uow.activities.move(lead_b.id, lead_a.id) == 0
        assert await uow.imports.get(job_b.id) is None
        assert await uow.imports.csv_text(job_b.id) is None
        assert await uow.imports.get(job_a.id) == job_a


async def test_without_a_tenant_the_app_role_sees_no_rows(sessions: Sessions) -> None:
    await _make_tenant(sessions, "Alpha")
    async with sessions() as session:
        counts = [int(await session.scalar(select(func.count()).select_from(t)) or 0) for t in TABLES]
    assert counts == [0, 0, 0, 0]


async def test_the_unit_of_work_binds_its_tenant_inside_a_running_transaction(sessions: Sessions) -> None:
    a, lead_a, _ = await _make_tenant(sessions, "Alpha")
    async with sessions() as session:
        await session.execute(text("SELECT 1"))  # a transaction already open, no tenant bound
        uow = SqlLeadsUnitOfWork(session, a, FixedClock(NOW))
        assert await uow.leads.get(lead_a.id) == lead_a
        assert await _table_counts(uow) == [1, 1, 1, 1]


def _row_for(table: Table, org: UUID, lead_id: UUID) -> dict[str, Any]:
    if table is lead_table:
        return {
            "id": new_id(),
            "organization_id": org,
            "first_name": "Forged",
            "last_name": "Lead",
            "source": "other",
            "status": "new",
            "tags": [],
            "score": 0,
            "score_reasons": [],
            "dnc_status": "unchecked",
            "created_by": USER,
            "created_at": NOW,
            "updated_by": USER,
            "updated_at": NOW,
        }
    if table is activity_table:
        return {
            "id": new_id(),
            "organization_id": org,
            "lead_id": lead_id,
            "kind": "note",
            "occurred_at": NOW,
            "created_at": NOW,
            "body": "",
            "details": {},
        }
    if table is import_table:
        return {
            "id": new_id(),
            "organization_id": org,
            "created_by": USER,
            "created_at": NOW,
            "filename": "x.csv",
            "total_rows": 0,
            "status": "pending",
            "processed_rows": 0,
            "created_count": 0,
            "duplicate_count": 0,
            "error_count": 0,
            "errors": [],
            "csv_text": "",
        }
    return {"organization_id": org, "counter": 0}


@pytest.mark.parametrize("table", TABLES, ids=[t.name for t in TABLES])
async def test_a_write_carrying_another_tenants_id_is_refused(sessions: Sessions, table: Table) -> None:
    a, _, _ = await _make_tenant(sessions, "Alpha")
    b, lead_b, _ = await _make_tenant(sessions, "Beta")
    b2 = new_org()  # a tenant with no rows yet (the round-robin row of B exists already)
    async with open_uow(sessions, a) as uow:
        await uow.leads.count_active()  # the transaction is open with A's scope
        row = _row_for(table, b2 if table is round_robin_table else b, lead_b.id)
        with pytest.raises(DBAPIError, match="row-level security"):
            await uow.session.execute(insert(table).values(**row))
    async with open_uow(sessions, a) as uow:
        # An update aimed at B's rows from A's scope touches nothing.
        result = await uow.session.execute(
            update(table).where(table.c.organization_id == b).values(organization_id=table.c.organization_id)
        )
        assert result.rowcount == 0  # type: ignore[attr-defined]


async def test_system_scope_sees_every_tenant(sessions: Sessions) -> None:
    await _make_tenant(sessions, "Alpha")
    await _make_tenant(sessions, "Beta")
    async with sessions() as session:
        await bind_rls_scope(session, system=True)
        counts = [int(await session.scalar(select(func.count()).select_from(t)) or 0) for t in TABLES]
    assert counts == [2, 2, 2, 2]


# ---- q and tag through the tenant view (0008); 0007's SECURITY DEFINER functions dropped (0016) ----

SEARCH_FUNCTIONS = ("leads_search_ids", "leads_tagged_ids")


async def test_q_and_tag_lists_serve_the_bound_tenant_only(sessions: Sessions) -> None:
    a, lead_a, _ = await _make_tenant(sessions, "Alpha")
    b, lead_b, _ = await _make_tenant(sessions, "Beta")
    archived = make_lead(a, "Archived", "Lead", email="gone@x.sg", tags=["shared"], archived_at=NOW)
    await add_leads(sessions, a, archived)
    every_lead, shared = LeadFilter(text="lead x.sg"), LeadFilter(text="LEAD", tag="shared")
    for org, lead in ((a, lead_a), (b, lead_b)):
        async with open_uow(sessions, org) as uow:
            # Both tenants' leads match the words and the tag: each sees its own only.
            for lead_filter in (every_lead, shared):
                page = await uow.leads.search(lead_filter, LeadSort(), PageRequest())
                assert ([x.id for x in page.items], page.total) == ([lead.id], 1)
                assert [x.id async for x in uow.leads.stream(ExportFilter(lead_filter))] == [lead.id]


async def test_the_unused_owner_rights_search_functions_are_gone(app_engine: AsyncEngine) -> None:
    """Migration 0014 dropped 0007's SECURITY DEFINER functions (no statement called them since
    0008's view): no entry point with the owner's rights is left for the application role."""
    async with app_engine.connect() as conn:
        found = (
            await conn.scalars(
                text("SELECT proname FROM pg_proc WHERE proname = ANY(:names)"), {"names": list(SEARCH_FUNCTIONS)}
            )
        ).all()
    assert found == []


# ---- the tenant view of migration 0008 (read with its owner's rights: it walls itself) --------


async def _view_ids(session: AsyncSession) -> set[UUID]:
    # Read directly, with no repository filter: only the view's own wall decides.
    return set((await session.scalars(text("SELECT id FROM leads_lead_tenant"))).all())


async def test_the_tenant_view_shows_the_bound_tenants_active_leads_only(sessions: Sessions) -> None:
    a, lead_a, _ = await _make_tenant(sessions, "Alpha")
    b, lead_b, _ = await _make_tenant(sessions, "Beta")
    await add_leads(sessions, a, make_lead(a, "Archived", "Lead", email="gone@x.sg", archived_at=NOW))
    for org, lead in ((a, lead_a), (b, lead_b)):
        async with open_uow(sessions, org) as uow:
            await uow.session.execute(text("SELECT 1"))  # the transaction and its scope are open
            assert await _view_ids(uow.session) == {lead.id}


@pytest.mark.parametrize("scope", ["none", "user", "system", "blank org"])
async def test_the_tenant_view_shows_nothing_without_a_bound_tenant(sessions: Sessions, scope: str) -> None:
    await _make_tenant(sessions, "Alpha")
    async with sessions() as session:
        if scope == "user":
            await bind_rls_scope(session, user_id=USER)
        elif scope == "system":
            await bind_rls_scope(session, system=True)
        elif scope == "blank org":
            await session.execute(text("SELECT set_config('app.current_org', '', true)"))
        assert await _view_ids(session) == set()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE leads_lead_tenant SET organization_id = :other",
        "DELETE FROM leads_lead_tenant",
        "INSERT INTO leads_lead_tenant (id) VALUES (:other)",
    ],
)
async def test_the_app_role_cannot_write_through_the_tenant_view(sessions: Sessions, statement: str) -> None:
    a, _, _ = await _make_tenant(sessions, "Alpha")
    async with open_uow(sessions, a) as uow:
        await uow.session.execute(text("SELECT 1"))
        with pytest.raises(DBAPIError, match=r"cannot (update|delete from|insert into) view"):
            await uow.session.execute(text(statement), {"other": new_id()})


async def test_the_tenant_view_has_the_columns_of_the_table(app_engine: AsyncEngine) -> None:
    """It was created with `l.*`: a migration changing leads_lead's columns must recreate it."""
    query = text(
        "SELECT attname FROM pg_attribute WHERE attrelid = CAST(:rel AS regclass) AND attnum > 0 "
        "AND NOT attisdropped ORDER BY attnum"
    )
    async with app_engine.connect() as conn:
        table = (await conn.scalars(query, {"rel": "leads_lead"})).all()
        view = (await conn.scalars(query, {"rel": "leads_lead_tenant"})).all()
    assert view == table == [c.name for c in lead_table.c]
