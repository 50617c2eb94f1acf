"""RetentionRepository contract: a tenant's schedule overrides, one per category, replaced by
a later put; the platform has none of its own to store."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import pytest

from nexuscore.privacy.domain.retention import RetentionCategory, RetentionRule
from tests.contract.privacy.backends import NOW, REFUSED, USER, PrivacyBackend, new_org

LOST, ARCHIVED = RetentionCategory.LOST_LEADS, RetentionCategory.ARCHIVED_LEADS


def _by_category(rules: Iterable[RetentionRule]) -> dict[RetentionCategory, RetentionRule]:
    # Overrides come in no particular order.
    return {rule.category: rule for rule in rules}


async def test_put_stores_an_override_and_a_later_put_replaces_it(privacy: PrivacyBackend) -> None:
    org, other = new_org(), new_org()
    async with privacy.records_uow(org) as uow:
        assert await uow.retention.overrides() == []
        await uow.retention.put(RetentionRule(LOST, 18, is_default=False, updated_at=NOW, updated_by=USER))
        await uow.retention.put(RetentionRule(ARCHIVED, 6, is_default=False, updated_at=NOW, updated_by=None))
        await uow.commit()
    later = NOW + timedelta(days=1)
    async with privacy.records_uow(org) as uow:
        await uow.retention.put(RetentionRule(LOST, 30, is_default=False, updated_at=later, updated_by=USER))
        await uow.commit()
    async with privacy.records_uow(org) as uow:
        assert _by_category(await uow.retention.overrides()) == {
            LOST: RetentionRule(LOST, 30, is_default=False, updated_at=later, updated_by=USER),
            ARCHIVED: RetentionRule(ARCHIVED, 6, is_default=False, updated_at=NOW, updated_by=None),
        }
    async with privacy.records_uow(other) as uow:
        assert await uow.retention.overrides() == []


async def test_a_stored_override_is_never_the_default(privacy: PrivacyBackend) -> None:
    org = new_org()
    async with privacy.records_uow(org) as uow:
        await uow.retention.put(RetentionRule(LOST, 24, is_default=True, updated_at=NOW, updated_by=USER))
        await uow.commit()
    async with privacy.records_uow(org) as uow:
        [rule] = await uow.retention.overrides()
    assert rule.is_default is False


@pytest.mark.parametrize("months", [0, 121])
async def test_months_out_of_range_are_refused(privacy: PrivacyBackend, months: int) -> None:
    async with privacy.records_uow(new_org()) as uow:
        with pytest.raises(REFUSED):
            await uow.retention.put(RetentionRule(LOST, months, is_default=False, updated_at=NOW))


async def test_the_platform_has_no_schedule_of_its_own(privacy: PrivacyBackend) -> None:
    async with privacy.records_uow(None) as uow:
        with pytest.raises(LookupError):
            _ = uow.retention
