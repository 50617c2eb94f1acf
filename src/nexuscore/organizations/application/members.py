"""Member use cases: list, change role, remove, leave, transfer ownership."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from nexuscore.kernel.errors import Conflict, NotFound, ValidationError
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.organizations.application.services import OrganizationsServices
from nexuscore.organizations.domain.events import MemberLeft, MemberRemoved, MemberRoleChanged, OwnershipTransferred
from nexuscore.organizations.domain.model import Membership
from nexuscore.organizations.domain.permissions import Action, require, require_may_assign
from nexuscore.organizations.ports.repositories import DirectoryUser, OrganizationsUnitOfWork

LAST_OWNER = "An organisation needs at least one owner: transfer ownership or make another owner first."


@dataclass(frozen=True)
class Member:
    membership: Membership
    user: DirectoryUser | None


async def list_members(
    uow: OrganizationsUnitOfWork, services: OrganizationsServices, *, tenant: TenantContext, page: PageRequest
) -> Page[Member]:
    require(tenant, Action.VIEW_MEMBERS)
    memberships = await uow.memberships.page(tenant.org_id, page)
    users = await uow.users.get_many([m.user_id for m in memberships.items])  # one query, not one per member
    return Page(
        items=[Member(m, users.get(m.user_id)) for m in memberships.items],
        total=memberships.total,
        limit=memberships.limit,
        offset=memberships.offset,
    )


async def _member(uow: OrganizationsUnitOfWork, org_id: UUID, user_id: UUID) -> Membership:
    membership = await uow.memberships.get(org_id, user_id)
    if membership is None:
        raise NotFound("Member not found.")
    return membership


async def _ensure_not_last_owner(uow: OrganizationsUnitOfWork, membership: Membership) -> None:
    if membership.role is Role.OWNER and await uow.memberships.count_owners(membership.organization_id, lock=True) <= 1:
        raise Conflict(LAST_OWNER)


async def change_role(
    uow: OrganizationsUnitOfWork, services: OrganizationsServices, *, tenant: TenantContext, user_id: UUID, role: Role
) -> Membership:
    require(tenant, Action.CHANGE_ROLES)
    membership = await _member(uow, tenant.org_id, user_id)
    require_may_assign(tenant, membership.role)  # an admin cannot touch an owner
    require_may_assign(tenant, role)  # nor make one
    if membership.role is role:
        return membership
    if role is not Role.OWNER:
        await _ensure_not_last_owner(uow, membership)
    previous = membership.role
    membership.role = role
    await uow.memberships.save(membership)
    now = services.clock.now()
    await uow.events.append(
        MemberRoleChanged(
            occurred_at=now,
            organization_id=tenant.org_id,
            actor_id=tenant.user_id,
            user_id=user_id,
            role=role,
            previous_role=previous,
        )
    )
    await uow.commit()
    return membership


async def remove_member(
    uow: OrganizationsUnitOfWork, services: OrganizationsServices, *, tenant: TenantContext, user_id: UUID
) -> None:
    if user_id == tenant.user_id:
        await leave(uow, services, tenant=tenant)
        return
    require(tenant, Action.REMOVE_MEMBERS)
    membership = await _member(uow, tenant.org_id, user_id)
    require_may_assign(tenant, membership.role)
    await _ensure_not_last_owner(uow, membership)
    await uow.memberships.remove(tenant.org_id, user_id)
    await uow.events.append(
        MemberRemoved(
            occurred_at=services.clock.now(), organization_id=tenant.org_id, actor_id=tenant.user_id, user_id=user_id
        )
    )
    await uow.commit()


async def leave(uow: OrganizationsUnitOfWork, services: OrganizationsServices, *, tenant: TenantContext) -> None:
    require(tenant, Action.LEAVE)
    membership = await _member(uow, tenant.org_id, tenant.user_id)
    await _ensure_not_last_owner(uow, membership)
    await uow.memberships.remove(tenant.org_id, tenant.user_id)
    await uow.events.append(
        MemberLeft(
            occurred_at=services.clock.now(),
            organization_id=tenant.org_id,
            actor_id=tenant.user_id,
            user_id=tenant.user_id,
        )
    )
    await uow.commit()


async def transfer_ownership(
    uow: OrganizationsUnitOfWork, services: OrganizationsServices, *, tenant: TenantContext, user_id: UUID
) -> None:
    """The target becomes owner; the current owner steps down to admin."""
    require(tenant, Action.TRANSFER_OWNERSHIP)
    if user_id == tenant.user_id:
        raise ValidationError("You already own this organisation.")
    target = await _member(uow, tenant.org_id, user_id)
    current = await _member(uow, tenant.org_id, tenant.user_id)
    target.role = Role.OWNER
    current.role = Role.ADMIN
    await uow.memberships.save(target)
    await uow.memberships.save(current)
    await uow.events.append(
        OwnershipTransferred(
            occurred_at=services.clock.now(), organization_id=tenant.org_id, actor_id=tenant.user_id, user_id=user_id
        )
    )
    await uow.commit()
