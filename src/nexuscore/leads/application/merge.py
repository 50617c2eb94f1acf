"""Merging a duplicate lead into the one that survives (the rules: domain/merge.py)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from nexuscore.kernel.errors import Conflict, NotFound
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.leads.application.services import LeadsServices
from nexuscore.leads.application.support import assignable_owners, refresh_score
from nexuscore.leads.domain.events import LeadArchived, LeadMerged
from nexuscore.leads.domain.merge import fill_from
from nexuscore.leads.domain.model import Activity, ActivityKind, Lead
from nexuscore.leads.domain.permissions import LeadAction, require
from nexuscore.leads.ports.repositories import LeadsUnitOfWork


@dataclass(frozen=True)
class MergeResult:
    lead: Lead
    merged_lead_id: UUID
    filled_fields: list[str]
    moved_activities: int


async def merge_leads(
    uow: LeadsUnitOfWork,
    services: LeadsServices,
    *,
    tenant: TenantContext,
    lead_id: UUID,
    other_lead_id: UUID,
) -> MergeResult:
    """Merge `other` (the duplicate) into `lead_id`, which survives.

    The survivor keeps every value it has; its empty fields are filled from the other; tags are
    united; the later consent record is kept, and the other's consent decisions count for the
    survivor too (the privacy context keeps them); the other's activities move over; the other
    is archived with merged_into_id pointing at the survivor.
    """
    require(tenant, LeadAction.MERGE)
    # Both rows locked in one statement (id order), so two opposite merges cannot deadlock.
    locked = await uow.leads.get_many([lead_id, other_lead_id], for_update=True)
    found = {lead.id: lead for lead in locked if not lead.archived}
    survivor, other = found.get(lead_id), found.get(other_lead_id)
    if survivor is None:
        raise NotFound("Lead not found.")
    if other_lead_id == lead_id:
        raise Conflict("A lead cannot be merged into itself.")
    if other is None:
        raise NotFound("The lead to merge was not found.", extra={"otherLeadId": str(other_lead_id)})
    now = services.clock.now()

    eligible = await assignable_owners(uow.members, tenant.org_id) if survivor.owner_id is None else []
    filled = fill_from(survivor, other, eligible)
    other.archive_as_merged_into(survivor.id, tenant.user_id, now)
    # The other goes first: once it is archived, its email and phone are free for the survivor.
    await uow.leads.save(other)
    moved = await uow.activities.move(other.id, survivor.id)
    await uow.activities.add(
        Activity(
            organization_id=tenant.org_id,
            lead_id=survivor.id,
            kind=ActivityKind.MERGE,
            occurred_at=now,
            created_by=tenant.user_id,
            created_at=now,
            body=f"Merged {other.display_name}".strip(),
            details={"mergedLeadId": str(other.id), "movedActivities": str(moved), "filledFields": ",".join(filled)},
        )
    )
    # Before the survivor is saved: its row's consent copy (the later of the two) is then
    # recorded only if newer than every decision the person made on either record.
    await uow.marketing.merge_consents(other.id, survivor.id, tenant.user_id)
    survivor.touch(tenant.user_id, now)
    await refresh_score(uow, survivor, now)
    await uow.leads.save(survivor)
    await uow.events.append(
        LeadMerged(
            occurred_at=now,
            organization_id=tenant.org_id,
            actor_id=tenant.user_id,
            lead_id=survivor.id,
            merged_lead_id=other.id,
            moved_activities=moved,
            fields=tuple(filled),
        ),
        LeadArchived(
            occurred_at=now,
            organization_id=tenant.org_id,
            actor_id=tenant.user_id,
            lead_id=other.id,
            merged_into_id=survivor.id,
        ),
    )
    await uow.commit()
    return MergeResult(survivor, other.id, filled, moved)
