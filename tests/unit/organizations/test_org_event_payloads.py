"""The stored shape of every organisations event, recorded through its use case.

The audit trail shows these envelopes and payloads and the invitation mail reads them, so
each one is pinned here exactly as stored (payload key order included). Only the `Harness`
calls use cases; the expectations are the contract.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import pytest

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.events import EventRecord
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.organizations.adapters.memory.store import (
    FixedSeatLimit,
    InMemoryOrganizationsUnitOfWork,
    OrganizationsState,
)
from nexuscore.organizations.application import invitations, members, organizations
from nexuscore.organizations.application.organizations import OrganizationInput
from nexuscore.organizations.application.services import OrganizationsServices
from nexuscore.organizations.application.tenancy import resolve_tenant
from nexuscore.organizations.domain.model import Invitation, Membership, Organization
from nexuscore.platform.mail import RecordingMailer

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
APP = "https://app.nexuscore.test"
NAME = "Acme Trading Pte Ltd"
BOB_EMAIL = "bob.tan@example.sg"
ANN, BEN, CAT, DAN, BOB = (UUID(int=i) for i in range(1, 6))


class Harness:
    """One organisations context on in-memory adapters; the only place that calls use cases."""

    def __init__(self) -> None:
        self.state = OrganizationsState()
        self.clock = FixedClock(T0)
        self.mailer = RecordingMailer()
        self.seats = FixedSeatLimit(None)
        self._seen = 0

    def uow(self) -> InMemoryOrganizationsUnitOfWork:
        return InMemoryOrganizationsUnitOfWork(self.state, self.clock)

    @property
    def services(self) -> OrganizationsServices:
        return OrganizationsServices(self.clock, self.mailer, APP, self.seats)

    def advance(self, **delta: float) -> datetime:
        self.clock.advance(timedelta(**(delta or {"minutes": 1})))
        return self.clock.now()

    def new_events(self) -> list[EventRecord]:
        fresh = self.state.events[self._seen :]
        self._seen = len(self.state.events)
        return fresh

    async def seed_member(self, org_id: UUID, user_id: UUID, role: Role) -> None:
        uow = self.uow()
        await uow.memberships.add(Membership(org_id, user_id, role, self.clock.now()))
        await uow.commit()

    async def tenant(self, org_id: UUID, user_id: UUID, *, pending: bool = False) -> TenantContext:
        return await resolve_tenant(
            self.uow(), self.services, org_id=org_id, user_id=user_id, allow_pending_deletion=pending
        )

    async def create(self, by: UUID = ANN) -> Organization:
        return await organizations.create_organization(
            self.uow(), self.services, user_id=by, data=OrganizationInput(name=NAME)
        )

    async def update(self, org_id: UUID, by: UUID, **fields: Any) -> None:
        await organizations.update_organization(
            self.uow(), self.services, tenant=await self.tenant(org_id, by), data=OrganizationInput(**fields)
        )

    async def request_deletion(self, org_id: UUID, by: UUID) -> Organization:
        return await organizations.request_deletion(
            self.uow(), self.services, tenant=await self.tenant(org_id, by), confirm_name=NAME
        )

    async def cancel_deletion(self, org_id: UUID, by: UUID) -> None:
        await organizations.cancel_deletion(
            self.uow(), self.services, tenant=await self.tenant(org_id, by, pending=True)
        )

    async def purge_due(self) -> int:
        return await organizations.purge_due_organizations(self.uow(), self.services)

    async def change_role(self, org_id: UUID, by: UUID, user_id: UUID, role: Role) -> None:
        await members.change_role(
            self.uow(), self.services, tenant=await self.tenant(org_id, by), user_id=user_id, role=role
        )

    async def remove_member(self, org_id: UUID, by: UUID, user_id: UUID) -> None:
        await members.remove_member(self.uow(), self.services, tenant=await self.tenant(org_id, by), user_id=user_id)

    async def leave(self, org_id: UUID, user_id: UUID) -> None:
        await members.leave(self.uow(), self.services, tenant=await self.tenant(org_id, user_id))

    async def transfer_ownership(self, org_id: UUID, by: UUID, user_id: UUID) -> None:
        await members.transfer_ownership(
            self.uow(), self.services, tenant=await self.tenant(org_id, by), user_id=user_id
        )

    async def invite(self, org_id: UUID, by: UUID, role: Role = Role.MEMBER) -> Invitation:
        return await invitations.invite(
            self.uow(), self.services, tenant=await self.tenant(org_id, by), email=BOB_EMAIL, role=role
        )

    async def revoke_invitation(self, org_id: UUID, by: UUID, invitation_id: UUID) -> None:
        await invitations.revoke_invitation(
            self.uow(), self.services, tenant=await self.tenant(org_id, by), invitation_id=invitation_id
        )

    async def mailed_token(self, invitation: Invitation) -> str:
        uow = self.uow()
        assert await invitations.send_invitation_email(
            uow, self.services, org_id=invitation.organization_id, invitation_id=invitation.id
        )
        await uow.commit()
        (link,) = re.findall(r"https?://\S+", self.mailer.sent[-1].text)
        return str(parse_qs(urlsplit(link).query)["token"][0])

    async def accept(self, token: str, user_id: UUID) -> None:
        await invitations.accept_invitation(
            self.uow(), self.services, token=token, user_id=user_id, user_email=BOB_EMAIL, email_verified=True
        )


def shape(event: EventRecord) -> tuple[Any, ...]:
    """Everything stored of an event but its random id; the payload as its JSON text (key order counts)."""
    return (
        event.type,
        event.subject,
        event.organization_id,
        event.actor_id,
        event.occurred_at,
        json.dumps(dict(event.payload)),
    )


def expect(
    type_: str, subject: str, org_id: UUID, actor: UUID | None, at: datetime, payload: dict[str, Any]
) -> tuple[Any, ...]:
    return (type_, subject, org_id, actor, at, json.dumps(payload))


@pytest.fixture
def h() -> Harness:
    return Harness()


async def test_organisation_lifecycle_events(h: Harness) -> None:
    org = await h.create()
    subject = f"organization:{org.id}"
    assert [shape(e) for e in h.new_events()] == [
        expect("org.created", subject, org.id, ANN, T0, {"name": NAME}),
        expect("org.member_joined", f"user:{ANN}", org.id, ANN, T0, {"role": "owner", "via": "created"}),
    ]

    at = h.advance()
    await h.update(org.id, ANN, name="Acme Holdings Pte Ltd", uen="53012345D", timezone="Asia/Singapore")
    await h.update(org.id, ANN, name="Acme Holdings Pte Ltd")  # unchanged: no event
    assert [shape(e) for e in h.new_events()] == [
        expect("org.updated", subject, org.id, ANN, at, {"fields": ["name", "uen"]}),
    ]
    await h.update(org.id, ANN, name=NAME)
    h.new_events()

    at = h.advance()
    scheduled = await h.request_deletion(org.id, ANN)
    assert scheduled.purge_after == at + timedelta(days=30)
    assert [shape(e) for e in h.new_events()] == [
        expect("org.deletion_requested", subject, org.id, ANN, at, {"purgeAfter": "2026-04-01T09:02:00+00:00"}),
    ]

    at = h.advance()
    await h.cancel_deletion(org.id, ANN)
    assert [shape(e) for e in h.new_events()] == [
        expect("org.deletion_cancelled", subject, org.id, ANN, at, {}),
    ]

    await h.request_deletion(org.id, ANN)
    h.new_events()
    at = h.advance(days=31)
    assert await h.purge_due() == 1
    assert [shape(e) for e in h.new_events()] == [
        expect("org.purged", subject, org.id, None, at, {}),
    ]


async def test_member_events(h: Harness) -> None:
    org = await h.create()
    for user_id, role in ((BEN, Role.ADMIN), (CAT, Role.MEMBER), (DAN, Role.VIEWER)):
        await h.seed_member(org.id, user_id, role)
    h.new_events()

    at = h.advance()
    await h.change_role(org.id, ANN, CAT, Role.VIEWER)
    await h.change_role(org.id, ANN, CAT, Role.VIEWER)  # unchanged: no event
    assert [shape(e) for e in h.new_events()] == [
        expect("org.member_role_changed", f"user:{CAT}", org.id, ANN, at, {"role": "viewer", "previousRole": "member"}),
    ]

    at = h.advance()
    await h.remove_member(org.id, BEN, CAT)
    assert [shape(e) for e in h.new_events()] == [
        expect("org.member_removed", f"user:{CAT}", org.id, BEN, at, {}),
    ]

    at = h.advance()
    await h.leave(org.id, DAN)
    await h.remove_member(org.id, BEN, BEN)  # removing yourself is leaving
    assert [shape(e) for e in h.new_events()] == [
        expect("org.member_left", f"user:{DAN}", org.id, DAN, at, {}),
        expect("org.member_left", f"user:{BEN}", org.id, BEN, at, {}),
    ]

    await h.seed_member(org.id, BEN, Role.ADMIN)
    at = h.advance()
    await h.transfer_ownership(org.id, ANN, BEN)
    assert [shape(e) for e in h.new_events()] == [
        expect("org.ownership_transferred", f"user:{BEN}", org.id, ANN, at, {}),
    ]


async def test_invitation_events(h: Harness) -> None:
    org = await h.create()
    await h.seed_member(org.id, BEN, Role.ADMIN)
    h.new_events()

    at = h.advance()
    first = await h.invite(org.id, ANN, Role.ADMIN)
    assert [shape(e) for e in h.new_events()] == [
        expect(
            "org.invitation_created",
            f"invitation:{first.id}",
            org.id,
            ANN,
            at,
            {"invitationId": str(first.id), "role": "admin"},
        ),
    ]

    at = h.advance()
    await h.revoke_invitation(org.id, ANN, first.id)
    assert [shape(e) for e in h.new_events()] == [
        expect("org.invitation_revoked", f"invitation:{first.id}", org.id, ANN, at, {}),
    ]

    second = await h.invite(org.id, BEN, Role.VIEWER)
    token = await h.mailed_token(second)
    h.new_events()
    at = h.advance()
    await h.accept(token, BOB)
    assert [shape(e) for e in h.new_events()] == [
        expect("org.invitation_accepted", f"invitation:{second.id}", org.id, BOB, at, {}),
        expect("org.member_joined", f"user:{BOB}", org.id, BOB, at, {"role": "viewer", "via": "invitation"}),
    ]
