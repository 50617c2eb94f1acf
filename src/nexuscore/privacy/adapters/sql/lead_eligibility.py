"""A page of leads' marketing standing: one statement, on every lead list and view.

For each lead, its current marketing consent by privacy's records and whether it may be
marketed to today, by the export's rule (every marketing purpose's latest decision given; for
a number, its latest Do Not Call check clear and no older than 21 days). It sits on the hottest
read path of the CRM, so the database ranks and answers in one round trip: the latest record of
each lead and marketing purpose, and the latest check of each number. On PostgreSQL the ids and
numbers travel as two array parameters, so the statement text is the same for any page size
(compiled and prepared once); SQLite has no arrays and gets the portable IN lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    CompoundSelect,
    Date,
    String,
    any_,
    bindparam,
    cast,
    func,
    null,
    select,
    union_all,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.privacy.adapters.sql.lead_marketing import LEADS_NOTICE_VERSION
from nexuscore.privacy.adapters.sql.records_tables import consent_table as _C
from nexuscore.privacy.adapters.sql.records_tables import dnc_table as _D
from nexuscore.privacy.domain.consent import (
    LEAD_MARKETING_PURPOSES,
    ConsentMethod,
    ConsentState,
    Purpose,
    SubjectKind,
    lead_marketing_decision,
)
from nexuscore.privacy.domain.dnc import DncResult, check_valid_on

_MARKETING = [p.value for p in LEAD_MARKETING_PURPOSES]
_PURPOSES = {p.value: p for p in LEAD_MARKETING_PURPOSES}
_METHODS = {m.value: m for m in ConsentMethod}


@dataclass(frozen=True)
class LeadMarketingStanding:
    """A lead's marketing consent by privacy's records (all None when no marketing purpose was
    ever decided) and whether it may be marketed to today."""

    consent_given: bool | None
    consent_at: datetime | None
    consent_source: str | None
    eligible: bool


def _consent_source(notice_version: str, method: ConsentMethod, note: str | None) -> str:
    # The leads context's own statements carry the lead's consent source as their note; other
    # records are named by their method only: their note is consent history, which not every
    # role that sees the lead may read.
    told_through_leads = notice_version == LEADS_NOTICE_VERSION and method in (ConsentMethod.API, ConsentMethod.IMPORT)
    if told_through_leads and note:
        return note
    return f"privacy consent record ({method.value})"


def _statement(*, arrays: bool) -> CompoundSelect[Any]:
    if arrays:
        lead_ids: Any = any_(bindparam("lead_ids", type_=postgresql.ARRAY(postgresql.UUID(as_uuid=True))))
        phones: Any = any_(bindparam("phones", type_=postgresql.ARRAY(String)))
        of_leads, of_phones = _C.c.subject_id == lead_ids, _D.c.phone == phones
    else:
        of_leads = _C.c.subject_id.in_(bindparam("lead_ids", expanding=True))
        of_phones = _D.c.phone.in_(bindparam("phones", expanding=True))
    consent_rank = func.row_number().over(
        partition_by=(_C.c.subject_id, _C.c.purpose),
        order_by=(_C.c.at.desc(), _C.c.recorded_at.desc(), _C.c.id.desc()),
    )
    consents = (
        select(
            _C.c.subject_id,
            _C.c.purpose,
            _C.c.given,
            _C.c.at,
            _C.c.notice_version,
            _C.c.method,
            _C.c.note,
            _C.c.id,
            consent_rank.label("rank"),
        )
        .where(
            _C.c.organization_id == bindparam("org_id"),
            _C.c.subject_kind == SubjectKind.LEAD.value,
            _C.c.purpose.in_(_MARKETING),
            of_leads,
        )
        .subquery()
    )
    check_rank = func.row_number().over(
        partition_by=_D.c.phone, order_by=(_D.c.checked_on.desc(), _D.c.recorded_at.desc(), _D.c.id.desc())
    )
    checks = (
        select(_D.c.phone, _D.c.result, _D.c.checked_on, check_rank.label("rank"))
        .where(_D.c.organization_id == bindparam("org_id"), of_phones)
        .subquery()
    )
    # Typed NULLs in the first branch: a union's columns take their types from it.
    latest_consents = select(
        consents.c.subject_id.label("lead_id"),
        consents.c.purpose,
        consents.c.given,
        consents.c.at,
        consents.c.notice_version,
        consents.c.method,
        consents.c.note,
        consents.c.id.label("record_id"),
        cast(null(), String).label("phone"),
        cast(null(), String).label("result"),
        cast(null(), Date).label("checked_on"),
    ).where(consents.c.rank == 1)
    latest_checks = select(*(null() for _ in range(8)), checks.c.phone, checks.c.result, checks.c.checked_on).where(
        checks.c.rank == 1
    )
    return union_all(latest_consents, latest_checks)


_WITH_ARRAYS = _statement(arrays=True)
_WITH_IN_LISTS = _statement(arrays=False)


async def lead_marketing_standings(
    session: AsyncSession, org_id: UUID, leads: Sequence[tuple[UUID, str | None]], today: date
) -> dict[UUID, LeadMarketingStanding]:
    """For each (lead id, phone): its current marketing consent and whether one may market to
    it today (every marketing purpose given and, for a lead with a phone, its latest DNC check
    clear and valid; a lead without a phone has no number to check: the caller decides what
    else it needs)."""
    if not leads:
        return {}
    arrays = session.get_bind().dialect.name == "postgresql"
    params = {
        "org_id": org_id,
        "lead_ids": list({lead_id for lead_id, _ in leads}),
        "phones": list({phone for _, phone in leads if phone}),
    }
    states: dict[UUID, dict[Purpose, ConsentState]] = {}
    notes: dict[UUID, tuple[str, ConsentMethod, str | None]] = {}  # record id -> what names its source
    clear: set[str] = set()
    for row in await session.execute(_WITH_ARRAYS if arrays else _WITH_IN_LISTS, params):
        lead_id, purpose, given, at, notice_version, method, note, record_id, phone, result, checked_on = row
        if lead_id is None:
            if result == DncResult.CLEAR.value and check_valid_on(checked_on, today):
                clear.add(phone)
            continue
        method = _METHODS[method]
        states.setdefault(lead_id, {})[_PURPOSES[purpose]] = ConsentState(
            _PURPOSES[purpose], given, at, notice_version, method, record_id
        )
        notes[record_id] = (notice_version, method, note)
    standings: dict[UUID, LeadMarketingStanding] = {}
    for lead_id, phone in leads:
        decision = lead_marketing_decision(states.get(lead_id, {}))
        if decision is None:
            standings[lead_id] = LeadMarketingStanding(None, None, None, eligible=False)
            continue
        standings[lead_id] = LeadMarketingStanding(
            consent_given=decision.given,
            consent_at=decision.at,
            consent_source=_consent_source(*notes[decision.record_id]),
            eligible=decision.given and (phone is None or phone in clear),
        )
    return standings


async def marketing_eligible_leads(
    session: AsyncSession, org_id: UUID, leads: Sequence[tuple[UUID, str | None]], today: date
) -> set[UUID]:
    """Of these (lead id, phone) pairs, the leads one may market to today (the rule of
    `lead_marketing_standings`)."""
    standings = await lead_marketing_standings(session, org_id, leads, today)
    return {lead_id for lead_id, standing in standings.items() if standing.eligible}
