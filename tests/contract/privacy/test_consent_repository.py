"""ConsentRepository contract: every record of a subject, oldest decision first, within the
unit of work's scope (a tenant's leads, or the platform's users); the current state per
purpose is derived from them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nexuscore.kernel.ids import new_id
from nexuscore.privacy.domain.consent import ConsentMethod, Purpose, SubjectKind, current_states, may_use
from tests.contract.privacy.backends import NOW, REFUSED, USER, PrivacyBackend, consent, new_org


async def test_records_round_trip_oldest_decision_first(privacy: PrivacyBackend) -> None:
    org, lead = new_org(), new_id()
    withdrawn = consent(org, lead, Purpose.MARKETING_EMAIL, given=False, at=NOW - timedelta(days=1))
    verbal = consent(
        org, lead, Purpose.MARKETING_CALL, at=NOW - timedelta(days=3), method=ConsentMethod.VERBAL, note="call #12"
    )
    # Same decision time: the one entered first comes first, then by id.
    tie_late = consent(org, lead, Purpose.ANALYTICS, at=NOW - timedelta(days=2), recorded_at=NOW)
    tie_early = consent(org, lead, Purpose.ANALYTICS, at=NOW - timedelta(days=2), recorded_at=NOW - timedelta(hours=1))
    async with privacy.records_uow(org) as uow:
        for record in (withdrawn, tie_late, verbal, tie_early):
            await uow.consents.add(record)
        await uow.commit()
    async with privacy.records_uow(org) as uow:
        assert await uow.consents.for_subject(SubjectKind.LEAD, lead) == [verbal, tie_early, tie_late, withdrawn]
        assert await uow.consents.for_subject(SubjectKind.LEAD, new_id()) == []
        assert await uow.consents.for_subject(SubjectKind.USER, lead) == []


async def test_the_current_state_is_each_purposes_latest_decision(privacy: PrivacyBackend) -> None:
    org, lead = new_org(), new_id()
    history = [
        consent(org, lead, Purpose.MARKETING_EMAIL, at=NOW - timedelta(days=30), notice_version="2025-06"),
        consent(org, lead, Purpose.MARKETING_EMAIL, at=NOW - timedelta(days=10), notice_version="2026-01"),
        consent(org, lead, Purpose.MARKETING_SMS, at=NOW - timedelta(days=20)),
        consent(org, lead, Purpose.MARKETING_SMS, given=False, at=NOW - timedelta(days=5)),
    ]
    async with privacy.records_uow(org) as uow:
        for record in reversed(history):  # the order of entry is not the order of decision
            await uow.consents.add(record)
        await uow.commit()
    async with privacy.records_uow(org) as uow:
        records = await uow.consents.for_subject(SubjectKind.LEAD, lead)
    states = current_states(records)
    assert list(states) == [Purpose.MARKETING_EMAIL, Purpose.MARKETING_SMS]
    assert (states[Purpose.MARKETING_EMAIL].notice_version, states[Purpose.MARKETING_EMAIL].given) == ("2026-01", True)
    assert states[Purpose.MARKETING_SMS].record_id == history[3].id
    assert may_use(records, Purpose.MARKETING_EMAIL)
    assert not may_use(records, Purpose.MARKETING_SMS)  # withdrawn
    assert not may_use(records, Purpose.ANALYTICS)  # never asked


async def test_another_organisation_and_the_platform_do_not_see_a_tenants_records(privacy: PrivacyBackend) -> None:
    org, other, subject = new_org(), new_org(), new_id()
    async with privacy.records_uow(org) as uow:
        await uow.consents.add(consent(org, subject, Purpose.ANALYTICS))
        await uow.commit()
    user_record = consent(None, subject, Purpose.ANALYTICS, given=False)
    async with privacy.records_uow(None) as uow:
        await uow.consents.add(user_record)
        await uow.commit()
    async with privacy.records_uow(other) as uow:
        assert await uow.consents.for_subject(SubjectKind.LEAD, subject) == []
    async with privacy.records_uow(None) as uow:
        assert await uow.consents.for_subject(SubjectKind.LEAD, subject) == []
        assert await uow.consents.for_subject(SubjectKind.USER, subject) == [user_record]
    async with privacy.records_uow(org) as uow:
        assert await uow.consents.for_subject(SubjectKind.USER, subject) == []
        assert len(await uow.consents.for_subject(SubjectKind.LEAD, subject)) == 1


async def test_a_record_of_another_scope_is_refused(privacy: PrivacyBackend) -> None:
    org = new_org()
    async with privacy.records_uow(org) as uow:
        with pytest.raises(ValueError, match="scope"):
            await uow.consents.add(consent(new_org(), new_id(), Purpose.ANALYTICS))
        with pytest.raises(ValueError, match="scope"):
            await uow.consents.add(consent(None, new_id(), Purpose.ANALYTICS))


async def test_a_leads_record_without_an_organisation_is_refused(privacy: PrivacyBackend) -> None:
    lead_without_tenant = consent(None, new_id(), Purpose.ANALYTICS, subject_kind=SubjectKind.LEAD)
    async with privacy.records_uow(None) as uow:
        with pytest.raises(REFUSED):
            await uow.consents.add(lead_without_tenant)


async def test_a_verbal_record_keeps_who_recorded_it(privacy: PrivacyBackend) -> None:
    user = new_id()
    record = consent(None, user, Purpose.MARKETING_CALL, method=ConsentMethod.VERBAL, recorded_by=USER, note="desk")
    async with privacy.records_uow(None) as uow:
        await uow.consents.add(record)
        await uow.commit()
    async with privacy.records_uow(None) as uow:
        [found] = await uow.consents.for_subject(SubjectKind.USER, user)
    assert (found.method, found.recorded_by, found.note) == (ConsentMethod.VERBAL, USER, "desk")


async def test_a_taken_id_is_refused(privacy: PrivacyBackend) -> None:
    org = new_org()
    record = consent(org, new_id(), Purpose.ANALYTICS)
    async with privacy.records_uow(org) as uow:
        await uow.consents.add(record)
        await uow.commit()
    async with privacy.records_uow(org) as uow:
        with pytest.raises(REFUSED):
            await uow.consents.add(record)
