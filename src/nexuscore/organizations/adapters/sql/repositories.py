"""SQL repositories and unit of work of the organisations context."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Select, Table, bindparam, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.events.api import sql_event_recorder
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.tenancy import Role
from nexuscore.organizations.adapters.event_store_audit_trail import EventStoreAuditTrail
from nexuscore.organizations.adapters.identity_directory import IdentityUserDirectory
from nexuscore.organizations.adapters.sql.tables import InvitationRow, MembershipRow, OrganizationRow
from nexuscore.organizations.domain.model import Address, Invitation, Membership, Organization
from nexuscore.platform.database import bind_rls_scope

_ORG_FIELDS = (
    "name",
    "uen",
    "gst_reg_no",
    "billing_email",
    "country",
    "timezone",
    "created_at",
    "updated_at",
    "deletion_requested_at",
    "purge_after",
)
_INVITATION_FIELDS = (
    "organization_id",
    "email",
    "invited_by",
    "digest",
    "created_at",
    "expires_at",
    "accepted_at",
    "revoked_at",
)


_MEMBERSHIP_T, _ORG_T = cast(Table, MembershipRow.__table__), cast(Table, OrganizationRow.__table__)
_MEMBERSHIP_WITH_ORG = (
    select(_MEMBERSHIP_T, _ORG_T)
    .join(_ORG_T, _ORG_T.c.id == _MEMBERSHIP_T.c.organization_id)
    .where(_MEMBERSHIP_T.c.organization_id == bindparam("org_id"), _MEMBERSHIP_T.c.user_id == bindparam("user_id"))
)


def _org(row: OrganizationRow) -> Organization:
    return Organization(
        id=row.id, address=Address(**row.address) if row.address else None, **{f: getattr(row, f) for f in _ORG_FIELDS}
    )


def _org_values(org: Organization) -> dict[str, Any]:
    return {"address": asdict(org.address) if org.address else None, **{f: getattr(org, f) for f in _ORG_FIELDS}}


def _membership(row: MembershipRow) -> Membership:
    return Membership(row.organization_id, row.user_id, Role(row.role), row.joined_at)


def _invitation(row: InvitationRow) -> Invitation:
    return Invitation(id=row.id, role=Role(row.role), **{f: getattr(row, f) for f in _INVITATION_FIELDS})


async def _total(session: AsyncSession, page: PageRequest, found: int, count: Select[Any]) -> int:
    """The list's size: known from the page itself when it is the last one, else counted."""
    if (found and found < page.limit) or (not found and page.offset == 0):
        return page.offset + found
    return int(await session.scalar(count) or 0)


class SqlOrganizationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, organization: Organization) -> None:
        # A new tenant: bind it so row-level security lets its first rows in.
        await bind_rls_scope(self._s, org_id=organization.id)
        self._s.add(OrganizationRow(id=organization.id, **_org_values(organization)))
        await self._s.flush()

    async def get(self, org_id: UUID) -> Organization | None:
        row = await self._s.get(OrganizationRow, org_id, populate_existing=True)
        return None if row is None else _org(row)

    async def save(self, organization: Organization) -> None:
        await self._s.execute(
            update(OrganizationRow).where(OrganizationRow.id == organization.id).values(**_org_values(organization))
        )

    async def list_for_user(self, user_id: UUID) -> Sequence[tuple[Organization, Role]]:
        rows = await self._s.execute(
            select(OrganizationRow, MembershipRow.role)
            .join(MembershipRow, MembershipRow.organization_id == OrganizationRow.id)
            .where(MembershipRow.user_id == user_id)
            .order_by(OrganizationRow.name, OrganizationRow.id)
            .limit(500)
        )
        return [(_org(org), Role(role)) for org, role in rows.all()]

    async def page_for_user(self, user_id: UUID, page: PageRequest) -> Page[tuple[Organization, Role]]:
        where = (
            MembershipRow.user_id == user_id,
            or_(OrganizationRow.deletion_requested_at.is_(None), MembershipRow.role == Role.OWNER.value),
        )
        joined = select(OrganizationRow, MembershipRow.role).join(
            MembershipRow, MembershipRow.organization_id == OrganizationRow.id
        )
        rows = await self._s.execute(
            joined.where(*where)
            .order_by(OrganizationRow.name, OrganizationRow.id)
            .limit(page.limit)
            .offset(page.offset)
        )
        items = [(_org(org), Role(role)) for org, role in rows.all()]
        total = await _total(self._s, page, len(items), joined.with_only_columns(func.count()).where(*where))
        return Page(items=items, total=total, limit=page.limit, offset=page.offset)

    async def due_for_purge(self, now: datetime, limit: int) -> Sequence[Organization]:
        rows = await self._s.scalars(
            select(OrganizationRow)
            .where(OrganizationRow.purge_after <= now)
            .order_by(OrganizationRow.purge_after)
            .limit(limit)
        )
        return [_org(r) for r in rows]

    async def purge(self, org_id: UUID) -> None:
        await self._s.execute(delete(InvitationRow).where(InvitationRow.organization_id == org_id))
        await self._s.execute(delete(MembershipRow).where(MembershipRow.organization_id == org_id))
        await self._s.execute(delete(OrganizationRow).where(OrganizationRow.id == org_id))


class SqlMembershipRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, org_id: UUID, user_id: UUID) -> Membership | None:
        row = await self._s.get(MembershipRow, (org_id, user_id), populate_existing=True)
        return None if row is None else _membership(row)

    async def get_with_organization(self, org_id: UUID, user_id: UUID) -> tuple[Membership, Organization] | None:
        # Every tenant request runs this (the membership check against the database): a Core
        # statement built once, its row read into the domain objects directly, no ORM instances.
        row = (await self._s.execute(_MEMBERSHIP_WITH_ORG, {"org_id": org_id, "user_id": user_id})).first()
        if row is None:
            return None
        found, m, o = row._mapping, _MEMBERSHIP_T.c, _ORG_T.c
        membership = Membership(found[m.organization_id], found[m.user_id], Role(found[m.role]), found[m.joined_at])
        address = found[o.address]
        org = Organization(
            id=found[o.id],
            address=Address(**address) if address else None,
            **{f: found[o[f]] for f in _ORG_FIELDS},
        )
        return membership, org

    async def list(self, org_id: UUID) -> Sequence[Membership]:
        rows = await self._s.scalars(
            select(MembershipRow)
            .where(MembershipRow.organization_id == org_id)
            .order_by(MembershipRow.joined_at)
            .limit(1000)
        )
        return [_membership(r) for r in rows]

    async def page(self, org_id: UUID, page: PageRequest) -> Page[Membership]:
        where = MembershipRow.organization_id == org_id
        rows = await self._s.scalars(
            select(MembershipRow)
            .where(where)
            .order_by(MembershipRow.joined_at, MembershipRow.user_id)
            .limit(page.limit)
            .offset(page.offset)
        )
        items = [_membership(r) for r in rows]
        total = await _total(self._s, page, len(items), select(func.count()).select_from(MembershipRow).where(where))
        return Page(items=items, total=total, limit=page.limit, offset=page.offset)

    async def add(self, membership: Membership) -> None:
        self._s.add(
            MembershipRow(
                organization_id=membership.organization_id,
                user_id=membership.user_id,
                role=membership.role.value,
                joined_at=membership.joined_at,
            )
        )
        await self._s.flush()

    async def save(self, membership: Membership) -> None:
        await self._s.execute(
            update(MembershipRow)
            .where(
                MembershipRow.organization_id == membership.organization_id, MembershipRow.user_id == membership.user_id
            )
            .values(role=membership.role.value)
        )

    async def remove(self, org_id: UUID, user_id: UUID) -> None:
        await self._s.execute(
            delete(MembershipRow).where(MembershipRow.organization_id == org_id, MembershipRow.user_id == user_id)
        )

    async def count_owners(self, org_id: UUID, *, lock: bool = False) -> int:
        stmt = select(MembershipRow.user_id).where(
            MembershipRow.organization_id == org_id, MembershipRow.role == Role.OWNER.value
        )
        if lock:
            stmt = stmt.with_for_update()  # two concurrent demotions cannot both see "2 owners"
        return len((await self._s.scalars(stmt)).all())

    async def count(self, org_id: UUID) -> int:
        total = await self._s.scalar(
            select(func.count()).select_from(MembershipRow).where(MembershipRow.organization_id == org_id)
        )
        return int(total or 0)


class SqlInvitationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, invitation: Invitation) -> None:
        self._s.add(
            InvitationRow(
                id=invitation.id, role=invitation.role.value, **{f: getattr(invitation, f) for f in _INVITATION_FIELDS}
            )
        )
        await self._s.flush()

    async def get(self, org_id: UUID, invitation_id: UUID, *, for_update: bool = False) -> Invitation | None:
        stmt = select(InvitationRow).where(InvitationRow.id == invitation_id, InvitationRow.organization_id == org_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = await self._s.scalar(stmt)
        return None if row is None else _invitation(row)

    async def count_created_since(self, org_id: UUID, since: datetime) -> int:
        count = await self._s.scalar(
            select(func.count())
            .select_from(InvitationRow)
            .where(InvitationRow.organization_id == org_id, InvitationRow.created_at > since)
        )
        return int(count or 0)

    async def list_pending(self, org_id: UUID, now: datetime) -> Sequence[Invitation]:
        rows = await self._s.scalars(
            select(InvitationRow)
            .where(
                InvitationRow.organization_id == org_id,
                InvitationRow.accepted_at.is_(None),
                InvitationRow.revoked_at.is_(None),
                InvitationRow.expires_at > now,
            )
            .order_by(InvitationRow.created_at.desc())
            .limit(1000)
        )
        return [_invitation(r) for r in rows]

    async def page_pending(self, org_id: UUID, now: datetime, page: PageRequest) -> Page[Invitation]:
        where = (
            InvitationRow.organization_id == org_id,
            InvitationRow.accepted_at.is_(None),
            InvitationRow.revoked_at.is_(None),
            InvitationRow.expires_at > now,
        )
        rows = await self._s.scalars(
            select(InvitationRow)
            .where(*where)
            .order_by(InvitationRow.created_at.desc(), InvitationRow.id.desc())
            .limit(page.limit)
            .offset(page.offset)
        )
        items = [_invitation(r) for r in rows]
        total = await _total(self._s, page, len(items), select(func.count()).select_from(InvitationRow).where(*where))
        return Page(items=items, total=total, limit=page.limit, offset=page.offset)

    async def find_by_digest(self, digest: str) -> Invitation | None:
        # The token is the only key a stranger holds: look it up across tenants as the system,
        # then drop back to that invitation's tenant for everything that follows.
        await bind_rls_scope(self._s, system=True)
        try:
            row = await self._s.scalar(select(InvitationRow).where(InvitationRow.digest == digest))
        finally:
            await bind_rls_scope(self._s, system=False)
        if row is None:
            return None
        await bind_rls_scope(self._s, org_id=row.organization_id)
        return _invitation(row)

    async def save(self, invitation: Invitation) -> None:
        await self._s.execute(
            update(InvitationRow)
            .where(InvitationRow.id == invitation.id)
            .values(role=invitation.role.value, **{f: getattr(invitation, f) for f in _INVITATION_FIELDS})
        )

    async def revoke_pending(self, org_id: UUID, email: str, now: datetime) -> int:
        result = await self._s.execute(
            update(InvitationRow)
            .where(
                InvitationRow.organization_id == org_id,
                InvitationRow.email == email,
                InvitationRow.accepted_at.is_(None),
                InvitationRow.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


class SqlOrganizationsUnitOfWork:
    """One session: the repositories, the event recorder (which stamps with `clock`), and the
    identity and events contexts' readers on the same session."""

    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock
        self.organizations = SqlOrganizationRepository(session)
        self.memberships = SqlMembershipRepository(session)
        self.invitations = SqlInvitationRepository(session)
        self.events = sql_event_recorder(session, clock)
        self.users = IdentityUserDirectory(session)
        self.audit_trail = EventStoreAuditTrail(session)

    async def commit(self) -> None:
        await self.session.commit()


async def member_roles(session: AsyncSession, org_id: UUID) -> list[tuple[UUID, Role]]:
    """(user id, role) of every member, oldest membership first (ties by user id, so the order is stable)."""
    rows = await session.execute(
        select(MembershipRow.user_id, MembershipRow.role)
        .where(MembershipRow.organization_id == org_id)
        .order_by(MembershipRow.joined_at, MembershipRow.user_id)
    )
    return [(user_id, Role(role)) for user_id, role in rows.all()]


class UnlimitedEntitlements:
    """Every organisation may add members until the subscriptions context sets plan limits."""

    async def seat_limit(self, org_id: UUID) -> int | None:
        return None

    async def require_writable(self, org_id: UUID) -> None:
        return None
