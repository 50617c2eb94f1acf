"""DncRepository contract: a tenant's Do Not Call checks, newest check date first, and the
latest check per number (what the 21-day validity of the leads export reads)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from nexuscore.kernel.paging import PageRequest
from nexuscore.privacy.domain.dnc import DncResult, may_call
from tests.contract.privacy.backends import NOW, REFUSED, PrivacyBackend, dnc_check, new_org

A, B, C = "+6591000001", "+6591000002", "+6591000003"
DAY = date(2026, 11, 26)
ALL = PageRequest(limit=50, offset=0)


async def test_history_is_newest_check_first_per_number_or_all_and_pages(privacy: PrivacyBackend) -> None:
    org = new_org()
    old = dnc_check(org, A, DncResult.CLEAR, DAY - timedelta(days=30))
    new = dnc_check(org, A, DncResult.LISTED, DAY)
    other = dnc_check(org, B, DncResult.CLEAR, DAY - timedelta(days=3))
    # Same check date: the one entered later is newer.
    same_day_late = dnc_check(org, B, DncResult.LISTED, DAY - timedelta(days=3), recorded_at=NOW + timedelta(hours=1))
    async with privacy.records_uow(org) as uow:
        for check in (old, same_day_late, new, other):
            await uow.dnc.add(check)
        await uow.commit()
    async with privacy.records_uow(org) as uow:
        assert (await uow.dnc.history(A, ALL)).items == [new, old]
        page = await uow.dnc.history(None, ALL)
        assert (page.items, page.total) == ([new, same_day_late, other, old], 4)
        second = await uow.dnc.history(None, PageRequest(limit=2, offset=2))
        assert (second.items, second.total, second.limit, second.offset) == ([other, old], 4, 2, 2)
        assert (await uow.dnc.history(C, ALL)).total == 0


async def test_latest_is_the_most_recent_check_of_each_number_asked(privacy: PrivacyBackend) -> None:
    org = new_org()
    checks = [
        dnc_check(org, A, DncResult.LISTED, DAY - timedelta(days=40)),
        dnc_check(org, A, DncResult.CLEAR, DAY - timedelta(days=2)),
        dnc_check(org, B, DncResult.CLEAR, DAY - timedelta(days=1)),
        dnc_check(org, B, DncResult.LISTED, DAY - timedelta(days=1), recorded_at=NOW + timedelta(minutes=1)),
    ]
    async with privacy.records_uow(org) as uow:
        for check in checks:
            await uow.dnc.add(check)
        await uow.commit()
    async with privacy.records_uow(org) as uow:
        assert await uow.dnc.latest([A, B, C, A]) == {A: checks[1], B: checks[3]}
        assert await uow.dnc.latest([]) == {}
        assert may_call((await uow.dnc.history(A, ALL)).items, DAY)
        assert not may_call((await uow.dnc.history(B, ALL)).items, DAY)


async def test_another_organisations_checks_are_not_seen(privacy: PrivacyBackend) -> None:
    org, other = new_org(), new_org()
    async with privacy.records_uow(org) as uow:
        await uow.dnc.add(dnc_check(org, A, DncResult.CLEAR, DAY))
        await uow.commit()
    async with privacy.records_uow(other) as uow:
        assert await uow.dnc.latest([A]) == {}
        assert (await uow.dnc.history(None, ALL)).total == 0
        with pytest.raises(ValueError, match="organisation"):
            await uow.dnc.add(dnc_check(org, A, DncResult.CLEAR, DAY))


async def test_the_platform_has_no_dnc_checks(privacy: PrivacyBackend) -> None:
    async with privacy.records_uow(None) as uow:
        with pytest.raises(LookupError):
            _ = uow.dnc


async def test_a_taken_id_is_refused(privacy: PrivacyBackend) -> None:
    org = new_org()
    check = dnc_check(org, A, DncResult.CLEAR, DAY)
    async with privacy.records_uow(org) as uow:
        await uow.dnc.add(check)
        await uow.commit()
    async with privacy.records_uow(org) as uow:
        with pytest.raises(REFUSED):
            await uow.dnc.add(check)
