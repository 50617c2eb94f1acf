"""Helpers the lead use cases share (leads, merge, activities, assignment): loading a lead,
recording that it was viewed, rescoring it, who may own leads, and how an assignment is
recorded."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from nexuscore.kernel.errors import FieldError, NotFound
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.leads.domain.events import LeadAssigned, LeadViewed
from nexuscore.leads.domain.model import Activity, ActivityKind, Lead
from nexuscore.leads.domain.permissions import OWNER_MINIMUM_ROLE
from nexuscore.leads.domain.scoring import rescore
from nexuscore.leads.domain.views import view_window_start
from nexuscore.leads.ports.repositories import LeadsUnitOfWork, MemberDirectory


async def load_lead(uow: LeadsUnitOfWork, lead_id: UUID, *, for_update: bool = False) -> Lead:
    """An active lead of the tenant; archived, merged-away and other tenants' leads are 404."""
    lead = await uow.leads.get(lead_id, for_update=for_update)
    if lead is None:
        raise NotFound("Lead not found.")
    return lead


async def record_view(uow: LeadsUnitOfWork, tenant: TenantContext, lead: Lead, now: datetime) -> None:
    """lead.viewed unless this member already viewed this lead today (Singapore day), in the
    request's transaction and committed here: a read whose view cannot be recorded fails
    rather than go unlogged. The first view of the day locks the lead row before looking
    again, so two concurrent first views record one event."""
    since = view_window_start(now)
    if await uow.views.viewed_since(lead.id, tenant.user_id, since):
        return
    await uow.leads.get(lead.id, for_update=True)
    if await uow.views.viewed_since(lead.id, tenant.user_id, since):
        return
    await uow.events.append(
        LeadViewed(
            occurred_at=now, organization_id=tenant.org_id, actor_id=tenant.user_id, lead_id=lead.id, role=tenant.role
        )
    )
    await uow.commit()


async def refresh_score(uow: LeadsUnitOfWork, lead: Lead, now: datetime) -> None:
    """Recompute the score from the lead and its activities as they stand now."""
    rescore(lead, await uow.activities.engagement(lead.id), now)


async def assignable_owners(directory: MemberDirectory, org_id: UUID) -> list[UUID]:
    """Members who may own leads, oldest membership first (the round-robin order)."""
    return [m.user_id for m in await directory.members(org_id) if m.role.at_least(OWNER_MINIMUM_ROLE)]


def owner_error(field: str = "ownerId") -> FieldError:
    return FieldError(field, f"must be a member of the organisation with at least the {OWNER_MINIMUM_ROLE} role")


def assignment_activity(
    tenant: TenantContext, lead: Lead, previous_owner: UUID | None, now: datetime, *, via: str
) -> Activity:
    return Activity(
        organization_id=tenant.org_id,
        lead_id=lead.id,
        kind=ActivityKind.ASSIGNMENT,
        occurred_at=now,
        created_by=tenant.user_id,
        created_at=now,
        details={
            "ownerId": str(lead.owner_id) if lead.owner_id else "",
            "previousOwnerId": str(previous_owner) if previous_owner else "",
            "via": via,
        },
    )


def assigned_event(
    tenant: TenantContext, lead: Lead, previous_owner: UUID | None, now: datetime, *, via: str
) -> LeadAssigned:
    return LeadAssigned(
        occurred_at=now,
        organization_id=tenant.org_id,
        actor_id=tenant.user_id,
        lead_id=lead.id,
        owner_id=lead.owner_id,
        previous_owner_id=previous_owner,
        via=via,
    )
