"""InvitationRepository contract: round trips, the pending list, lookup by digest across
tenants, and revoking an address's pending invitations."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from nexuscore.kernel.ids import new_id
from nexuscore.kernel.paging import PageRequest
from nexuscore.kernel.tenancy import Role
from tests.contract.organizations.backends import REFUSED, T0, OrganizationsBackend, make_invitation

HOUR = timedelta(hours=1)


async def test_an_invitation_round_trips_within_its_organisation(organizations: OrganizationsBackend) -> None:
    org, other = await organizations.add_org(), await organizations.add_org()
    full = make_invitation(
        org.id,
        "ann@example.sg",
        role=Role.ADMIN,
        digest=new_id().hex,
        accepted_at=T0 + HOUR,
        revoked_at=T0 + 2 * HOUR,
    )
    bare = make_invitation(org.id, "ben@example.sg")
    await organizations.add_invitations(org.id, full, bare)
    async with organizations.uow(org=org.id) as uow:
        assert await uow.invitations.get(org.id, full.id) == full
        assert await uow.invitations.get(org.id, bare.id) == bare
        assert await uow.invitations.get(org.id, new_id()) is None
    async with organizations.uow(org=other.id) as uow:
        assert await uow.invitations.get(other.id, full.id) is None


async def test_list_pending_is_newest_first(organizations: OrganizationsBackend) -> None:
    org, other = await organizations.add_org(), await organizations.add_org()
    now = T0 + 3 * HOUR
    older = make_invitation(org.id, "a@x.sg", created_at=T0)
    newer = make_invitation(org.id, "b@x.sg", created_at=T0 + HOUR)
    gone = [
        make_invitation(org.id, "c@x.sg", accepted_at=T0),
        make_invitation(org.id, "d@x.sg", revoked_at=T0),
        make_invitation(org.id, "e@x.sg", expires_at=now, created_at=T0 - HOUR),  # expires this instant
        make_invitation(org.id, "f@x.sg", expires_at=now - HOUR, created_at=T0 - 2 * HOUR),
    ]
    await organizations.add_invitations(org.id, older, newer, *gone)
    await organizations.add_invitations(other.id, make_invitation(other.id, "g@x.sg", created_at=T0 + 2 * HOUR))
    async with organizations.uow(org=org.id) as uow:
        assert list(await uow.invitations.list_pending(org.id, now)) == [newer, older]
        # Earlier, the two that have expired since were still pending.
        assert list(await uow.invitations.list_pending(org.id, T0)) == [newer, older, gone[2], gone[3]]
        assert await uow.invitations.list_pending(new_id(), now) == []


async def test_find_by_digest_looks_across_tenants(organizations: OrganizationsBackend) -> None:
    org, stranger = await organizations.add_org(), await organizations.add_org()
    invitation = make_invitation(org.id, "ann@example.sg", digest=new_id().hex)
    without_digest = make_invitation(org.id, "ben@example.sg")
    await organizations.add_invitations(org.id, invitation, without_digest)
    # The invitee is not a member of anything yet: the lookup runs in no tenant's scope.
    async with organizations.uow(user=new_id()) as uow:
        assert await uow.invitations.find_by_digest(invitation.digest or "") == invitation
        assert await uow.invitations.find_by_digest(new_id().hex) is None
    async with organizations.uow(org=stranger.id) as uow:
        assert await uow.invitations.find_by_digest(invitation.digest or "") == invitation


async def test_a_reused_digest_is_refused(organizations: OrganizationsBackend) -> None:
    org = await organizations.add_org()
    digest = new_id().hex
    await organizations.add_invitations(org.id, make_invitation(org.id, "ann@example.sg", digest=digest))
    async with organizations.uow(org=org.id) as uow:
        with pytest.raises(REFUSED):
            await uow.invitations.add(make_invitation(org.id, "ben@example.sg", digest=digest))


async def test_an_invitation_of_a_missing_organisation_is_refused(organizations: OrganizationsBackend) -> None:
    missing = new_id()
    async with organizations.uow(org=missing) as uow:
        with pytest.raises(REFUSED):
            await uow.invitations.add(make_invitation(missing, "ann@example.sg"))


async def test_save_writes_every_field(organizations: OrganizationsBackend) -> None:
    org = await organizations.add_org()
    invitation = make_invitation(org.id, "ann@example.sg")
    await organizations.add_invitations(org.id, invitation)
    minted = dataclasses.replace(
        invitation, digest=new_id().hex, role=Role.VIEWER, expires_at=T0 + 48 * HOUR, created_at=T0 + HOUR
    )
    async with organizations.uow(org=org.id) as uow:
        await uow.invitations.save(minted)
        await uow.commit()
    async with organizations.uow(org=org.id) as uow:
        assert await uow.invitations.get(org.id, invitation.id) == minted
    accepted = dataclasses.replace(minted, accepted_at=T0 + 2 * HOUR)
    async with organizations.uow(org=org.id) as uow:
        await uow.invitations.save(accepted)
        await uow.invitations.save(make_invitation(org.id, "ghost@example.sg"))  # unknown: nothing
        await uow.commit()
    async with organizations.uow(org=org.id) as uow:
        assert await uow.invitations.get(org.id, invitation.id) == accepted
        assert await uow.invitations.list_pending(org.id, T0) == []


async def test_revoke_pending_revokes_the_addresses_open_invitations(organizations: OrganizationsBackend) -> None:
    org, other = await organizations.add_org(), await organizations.add_org()
    open_ = make_invitation(org.id, "ann@example.sg")
    expired = make_invitation(org.id, "ann@example.sg", expires_at=T0 - HOUR)  # revoked too
    accepted = make_invitation(org.id, "ann@example.sg", accepted_at=T0)
    revoked = make_invitation(org.id, "ann@example.sg", revoked_at=T0 - HOUR)
    someone_else = make_invitation(org.id, "ben@example.sg")
    upper = make_invitation(org.id, "ANN@example.sg")
    await organizations.add_invitations(org.id, open_, expired, accepted, revoked, someone_else, upper)
    theirs = make_invitation(other.id, "ann@example.sg")
    await organizations.add_invitations(other.id, theirs)
    at = T0 + HOUR
    async with organizations.uow(org=org.id) as uow:
        assert await uow.invitations.revoke_pending(org.id, "ann@example.sg", at) == 2
        assert await uow.invitations.revoke_pending(org.id, "nobody@example.sg", at) == 0
        await uow.commit()
    async with organizations.uow(org=org.id) as uow:
        get = uow.invitations.get
        assert await get(org.id, open_.id) == dataclasses.replace(open_, revoked_at=at)
        assert await get(org.id, expired.id) == dataclasses.replace(expired, revoked_at=at)
        assert await get(org.id, accepted.id) == accepted
        assert await get(org.id, revoked.id) == revoked
        assert await get(org.id, someone_else.id) == someone_else
        assert await get(org.id, upper.id) == upper  # exact: the use cases normalise addresses
        assert await uow.invitations.revoke_pending(org.id, "ann@example.sg", at) == 0
    async with organizations.uow(org=other.id) as uow:
        assert await uow.invitations.get(other.id, theirs.id) == theirs


async def test_count_created_since_counts_every_invitation_of_the_organisation_after_the_moment(
    organizations: OrganizationsBackend,
) -> None:
    org, other = await organizations.add_org(), await organizations.add_org()
    old = make_invitation(org.id, "old@example.sg", created_at=T0)
    revoked = make_invitation(org.id, "revoked@example.sg", created_at=T0 + HOUR, revoked_at=T0 + 2 * HOUR)
    accepted = make_invitation(org.id, "accepted@example.sg", created_at=T0 + 2 * HOUR, accepted_at=T0 + 3 * HOUR)
    await organizations.add_invitations(org.id, old, revoked, accepted)
    await organizations.add_invitations(other.id, make_invitation(other.id, "x@example.sg", created_at=T0 + HOUR))
    async with organizations.uow(org=org.id) as uow:
        assert await uow.invitations.count_created_since(org.id, T0 - HOUR) == 3
        assert await uow.invitations.count_created_since(org.id, T0) == 2  # strictly after
        assert await uow.invitations.count_created_since(org.id, T0 + 2 * HOUR) == 0
    async with organizations.uow(org=other.id) as uow:
        assert await uow.invitations.count_created_since(other.id, T0) == 1


async def test_page_pending_is_newest_first_with_the_total(organizations: OrganizationsBackend) -> None:
    org = await organizations.add_org()
    now = T0 + 3 * HOUR
    made = [make_invitation(org.id, f"{n}@x.sg", created_at=T0 + n * HOUR) for n in range(3)]
    revoked = make_invitation(org.id, "gone@x.sg", revoked_at=T0, created_at=T0 + 2 * HOUR)
    await organizations.add_invitations(org.id, *made, revoked)
    async with organizations.uow(org=org.id) as uow:
        first = await uow.invitations.page_pending(org.id, now, PageRequest(limit=2))
        last = await uow.invitations.page_pending(org.id, now, PageRequest(limit=2, offset=2))
        none = await uow.invitations.page_pending(new_id(), now, PageRequest())
    assert list(first.items) == [made[2], made[1]] and first.total == 3 and first.has_more
    assert list(last.items) == [made[0]] and last.total == 3 and not last.has_more
    assert list(none.items) == [] and none.total == 0
