"""The leads SQL adapter on SQLite (the embedded default): the same repositories, one flow."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from nexuscore.kernel.money import Money
from nexuscore.kernel.paging import PageRequest
from nexuscore.leads.domain.model import (
    ActivityKind,
    DncStatus,
    DuplicateLead,
    Engagement,
    LeadImport,
    MarketingConsent,
)
from nexuscore.leads.ports.repositories import ExportFilter, LeadFilter, LeadSort, LeadSortField
from nexuscore.platform.database import create_engine, session_maker
from nexuscore.platform.migrations import upgrade_head
from tests.integration.leads.support import NOW, TODAY, USER, Sessions, make_activity, make_lead, new_org, open_uow

pytestmark = pytest.mark.integration


@pytest.fixture
async def sqlite_sessions(tmp_path: Path) -> AsyncIterator[Sessions]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'leads.db'}"
    await asyncio.to_thread(upgrade_head, url)  # alembic's env runs its own event loop
    engine = create_engine(url)
    try:
        yield session_maker(engine)
    finally:
        await engine.dispose()


async def test_leads_flow_on_sqlite(sqlite_sessions: Sessions) -> None:
    org = new_org()
    consent = MarketingConsent(True, NOW, "form")
    ann = make_lead(
        org,
        "Ann",
        "Tan",
        email="ann@x.sg",
        tags=["vip", "sg"],
        estimated_value=Money(500),
        marketing_consent=consent,
        dnc_status=DncStatus.CLEAR,
        dnc_checked_at=TODAY,
    )
    ben = make_lead(org, "Ben", "Lim", phone="+6591234567", company="100% Natural", tags=["sg"])
    async with open_uow(sqlite_sessions, org) as uow:
        await uow.leads.add(ann)
        await uow.leads.add_many([ben])
        await uow.activities.add(make_activity(ann, ActivityKind.MEETING, NOW))
        job = LeadImport(organization_id=org, created_by=USER, created_at=NOW, filename="a.csv", total_rows=1)
        await uow.imports.add(job, "first_name\nX\n")
        assert await uow.advance_round_robin(2) == 0
        await uow.commit()

    async with open_uow(sqlite_sessions, org) as uow:
        assert await uow.leads.get(ann.id) == ann
        assert await uow.imports.get(job.id) == job
        assert await uow.advance_round_robin(1) == 2
        assert await uow.activities.engagement(ann.id) == Engagement(1, 1, NOW)
        vip = await uow.leads.search(LeadFilter(tag="vip"), LeadSort(), PageRequest())
        assert [x.id for x in vip.items] == [ann.id]
        assert [x.id for x in (await uow.leads.search(LeadFilter(text="%"), LeadSort(), PageRequest())).items] == [
            ben.id
        ]
        by_value = await uow.leads.search(LeadFilter(), LeadSort(LeadSortField.ESTIMATED_VALUE, False), PageRequest())
        assert [x.id for x in by_value.items] == [ann.id, ben.id]  # NULL last when ascending, as on PostgreSQL
        marketing = [x.id async for x in uow.leads.stream(ExportFilter(marketing_only=True, today=TODAY))]
        assert marketing == [ann.id]
        later = TODAY + timedelta(days=22)
        assert [x async for x in uow.leads.stream(ExportFilter(marketing_only=True, today=later))] == []
        assert await uow.leads.existing_contacts(["ann@x.sg"], ["+6591234567"]) == {
            "ann@x.sg": ann.id,
            "+6591234567": ben.id,
        }

    # A duplicate neither commits nor loses the use case's earlier writes (no early-committing
    # savepoint on SQLite), and a clashing batch leaves no row behind.
    async with open_uow(sqlite_sessions, org) as uow:
        cara = make_lead(org, "Cara", "Ng", email="cara@x.sg")
        await uow.leads.add(cara)
        with pytest.raises(DuplicateLead) as caught:
            await uow.leads.add(make_lead(org, "Dup", "Ann", email="ann@x.sg"))
        assert caught.value.existing_id == ann.id
        with pytest.raises(DuplicateLead):
            await uow.leads.add_many(
                [make_lead(org, "New", "One", email="new@x.sg"), make_lead(org, "Dup", "Ben", phone="+6591234567")]
            )
        assert await uow.leads.count_active() == 3  # ann, ben, cara: nothing of the batch
        await uow.session.rollback()
    async with open_uow(sqlite_sessions, org) as uow:
        assert await uow.leads.count_active() == 2
        assert await uow.leads.get(cara.id) is None
        assert (
            await uow.leads.search(LeadFilter(follow_up_before=date(2030, 1, 1)), LeadSort(), PageRequest())
        ).total == 0
