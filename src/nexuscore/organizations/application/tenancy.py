"""Tenant resolution: the caller's membership, checked in storage on every request."""

from __future__ import annotations

from uuid import UUID

from nexuscore.kernel.errors import NotFound
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.organizations.application.services import OrganizationsServices
from nexuscore.organizations.ports.repositories import OrganizationsUnitOfWork


async def resolve_tenant(
    uow: OrganizationsUnitOfWork,
    services: OrganizationsServices,
    *,
    org_id: UUID,
    user_id: UUID,
    allow_pending_deletion: bool = False,
) -> TenantContext:
    """A non-member gets exactly what a missing organisation gets: 404, never 403."""
    found = await uow.memberships.get_with_organization(org_id, user_id)
    if found is None:
        raise NotFound("Organisation not found.")
    membership, org = found
    if org.pending_deletion and not (allow_pending_deletion and membership.role is Role.OWNER):
        # Scheduled for deletion: it stops serving at once; only its owner may cancel.
        raise NotFound("Organisation not found.")
    return TenantContext(org_id=org_id, user_id=user_id, role=membership.role)
