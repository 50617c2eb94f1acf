"""The organisation's audit trail: its domain events, for admins and owners."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from nexuscore.kernel.events import EventRecord
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.organizations.application.services import OrganizationsServices
from nexuscore.organizations.domain.permissions import Action, require
from nexuscore.organizations.ports.repositories import OrganizationsUnitOfWork


@dataclass(frozen=True)
class AuditFilter:
    event_type: str | None = None
    actor_id: UUID | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None


async def list_audit_events(
    uow: OrganizationsUnitOfWork,
    services: OrganizationsServices,
    *,
    tenant: TenantContext,
    page: PageRequest,
    filters: AuditFilter = AuditFilter(),
) -> Page[EventRecord]:
    require(tenant, Action.VIEW_AUDIT_EVENTS)
    return await uow.audit_trail.list_for_organization(
        tenant.org_id,  # the tenant scopes the query; callers cannot name another organisation
        page,
        event_type=filters.event_type,
        actor_id=filters.actor_id,
        occurred_from=filters.occurred_from,
        occurred_to=filters.occurred_to,
    )
