"""BreachRepository contract: a scope's register (a tenant's, or the platform's), saved
changes that keep who created the entry and when, and the register's order (overdue first)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from nexuscore.kernel.ids import new_id
from nexuscore.privacy.domain.breaches import DataCategory, register_order
from tests.contract.privacy.backends import NOW, REFUSED, PrivacyBackend, breach, new_org


async def test_a_breach_round_trips_and_the_register_is_the_scopes_only(privacy: PrivacyBackend) -> None:
    org, other = new_org(), new_org()
    tenant = breach(org, assessed_at=NOW - timedelta(days=1), pdpc_notified_at=NOW, individuals_notified_at=NOW)
    platform = breach(None, categories=(DataCategory.CREDENTIALS,), affected_count=900)
    async with privacy.records_uow(org) as uow:
        await uow.breaches.add(tenant)
        await uow.commit()
    async with privacy.records_uow(None) as uow:
        await uow.breaches.add(platform)
        await uow.commit()
    async with privacy.records_uow(org) as uow:
        assert await uow.breaches.get(tenant.id) == tenant
        assert await uow.breaches.all() == [tenant]
        assert await uow.breaches.get(platform.id) is None
    async with privacy.records_uow(None) as uow:
        assert await uow.breaches.get(platform.id) == platform
        assert tenant.id not in [b.id for b in await uow.breaches.all()]
    async with privacy.records_uow(other) as uow:
        assert await uow.breaches.get(tenant.id) is None
        assert await uow.breaches.all() == []


async def test_all_is_in_id_order(privacy: PrivacyBackend) -> None:
    org = new_org()
    entries = [breach(org, description=f"breach {n}") for n in range(3)]
    async with privacy.records_uow(org) as uow:
        for entry in reversed(entries):
            await uow.breaches.add(entry)
        await uow.commit()
    async with privacy.records_uow(org) as uow:
        assert await uow.breaches.all() == sorted(entries, key=lambda b: b.id)


async def test_save_changes_the_entry_but_not_who_created_it_or_when(privacy: PrivacyBackend) -> None:
    org = new_org()
    entry = breach(org)
    async with privacy.records_uow(org) as uow:
        await uow.breaches.add(entry)
        await uow.commit()
    changed = replace(
        entry,
        description="Two laptops.",
        affected_count=600,
        categories=(DataCategory.FINANCIAL,),
        significant_harm=True,
        assessed_at=NOW,
        pdpc_notified_at=NOW + timedelta(days=1),
        updated_at=NOW + timedelta(days=1),
        created_at=NOW + timedelta(days=9),
        created_by=new_id(),
    )
    async with privacy.records_uow(org) as uow:
        await uow.breaches.save(changed)
        await uow.commit()
    async with privacy.records_uow(org) as uow:
        assert await uow.breaches.get(entry.id) == replace(
            changed, created_at=entry.created_at, created_by=entry.created_by
        )


async def test_save_does_not_reach_another_scopes_entry(privacy: PrivacyBackend) -> None:
    org, other = new_org(), new_org()
    entry = breach(org)
    async with privacy.records_uow(org) as uow:
        await uow.breaches.add(entry)
        await uow.commit()
    async with privacy.records_uow(other) as uow:
        await uow.breaches.save(replace(entry, organization_id=other, description="taken over"))
        await uow.breaches.save(breach(other))  # not in the register: nothing to change
        await uow.commit()
        assert await uow.breaches.all() == []
    async with privacy.records_uow(org) as uow:
        assert await uow.breaches.get(entry.id) == entry


async def test_a_breach_of_another_scope_or_a_negative_count_is_refused(privacy: PrivacyBackend) -> None:
    org = new_org()
    async with privacy.records_uow(org) as uow:
        with pytest.raises(ValueError, match="scope"):
            await uow.breaches.add(breach(None))
    async with privacy.records_uow(org) as uow:
        with pytest.raises(REFUSED):
            await uow.breaches.add(breach(org, affected_count=-1))


async def test_the_register_reads_overdue_first(privacy: PrivacyBackend) -> None:
    org = new_org()
    # Notifiable (>= 500 people) and assessed: the PDPC is due 3 calendar days after assessment.
    overdue = breach(org, affected_count=800, assessed_at=NOW - timedelta(days=6))
    longest_overdue = breach(org, affected_count=800, assessed_at=NOW - timedelta(days=9))
    due_soon = breach(org, affected_count=800, assessed_at=NOW - timedelta(days=1))
    notified = breach(org, affected_count=800, assessed_at=NOW - timedelta(days=9), pdpc_notified_at=NOW)
    minor_old = breach(org, discovered_at=NOW - timedelta(days=30))
    minor_new = breach(org, discovered_at=NOW - timedelta(days=1))
    async with privacy.records_uow(org) as uow:
        for entry in (minor_old, due_soon, notified, overdue, minor_new, longest_overdue):
            await uow.breaches.add(entry)
        await uow.commit()
    async with privacy.records_uow(org) as uow:
        register = sorted(await uow.breaches.all(), key=lambda b: register_order(b, NOW))
    assert [b.id for b in register[:3]] == [longest_overdue.id, overdue.id, due_soon.id]
    assert [b.id for b in register[3:]] == [minor_new.id, notified.id, minor_old.id]  # newest discovered first


async def test_a_taken_id_is_refused(privacy: PrivacyBackend) -> None:
    entry = breach(None)
    async with privacy.records_uow(None) as uow:
        await uow.breaches.add(entry)
        await uow.commit()
    async with privacy.records_uow(None) as uow:
        with pytest.raises(REFUSED):
            await uow.breaches.add(entry)
