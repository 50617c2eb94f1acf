"""The one-statement eligibility of a page of leads (every lead list and view asks it) agrees
with the domain's rule (current_states, the latest DNC check, its 21 days) on SQLite and on
PostgreSQL (array parameters there, IN lists on SQLite), under row-level security."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import insert
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from nexuscore.kernel.ids import new_id
from nexuscore.platform.database import bind_rls_scope, create_engine
from nexuscore.platform.migrations import upgrade_head
from nexuscore.privacy.adapters.sql.lead_eligibility import lead_marketing_standings, marketing_eligible_leads
from nexuscore.privacy.adapters.sql.records import consent_values, dnc_values
from nexuscore.privacy.adapters.sql.records_tables import consent_table, dnc_table
from nexuscore.privacy.domain.consent import (
    LEAD_MARKETING_PURPOSES,
    ConsentMethod,
    ConsentRecord,
    Purpose,
    SubjectKind,
    current_states,
    lead_marketing_decision,
)
from nexuscore.privacy.domain.dnc import DncCheck, DncResult, latest_check
from tests.conftest import APP_ROLE

pytestmark = pytest.mark.integration
TODAY = date(2026, 12, 2)
AT = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Engines:
    app: AsyncEngine  # what the request uses (the app role on PostgreSQL: RLS binds)
    owner: AsyncEngine


@pytest.fixture(params=["sqlite", "postgres"])
def database_urls(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """(the request's URL, the owner's URL)."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'e.db'}"
        upgrade_head(url)
        return url, url
    owner_url: str = request.getfixturevalue("clean_postgres")
    return make_url(owner_url).set(username=APP_ROLE, password=None).render_as_string(hide_password=False), owner_url


@pytest.fixture
async def engines(database_urls: tuple[str, str]) -> AsyncIterator[Engines]:
    app_url, owner_url = database_urls
    app, owner = create_engine(app_url, pool_size=1), create_engine(owner_url, pool_size=1)
    try:
        yield Engines(app, owner)
    finally:
        await app.dispose()
        await owner.dispose()


def _consent(
    org: UUID, lead: UUID, purpose: Purpose, given: bool, at: datetime, recorded_at: datetime
) -> ConsentRecord:
    return ConsentRecord(
        subject_kind=SubjectKind.LEAD,
        subject_id=lead,
        organization_id=org,
        purpose=purpose,
        given=given,
        notice_version="v1",
        method=ConsentMethod.API,
        at=at,
        recorded_at=recorded_at,
        recorded_by=None,
    )


def _check(org: UUID, phone: str, result: DncResult, checked_on: date, recorded_at: datetime) -> DncCheck:
    return DncCheck(
        organization_id=org,
        phone=phone,
        result=result,
        checked_on=checked_on,
        recorded_at=recorded_at,
        recorded_by=None,
    )


def _reference(
    leads: list[tuple[UUID, str | None]], consents: list[ConsentRecord], checks: list[DncCheck]
) -> set[UUID]:
    """The rule as the domain states it, record by record."""
    eligible = set()
    for lead_id, phone in leads:
        states = current_states(r for r in consents if r.subject_id == lead_id)
        if not all((s := states.get(p)) is not None and s.given for p in LEAD_MARKETING_PURPOSES):
            continue
        if phone is None:
            eligible.add(lead_id)
            continue
        latest = latest_check(c for c in checks if c.phone == phone)
        if latest is not None and latest.result is DncResult.CLEAR and latest.valid_on(TODAY):
            eligible.add(lead_id)
    return eligible


async def test_eligibility_agrees_with_the_domain_rule(engines: Engines) -> None:
    rng = random.Random(20261203)
    org, other_org = uuid4(), uuid4()
    leads: list[tuple[UUID, str | None]] = [
        (new_id(), None if i % 7 == 0 else f"+659{i % 23:07d}")  # numbers shared by several leads
        for i in range(60)
    ]
    consents: list[ConsentRecord] = []
    checks: list[DncCheck] = []
    for lead_id, _ in leads:
        for purpose in LEAD_MARKETING_PURPOSES:
            for _ in range(rng.choice([0, 1, 1, 2, 3, 3])):  # none, one, or a history of decisions
                at = AT + timedelta(hours=rng.randrange(0, 3))  # ties on `at` are common
                recorded = at + timedelta(minutes=rng.randrange(0, 3))
                consents.append(_consent(org, lead_id, purpose, rng.random() < 0.9, at, recorded))
        # The same lead id in another tenant, all given: must count for nothing here.
        consents += [_consent(other_org, lead_id, p, True, AT + timedelta(days=1), AT) for p in LEAD_MARKETING_PURPOSES]
    # Ties: the same moment entered twice, the later entry wins; a later moment entered
    # earlier wins over an earlier moment entered later.
    entered_later, decided_later = new_id(), new_id()
    leads += [(entered_later, None), (decided_later, None)]
    for purpose in LEAD_MARKETING_PURPOSES:
        consents.append(_consent(org, entered_later, purpose, False, AT, AT + timedelta(minutes=1)))
        consents.append(_consent(org, entered_later, purpose, True, AT, AT + timedelta(minutes=2)))
        consents.append(_consent(org, decided_later, purpose, False, AT + timedelta(hours=1), AT))
        consents.append(_consent(org, decided_later, purpose, True, AT, AT + timedelta(hours=2)))
    for phone in {p for _, p in leads if p}:
        for _ in range(rng.randrange(0, 4)):
            checked_on = TODAY - timedelta(days=rng.choice([0, 5, 21, 22, 40, -1]))  # -1: dated tomorrow
            result = DncResult.CLEAR if rng.random() < 0.75 else DncResult.LISTED
            checks.append(_check(org, phone, result, checked_on, AT + timedelta(minutes=rng.randrange(0, 5))))
        checks.append(_check(other_org, phone, DncResult.CLEAR, TODAY, AT))
    async with engines.owner.begin() as conn:
        await conn.execute(insert(consent_table), [consent_values(r) for r in consents])
        await conn.execute(insert(dnc_table), [dnc_values(c) for c in checks])

    mine = [r for r in consents if r.organization_id == org]
    my_checks = [c for c in checks if c.organization_id == org]
    expected = _reference(leads, mine, my_checks)
    assert entered_later in expected and decided_later not in expected
    assert 3 <= len(expected) <= len(leads) - 3, "the data should give both answers often"
    async with AsyncSession(engines.app) as session, session.begin():
        await bind_rls_scope(session, org_id=org)
        assert await marketing_eligible_leads(session, org, leads, TODAY) == expected
        assert await marketing_eligible_leads(session, org, leads[:1], TODAY) == expected & {leads[0][0]}
        standings = await lead_marketing_standings(session, org, leads, TODAY)
        for lead_id, _ in leads:  # the consent a lead view shows: the domain's decision
            decision = lead_marketing_decision(current_states(r for r in mine if r.subject_id == lead_id))
            shown = standings[lead_id]
            assert (shown.consent_given, shown.consent_at) == (
                (None, None) if decision is None else (decision.given, decision.at)
            )
            assert (shown.consent_source is None) == (decision is None)
            assert shown.eligible == (lead_id in expected)
        assert await marketing_eligible_leads(session, org, [], TODAY) == set()
        # Another tenant's page: its own all-given records, its own clear checks of today.
        await bind_rls_scope(session, org_id=other_org)
        everyone = {lead_id for lead_id, _ in leads} - {entered_later, decided_later}  # none recorded there
        assert await marketing_eligible_leads(session, other_org, leads, TODAY) == everyone
