"""LeadsUnitOfWork contract: the tenant it is bound to, the round-robin counter, and that
only committed work is kept."""

from __future__ import annotations

import pytest

from nexuscore.leads.domain.model import ActivityKind
from tests.contract.leads.backends import LeadsBackend, make_activity, make_lead, new_org


async def test_the_unit_of_work_names_its_tenant(leads: LeadsBackend) -> None:
    org = new_org()
    async with leads.uow(org) as uow:
        assert uow.org_id == org


async def test_the_round_robin_counter_returns_its_value_before_the_steps(leads: LeadsBackend) -> None:
    org, other = new_org(), new_org()
    async with leads.uow(org) as uow:
        assert await uow.advance_round_robin(0) == 0
        assert await uow.advance_round_robin(2) == 0
        assert await uow.advance_round_robin(1) == 2
        await uow.commit()
    async with leads.uow(org) as uow:
        assert await uow.advance_round_robin(0) == 3
        assert await uow.advance_round_robin(5) == 3
        # Not committed: the next unit of work counts from 3 again.
    async with leads.uow(org) as uow:
        assert await uow.advance_round_robin(1) == 3
    async with leads.uow(other) as uow:
        assert await uow.advance_round_robin(1) == 0  # each tenant counts on its own


async def test_the_round_robin_counter_refuses_negative_steps(leads: LeadsBackend) -> None:
    async with leads.uow(new_org()) as uow:
        with pytest.raises(ValueError, match="steps"):
            await uow.advance_round_robin(-1)


async def test_commit_keeps_all_of_the_work_and_the_unit_of_work_goes_on(leads: LeadsBackend) -> None:
    org = new_org()
    first, second = make_lead(org, "First"), make_lead(org, "Second")
    async with leads.uow(org) as uow:
        await uow.leads.add(first)
        await uow.activities.add(make_activity(first, ActivityKind.NOTE, first.created_at))
        await uow.commit()
        await uow.leads.add(second)  # a second transaction on the same unit of work
        await uow.commit()
    async with leads.uow(org) as uow:
        assert [x.id for x in await uow.leads.get_many([first.id, second.id])] == [first.id, second.id]
        assert (await uow.activities.engagement(first.id)).interactions == 1
