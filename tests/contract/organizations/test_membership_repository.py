"""MembershipRepository contract: memberships in joining order, role changes, removal and
the owner and seat counts."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from nexuscore.kernel.ids import new_id
from nexuscore.kernel.paging import PageRequest
from nexuscore.kernel.tenancy import Role
from nexuscore.organizations.domain.model import Membership
from tests.contract.organizations.backends import REFUSED, T0, OrganizationsBackend

MINUTE = timedelta(minutes=1)


async def test_memberships_round_trip_and_list_in_joining_order(organizations: OrganizationsBackend) -> None:
    org = await organizations.add_org()
    other = await organizations.add_org()
    first, second, third = (
        Membership(org.id, new_id(), Role.MEMBER, T0 + 2 * MINUTE),
        Membership(org.id, new_id(), Role.OWNER, T0),
        Membership(org.id, new_id(), Role.VIEWER, T0 + MINUTE),
    )
    async with organizations.uow(org=org.id) as uow:
        for membership in (first, second, third):
            await uow.memberships.add(membership)
        await uow.commit()
    async with organizations.uow(org=other.id) as uow:
        await uow.memberships.add(Membership(other.id, first.user_id, Role.OWNER, T0 - MINUTE))
        await uow.commit()
    async with organizations.uow(org=org.id) as uow:
        assert await uow.memberships.get(org.id, first.user_id) == first
        assert await uow.memberships.get(org.id, new_id()) is None
        assert await uow.memberships.get(new_id(), first.user_id) is None
        assert list(await uow.memberships.list(org.id)) == [second, third, first]
        assert await uow.memberships.list(new_id()) == []


async def test_a_second_membership_of_one_user_is_refused(organizations: OrganizationsBackend) -> None:
    user = new_id()
    org = await organizations.add_org((user, Role.OWNER))
    async with organizations.uow(org=org.id) as uow:
        with pytest.raises(REFUSED):
            await uow.memberships.add(Membership(org.id, user, Role.MEMBER, T0))


async def test_a_membership_of_a_missing_organisation_is_refused(organizations: OrganizationsBackend) -> None:
    missing = new_id()
    async with organizations.uow(org=missing) as uow:
        with pytest.raises(REFUSED):
            await uow.memberships.add(Membership(missing, new_id(), Role.OWNER, T0))


async def test_save_changes_the_role_only(organizations: OrganizationsBackend) -> None:
    user = new_id()
    org = await organizations.add_org((user, Role.MEMBER))
    async with organizations.uow(org=org.id) as uow:
        stored = await uow.memberships.get(org.id, user)
        assert stored is not None
        await uow.memberships.save(dataclasses.replace(stored, role=Role.ADMIN, joined_at=T0 + MINUTE))
        await uow.memberships.save(Membership(org.id, new_id(), Role.OWNER, T0))  # unknown: nothing
        await uow.commit()
    async with organizations.uow(org=org.id) as uow:
        assert await uow.memberships.get(org.id, user) == dataclasses.replace(stored, role=Role.ADMIN)
        assert await uow.memberships.count(org.id) == 1


async def test_remove(organizations: OrganizationsBackend) -> None:
    ann, ben = new_id(), new_id()
    org = await organizations.add_org((ann, Role.OWNER), (ben, Role.MEMBER))
    async with organizations.uow(org=org.id) as uow:
        await uow.memberships.remove(org.id, ben)
        await uow.memberships.remove(org.id, new_id())  # not a member: nothing happens
        await uow.commit()
    async with organizations.uow(org=org.id) as uow:
        assert await uow.memberships.get(org.id, ben) is None
        assert [m.user_id for m in await uow.memberships.list(org.id)] == [ann]


async def test_owner_and_member_counts(organizations: OrganizationsBackend) -> None:
    org = await organizations.add_org(
        (new_id(), Role.OWNER), (new_id(), Role.ADMIN), (new_id(), Role.OWNER), (new_id(), Role.VIEWER)
    )
    other = await organizations.add_org((new_id(), Role.OWNER))
    async with organizations.uow(org=org.id) as uow:
        assert await uow.memberships.count_owners(org.id) == 2
        assert await uow.memberships.count_owners(org.id, lock=True) == 2
        assert await uow.memberships.count(org.id) == 4
        assert await uow.memberships.count_owners(new_id()) == 0
        assert await uow.memberships.count(new_id()) == 0
    async with organizations.uow(org=other.id) as uow:
        assert await uow.memberships.count(other.id) == 1


async def test_page_is_in_joining_order_with_the_total(organizations: OrganizationsBackend) -> None:
    owner, admin, viewer = new_id(), new_id(), new_id()
    org = await organizations.add_org((owner, Role.OWNER), (admin, Role.ADMIN), (viewer, Role.VIEWER))
    async with organizations.uow(org=org.id) as uow:
        first = await uow.memberships.page(org.id, PageRequest(limit=2))
        last = await uow.memberships.page(org.id, PageRequest(limit=2, offset=2))
        none = await uow.memberships.page(new_id(), PageRequest())
    assert [m.user_id for m in first.items] == [owner, admin] and first.total == 3 and first.has_more
    assert [m.user_id for m in last.items] == [viewer] and last.total == 3 and not last.has_more
    assert list(none.items) == [] and none.total == 0
