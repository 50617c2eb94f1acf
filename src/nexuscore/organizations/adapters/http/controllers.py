"""HTTP adapter of the organisations context: /api/v1/orgs and /api/v1/invitations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from nexuscore.identity.api import Principal
from nexuscore.kernel.paging import DEFAULT_LIMIT, PageRequest
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.organizations.adapters.http.dependencies import (
    provide_tenant_including_pending_deletion,
)
from nexuscore.organizations.adapters.http.schemas import (
    AcceptInvitationRequest,
    AuditEventPage,
    AuditEventResponse,
    ChangeRoleRequest,
    CreateOrganizationRequest,
    DeleteOrganizationRequest,
    InvitationPage,
    InvitationResponse,
    InviteRequest,
    MemberPage,
    MemberResponse,
    MembershipResponse,
    OrganizationPage,
    OrganizationResponse,
    TransferOwnershipRequest,
    UpdateOrganizationRequest,
)
from nexuscore.organizations.adapters.sql.repositories import SqlOrganizationsUnitOfWork
from nexuscore.organizations.application import audit, invitations, members, organizations
from nexuscore.organizations.application.organizations import UNSET, OrganizationInput
from nexuscore.organizations.application.services import OrganizationsServices
from nexuscore.platform.http.problem_docs import CONFLICT, FORBIDDEN, NOT_FOUND, QUOTA_EXCEEDED, RATE_LIMITED, problems
from nexuscore.platform.http.structs import Limit, Offset

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]
OrgUoW = NamedDependency[SqlOrganizationsUnitOfWork]
OrgServices = NamedDependency[OrganizationsServices]


def _input(data: CreateOrganizationRequest | UpdateOrganizationRequest) -> OrganizationInput:
    def v(value: Any) -> object:
        return UNSET if value is msgspec.UNSET else value

    address: object = v(data.address)
    if address not in (UNSET, None):
        address = data.address.to_domain()  # type: ignore[union-attr]
    return OrganizationInput(
        name=v(data.name),
        uen=v(data.uen),
        gst_reg_no=v(data.gst_reg_no),
        billing_email=v(data.billing_email),
        address=address,
        country=v(data.country),
        timezone=v(data.timezone),
    )


class OrganizationsController(Controller):
    path = "/api/v1/orgs"
    tags = ["organizations"]
    security = BEARER

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Create an organisation; you become its owner",
        opt=problems(CONFLICT),
    )
    async def create_organization(
        self,
        principal: NamedDependency[Principal],
        data: JSONBody[CreateOrganizationRequest],
        org_uow: OrgUoW,
        org_services: OrgServices,
    ) -> OrganizationResponse:
        org = await organizations.create_organization(
            org_uow, org_services, user_id=principal.user_id, data=_input(data)
        )
        return OrganizationResponse.of(org, Role.OWNER)

    @get("/", summary="Your organisations, with your role in each")
    async def list_organizations(
        self,
        principal: NamedDependency[Principal],
        org_uow: OrgUoW,
        org_services: OrgServices,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> OrganizationPage:
        found = await organizations.list_my_organizations(
            org_uow, org_services, user_id=principal.user_id, page=PageRequest(limit=limit, offset=offset)
        )
        return OrganizationPage.of(found, lambda pair: OrganizationResponse.of(*pair))

    @get("/{org_id:uuid}", summary="Organisation details")
    async def get_organization(
        self, org_id: FromPath[UUID], tenant: NamedDependency[TenantContext], org_uow: OrgUoW, org_services: OrgServices
    ) -> OrganizationResponse:
        org = await organizations.get_organization(org_uow, org_services, tenant=tenant)
        return OrganizationResponse.of(org, tenant.role)

    @patch("/{org_id:uuid}", summary="Change organisation details (admin or owner)")
    async def update_organization(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: JSONBody[UpdateOrganizationRequest],
        org_uow: OrgUoW,
        org_services: OrgServices,
    ) -> OrganizationResponse:
        org = await organizations.update_organization(org_uow, org_services, tenant=tenant, data=_input(data))
        return OrganizationResponse.of(org, tenant.role)

    @delete(
        "/{org_id:uuid}",
        status_code=HTTP_202_ACCEPTED,
        summary="Delete the organisation (owner): it stops serving now and is purged after 30 days",
        opt=problems(CONFLICT),
    )
    async def delete_organization(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: JSONBody[DeleteOrganizationRequest],
        org_uow: OrgUoW,
        org_services: OrgServices,
    ) -> OrganizationResponse:
        org = await organizations.request_deletion(org_uow, org_services, tenant=tenant, confirm_name=data.confirm_name)
        return OrganizationResponse.of(org, tenant.role)

    @post(
        "/{org_id:uuid}/cancel-deletion",
        status_code=HTTP_200_OK,
        summary="Cancel a scheduled deletion (owner)",
        dependencies={"tenant": Provide(provide_tenant_including_pending_deletion)},
        opt=problems(CONFLICT),
    )
    async def cancel_organization_deletion(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        org_uow: OrgUoW,
        org_services: OrgServices,
    ) -> OrganizationResponse:
        org = await organizations.cancel_deletion(org_uow, org_services, tenant=tenant)
        return OrganizationResponse.of(org, tenant.role)

    @get("/{org_id:uuid}/members", summary="Members with their roles")
    async def list_members(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        org_uow: OrgUoW,
        org_services: OrgServices,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> MemberPage:
        found = await members.list_members(
            org_uow, org_services, tenant=tenant, page=PageRequest(limit=limit, offset=offset)
        )
        return MemberPage.of(found, lambda m: MemberResponse.of(m.membership, m.user))

    @patch("/{org_id:uuid}/members/{user_id:uuid}", summary="Change a member's role", opt=problems(CONFLICT))
    async def change_member_role(
        self,
        org_id: FromPath[UUID],
        user_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: JSONBody[ChangeRoleRequest],
        org_uow: OrgUoW,
        org_services: OrgServices,
    ) -> MemberResponse:
        membership = await members.change_role(
            org_uow, org_services, tenant=tenant, user_id=user_id, role=Role(data.role)
        )
        users = await org_uow.users.get_many([user_id])
        return MemberResponse.of(membership, users.get(user_id))

    @delete(
        "/{org_id:uuid}/members/{user_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Remove a member",
        opt=problems(CONFLICT),
    )
    async def remove_member(
        self,
        org_id: FromPath[UUID],
        user_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        org_uow: OrgUoW,
        org_services: OrgServices,
    ) -> None:
        await members.remove_member(org_uow, org_services, tenant=tenant, user_id=user_id)

    @post(
        "/{org_id:uuid}/leave",
        status_code=HTTP_204_NO_CONTENT,
        summary="Leave the organisation",
        opt=problems(CONFLICT),
    )
    async def leave_organization(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        org_uow: OrgUoW,
        org_services: OrgServices,
    ) -> None:
        await members.leave(org_uow, org_services, tenant=tenant)

    @post(
        "/{org_id:uuid}/transfer-ownership",
        status_code=HTTP_204_NO_CONTENT,
        summary="Hand ownership to a member",
        opt=problems(CONFLICT),
    )
    async def transfer_ownership(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: JSONBody[TransferOwnershipRequest],
        org_uow: OrgUoW,
        org_services: OrgServices,
    ) -> None:
        await members.transfer_ownership(org_uow, org_services, tenant=tenant, user_id=data.user_id)

    @post(
        "/{org_id:uuid}/invitations",
        status_code=HTTP_201_CREATED,
        summary="Invite someone by email",
        opt=problems(QUOTA_EXCEEDED, CONFLICT, RATE_LIMITED),
    )
    async def create_invitation(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        principal: NamedDependency[Principal],
        data: JSONBody[InviteRequest],
        org_uow: OrgUoW,
        org_services: OrgServices,
    ) -> InvitationResponse:
        invitation = await invitations.invite(
            org_uow,
            org_services,
            tenant=tenant,
            email=data.email,
            role=Role(data.role),
            inviter_email_verified=principal.email_verified,
        )
        return InvitationResponse.of(invitation)

    @get("/{org_id:uuid}/invitations", summary="Pending invitations")
    async def list_invitations(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        org_uow: OrgUoW,
        org_services: OrgServices,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> InvitationPage:
        pending = await invitations.list_invitations(
            org_uow, org_services, tenant=tenant, page=PageRequest(limit=limit, offset=offset)
        )
        return InvitationPage.of(pending, InvitationResponse.of)

    @delete(
        "/{org_id:uuid}/invitations/{invitation_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Revoke an invitation",
    )
    async def revoke_invitation(
        self,
        org_id: FromPath[UUID],
        invitation_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        org_uow: OrgUoW,
        org_services: OrgServices,
    ) -> None:
        await invitations.revoke_invitation(org_uow, org_services, tenant=tenant, invitation_id=invitation_id)

    @get("/{org_id:uuid}/audit-events", summary="The organisation's audit trail (admin or owner)")
    async def list_audit_events(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        org_uow: OrgUoW,
        org_services: OrgServices,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
        event_type: Annotated[str | None, QueryParameter(name="type", max_length=100)] = None,
        actor_id: Annotated[UUID | None, QueryParameter(name="actorId")] = None,
        occurred_from: Annotated[datetime | None, QueryParameter(name="from")] = None,
        occurred_to: Annotated[datetime | None, QueryParameter(name="to")] = None,
    ) -> AuditEventPage:
        page = await audit.list_audit_events(
            org_uow,
            org_services,
            tenant=tenant,
            page=PageRequest(limit=limit, offset=offset),
            filters=audit.AuditFilter(event_type, actor_id, occurred_from, occurred_to),
        )
        return AuditEventPage(
            items=[
                AuditEventResponse(
                    id=e.id,
                    type=e.type,
                    actor_id=e.actor_id,
                    subject=e.subject,
                    payload=dict(e.payload),
                    occurred_at=e.occurred_at,
                )
                for e in page.items
            ],
            total=page.total,
            limit=page.limit,
            offset=page.offset,
            has_more=page.has_more,
        )


class InvitationsController(Controller):
    path = "/api/v1/invitations"
    tags = ["organizations"]
    security = BEARER

    @post(
        "/accept",
        status_code=HTTP_200_OK,
        summary="Join an organisation with an invitation token",
        opt=problems(FORBIDDEN, NOT_FOUND, CONFLICT),
    )
    async def accept_invitation(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[AcceptInvitationRequest],
        org_uow: OrgUoW,
        org_services: OrgServices,
    ) -> MembershipResponse:
        membership = await invitations.accept_invitation(
            org_uow,
            org_services,
            token=data.token,
            user_id=principal.user_id,
            user_email=principal.email,
            email_verified=principal.email_verified,
        )
        return MembershipResponse(organization_id=membership.organization_id, role=membership.role)
