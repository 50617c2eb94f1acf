"""The in-memory organisations adapter keeps the SQL adapter's semantics (so use-case tests mean something)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.events import EventRecord
from nexuscore.kernel.tenancy import Role
from nexuscore.organizations.adapters.memory.store import (
    FixedSeatLimit,
    InMemoryOrganizationsUnitOfWork,
    InMemoryUserDirectory,
    IntegrityViolation,
    OrganizationsState,
)
from nexuscore.organizations.domain.model import INVITATION_LIFETIME, Address, Invitation, Membership, Organization
from nexuscore.organizations.ports.repositories import DirectoryUser

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def org(name: str = "Acme", address: Address | None = None) -> Organization:
    return Organization(name=name, created_at=T0, updated_at=T0, address=address)


def invitation(org_id: UUID, email: str = "bob@example.sg", at: datetime = T0) -> Invitation:
    return Invitation(org_id, email, Role.MEMBER, uuid4(), at, at + INVITATION_LIFETIME)


@pytest.fixture
def state() -> OrganizationsState:
    return OrganizationsState()


def uow_of(state: OrganizationsState) -> InMemoryOrganizationsUnitOfWork:
    return InMemoryOrganizationsUnitOfWork(state, FixedClock(T0))


async def test_writes_are_staged_until_commit(state: OrganizationsState) -> None:
    uow = uow_of(state)
    acme = org()
    await uow.organizations.add(acme)
    await uow.memberships.add(Membership(acme.id, uuid4(), Role.OWNER, T0))
    await uow.events.append(EventRecord(type="org.created", occurred_at=T0, organization_id=acme.id))
    assert await uow.organizations.get(acme.id) == acme  # visible inside the unit of work
    assert state == OrganizationsState()
    assert await uow_of(state).organizations.get(acme.id) is None  # not to another one
    await uow.commit()
    assert set(state.organizations) == {acme.id}
    assert len(state.memberships) == len(state.events) == 1


async def test_rollback_and_abandoned_units_of_work_leave_the_state_unchanged(state: OrganizationsState) -> None:
    uow = uow_of(state)
    await uow.organizations.add(org())
    await uow.rollback()
    await uow.commit()
    abandoned = uow_of(state)
    await abandoned.organizations.add(org())
    assert state == OrganizationsState()


async def test_loaded_objects_are_copies_until_saved(state: OrganizationsState) -> None:
    acme = org(address=Address(line1="1 Raffles Place", postal_code="048616"))
    uow = uow_of(state)
    await uow.organizations.add(acme)
    await uow.commit()
    acme.name = "Changed after add"

    uow = uow_of(state)
    loaded = await uow.organizations.get(acme.id)
    assert loaded is not None and loaded.address is not None
    loaded.name = "Renamed"
    loaded.address.line1 = "2 Changed Road"
    await uow.commit()
    assert state.organizations[acme.id].name == "Acme"
    assert state.organizations[acme.id].address == Address(line1="1 Raffles Place", postal_code="048616")

    uow = uow_of(state)
    await uow.organizations.save(loaded)
    await uow.commit()
    assert state.organizations[acme.id].name == "Renamed"


async def test_save_of_a_missing_row_does_nothing(state: OrganizationsState) -> None:
    uow = uow_of(state)
    await uow.organizations.save(org())
    await uow.memberships.save(Membership(uuid4(), uuid4(), Role.ADMIN, T0))
    await uow.invitations.save(invitation(uuid4()))
    await uow.commit()
    assert state == OrganizationsState()


async def test_what_the_database_refuses_raises_integrity_violation(state: OrganizationsState) -> None:
    uow = uow_of(state)
    acme = org()
    await uow.organizations.add(acme)
    with pytest.raises(IntegrityViolation):
        await uow.organizations.add(acme)
    user = uuid4()
    await uow.memberships.add(Membership(acme.id, user, Role.OWNER, T0))
    with pytest.raises(IntegrityViolation):
        await uow.memberships.add(Membership(acme.id, user, Role.MEMBER, T0))
    with pytest.raises(IntegrityViolation):
        await uow.memberships.add(Membership(uuid4(), user, Role.MEMBER, T0))  # no such organisation
    with pytest.raises(IntegrityViolation):
        await uow.invitations.add(invitation(uuid4()))
    first, second = invitation(acme.id), invitation(acme.id, "carol@example.sg")
    first.digest = second.digest = "d" * 64
    await uow.invitations.add(first)
    with pytest.raises(IntegrityViolation):
        await uow.invitations.add(second)  # digests are unique


async def test_membership_save_changes_only_the_role(state: OrganizationsState) -> None:
    uow = uow_of(state)
    acme = org()
    await uow.organizations.add(acme)
    user = uuid4()
    await uow.memberships.add(Membership(acme.id, user, Role.MEMBER, T0))
    await uow.memberships.save(Membership(acme.id, user, Role.ADMIN, T0 + timedelta(days=1)))
    assert await uow.memberships.get(acme.id, user) == Membership(acme.id, user, Role.ADMIN, T0)
    assert await uow.memberships.count_owners(acme.id, lock=True) == 0
    assert await uow.memberships.count(acme.id) == 1


async def test_orderings_match_the_sql_adapter(state: OrganizationsState) -> None:
    uow = uow_of(state)
    user = uuid4()
    zeta, alpha, other = org("Zeta"), org("Alpha"), org("Other")
    for o in (zeta, alpha, other):
        await uow.organizations.add(o)
    await uow.memberships.add(Membership(zeta.id, user, Role.OWNER, T0))
    await uow.memberships.add(Membership(alpha.id, user, Role.VIEWER, T0))
    assert [(o.name, r) for o, r in await uow.organizations.list_for_user(user)] == [
        ("Alpha", Role.VIEWER),
        ("Zeta", Role.OWNER),
    ]

    late, early = uuid4(), uuid4()
    await uow.memberships.add(Membership(zeta.id, late, Role.MEMBER, T0 + timedelta(hours=2)))
    await uow.memberships.add(Membership(zeta.id, early, Role.MEMBER, T0 + timedelta(hours=1)))
    assert [m.user_id for m in await uow.memberships.list(zeta.id)] == [user, early, late]

    old, new = invitation(zeta.id, "a@example.sg", T0), invitation(zeta.id, "b@example.sg", T0 + timedelta(days=1))
    await uow.invitations.add(old)
    await uow.invitations.add(new)
    await uow.invitations.add(invitation(other.id, "c@example.sg"))
    assert [i.id for i in await uow.invitations.list_pending(zeta.id, T0 + timedelta(days=1))] == [new.id, old.id]
    assert [i.id for i in await uow.invitations.list_pending(zeta.id, T0 + timedelta(days=7))] == [new.id]


async def test_due_for_purge_is_oldest_first_and_limited(state: OrganizationsState) -> None:
    uow = uow_of(state)
    orgs = [org(f"Org {i}") for i in range(3)]
    for i, o in enumerate(reversed(orgs)):
        o.request_deletion(T0 + timedelta(days=i))
        await uow.organizations.add(o)
    await uow.organizations.add(org("Kept"))
    due = await uow.organizations.due_for_purge(T0 + timedelta(days=40), 2)
    assert [o.name for o in due] == ["Org 2", "Org 1"]
    assert await uow.organizations.due_for_purge(T0 + timedelta(days=30) - timedelta(seconds=1), 10) == []


async def test_revoke_pending_revokes_open_invitations_to_that_email_even_expired_ones(
    state: OrganizationsState,
) -> None:
    uow = uow_of(state)
    acme, other = org(), org("Other")
    await uow.organizations.add(acme)
    await uow.organizations.add(other)
    expired = invitation(acme.id, at=T0 - timedelta(days=10))
    pending = invitation(acme.id)
    accepted = invitation(acme.id)
    accepted.accepted_at = T0
    elsewhere = invitation(other.id)
    carol = invitation(acme.id, "carol@example.sg")
    for i in (expired, pending, accepted, elsewhere, carol):
        await uow.invitations.add(i)
    now = T0 + timedelta(hours=1)
    assert await uow.invitations.revoke_pending(acme.id, "bob@example.sg", now) == 2
    revoked: set[UUID] = set()
    for i in (expired, pending, accepted, elsewhere, carol):
        got = await uow.invitations.get(i.organization_id, i.id)
        assert got is not None
        if got.revoked_at == now:
            revoked.add(got.id)
    assert revoked == {expired.id, pending.id}
    assert await uow.invitations.get(other.id, pending.id) is None  # get is scoped to the organisation


async def test_purge_deletes_the_organisation_its_memberships_and_invitations_only(state: OrganizationsState) -> None:
    uow = uow_of(state)
    acme, other = org(), org("Other")
    user = uuid4()
    for o in (acme, other):
        await uow.organizations.add(o)
        await uow.memberships.add(Membership(o.id, user, Role.OWNER, T0))
        await uow.invitations.add(invitation(o.id))
    await uow.organizations.purge(acme.id)
    await uow.commit()
    assert set(state.organizations) == {other.id}
    assert {m.organization_id for m in state.memberships.values()} == {other.id}
    assert {i.organization_id for i in state.invitations.values()} == {other.id}


async def test_find_by_digest(state: OrganizationsState) -> None:
    uow = uow_of(state)
    acme = org()
    await uow.organizations.add(acme)
    minted, unminted = invitation(acme.id), invitation(acme.id, "carol@example.sg")
    minted.digest = "a" * 64
    await uow.invitations.add(minted)
    await uow.invitations.add(unminted)
    found = await uow.invitations.find_by_digest("a" * 64)
    assert found is not None and found.id == minted.id
    assert await uow.invitations.find_by_digest("b" * 64) is None


async def test_event_payloads_must_be_json(state: OrganizationsState) -> None:
    uow = uow_of(state)
    with pytest.raises(TypeError):
        await uow.events.append(EventRecord(type="org.updated", occurred_at=T0, payload={"when": T0}))


async def test_user_directory_and_seat_limit_fakes() -> None:
    ann = DirectoryUser(uuid4(), "ann@example.sg", "Ann Lee")
    directory = InMemoryUserDirectory({ann.id: ann})
    missing = uuid4()
    assert await directory.get_many([ann.id, missing]) == {ann.id: ann}
    assert directory.calls == [(ann.id, missing)]
    assert await FixedSeatLimit(5).seat_limit(uuid4()) == 5
    assert await FixedSeatLimit(None).seat_limit(uuid4()) is None
