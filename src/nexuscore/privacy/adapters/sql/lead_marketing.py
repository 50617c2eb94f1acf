"""What the leads context asks of privacy, on the caller's session (same transaction):

- `record_lead_marketing`: the consent and DNC result a lead was given through the leads API
  or an import become privacy records (the leads row keeps its copy for display); recorded
  only when newer than what privacy holds, so a withdrawal made here is never undone by a
  later edit of some other field of the lead.
- `marketing_consented_leads` / `dnc_clear_phones`: SQL the leads export filters on, so a
  withdrawal committed here leaves the very next export.
- `lead_marketing_standings` / `marketing_eligible_leads` (lead_eligibility.py): the same rule
  on a page of leads, in one statement (every lead list and view asks it; the export's second
  check): lead views show privacy's decision, not the lead row's copy of the last one it was told.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.events.api import sql_event_recorder
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.ids import new_id
from nexuscore.privacy.adapters.sql.records import (
    consent_from_row,
    consent_values,
    dnc_values,
)
from nexuscore.privacy.adapters.sql.records_tables import consent_table, dnc_table
from nexuscore.privacy.application.records import consent_changed
from nexuscore.privacy.domain.consent import (
    LEAD_MARKETING_PURPOSES,
    ConsentMethod,
    ConsentRecord,
    Purpose,
    SubjectKind,
    current_states,
)
from nexuscore.privacy.domain.dnc import DNC_CHECK_VALIDITY_DAYS, DncCheck, DncResult

_C = consent_table
_D = dnc_table
_MARKETING = [p.value for p in LEAD_MARKETING_PURPOSES]
# The leads context records no notice version with its consent flag: said so, not invented.
LEADS_NOTICE_VERSION = "unrecorded"


@dataclass(frozen=True)
class LeadMarketingFacts:
    """A lead's consent flag and DNC result as the leads context holds them."""

    lead_id: UUID
    phone: str | None
    consent_given: bool | None
    consent_at: datetime | None
    consent_source: str | None
    dnc_status: str  # unchecked | clear | listed
    dnc_checked_on: date | None
    actor_id: UUID | None
    imported: bool = False


async def _lead_records(session: AsyncSession, org_id: UUID, lead_ids: list[UUID]) -> dict[UUID, list[ConsentRecord]]:
    held: dict[UUID, list[ConsentRecord]] = {}
    if not lead_ids:
        return held
    stmt = select(_C).where(
        _C.c.organization_id == org_id,
        _C.c.subject_kind == SubjectKind.LEAD.value,
        _C.c.subject_id.in_(lead_ids),
        _C.c.purpose.in_(_MARKETING),
    )
    for row in (await session.execute(stmt)).all():
        held.setdefault(row.subject_id, []).append(consent_from_row(row))
    return held


async def record_lead_marketing(
    session: AsyncSession, org_id: UUID, facts: Sequence[LeadMarketingFacts], clock: Clock
) -> None:
    now = clock.now()
    with_consent = [f for f in facts if f.consent_given is not None and f.consent_at is not None]
    held = await _lead_records(session, org_id, [f.lead_id for f in with_consent])
    records: list[ConsentRecord] = []
    for fact in with_consent:
        assert fact.consent_given is not None and fact.consent_at is not None
        states = current_states(held.get(fact.lead_id, []))
        for purpose in LEAD_MARKETING_PURPOSES:
            state = states.get(purpose)
            if state is not None and state.at >= fact.consent_at:
                continue  # privacy holds this decision or a newer one
            records.append(
                ConsentRecord(
                    subject_kind=SubjectKind.LEAD,
                    subject_id=fact.lead_id,
                    organization_id=org_id,
                    purpose=purpose,
                    given=fact.consent_given,
                    notice_version=LEADS_NOTICE_VERSION,
                    method=ConsentMethod.IMPORT if fact.imported else ConsentMethod.API,
                    at=fact.consent_at,
                    recorded_at=now,
                    recorded_by=fact.actor_id,
                    note=fact.consent_source,
                )
            )
    if records:
        await session.execute(insert(_C), [consent_values(r) for r in records])
        await sql_event_recorder(session, clock).append(*(consent_changed(r, r.recorded_by) for r in records))

    checked = [
        f
        for f in facts
        if f.phone and f.dnc_checked_on is not None and f.dnc_status in (DncResult.CLEAR, DncResult.LISTED)
    ]
    if not checked:
        return
    stmt = select(_D.c.phone, _D.c.checked_on, _D.c.result).where(
        _D.c.organization_id == org_id, _D.c.phone.in_(list({f.phone for f in checked}))
    )
    known = {(r.phone, r.checked_on, r.result) for r in (await session.execute(stmt)).all()}
    checks: list[DncCheck] = []
    for fact in checked:
        assert fact.phone is not None and fact.dnc_checked_on is not None
        key = (fact.phone, fact.dnc_checked_on, fact.dnc_status)
        if key in known:
            continue
        known.add(key)
        checks.append(
            DncCheck(
                organization_id=org_id,
                phone=fact.phone,
                result=DncResult(fact.dnc_status),
                checked_on=fact.dnc_checked_on,
                recorded_at=now,
                recorded_by=fact.actor_id,
            )
        )
    if checks:
        await session.execute(insert(_D), [dnc_values(c) for c in checks])


async def merge_lead_consents(
    session: AsyncSession, org_id: UUID, *, from_lead: UUID, into_lead: UUID, actor_id: UUID | None, clock: Clock
) -> int:
    """A merged duplicate's consent history becomes the survivor's too: copies keyed to the
    survivor, each decision at its own time, so the survivor's state is the latest decision the
    person made on either record (a withdrawal given on the duplicate is not lost with it).
    privacy.consent_changed for each copy that becomes the survivor's current decision."""
    held = await _lead_records(session, org_id, [from_lead, into_lead])
    copies = [
        # The same decisions, so the same notes (a lead view shows a leads-made note as the
        # consent's source); the merge itself is on record as lead.merged and an activity.
        replace(record, id=new_id(), subject_id=into_lead)
        for record in held.get(from_lead, [])
    ]
    if not copies:
        return 0
    await session.execute(insert(_C), [consent_values(r) for r in copies])
    current = {state.record_id for state in current_states([*held.get(into_lead, []), *copies]).values()}
    changed = [r for r in copies if r.id in current]
    if changed:
        await sql_event_recorder(session, clock).append(*(consent_changed(r, actor_id) for r in changed))
    return len(copies)


def marketing_consented_leads(org_id: UUID) -> Select[Any]:
    """Ids of the tenant's leads whose latest decision is "given" for every marketing purpose."""
    rank = func.row_number().over(
        partition_by=(_C.c.subject_id, _C.c.purpose),
        order_by=(_C.c.at.desc(), _C.c.recorded_at.desc(), _C.c.id.desc()),
    )
    ranked = (
        select(_C.c.subject_id, _C.c.given, rank.label("rank"))
        .where(
            _C.c.organization_id == org_id,
            _C.c.subject_kind == SubjectKind.LEAD.value,
            _C.c.purpose.in_(_MARKETING),
        )
        .subquery()
    )
    return (
        select(ranked.c.subject_id)
        .where(ranked.c.rank == 1, ranked.c.given.is_(True))
        .group_by(ranked.c.subject_id)
        .having(func.count() == len(_MARKETING))
    )


def dnc_clear_phones(org_id: UUID, today: date) -> Select[Any]:
    """Numbers whose latest check is clear and no older than 21 days on `today`."""
    rank = func.row_number().over(
        partition_by=_D.c.phone, order_by=(_D.c.checked_on.desc(), _D.c.recorded_at.desc(), _D.c.id.desc())
    )
    ranked = (
        select(_D.c.phone, _D.c.result, _D.c.checked_on, rank.label("rank"))
        .where(_D.c.organization_id == org_id, _D.c.checked_on <= today)
        .subquery()
    )
    return select(ranked.c.phone).where(
        ranked.c.rank == 1,
        ranked.c.result == DncResult.CLEAR.value,
        ranked.c.checked_on >= today - timedelta(days=DNC_CHECK_VALIDITY_DAYS),
    )


__all__ = [
    "LEADS_NOTICE_VERSION",
    "LeadMarketingFacts",
    "Purpose",
    "dnc_clear_phones",
    "marketing_consented_leads",
    "merge_lead_consents",
    "record_lead_marketing",
]
