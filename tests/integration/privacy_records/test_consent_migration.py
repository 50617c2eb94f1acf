"""Migration 0016 copies the leads' existing consent flags and DNC results into privacy
records, so upgrading keeps every lead's marketing eligibility as it was."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import uuid4

import pytest
from alembic import command
from sqlalchemy import insert, select

from nexuscore.kernel.ids import new_id
from nexuscore.leads.adapters.sql.rows import lead_values
from nexuscore.leads.adapters.sql.tables import lead_table
from nexuscore.leads.domain.model import DncStatus, Lead, LeadSource, MarketingConsent
from nexuscore.platform.database import create_engine
from nexuscore.platform.migrations import alembic_config
from nexuscore.privacy.adapters.sql.lead_eligibility import marketing_eligible_leads
from nexuscore.privacy.adapters.sql.records_tables import consent_table, dnc_table

pytestmark = pytest.mark.integration
AT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
TODAY = date(2026, 12, 2)
# The revision before privacy's tables (0016's own parent, whatever the lead re-chains it to).
BEFORE = "0016-1"


def _lead(org: object, name: str, phone: str | None, **fields: object) -> Lead:
    user = uuid4()
    return Lead(
        organization_id=org,  # type: ignore[arg-type]
        first_name=name,
        last_name="Tan",
        created_by=user,
        created_at=AT,
        updated_by=user,
        updated_at=AT,
        email=f"{name.lower()}@tan.sg",
        phone=phone,
        id=new_id(),
        **fields,  # type: ignore[arg-type]
    )


async def test_lead_flags_become_records(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    config = alembic_config(url)
    await asyncio.to_thread(command.upgrade, config, BEFORE)
    org = uuid4()
    yes = MarketingConsent(True, AT, "website form")
    eligible = _lead(
        org, "Ok", "+6591234567", marketing_consent=yes, dnc_status=DncStatus.CLEAR, dnc_checked_at=date(2026, 11, 25)
    )
    refused = _lead(
        org, "No", "+6591234568", marketing_consent=MarketingConsent(False, AT, "import"), source=LeadSource.IMPORT
    )
    listed = _lead(
        org,
        "Listed",
        "+6591234569",
        marketing_consent=yes,
        dnc_status=DncStatus.LISTED,
        dnc_checked_at=date(2026, 11, 25),
    )
    silent = _lead(org, "Silent", None)
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(lead_table), [lead_values(x) for x in (eligible, refused, listed, silent)])
    finally:
        await engine.dispose()

    await asyncio.to_thread(command.upgrade, config, "head")

    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            records = (await conn.execute(select(consent_table))).mappings().all()
            checks = (await conn.execute(select(dnc_table))).mappings().all()
        from sqlalchemy.ext.asyncio import AsyncSession

        async with AsyncSession(engine) as session:
            allowed = await marketing_eligible_leads(
                session, org, [(x.id, x.phone) for x in (eligible, refused, listed, silent)], TODAY
            )
    finally:
        await engine.dispose()
    by_lead = {(r["subject_id"], r["purpose"]): r for r in records}
    assert len(records) == 9  # three marketing purposes for each lead that had a flag
    assert {p for (lead, p) in by_lead if lead == eligible.id} == {"marketing_email", "marketing_sms", "marketing_call"}
    first = by_lead[(eligible.id, "marketing_email")]
    assert (first["given"], first["method"], first["note"], first["notice_version"]) == (
        True,
        "api",
        "website form",
        "unrecorded",
    )
    assert first["at"] == AT and first["organization_id"] == org and first["subject_kind"] == "lead"
    assert (
        by_lead[(refused.id, "marketing_sms")]["given"] is False
        and by_lead[(refused.id, "marketing_sms")]["method"] == "import"
    )
    assert sorted((c["phone"], c["result"]) for c in checks) == [("+6591234567", "clear"), ("+6591234569", "listed")]
    assert allowed == {eligible.id}
