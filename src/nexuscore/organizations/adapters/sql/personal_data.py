"""The organisations context's part of the personal data map: memberships, invitations, and an
organisation's billing contact when it is the subject's own address.

Only user subjects have rows here. The organisation itself (name, address) is a business's
identity, not a person's: it stays, listed as retained."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.kernel.personal_data import (
    Category,
    ErasureReport,
    Masking,
    PersonalField,
    SubjectKind,
    SubjectQuery,
    SubjectRecord,
    json_safe,
)
from nexuscore.organizations.adapters.sql.tables import InvitationRow, MembershipRow, OrganizationRow
from nexuscore.platform.database import bind_rls_scope

BUSINESS_IDENTITY = "the organisation's own name and registered address: a business's identity, not a person's"
FIELDS: tuple[PersonalField, ...] = (
    PersonalField("organizations_membership", "user_id", Category.ACCOUNT, Masking.DELETE_ROW, "membership and role"),
    PersonalField("organizations_invitation", "email", Category.CONTACT, Masking.DELETE_ROW, "address invited"),
    PersonalField(
        "organizations_organization", "billing_email", Category.CONTACT, Masking.NULL, "when it is the subject's"
    ),
    PersonalField(
        "organizations_organization", "name", Category.FINANCIAL, Masking.RETAIN, retain_reason=BUSINESS_IDENTITY
    ),
    PersonalField(
        "organizations_organization", "address", Category.FINANCIAL, Masking.RETAIN, retain_reason=BUSINESS_IDENTITY
    ),
)


class OrganizationsPersonalData:
    name = "organizations"
    fields: Sequence[PersonalField] = FIELDS

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def export(self, subject: SubjectQuery) -> Sequence[SubjectRecord]:
        if subject.kind is not SubjectKind.USER:
            return []
        async with self._sessions() as session, session.begin():
            await bind_rls_scope(session, system=True)
            memberships = await session.execute(
                select(MembershipRow, OrganizationRow.name)
                .join(OrganizationRow, OrganizationRow.id == MembershipRow.organization_id)
                .where(MembershipRow.user_id == subject.user_id)
                .order_by(MembershipRow.joined_at)
            )
            out = [
                SubjectRecord(
                    "organizations_membership",
                    f"{m.organization_id}:{m.user_id}",
                    m.organization_id,
                    {"organization": org_name, "role": m.role, "joined_at": json_safe(m.joined_at)},
                )
                for m, org_name in memberships
            ]
            if subject.emails:
                invitations = await session.scalars(
                    select(InvitationRow).where(InvitationRow.email.in_(subject.emails)).order_by(InvitationRow.id)
                )
                out += [
                    SubjectRecord(
                        "organizations_invitation",
                        str(i.id),
                        i.organization_id,
                        {
                            "email": i.email,
                            "role": i.role,
                            "created_at": json_safe(i.created_at),
                            "accepted_at": json_safe(i.accepted_at),
                        },
                    )
                    for i in invitations
                ]
                orgs = await session.scalars(
                    select(OrganizationRow).where(OrganizationRow.billing_email.in_(subject.emails))
                )
                out += [
                    SubjectRecord(
                        "organizations_organization",
                        str(o.id),
                        o.id,
                        {"name": o.name, "billing_email": o.billing_email},
                    )
                    for o in orgs
                ]
            return out

    async def erase(self, subject: SubjectQuery, salt: bytes) -> ErasureReport:
        if subject.kind is not SubjectKind.USER:
            return ErasureReport(self.name)
        async with self._sessions() as session, session.begin():
            await bind_rls_scope(session, system=True)
            memberships = await session.execute(delete(MembershipRow).where(MembershipRow.user_id == subject.user_id))
            invitations = billing = 0
            if subject.emails:
                result = await session.execute(delete(InvitationRow).where(InvitationRow.email.in_(subject.emails)))
                invitations = int(getattr(result, "rowcount", 0) or 0)
                result = await session.execute(
                    update(OrganizationRow)
                    .where(OrganizationRow.billing_email.in_(subject.emails))
                    .values(billing_email=None)
                )
                billing = int(getattr(result, "rowcount", 0) or 0)
        return ErasureReport(
            self.name,
            deleted={
                "organizations_membership": int(getattr(memberships, "rowcount", 0) or 0),
                "organizations_invitation": invitations,
            },
            masked={"organizations_organization": billing} if billing else {},
        )
