"""Who of a page of leads may be marketed to today: one statement, on every lead list and view.

The rule is the export's (every marketing purpose's latest decision given; for a number, its
latest Do Not Call check clear and no older than 21 days). It sits on the hottest read path of
the CRM, so the database does the ranking and answers in one round trip: the leads whose
purposes are all given, and the latest check of each number. On PostgreSQL the ids and
numbers travel as two array parameters, so the statement text is the same for any page size
(compiled and prepared once); SQLite has no arrays and gets the portable IN lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import CompoundSelect, Date, String, any_, bindparam, cast, func, null, select, union_all
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.privacy.adapters.sql.records_tables import consent_table as _C
from nexuscore.privacy.adapters.sql.records_tables import dnc_table as _D
from nexuscore.privacy.domain.consent import LEAD_MARKETING_PURPOSES, SubjectKind
from nexuscore.privacy.domain.dnc import DncResult, check_valid_on

_MARKETING = [p.value for p in LEAD_MARKETING_PURPOSES]


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
        select(_C.c.subject_id, _C.c.given, consent_rank.label("rank"))
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
    all_given = (
        select(
            consents.c.subject_id.label("lead_id"),
            cast(null(), String).label("phone"),
            cast(null(), String).label("result"),
            cast(null(), Date).label("checked_on"),
        )
        .where(consents.c.rank == 1, consents.c.given.is_(True))
        .group_by(consents.c.subject_id)
        .having(func.count() == len(_MARKETING))
    )
    latest_checks = select(null(), checks.c.phone, checks.c.result, checks.c.checked_on).where(checks.c.rank == 1)
    return union_all(all_given, latest_checks)


_WITH_ARRAYS = _statement(arrays=True)
_WITH_IN_LISTS = _statement(arrays=False)


async def marketing_eligible_leads(
    session: AsyncSession, org_id: UUID, leads: Sequence[tuple[UUID, str | None]], today: date
) -> set[UUID]:
    """Of these (lead id, phone) pairs, the leads one may market to today: every marketing
    purpose given and, for a lead with a phone, its latest DNC check clear and valid (a lead
    without a phone has no number to check: the caller decides what else it needs)."""
    if not leads:
        return set()
    arrays = session.get_bind().dialect.name == "postgresql"
    params = {
        "org_id": org_id,
        "lead_ids": list({lead_id for lead_id, _ in leads}),
        "phones": list({phone for _, phone in leads if phone}),
    }
    given: set[UUID] = set()
    clear: set[str] = set()
    for lead_id, phone, result, checked_on in await session.execute(_WITH_ARRAYS if arrays else _WITH_IN_LISTS, params):
        if lead_id is not None:
            given.add(lead_id)
        elif result == DncResult.CLEAR.value and check_valid_on(checked_on, today):
            clear.add(phone)
    return {lead_id for lead_id, phone in leads if lead_id in given and (phone is None or phone in clear)}
