"""Organisations use cases against the in-memory adapters, a FixedClock and a RecordingMailer."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID, uuid4

import pytest

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.errors import Conflict, NotFound, PermissionDenied, QuotaExceeded, RateLimited, ValidationError
from nexuscore.kernel.events import EventRecord
from nexuscore.kernel.mail import EmailMessage
from nexuscore.kernel.paging import PageRequest
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.kernel.tokens import digest_token
from nexuscore.organizations.adapters.memory.store import (
    FixedSeatLimit,
    InMemoryOrganizationsUnitOfWork,
    InMemoryUserDirectory,
    OrganizationsState,
)
from nexuscore.organizations.application import invitations, members, organizations
from nexuscore.organizations.application.invitations import InvalidInvitation
from nexuscore.organizations.application.organizations import UNSET, OrganizationInput
from nexuscore.organizations.application.services import OrganizationsServices
from nexuscore.organizations.application.tenancy import resolve_tenant
from nexuscore.organizations.domain.events import (
    InvitationAccepted,
    InvitationCreated,
    InvitationRevoked,
    MemberJoined,
    MemberLeft,
    MemberRemoved,
    MemberRoleChanged,
    OrganizationCreated,
    OrganizationDeletionCancelled,
    OrganizationDeletionRequested,
    OrganizationPurged,
    OrganizationUpdated,
    OwnershipTransferred,
)
from nexuscore.organizations.domain.model import Address, Invitation, Membership, Organization
from nexuscore.organizations.ports.repositories import DirectoryUser
from nexuscore.platform.mail import RecordingMailer

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
APP = "https://app.nexuscore.test/"
NAME = "Acme Trading Pte Ltd"
BOB = "bob.tan@example.sg"

ANN, BEN, CAT, DAN, EVE = (UUID(int=i) for i in range(1, 6))  # owner, admin, member, viewer, outsider


@dataclass
class World:
    state: OrganizationsState = field(default_factory=OrganizationsState)
    clock: FixedClock = field(default_factory=lambda: FixedClock(T0))
    mailer: RecordingMailer = field(default_factory=RecordingMailer)
    seats: FixedSeatLimit = field(default_factory=lambda: FixedSeatLimit(None))
    secrets: set[str] = field(default_factory=set)

    def uow(self, *, users: InMemoryUserDirectory | None = None) -> InMemoryOrganizationsUnitOfWork:
        return InMemoryOrganizationsUnitOfWork(self.state, self.clock, users=users)

    @property
    def services(self) -> OrganizationsServices:
        return OrganizationsServices(self.clock, self.mailer, APP, self.seats)

    def advance(self, **delta: float) -> None:
        self.clock.advance(timedelta(**delta))

    def events(self, event_type: str | None = None) -> list[EventRecord]:
        return [e for e in self.state.events if event_type is None or e.type == event_type]

    def snapshot(self) -> OrganizationsState:
        return copy.deepcopy(self.state)

    def role_of(self, org_id: UUID, user_id: UUID) -> Role | None:
        m = self.state.memberships.get((org_id, user_id))
        return None if m is None else m.role

    async def create(self, name: str = NAME, *, by: UUID = ANN, **fields: Any) -> Organization:
        return await organizations.create_organization(
            self.uow(), self.services, user_id=by, data=OrganizationInput(name=name, **fields)
        )

    async def join(self, org_id: UUID, user_id: UUID, role: Role) -> None:
        """Seed a membership directly (one minute after the previous one, so the order is known)."""
        self.advance(minutes=1)
        uow = self.uow()
        await uow.memberships.add(Membership(org_id, user_id, role, self.clock.now()))
        await uow.commit()

    async def team(self) -> Organization:
        """Ann (owner) with Ben (admin), Cat (member) and Dan (viewer)."""
        org = await self.create()
        await self.join(org.id, BEN, Role.ADMIN)
        await self.join(org.id, CAT, Role.MEMBER)
        await self.join(org.id, DAN, Role.VIEWER)
        return org

    async def tenant(self, org_id: UUID, user_id: UUID, *, allow_pending_deletion: bool = False) -> TenantContext:
        return await resolve_tenant(
            self.uow(), self.services, org_id=org_id, user_id=user_id, allow_pending_deletion=allow_pending_deletion
        )

    async def invite(self, org_id: UUID, email: str = BOB, role: Role = Role.MEMBER, *, by: UUID = ANN) -> Invitation:
        return await invitations.invite(
            self.uow(), self.services, tenant=await self.tenant(org_id, by), email=email, role=role
        )

    async def mail(self, invitation: Invitation) -> str:
        """Run the invitation mail as its outbox subscriber does (then commit); return the mailed token."""
        uow = self.uow()
        sent = await invitations.send_invitation_email(
            uow, self.services, org_id=invitation.organization_id, invitation_id=invitation.id
        )
        assert sent is True
        await uow.commit()
        token = link_token(self.mailer.sent[-1])
        self.secrets |= {token, digest_token(token)}
        return token

    async def invite_and_mail(self, org_id: UUID, email: str = BOB, role: Role = Role.MEMBER) -> tuple[Invitation, str]:
        invitation = await self.invite(org_id, email, role)
        return invitation, await self.mail(invitation)

    async def accept(
        self, token: str, *, user_id: UUID | None = None, email: str = BOB, verified: bool = True
    ) -> Membership:
        return await invitations.accept_invitation(
            self.uow(),
            self.services,
            token=token,
            user_id=user_id or uuid4(),
            user_email=email,
            email_verified=verified,
        )


def link_token(message: EmailMessage) -> str:
    links = re.findall(r"https?://\S+", message.text)
    assert len(links) == 1, message.text
    url = urlsplit(links[0])
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://app.nexuscore.test/invitations/accept"
    (token,) = parse_qs(url.query)["token"]
    return str(token)


@pytest.fixture
def world() -> World:
    return World()


# =========================================================================== create


async def test_create_makes_the_creator_owner_and_records_two_events(world: World) -> None:
    org = await world.create("  Acme   Trading Pte Ltd ")
    stored = world.state.organizations[org.id]
    assert stored.name == NAME
    assert stored.created_at == stored.updated_at == T0
    assert (stored.country, stored.timezone) == ("SG", "Asia/Singapore")
    assert list(world.state.memberships.values()) == [Membership(org.id, ANN, Role.OWNER, T0)]

    created, joined = world.events()
    assert (created.type, joined.type) == (OrganizationCreated.name, MemberJoined.name)
    assert created.organization_id == joined.organization_id == org.id
    assert created.actor_id == joined.actor_id == ANN
    assert created.subject == f"organization:{org.id}"
    assert dict(created.payload) == {"name": NAME}
    assert joined.subject == f"user:{ANN}"
    assert dict(joined.payload) == {"role": "owner", "via": "created"}


async def test_create_normalises_every_field(world: World) -> None:
    address = Address(line1="1 Raffles Place", postal_code="048616")
    org = await world.create(
        uen=" t08ll 1234a ",
        gst_reg_no="m9 1234567x",
        billing_email="  Billing@Acme.SG ",
        country="sg",
        timezone="Asia/Singapore",
        address=address,
    )
    stored = world.state.organizations[org.id]
    assert stored.uen == "T08LL1234A"
    assert stored.gst_reg_no == "M91234567X"
    assert stored.billing_email == "billing@acme.sg"
    assert stored.country == "SG"
    assert stored.address == address


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"name": UNSET}, ["name"]),
        ({"name": "   "}, ["name"]),
        ({"name": "x" * 201}, ["name"]),
        ({"uen": "5301234D"}, ["uen"]),
        ({"gst_reg_no": "GST123"}, ["gstRegNo"]),
        ({"billing_email": "not-an-email"}, ["billingEmail"]),
        ({"country": "SGP"}, ["country"]),
        ({"timezone": "Mars/Olympus_Mons"}, ["timezone"]),
        ({"address": Address(line1=" ", postal_code="048616")}, ["address"]),
        ({"uen": "X08LL1234A", "country": "1", "timezone": ""}, ["uen", "country", "timezone"]),
    ],
)
async def test_create_with_invalid_fields_stores_and_records_nothing(
    world: World, fields: dict[str, Any], bad: list[str]
) -> None:
    data = {"name": NAME, **fields}
    with pytest.raises(ValidationError) as info:
        await organizations.create_organization(
            world.uow(), world.services, user_id=ANN, data=OrganizationInput(**data)
        )
    assert [e.field for e in info.value.errors] == bad
    assert world.state == OrganizationsState()


# =========================================================================== list / get


async def test_list_my_organizations_is_sorted_by_name_with_my_role(world: World) -> None:
    zeta = await world.create("Zeta Pte Ltd")
    alpha = await world.create("Alpha Pte Ltd", by=BEN)
    await world.join(alpha.id, ANN, Role.VIEWER)
    await world.create("Not Mine Pte Ltd", by=CAT)

    mine = await organizations.list_my_organizations(world.uow(), world.services, user_id=ANN, page=PageRequest())
    assert [(o.id, r) for o, r in mine.items] == [(alpha.id, Role.VIEWER), (zeta.id, Role.OWNER)]
    assert mine.total == 2 and not mine.has_more
    first = await organizations.list_my_organizations(
        world.uow(), world.services, user_id=ANN, page=PageRequest(limit=1)
    )
    assert [o.id for o, _ in first.items] == [alpha.id] and first.total == 2 and first.has_more
    nobody = await organizations.list_my_organizations(world.uow(), world.services, user_id=EVE, page=PageRequest())
    assert nobody.items == [] and nobody.total == 0


async def test_organizations_pending_deletion_are_listed_for_owners_only(world: World) -> None:
    org = await world.team()
    await organizations.request_deletion(
        world.uow(), world.services, tenant=await world.tenant(org.id, ANN), confirm_name=NAME
    )

    owner_view = await organizations.list_my_organizations(world.uow(), world.services, user_id=ANN, page=PageRequest())
    assert [(o.id, r, o.pending_deletion) for o, r in owner_view.items] == [(org.id, Role.OWNER, True)]
    for user in (BEN, CAT, DAN):
        others = await organizations.list_my_organizations(
            world.uow(), world.services, user_id=user, page=PageRequest()
        )
        assert others.items == [] and others.total == 0


async def test_get_organization_is_open_to_viewers(world: World) -> None:
    org = await world.team()
    got = await organizations.get_organization(world.uow(), world.services, tenant=await world.tenant(org.id, DAN))
    assert got == world.state.organizations[org.id]


async def test_get_organization_of_a_vanished_organisation_is_not_found(world: World) -> None:
    tenant = TenantContext(org_id=uuid4(), user_id=ANN, role=Role.OWNER)
    with pytest.raises(NotFound):
        await organizations.get_organization(world.uow(), world.services, tenant=tenant)


# =========================================================================== update


async def test_admin_updates_the_organisation_and_an_event_lists_the_changed_fields(world: World) -> None:
    org = await world.team()
    world.advance(hours=1)
    updated = await organizations.update_organization(
        world.uow(),
        world.services,
        tenant=await world.tenant(org.id, BEN),
        data=OrganizationInput(name="Acme Holdings", uen="200312345a", timezone="Asia/Singapore"),
    )
    stored = world.state.organizations[org.id]
    assert stored == updated
    assert (stored.name, stored.uen) == ("Acme Holdings", "200312345A")
    assert stored.updated_at == T0 + timedelta(minutes=3, hours=1)
    (event,) = world.events(OrganizationUpdated.name)
    assert event.organization_id == org.id
    assert event.actor_id == BEN
    assert dict(event.payload) == {"fields": ["name", "uen"]}  # the timezone did not change


@pytest.mark.parametrize("user", [CAT, DAN])
async def test_members_and_viewers_may_not_update(world: World, user: UUID) -> None:
    org = await world.team()
    before = world.snapshot()
    with pytest.raises(PermissionDenied):
        await organizations.update_organization(
            world.uow(),
            world.services,
            tenant=await world.tenant(org.id, user),
            data=OrganizationInput(name="Hijacked"),
        )
    assert world.state == before


async def test_update_leaves_absent_fields_unchanged(world: World) -> None:
    org = await world.create(uen="53012345D", gst_reg_no="M91234567X", billing_email="billing@acme.sg")
    await organizations.update_organization(
        world.uow(), world.services, tenant=await world.tenant(org.id, ANN), data=OrganizationInput(country="MY")
    )
    stored = world.state.organizations[org.id]
    assert (stored.name, stored.uen, stored.gst_reg_no, stored.billing_email, stored.country) == (
        NAME,
        "53012345D",
        "M91234567X",
        "billing@acme.sg",
        "MY",
    )


@pytest.mark.parametrize("empty", [None, ""])
async def test_update_with_none_or_empty_clears_optional_fields(world: World, empty: str | None) -> None:
    address = Address(line1="1 Raffles Place", postal_code="048616")
    org = await world.create(uen="53012345D", gst_reg_no="M91234567X", billing_email="billing@acme.sg", address=address)
    await organizations.update_organization(
        world.uow(),
        world.services,
        tenant=await world.tenant(org.id, ANN),
        data=OrganizationInput(uen=empty, gst_reg_no=empty, billing_email=empty, address=None),
    )
    stored = world.state.organizations[org.id]
    assert (stored.uen, stored.gst_reg_no, stored.billing_email, stored.address) == (None, None, None, None)
    assert stored.name == NAME
    assert dict(world.events(OrganizationUpdated.name)[0].payload) == {
        "fields": ["uen", "gstRegNo", "billingEmail", "address"]
    }


@pytest.mark.parametrize("blank", [" ", "  \t "])
async def test_a_blank_uen_or_gst_number_clears_it_rather_than_storing_an_empty_string(
    world: World, blank: str
) -> None:
    org = await world.create(uen="53012345D", gst_reg_no="M91234567X")
    await organizations.update_organization(
        world.uow(),
        world.services,
        tenant=await world.tenant(org.id, ANN),
        data=OrganizationInput(uen=blank, gst_reg_no=blank),
    )
    stored = world.state.organizations[org.id]
    assert (stored.uen, stored.gst_reg_no) == (None, None)
    created = await world.create("Blank Pte Ltd", uen=blank, gst_reg_no=blank)
    assert (world.state.organizations[created.id].uen, world.state.organizations[created.id].gst_reg_no) == (None, None)


async def test_a_blank_billing_email_is_invalid(world: World) -> None:
    org = await world.create(billing_email="billing@acme.sg")
    with pytest.raises(ValidationError) as info:
        await organizations.update_organization(
            world.uow(),
            world.services,
            tenant=await world.tenant(org.id, ANN),
            data=OrganizationInput(billing_email="   "),
        )
    assert [e.field for e in info.value.errors] == ["billingEmail"]
    assert world.state.organizations[org.id].billing_email == "billing@acme.sg"


async def test_update_with_none_for_a_required_field_is_invalid(world: World) -> None:
    org = await world.create()
    before = world.snapshot()
    with pytest.raises(ValidationError) as info:
        await organizations.update_organization(
            world.uow(),
            world.services,
            tenant=await world.tenant(org.id, ANN),
            data=OrganizationInput(name=None, country=None),
        )
    assert [e.field for e in info.value.errors] == ["name", "country"]
    assert world.state == before


async def test_a_rejected_update_changes_nothing_even_the_valid_fields(world: World) -> None:
    org = await world.create()
    before = world.snapshot()
    with pytest.raises(ValidationError):
        await organizations.update_organization(
            world.uow(),
            world.services,
            tenant=await world.tenant(org.id, ANN),
            data=OrganizationInput(name="Renamed", uen="not-a-uen"),
        )
    assert world.state == before


async def test_an_update_that_changes_nothing_records_nothing(world: World) -> None:
    org = await world.create(country="SG")
    uow = world.uow()
    await organizations.update_organization(
        uow, world.services, tenant=await world.tenant(org.id, ANN), data=OrganizationInput(name=NAME, country="sg")
    )
    assert uow.commits == 0
    assert world.events(OrganizationUpdated.name) == []


# =========================================================================== deletion


async def test_owner_requests_deletion_with_a_thirty_day_grace_period(world: World) -> None:
    org = await world.create()
    world.advance(hours=2)
    now = world.clock.now()
    await organizations.request_deletion(
        world.uow(), world.services, tenant=await world.tenant(org.id, ANN), confirm_name=NAME
    )
    stored = world.state.organizations[org.id]
    assert stored.deletion_requested_at == now
    assert stored.purge_after == now + timedelta(days=30)
    (event,) = world.events(OrganizationDeletionRequested.name)
    assert event.organization_id == org.id
    assert dict(event.payload) == {"purgeAfter": (now + timedelta(days=30)).isoformat()}


@pytest.mark.parametrize("user", [BEN, CAT, DAN])
async def test_only_owners_may_request_deletion(world: World, user: UUID) -> None:
    org = await world.team()
    with pytest.raises(PermissionDenied):
        await organizations.request_deletion(
            world.uow(), world.services, tenant=await world.tenant(org.id, user), confirm_name=NAME
        )
    assert not world.state.organizations[org.id].pending_deletion


@pytest.mark.parametrize("confirm", ["", "acme trading pte ltd", f"{NAME} ", "Acme"])
async def test_request_deletion_needs_the_exact_name(world: World, confirm: str) -> None:
    org = await world.create()
    with pytest.raises(ValidationError) as info:
        await organizations.request_deletion(
            world.uow(), world.services, tenant=await world.tenant(org.id, ANN), confirm_name=confirm
        )
    assert [e.field for e in info.value.errors] == ["confirmName"]
    assert not world.state.organizations[org.id].pending_deletion


async def test_a_second_deletion_request_is_a_conflict(world: World) -> None:
    org = await world.create()
    await organizations.request_deletion(
        world.uow(), world.services, tenant=await world.tenant(org.id, ANN), confirm_name=NAME
    )
    first = world.state.organizations[org.id].purge_after
    world.advance(days=1)
    tenant = await world.tenant(org.id, ANN, allow_pending_deletion=True)
    with pytest.raises(Conflict):
        await organizations.request_deletion(world.uow(), world.services, tenant=tenant, confirm_name=NAME)
    assert world.state.organizations[org.id].purge_after == first  # the grace period was not restarted


async def test_owner_cancels_deletion(world: World) -> None:
    org = await world.create()
    await organizations.request_deletion(
        world.uow(), world.services, tenant=await world.tenant(org.id, ANN), confirm_name=NAME
    )
    world.advance(days=3)
    tenant = await world.tenant(org.id, ANN, allow_pending_deletion=True)
    await organizations.cancel_deletion(world.uow(), world.services, tenant=tenant)
    stored = world.state.organizations[org.id]
    assert (stored.pending_deletion, stored.purge_after) == (False, None)
    assert stored.updated_at == T0 + timedelta(days=3)
    assert world.events()[-1].type == OrganizationDeletionCancelled.name
    with pytest.raises(Conflict):
        await organizations.cancel_deletion(world.uow(), world.services, tenant=await world.tenant(org.id, ANN))


async def test_only_owners_may_cancel_deletion(world: World) -> None:
    org = await world.team()
    await world.join(org.id, EVE, Role.OWNER)
    await organizations.request_deletion(
        world.uow(), world.services, tenant=await world.tenant(org.id, ANN), confirm_name=NAME
    )
    admin = TenantContext(org_id=org.id, user_id=BEN, role=Role.ADMIN)  # resolve_tenant would not even let it in
    with pytest.raises(PermissionDenied):
        await organizations.cancel_deletion(world.uow(), world.services, tenant=admin)
    assert world.state.organizations[org.id].pending_deletion
    await organizations.cancel_deletion(
        world.uow(), world.services, tenant=await world.tenant(org.id, EVE, allow_pending_deletion=True)
    )  # any owner, not only the one who asked
    assert not world.state.organizations[org.id].pending_deletion


async def test_purge_happens_only_after_the_grace_period(world: World) -> None:
    doomed = await world.team()
    kept = await world.create("Kept Pte Ltd", by=BEN)
    doomed_invitation = await world.invite(doomed.id)
    kept_invitation = await world.invite(kept.id, by=BEN)
    await organizations.request_deletion(
        world.uow(), world.services, tenant=await world.tenant(doomed.id, ANN), confirm_name=NAME
    )
    purge_after = world.state.organizations[doomed.id].purge_after
    assert purge_after is not None

    world.clock.set(purge_after - timedelta(seconds=1))
    before = world.snapshot()
    assert await organizations.purge_due_organizations(world.uow(), world.services) == 0
    assert world.state.organizations == before.organizations
    assert world.state.memberships == before.memberships
    assert world.state.invitations == before.invitations
    assert world.events(OrganizationPurged.name) == []

    world.advance(seconds=1)
    assert await organizations.purge_due_organizations(world.uow(), world.services) == 1
    assert set(world.state.organizations) == {kept.id}
    assert set(world.state.memberships) == {(kept.id, BEN)}
    assert set(world.state.invitations) == {kept_invitation.id}
    assert doomed_invitation.id not in world.state.invitations
    (event,) = world.events(OrganizationPurged.name)
    assert (event.organization_id, event.actor_id, event.subject) == (doomed.id, None, f"organization:{doomed.id}")
    assert await organizations.purge_due_organizations(world.uow(), world.services) == 0


async def test_a_cancelled_deletion_is_never_purged(world: World) -> None:
    org = await world.create()
    await organizations.request_deletion(
        world.uow(), world.services, tenant=await world.tenant(org.id, ANN), confirm_name=NAME
    )
    await organizations.cancel_deletion(
        world.uow(), world.services, tenant=await world.tenant(org.id, ANN, allow_pending_deletion=True)
    )
    world.advance(days=60)
    assert await organizations.purge_due_organizations(world.uow(), world.services) == 0
    assert org.id in world.state.organizations


async def test_purge_respects_its_limit_oldest_first(world: World) -> None:
    orgs = []
    for i in range(3):
        org = await world.create(f"Org {i}")
        await organizations.request_deletion(
            world.uow(), world.services, tenant=await world.tenant(org.id, ANN), confirm_name=f"Org {i}"
        )
        orgs.append(org)
        world.advance(hours=1)
    world.advance(days=31)
    assert await organizations.purge_due_organizations(world.uow(), world.services, limit=2) == 2
    assert set(world.state.organizations) == {orgs[2].id}
    assert await organizations.purge_due_organizations(world.uow(), world.services, limit=2) == 1
    assert world.state.organizations == {}


# =========================================================================== resolve_tenant


@pytest.mark.parametrize(
    ("user", "role"), [(ANN, Role.OWNER), (BEN, Role.ADMIN), (CAT, Role.MEMBER), (DAN, Role.VIEWER)]
)
async def test_resolve_tenant_gives_the_stored_role(world: World, user: UUID, role: Role) -> None:
    org = await world.team()
    assert await world.tenant(org.id, user) == TenantContext(org_id=org.id, user_id=user, role=role)


async def test_a_non_member_gets_the_same_not_found_as_for_an_unknown_organisation(world: World) -> None:
    org = await world.team()
    with pytest.raises(NotFound) as outsider:
        await world.tenant(org.id, EVE)
    with pytest.raises(NotFound) as unknown:
        await world.tenant(uuid4(), ANN)
    assert outsider.value.message == unknown.value.message
    assert outsider.value.extra == unknown.value.extra == {}


async def test_an_organisation_pending_deletion_serves_only_its_owner_and_only_when_allowed(world: World) -> None:
    org = await world.team()
    await organizations.request_deletion(
        world.uow(), world.services, tenant=await world.tenant(org.id, ANN), confirm_name=NAME
    )
    for user in (BEN, CAT, DAN):
        for allow in (False, True):
            with pytest.raises(NotFound):
                await world.tenant(org.id, user, allow_pending_deletion=allow)
    with pytest.raises(NotFound):
        await world.tenant(org.id, ANN)
    tenant = await world.tenant(org.id, ANN, allow_pending_deletion=True)
    assert tenant.role is Role.OWNER


async def test_a_removed_member_loses_access_at_once(world: World) -> None:
    org = await world.team()
    stale = await world.tenant(org.id, CAT)
    await members.remove_member(world.uow(), world.services, tenant=await world.tenant(org.id, BEN), user_id=CAT)
    with pytest.raises(NotFound):
        await world.tenant(org.id, CAT)
    assert stale.role is Role.MEMBER  # a context is only as fresh as its resolution


# =========================================================================== list_members


async def test_list_members_in_join_order_with_one_directory_lookup(world: World) -> None:
    org = await world.team()
    directory = InMemoryUserDirectory(
        {
            ANN: DirectoryUser(ANN, "ann@example.sg", "Ann Lee"),
            BEN: DirectoryUser(BEN, "ben@example.sg", "Ben Ong"),
            DAN: DirectoryUser(DAN, "dan@example.sg", "Dan Koh"),
        }
    )
    page = await members.list_members(
        world.uow(users=directory), world.services, tenant=await world.tenant(org.id, DAN), page=PageRequest()
    )
    listed = page.items
    assert page.total == 4
    assert [(m.membership.user_id, m.membership.role) for m in listed] == [
        (ANN, Role.OWNER),
        (BEN, Role.ADMIN),
        (CAT, Role.MEMBER),
        (DAN, Role.VIEWER),
    ]
    assert [m.user.full_name if m.user else None for m in listed] == ["Ann Lee", "Ben Ong", None, "Dan Koh"]
    assert directory.calls == [(ANN, BEN, CAT, DAN)]


# =========================================================================== change_role


async def test_admin_changes_a_members_role_and_an_event_records_both_roles(world: World) -> None:
    org = await world.team()
    changed = await members.change_role(
        world.uow(), world.services, tenant=await world.tenant(org.id, BEN), user_id=CAT, role=Role.ADMIN
    )
    assert changed.role is Role.ADMIN
    assert world.role_of(org.id, CAT) is Role.ADMIN
    (event,) = world.events(MemberRoleChanged.name)
    assert (event.organization_id, event.actor_id, event.subject) == (org.id, BEN, f"user:{CAT}")
    assert dict(event.payload) == {"role": "admin", "previousRole": "member"}


async def test_changing_to_the_same_role_records_nothing(world: World) -> None:
    org = await world.team()
    uow = world.uow()
    await members.change_role(
        uow, world.services, tenant=await world.tenant(org.id, BEN), user_id=CAT, role=Role.MEMBER
    )
    assert uow.commits == 0
    assert world.events(MemberRoleChanged.name) == []


@pytest.mark.parametrize(
    ("target", "role"), [(CAT, Role.OWNER), (ANN, Role.ADMIN), (ANN, Role.OWNER), (BEN, Role.OWNER)]
)
async def test_an_admin_cannot_grant_or_remove_the_owner_role(world: World, target: UUID, role: Role) -> None:
    org = await world.team()
    before = world.snapshot()
    with pytest.raises(PermissionDenied):
        await members.change_role(
            world.uow(), world.services, tenant=await world.tenant(org.id, BEN), user_id=target, role=role
        )
    assert world.state == before


@pytest.mark.parametrize("actor", [CAT, DAN])
async def test_members_and_viewers_cannot_change_roles(world: World, actor: UUID) -> None:
    org = await world.team()
    with pytest.raises(PermissionDenied):
        await members.change_role(
            world.uow(), world.services, tenant=await world.tenant(org.id, actor), user_id=DAN, role=Role.MEMBER
        )
    assert world.role_of(org.id, DAN) is Role.VIEWER


async def test_the_last_owner_cannot_be_demoted(world: World) -> None:
    org = await world.team()
    with pytest.raises(Conflict):
        await members.change_role(
            world.uow(), world.services, tenant=await world.tenant(org.id, ANN), user_id=ANN, role=Role.ADMIN
        )
    assert world.role_of(org.id, ANN) is Role.OWNER
    assert world.events(MemberRoleChanged.name) == []


async def test_an_owner_makes_another_owner_then_steps_down(world: World) -> None:
    org = await world.team()
    await members.change_role(
        world.uow(), world.services, tenant=await world.tenant(org.id, ANN), user_id=BEN, role=Role.OWNER
    )
    await members.change_role(
        world.uow(), world.services, tenant=await world.tenant(org.id, ANN), user_id=ANN, role=Role.MEMBER
    )
    assert (world.role_of(org.id, ANN), world.role_of(org.id, BEN)) == (Role.MEMBER, Role.OWNER)
    with pytest.raises(Conflict):  # Ben is now the last owner
        await members.change_role(
            world.uow(), world.services, tenant=await world.tenant(org.id, BEN), user_id=BEN, role=Role.ADMIN
        )


async def test_changing_the_role_of_a_non_member_is_not_found(world: World) -> None:
    org = await world.team()
    with pytest.raises(NotFound):
        await members.change_role(
            world.uow(), world.services, tenant=await world.tenant(org.id, ANN), user_id=EVE, role=Role.MEMBER
        )
    assert (org.id, EVE) not in world.state.memberships


# =========================================================================== remove_member / leave


async def test_admin_removes_a_member(world: World) -> None:
    org = await world.team()
    await members.remove_member(world.uow(), world.services, tenant=await world.tenant(org.id, BEN), user_id=DAN)
    assert world.role_of(org.id, DAN) is None
    (event,) = world.events(MemberRemoved.name)
    assert (event.organization_id, event.actor_id, event.subject) == (org.id, BEN, f"user:{DAN}")


async def test_an_admin_cannot_remove_an_owner(world: World) -> None:
    org = await world.team()
    with pytest.raises(PermissionDenied):
        await members.remove_member(world.uow(), world.services, tenant=await world.tenant(org.id, BEN), user_id=ANN)
    assert world.role_of(org.id, ANN) is Role.OWNER


@pytest.mark.parametrize("actor", [CAT, DAN])
async def test_members_and_viewers_cannot_remove_others(world: World, actor: UUID) -> None:
    org = await world.team()
    with pytest.raises(PermissionDenied):
        await members.remove_member(world.uow(), world.services, tenant=await world.tenant(org.id, actor), user_id=BEN)
    assert world.role_of(org.id, BEN) is Role.ADMIN


async def test_an_owner_removes_a_co_owner_but_not_the_last_owner(world: World) -> None:
    org = await world.team()
    await world.join(org.id, EVE, Role.OWNER)
    await members.remove_member(world.uow(), world.services, tenant=await world.tenant(org.id, ANN), user_id=EVE)
    assert world.role_of(org.id, EVE) is None
    with pytest.raises(Conflict):  # removing yourself as the last owner
        await members.remove_member(world.uow(), world.services, tenant=await world.tenant(org.id, ANN), user_id=ANN)
    assert world.role_of(org.id, ANN) is Role.OWNER


async def test_removing_a_non_member_is_not_found(world: World) -> None:
    org = await world.team()
    with pytest.raises(NotFound):
        await members.remove_member(world.uow(), world.services, tenant=await world.tenant(org.id, ANN), user_id=EVE)


@pytest.mark.parametrize("user", [BEN, CAT, DAN])
async def test_removing_yourself_is_leaving(world: World, user: UUID) -> None:
    org = await world.team()
    await members.remove_member(world.uow(), world.services, tenant=await world.tenant(org.id, user), user_id=user)
    assert world.role_of(org.id, user) is None
    assert world.events(MemberRemoved.name) == []
    (event,) = world.events(MemberLeft.name)
    assert (event.organization_id, event.actor_id, event.subject) == (org.id, user, f"user:{user}")


@pytest.mark.parametrize("user", [BEN, CAT, DAN])
async def test_anyone_but_the_last_owner_may_leave(world: World, user: UUID) -> None:
    org = await world.team()
    await members.leave(world.uow(), world.services, tenant=await world.tenant(org.id, user))
    assert world.role_of(org.id, user) is None
    assert [e.subject for e in world.events(MemberLeft.name)] == [f"user:{user}"]


async def test_the_last_owner_cannot_leave_until_there_is_another(world: World) -> None:
    org = await world.team()
    with pytest.raises(Conflict):
        await members.leave(world.uow(), world.services, tenant=await world.tenant(org.id, ANN))
    assert world.role_of(org.id, ANN) is Role.OWNER
    await members.change_role(
        world.uow(), world.services, tenant=await world.tenant(org.id, ANN), user_id=BEN, role=Role.OWNER
    )
    await members.leave(world.uow(), world.services, tenant=await world.tenant(org.id, ANN))
    assert world.role_of(org.id, ANN) is None
    assert world.role_of(org.id, BEN) is Role.OWNER


# =========================================================================== transfer_ownership


@pytest.mark.parametrize("target", [BEN, CAT, DAN])
async def test_transfer_ownership_makes_the_target_owner_and_the_previous_owner_admin(
    world: World, target: UUID
) -> None:
    org = await world.team()
    await members.transfer_ownership(
        world.uow(), world.services, tenant=await world.tenant(org.id, ANN), user_id=target
    )
    assert world.role_of(org.id, target) is Role.OWNER
    assert world.role_of(org.id, ANN) is Role.ADMIN
    assert sum(1 for m in world.state.memberships.values() if m.role is Role.OWNER) == 1
    (event,) = world.events(OwnershipTransferred.name)
    assert (event.organization_id, event.actor_id, event.subject) == (org.id, ANN, f"user:{target}")


@pytest.mark.parametrize("actor", [BEN, CAT, DAN])
async def test_only_owners_may_transfer_ownership(world: World, actor: UUID) -> None:
    org = await world.team()
    before = world.snapshot()
    with pytest.raises(PermissionDenied):
        await members.transfer_ownership(
            world.uow(), world.services, tenant=await world.tenant(org.id, actor), user_id=actor
        )
    assert world.state == before


async def test_ownership_goes_only_to_a_member(world: World) -> None:
    org = await world.team()
    before = world.snapshot()
    with pytest.raises(NotFound):
        await members.transfer_ownership(
            world.uow(), world.services, tenant=await world.tenant(org.id, ANN), user_id=EVE
        )
    assert world.state == before
    with pytest.raises(ValidationError):
        await members.transfer_ownership(
            world.uow(), world.services, tenant=await world.tenant(org.id, ANN), user_id=ANN
        )
    assert world.state == before


# =========================================================================== invite


async def test_admin_invites_by_normalised_email(world: World) -> None:
    org = await world.team()
    world.advance(hours=1)
    invitation = await world.invite(org.id, "  Bob.Tan@Example.SG ", Role.ADMIN, by=BEN)
    stored = world.state.invitations[invitation.id]
    assert stored.email == BOB
    assert stored.role is Role.ADMIN
    assert stored.invited_by == BEN
    assert stored.created_at == world.clock.now()
    assert stored.expires_at == world.clock.now() + timedelta(days=7)
    assert stored.digest is None  # minted only when the mail is sent
    (event,) = world.events(InvitationCreated.name)
    assert (event.organization_id, event.actor_id, event.subject) == (org.id, BEN, f"invitation:{invitation.id}")
    assert dict(event.payload) == {"invitationId": str(invitation.id), "role": "admin"}


@pytest.mark.parametrize("actor", [CAT, DAN])
async def test_members_and_viewers_cannot_invite(world: World, actor: UUID) -> None:
    org = await world.team()
    with pytest.raises(PermissionDenied):
        await world.invite(org.id, by=actor)
    assert world.state.invitations == {}


async def test_only_owners_invite_owners(world: World) -> None:
    org = await world.team()
    with pytest.raises(PermissionDenied):
        await world.invite(org.id, role=Role.OWNER, by=BEN)
    assert world.state.invitations == {}
    invitation = await world.invite(org.id, role=Role.OWNER, by=ANN)
    assert world.state.invitations[invitation.id].role is Role.OWNER


async def test_an_invalid_email_is_refused(world: World) -> None:
    org = await world.team()
    with pytest.raises(ValidationError):
        await world.invite(org.id, "bob at example")
    assert world.state.invitations == {}
    assert world.events(InvitationCreated.name) == []


async def test_a_new_invitation_to_the_same_email_revokes_the_older(world: World) -> None:
    org = await world.team()
    old = await world.invite(org.id, BOB, Role.VIEWER)
    other = await world.invite(org.id, "carol@example.sg")
    world.advance(hours=1)
    new = await world.invite(org.id, BOB.upper(), Role.MEMBER)
    assert world.state.invitations[old.id].revoked_at == world.clock.now()
    assert world.state.invitations[other.id].revoked_at is None
    assert world.state.invitations[new.id].revoked_at is None
    pending = (
        await invitations.list_invitations(
            world.uow(), world.services, tenant=await world.tenant(org.id, BEN), page=PageRequest()
        )
    ).items
    assert [i.id for i in pending] == [new.id, other.id]


async def test_seats_count_members_and_pending_invitations(world: World) -> None:
    org = await world.create()  # 1 member
    await world.join(org.id, BEN, Role.ADMIN)  # 2 members
    world.seats.limit = 4
    await world.invite(org.id, "carol@example.sg")  # 3 seats
    await world.invite(org.id, BOB)  # 4 seats
    before = world.snapshot()
    with pytest.raises(QuotaExceeded) as info:
        await world.invite(org.id, "dave@example.sg")
    assert info.value.extra == {"limit": 4, "used": 4}
    assert world.state == before


async def test_re_inviting_the_same_email_at_the_seat_limit_does_not_count_twice(world: World) -> None:
    org = await world.create()
    world.seats.limit = 2
    first = await world.invite(org.id, BOB)
    again = await world.invite(org.id, f"  {BOB.upper()}", Role.ADMIN)
    assert world.state.invitations[first.id].revoked_at is not None
    assert world.state.invitations[again.id].role is Role.ADMIN
    with pytest.raises(QuotaExceeded):
        await world.invite(org.id, "carol@example.sg")


async def test_revoked_and_expired_invitations_free_their_seats(world: World) -> None:
    org = await world.create()
    world.seats.limit = 2
    first = await world.invite(org.id, BOB)
    await invitations.revoke_invitation(
        world.uow(), world.services, tenant=await world.tenant(org.id, ANN), invitation_id=first.id
    )
    await world.invite(org.id, "carol@example.sg")
    world.advance(days=7)
    await world.invite(org.id, "dave@example.sg")  # carol's expired


async def test_no_seat_limit_means_unlimited(world: World) -> None:
    org = await world.create()
    for i in range(30):
        if i == 15:
            world.clock.advance(timedelta(hours=1))  # under the hourly invitation rate limit
        await world.invite(org.id, f"user{i}@example.sg")
    assert len(world.state.invitations) == 30


async def test_invitations_are_rate_limited_per_organisation(world: World) -> None:
    org = await world.create()
    for i in range(invitations.INVITATIONS_PER_HOUR):
        await world.invite(org.id, f"user{i}@example.sg")
    with pytest.raises(RateLimited):
        await world.invite(org.id, "one-more@example.sg")
    world.clock.advance(timedelta(hours=1, seconds=1))
    await world.invite(org.id, "one-more@example.sg")


# =========================================================================== list / revoke invitations


async def test_list_invitations_shows_pending_ones_newest_first(world: World) -> None:
    org = await world.team()
    other_org = await world.create("Other Pte Ltd")
    expired = await world.invite(org.id, "old@example.sg")
    world.advance(days=6)
    revoked = await world.invite(org.id, "gone@example.sg")
    await invitations.revoke_invitation(
        world.uow(), world.services, tenant=await world.tenant(org.id, ANN), invitation_id=revoked.id
    )
    accepted, token = await world.invite_and_mail(org.id, "joined@example.sg")
    await world.accept(token, email="joined@example.sg")
    world.advance(hours=1)
    first = await world.invite(org.id, "first@example.sg")
    world.advance(hours=1)
    second = await world.invite(org.id, "second@example.sg")
    await world.invite(other_org.id, "elsewhere@example.sg")
    world.advance(days=1)  # the first invitation is now 7 days old

    pending = (
        await invitations.list_invitations(
            world.uow(), world.services, tenant=await world.tenant(org.id, BEN), page=PageRequest()
        )
    ).items
    assert [i.id for i in pending] == [second.id, first.id]
    assert expired.id not in {i.id for i in pending} and accepted.id not in {i.id for i in pending}


@pytest.mark.parametrize("actor", [CAT, DAN])
async def test_members_and_viewers_cannot_list_invitations(world: World, actor: UUID) -> None:
    org = await world.team()
    with pytest.raises(PermissionDenied):
        await invitations.list_invitations(
            world.uow(), world.services, tenant=await world.tenant(org.id, actor), page=PageRequest()
        )


async def test_admin_revokes_an_invitation(world: World) -> None:
    org = await world.team()
    invitation = await world.invite(org.id)
    world.advance(minutes=5)
    await invitations.revoke_invitation(
        world.uow(), world.services, tenant=await world.tenant(org.id, BEN), invitation_id=invitation.id
    )
    assert world.state.invitations[invitation.id].revoked_at == world.clock.now()
    (event,) = world.events(InvitationRevoked.name)
    assert (event.organization_id, event.actor_id, event.subject) == (org.id, BEN, f"invitation:{invitation.id}")


async def test_revoking_an_unknown_revoked_or_foreign_invitation_is_not_found(world: World) -> None:
    org = await world.team()
    other = await world.create("Other Pte Ltd", by=EVE)
    foreign = await world.invite(other.id, by=EVE)
    invitation = await world.invite(org.id)
    admin = await world.tenant(org.id, BEN)
    await invitations.revoke_invitation(world.uow(), world.services, tenant=admin, invitation_id=invitation.id)
    for invitation_id in (uuid4(), invitation.id, foreign.id):
        with pytest.raises(NotFound):
            await invitations.revoke_invitation(world.uow(), world.services, tenant=admin, invitation_id=invitation_id)
    assert world.state.invitations[foreign.id].revoked_at is None
    assert len(world.events(InvitationRevoked.name)) == 1


async def test_revoking_an_expired_or_accepted_invitation_is_not_found(world: World) -> None:
    org = await world.team()
    accepted, token = await world.invite_and_mail(org.id)
    await world.accept(token)
    expired = await world.invite(org.id, "carol@example.sg")
    world.advance(days=7)
    for invitation_id in (accepted.id, expired.id):
        with pytest.raises(NotFound):
            await invitations.revoke_invitation(
                world.uow(), world.services, tenant=await world.tenant(org.id, ANN), invitation_id=invitation_id
            )


async def test_an_admin_cannot_revoke_an_owner_invitation(world: World) -> None:
    org = await world.team()
    invitation = await world.invite(org.id, role=Role.OWNER, by=ANN)
    with pytest.raises(PermissionDenied):
        await invitations.revoke_invitation(
            world.uow(), world.services, tenant=await world.tenant(org.id, BEN), invitation_id=invitation.id
        )
    assert world.state.invitations[invitation.id].revoked_at is None


@pytest.mark.parametrize("actor", [CAT, DAN])
async def test_members_and_viewers_cannot_revoke(world: World, actor: UUID) -> None:
    org = await world.team()
    invitation = await world.invite(org.id)
    with pytest.raises(PermissionDenied):
        await invitations.revoke_invitation(
            world.uow(), world.services, tenant=await world.tenant(org.id, actor), invitation_id=invitation.id
        )
    assert world.state.invitations[invitation.id].revoked_at is None


# =========================================================================== invitation mail


async def test_the_invitation_mail_carries_a_token_whose_digest_only_is_stored(world: World) -> None:
    org = await world.team()
    invitation, token = await world.invite_and_mail(org.id, role=Role.ADMIN)
    (message,) = world.mailer.sent
    assert message.to == (BOB,)
    assert NAME in message.subject
    assert "as admin" in message.text
    assert message.tags == ("invitation",)
    stored = world.state.invitations[invitation.id]
    assert stored.digest == digest_token(token)
    assert token not in repr(world.state)


async def test_no_mail_for_a_revoked_expired_or_unknown_invitation(world: World) -> None:
    org = await world.team()
    revoked = await world.invite(org.id)
    await invitations.revoke_invitation(
        world.uow(), world.services, tenant=await world.tenant(org.id, ANN), invitation_id=revoked.id
    )
    expired = await world.invite(org.id, "carol@example.sg")
    world.advance(days=7)
    for org_id, invitation_id in ((org.id, revoked.id), (org.id, expired.id), (org.id, uuid4()), (uuid4(), expired.id)):
        sent = await invitations.send_invitation_email(
            world.uow(), world.services, org_id=org_id, invitation_id=invitation_id
        )
        assert sent is False
    assert world.mailer.sent == []


# =========================================================================== accept


async def test_accepting_creates_a_membership_with_the_invited_role(world: World) -> None:
    org = await world.team()
    invitation, token = await world.invite_and_mail(org.id, role=Role.ADMIN)
    world.advance(days=2)
    bob = uuid4()
    membership = await world.accept(token, user_id=bob, email="Bob.Tan@example.SG")
    assert membership == Membership(org.id, bob, Role.ADMIN, world.clock.now())
    assert world.state.memberships[(org.id, bob)] == membership
    assert world.state.invitations[invitation.id].accepted_at == world.clock.now()
    accepted, joined = world.events()[-2:]
    assert (accepted.type, joined.type) == (InvitationAccepted.name, MemberJoined.name)
    assert accepted.organization_id == joined.organization_id == org.id
    assert accepted.actor_id == joined.actor_id == bob
    assert accepted.subject == f"invitation:{invitation.id}"
    assert joined.subject == f"user:{bob}"
    assert dict(joined.payload) == {"role": "admin", "via": "invitation"}
    assert (await world.tenant(org.id, bob)).role is Role.ADMIN


async def test_an_unverified_email_cannot_accept_until_verified(world: World) -> None:
    org = await world.team()
    _, token = await world.invite_and_mail(org.id)
    before = world.snapshot()
    bob = uuid4()
    with pytest.raises(PermissionDenied):
        await world.accept(token, user_id=bob, verified=False)
    assert world.state == before
    await world.accept(token, user_id=bob)  # still pending once the address is verified
    assert world.role_of(org.id, bob) is Role.MEMBER


async def test_an_invitation_is_bound_to_its_email(world: World) -> None:
    org = await world.team()
    _, token = await world.invite_and_mail(org.id)
    before = world.snapshot()
    with pytest.raises(PermissionDenied):
        await world.accept(token, email="mallory@example.sg")
    assert world.state == before


async def test_an_existing_member_cannot_accept(world: World) -> None:
    org = await world.team()
    _, token = await world.invite_and_mail(org.id, role=Role.ADMIN)
    before = world.snapshot()
    with pytest.raises(Conflict):
        await world.accept(token, user_id=CAT)
    assert world.state == before
    assert world.role_of(org.id, CAT) is Role.MEMBER


async def test_an_invitation_expires_after_seven_days(world: World) -> None:
    org = await world.team()
    _, token = await world.invite_and_mail(org.id)
    world.advance(days=7)
    with pytest.raises(InvalidInvitation):
        await world.accept(token)


async def test_an_invitation_is_valid_until_just_before_seven_days(world: World) -> None:
    org = await world.team()
    _, token = await world.invite_and_mail(org.id)
    world.advance(days=7, seconds=-1)
    await world.accept(token)


async def test_a_revoked_invitation_cannot_be_accepted(world: World) -> None:
    org = await world.team()
    invitation, token = await world.invite_and_mail(org.id)
    await invitations.revoke_invitation(
        world.uow(), world.services, tenant=await world.tenant(org.id, ANN), invitation_id=invitation.id
    )
    with pytest.raises(InvalidInvitation):
        await world.accept(token)


async def test_a_replaced_invitation_cannot_be_accepted(world: World) -> None:
    org = await world.team()
    _, old_token = await world.invite_and_mail(org.id, role=Role.ADMIN)
    _, new_token = await world.invite_and_mail(org.id, role=Role.VIEWER)
    with pytest.raises(InvalidInvitation):
        await world.accept(old_token)
    assert (await world.accept(new_token)).role is Role.VIEWER


async def test_an_invitation_is_single_use(world: World) -> None:
    org = await world.team()
    _, token = await world.invite_and_mail(org.id)
    await world.accept(token)
    with pytest.raises(InvalidInvitation):
        await world.accept(token)  # another account with the same email, or the same one again


@pytest.mark.parametrize("token", ["", "not-a-token", "A" * 43])
async def test_unknown_tokens_are_invalid(world: World, token: str) -> None:
    org = await world.team()
    await world.invite_and_mail(org.id)
    with pytest.raises(InvalidInvitation):
        await world.accept(token)


async def test_invitations_of_an_organisation_pending_deletion_cannot_be_accepted(world: World) -> None:
    org = await world.team()
    _, token = await world.invite_and_mail(org.id)
    await organizations.request_deletion(
        world.uow(), world.services, tenant=await world.tenant(org.id, ANN), confirm_name=NAME
    )
    with pytest.raises(InvalidInvitation):
        await world.accept(token)


# =========================================================================== secrets


async def test_no_event_carries_an_invitation_token_or_its_digest(world: World) -> None:
    org = await world.team()
    for role in (Role.VIEWER, Role.MEMBER, Role.ADMIN, Role.OWNER):
        _, token = await world.invite_and_mail(org.id, f"{role.value}@example.sg", role)
        await world.accept(token, email=f"{role.value}@example.sg")
    _, token = await world.invite_and_mail(org.id, "late@example.sg")
    invitation = next(i for i in world.state.invitations.values() if i.email == "late@example.sg")
    await invitations.revoke_invitation(
        world.uow(), world.services, tenant=await world.tenant(org.id, ANN), invitation_id=invitation.id
    )
    assert len(world.secrets) == 10
    assert len(world.events()) > 10
    for event in world.events():
        dumped = json.dumps({"payload": dict(event.payload), "subject": event.subject}, default=str)
        for secret in world.secrets:
            assert secret not in dumped, event.type
