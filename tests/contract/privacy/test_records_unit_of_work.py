"""The records' unit of work contract: the scope it is bound to, and that only committed work
is kept (a unit of work goes on after a commit)."""

from __future__ import annotations

from datetime import date

from nexuscore.kernel.ids import new_id
from nexuscore.kernel.paging import PageRequest
from nexuscore.privacy.domain.consent import Purpose, SubjectKind
from nexuscore.privacy.domain.dnc import DncResult
from tests.contract.privacy.backends import PrivacyBackend, breach, consent, dnc_check, new_org


async def test_the_unit_of_work_names_its_scope(privacy: PrivacyBackend) -> None:
    org = new_org()
    async with privacy.records_uow(org) as uow:
        assert uow.organization_id == org
    async with privacy.records_uow(None) as uow:
        assert uow.organization_id is None


async def test_work_not_committed_is_discarded(privacy: PrivacyBackend) -> None:
    org, lead = new_org(), new_id()
    async with privacy.records_uow(org) as uow:
        await uow.consents.add(consent(org, lead, Purpose.ANALYTICS))
        await uow.dnc.add(dnc_check(org, "+6591000001", DncResult.CLEAR, date(2026, 11, 26)))
        await uow.breaches.add(breach(org))
    async with privacy.records_uow(org) as uow:
        assert await uow.consents.for_subject(SubjectKind.LEAD, lead) == []
        assert (await uow.dnc.history(None, PageRequest())).total == 0
        assert await uow.breaches.all() == []


async def test_commit_keeps_the_work_and_the_unit_of_work_goes_on(privacy: PrivacyBackend) -> None:
    org, lead = new_org(), new_id()
    first, second = consent(org, lead, Purpose.ANALYTICS), consent(org, lead, Purpose.MARKETING_SMS)
    async with privacy.records_uow(org) as uow:
        await uow.consents.add(first)
        await uow.commit()
        await uow.consents.add(second)  # a second transaction on the same unit of work
        await uow.commit()
    async with privacy.records_uow(org) as uow:
        assert {r.id for r in await uow.consents.for_subject(SubjectKind.LEAD, lead)} == {first.id, second.id}
