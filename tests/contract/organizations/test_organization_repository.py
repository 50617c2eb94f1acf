"""OrganizationRepository contract: round trips, a user's organisations with roles, the purge
queue and the purge itself."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from nexuscore.kernel.ids import new_id
from nexuscore.kernel.paging import PageRequest
from nexuscore.kernel.tenancy import Role
from nexuscore.organizations.domain.model import Address, Membership
from tests.contract.organizations.backends import (
    REFUSED,
    T0,
    OrganizationsBackend,
    make_invitation,
    make_org,
)

DAY = timedelta(days=1)


async def test_every_field_round_trips(organizations: OrganizationsBackend) -> None:
    full = make_org(
        name="Alpha Pte Ltd",
        uen="201912345K",
        gst_reg_no="M90312345X",
        billing_email="billing@alpha.sg",
        address=Address("1 Raffles Place", "048616", line2="#10-01", city="Singapore", country="SG"),
        country="SG",
        timezone="Asia/Singapore",
        updated_at=T0 + DAY,
        deletion_requested_at=T0 + DAY,
        purge_after=T0 + 31 * DAY,
    )
    bare = make_org(name="Beta")
    for org in (full, bare):
        async with organizations.uow(org=org.id) as uow:
            await uow.organizations.add(org)
            await uow.commit()
    for org in (full, bare):
        async with organizations.uow(org=org.id) as uow:
            assert await uow.organizations.get(org.id) == org


async def test_an_unknown_organisation_is_none(organizations: OrganizationsBackend) -> None:
    unknown = new_id()
    async with organizations.uow(org=unknown) as uow:
        assert await uow.organizations.get(unknown) is None


async def test_a_taken_id_is_refused(organizations: OrganizationsBackend) -> None:
    org = await organizations.add_org()
    async with organizations.uow(org=org.id) as uow:
        with pytest.raises(REFUSED):
            await uow.organizations.add(make_org(id=org.id, name="Again"))


async def test_save_writes_every_field(organizations: OrganizationsBackend) -> None:
    org = await organizations.add_org()
    changed = dataclasses.replace(
        org,
        name="Alpha Holdings",
        uen="201912345K",
        billing_email="ap@alpha.sg",
        address=Address("2 Jurong East", "609601"),
        timezone="UTC",
        updated_at=T0 + DAY,
    )
    changed.request_deletion(T0 + 2 * DAY)
    async with organizations.uow(org=org.id) as uow:
        await uow.organizations.save(changed)
        await uow.commit()
    async with organizations.uow(org=org.id) as uow:
        assert await uow.organizations.get(org.id) == changed
    changed.cancel_deletion(T0 + 3 * DAY)
    changed.address = None
    async with organizations.uow(org=org.id) as uow:
        await uow.organizations.save(changed)
        await uow.commit()
    async with organizations.uow(org=org.id) as uow:
        assert await uow.organizations.get(org.id) == changed


async def test_save_of_an_unknown_organisation_adds_nothing(organizations: OrganizationsBackend) -> None:
    ghost = make_org()
    async with organizations.uow(org=ghost.id) as uow:
        await uow.organizations.save(ghost)
        await uow.commit()
    async with organizations.uow(org=ghost.id) as uow:
        assert await uow.organizations.get(ghost.id) is None


async def test_an_uncommitted_organisation_is_discarded(organizations: OrganizationsBackend) -> None:
    org = make_org()
    async with organizations.uow(org=org.id) as uow:
        await uow.organizations.add(org)
        assert await uow.organizations.get(org.id) == org
    async with organizations.uow(org=org.id) as uow:
        assert await uow.organizations.get(org.id) is None


async def test_list_for_user_gives_the_users_organisations_by_name_with_roles(
    organizations: OrganizationsBackend,
) -> None:
    user, other = new_id(), new_id()
    gamma = await organizations.add_org((user, Role.VIEWER), name="Gamma")
    alpha = await organizations.add_org((other, Role.OWNER), (user, Role.ADMIN), name="Alpha")
    beta_1 = await organizations.add_org((user, Role.OWNER), name="Beta")
    beta_2 = await organizations.add_org((user, Role.MEMBER), name="Beta")
    await organizations.add_org((other, Role.OWNER), name="Aardvark")  # not the user's
    async with organizations.uow(user=user) as uow:
        found = await uow.organizations.list_for_user(user)
    async with organizations.uow(user=new_id()) as uow:
        nobody = await uow.organizations.list_for_user(new_id())
    betas = sorted([(beta_1, Role.OWNER), (beta_2, Role.MEMBER)], key=lambda pair: pair[0].id)
    assert list(found) == [(alpha, Role.ADMIN), *betas, (gamma, Role.VIEWER)]
    assert list(nobody) == []


async def test_due_for_purge_is_oldest_first_up_to_the_limit(organizations: OrganizationsBackend) -> None:
    await organizations.clear()
    now = T0 + 40 * DAY
    late = await organizations.add_org(name="Late", purge_after=now - DAY)
    exact = await organizations.add_org(name="Exact", purge_after=now)
    early = await organizations.add_org(name="Early", purge_after=now - 10 * DAY)
    await organizations.add_org(name="Not yet", purge_after=now + timedelta(microseconds=1))
    await organizations.add_org(name="Kept")
    async with organizations.uow(system=True) as uow:
        assert list(await uow.organizations.due_for_purge(now, 10)) == [early, late, exact]
        assert list(await uow.organizations.due_for_purge(now, 2)) == [early, late]
        assert list(await uow.organizations.due_for_purge(now - 20 * DAY, 10)) == []


async def test_purge_deletes_the_organisation_its_members_and_invitations(
    organizations: OrganizationsBackend,
) -> None:
    user, other_user = new_id(), new_id()
    doomed = await organizations.add_org((user, Role.OWNER), (other_user, Role.MEMBER), name="Doomed")
    kept = await organizations.add_org((user, Role.OWNER), name="Kept")
    doomed_invite = make_invitation(doomed.id, "guest@doomed.sg", digest=new_id().hex)
    kept_invite = make_invitation(kept.id, "guest@kept.sg", digest=new_id().hex)
    await organizations.add_invitations(doomed.id, doomed_invite)
    await organizations.add_invitations(kept.id, kept_invite)
    async with organizations.uow(system=True) as uow:
        await uow.organizations.purge(doomed.id)
        await uow.organizations.purge(new_id())  # nothing to purge: nothing happens
        await uow.commit()
    async with organizations.uow(system=True) as uow:
        assert await uow.organizations.get(doomed.id) is None
        assert await uow.memberships.list(doomed.id) == []
        assert await uow.memberships.get(doomed.id, user) is None
        assert await uow.invitations.get(doomed.id, doomed_invite.id) is None
        assert await uow.organizations.get(kept.id) == kept
        assert [m.user_id for m in await uow.memberships.list(kept.id)] == [user]
        assert await uow.invitations.get(kept.id, kept_invite.id) == kept_invite
        assert [o.id for o, _ in await uow.organizations.list_for_user(user)] == [kept.id]
    async with organizations.uow(user=new_id()) as uow:
        assert await uow.invitations.find_by_digest(doomed_invite.digest or "") is None


async def test_a_membership_added_with_the_organisation_is_readable_at_once(
    organizations: OrganizationsBackend,
) -> None:
    org, user = make_org(), new_id()
    async with organizations.uow(org=org.id) as uow:
        await uow.organizations.add(org)
        await uow.memberships.add(Membership(org.id, user, Role.OWNER, T0))
        assert await uow.memberships.count_owners(org.id) == 1
        await uow.commit()
    async with organizations.uow(user=user) as uow:
        assert list(await uow.organizations.list_for_user(user)) == [(org, Role.OWNER)]


async def test_page_for_user_pages_by_name_and_hides_deletions_from_all_but_owners(
    organizations: OrganizationsBackend,
) -> None:
    user = new_id()
    gamma = await organizations.add_org((user, Role.VIEWER), name="Gamma")
    alpha = await organizations.add_org((user, Role.ADMIN), name="Alpha")
    owned_going = await organizations.add_org((user, Role.OWNER), name="Beta", deletion_requested_at=T0)
    await organizations.add_org((new_id(), Role.OWNER), (user, Role.MEMBER), name="Delta", deletion_requested_at=T0)
    async with organizations.uow(user=user) as uow:
        first = await uow.organizations.page_for_user(user, PageRequest(limit=2))
        rest = await uow.organizations.page_for_user(user, PageRequest(limit=2, offset=2))
        beyond = await uow.organizations.page_for_user(user, PageRequest(limit=2, offset=10))
    assert list(first.items) == [(alpha, Role.ADMIN), (owned_going, Role.OWNER)]
    assert first.total == 3 and first.has_more
    assert list(rest.items) == [(gamma, Role.VIEWER)] and rest.total == 3 and not rest.has_more
    assert list(beyond.items) == [] and beyond.total == 3
