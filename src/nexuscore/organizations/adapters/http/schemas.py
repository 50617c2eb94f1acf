"""Request and response bodies of the organisations API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from nexuscore.kernel.tenancy import Role
from nexuscore.organizations.domain.model import Address, Invitation, Membership, Organization
from nexuscore.organizations.ports.repositories import DirectoryUser
from nexuscore.platform.http.structs import PageResponse, RequestBody, ResponseBody

# The role enum, one component of the document (`Role`) for every body that names a role.
RoleName = Role
Short = Annotated[str, msgspec.Meta(max_length=200)]
Line = Annotated[str, msgspec.Meta(max_length=200)]


class AddressBody(RequestBody):
    line1: Line
    postal_code: Annotated[str, msgspec.Meta(max_length=12)]
    line2: Line | None = None
    city: Annotated[str, msgspec.Meta(max_length=100)] = "Singapore"
    country: Annotated[str, msgspec.Meta(min_length=2, max_length=2)] = "SG"

    def to_domain(self) -> Address:
        return Address(
            line1=self.line1.strip(),
            postal_code=self.postal_code.strip(),
            line2=self.line2.strip() if self.line2 else None,
            city=self.city.strip(),
            country=self.country.upper(),
        )


class AddressResponse(ResponseBody):
    line1: str
    postal_code: str
    line2: str | None
    city: str
    country: str


class CreateOrganizationRequest(RequestBody):
    name: Short
    country: Annotated[str, msgspec.Meta(max_length=2)] = "SG"
    timezone: Annotated[str, msgspec.Meta(max_length=64)] = "Asia/Singapore"
    uen: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    gst_reg_no: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    billing_email: Annotated[str, msgspec.Meta(max_length=320)] | None = None
    address: AddressBody | None = None


class UpdateOrganizationRequest(RequestBody):
    """Absent fields stay as they are; null clears an optional field."""

    name: Short | msgspec.UnsetType = msgspec.UNSET
    country: Annotated[str, msgspec.Meta(max_length=2)] | msgspec.UnsetType = msgspec.UNSET
    timezone: Annotated[str, msgspec.Meta(max_length=64)] | msgspec.UnsetType = msgspec.UNSET
    uen: Annotated[str, msgspec.Meta(max_length=20)] | msgspec.UnsetType | None = msgspec.UNSET
    gst_reg_no: Annotated[str, msgspec.Meta(max_length=20)] | msgspec.UnsetType | None = msgspec.UNSET
    billing_email: Annotated[str, msgspec.Meta(max_length=320)] | msgspec.UnsetType | None = msgspec.UNSET
    address: AddressBody | msgspec.UnsetType | None = msgspec.UNSET


class DeleteOrganizationRequest(RequestBody):
    confirm_name: Short


class ChangeRoleRequest(RequestBody):
    role: RoleName


class TransferOwnershipRequest(RequestBody):
    user_id: UUID


class InviteRequest(RequestBody):
    email: Annotated[str, msgspec.Meta(max_length=320)]
    role: RoleName = Role.MEMBER


class AcceptInvitationRequest(RequestBody):
    token: Annotated[str, msgspec.Meta(max_length=512)]


class OrganizationResponse(ResponseBody):
    id: UUID
    name: str
    role: RoleName
    country: str
    timezone: str
    uen: str | None
    gst_reg_no: str | None
    billing_email: str | None
    address: AddressResponse | None
    created_at: datetime
    updated_at: datetime
    deletion_requested_at: datetime | None
    purge_after: datetime | None

    @classmethod
    def of(cls, org: Organization, role: Role) -> OrganizationResponse:
        a = org.address
        return cls(
            id=org.id,
            name=org.name,
            role=role,
            country=org.country,
            timezone=org.timezone,
            uen=org.uen,
            gst_reg_no=org.gst_reg_no,
            billing_email=org.billing_email,
            address=AddressResponse(
                line1=a.line1, postal_code=a.postal_code, line2=a.line2, city=a.city, country=a.country
            )
            if a
            else None,
            created_at=org.created_at,
            updated_at=org.updated_at,
            deletion_requested_at=org.deletion_requested_at,
            purge_after=org.purge_after,
        )


class MemberResponse(ResponseBody):
    user_id: UUID
    role: RoleName
    joined_at: datetime
    email: str | None
    full_name: str | None

    @classmethod
    def of(cls, membership: Membership, user: DirectoryUser | None) -> MemberResponse:
        return cls(
            user_id=membership.user_id,
            role=membership.role,
            joined_at=membership.joined_at,
            email=user.email if user else None,
            full_name=user.full_name if user else None,
        )


class InvitationResponse(ResponseBody):
    id: UUID
    email: str
    role: RoleName
    invited_by: UUID
    created_at: datetime
    expires_at: datetime

    @classmethod
    def of(cls, invitation: Invitation) -> InvitationResponse:
        return cls(
            id=invitation.id,
            email=invitation.email,
            role=invitation.role,
            invited_by=invitation.invited_by,
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
        )


class MembershipResponse(ResponseBody):
    organization_id: UUID
    role: RoleName


class AuditEventResponse(ResponseBody):
    id: UUID
    type: str
    actor_id: UUID | None
    subject: str | None
    payload: dict[str, Any]
    occurred_at: datetime


class AuditEventPage(PageResponse[AuditEventResponse]):
    items: list[AuditEventResponse]  # named again so the document shows the item type


class OrganizationPage(PageResponse[OrganizationResponse]):
    """Your organisations, by name."""

    items: list[OrganizationResponse]  # named again so the document shows the item type


class MemberPage(PageResponse[MemberResponse]):
    """Members, by when they joined."""

    items: list[MemberResponse]  # named again so the document shows the item type


class InvitationPage(PageResponse[InvitationResponse]):
    """Pending invitations, newest first."""

    items: list[InvitationResponse]  # named again so the document shows the item type
