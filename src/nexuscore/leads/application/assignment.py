"""Bulk assignment of leads to an owner, or to members in turn (round robin)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from nexuscore.kernel.errors import BusinessRuleViolation, FieldError, NotFound, ValidationError
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.leads.application.services import LeadsServices
from nexuscore.leads.application.support import (
    assignable_owners,
    assigned_event,
    assignment_activity,
    owner_error,
    refresh_score,
)
from nexuscore.leads.domain.permissions import LeadAction, require
from nexuscore.leads.ports.repositories import LeadsUnitOfWork

MAX_ASSIGN = 500


class AssignStrategy(enum.StrEnum):
    ROUND_ROBIN = "round_robin"


@dataclass(frozen=True)
class Assignment:
    lead_id: UUID
    owner_id: UUID
    previous_owner_id: UUID | None

    @property
    def changed(self) -> bool:
        return self.owner_id != self.previous_owner_id


def _unique(lead_ids: Sequence[UUID]) -> list[UUID]:
    return list(dict.fromkeys(lead_ids))


async def assign_leads(
    uow: LeadsUnitOfWork,
    services: LeadsServices,
    *,
    tenant: TenantContext,
    lead_ids: Sequence[UUID],
    owner_id: UUID | None = None,
    strategy: AssignStrategy | None = None,
) -> list[Assignment]:
    """All or nothing: an unknown id fails the whole request before anything changes.

    With an owner every lead goes to them; with round robin, leads go in the order given to the
    members who may own leads, ordered by when they joined, continuing from where the previous
    round-robin assignment of the organisation stopped.
    """
    require(tenant, LeadAction.EDIT)
    ids = _unique(lead_ids)
    if not 1 <= len(ids) <= MAX_ASSIGN:
        raise ValidationError("Too many or no leads.", errors=[FieldError("leadIds", f"1 to {MAX_ASSIGN} lead ids")])
    if (owner_id is None) == (strategy is None):
        raise ValidationError(
            "Give either an owner or a strategy.",
            errors=[FieldError("ownerId", "give exactly one of ownerId or strategy")],
        )
    eligible = await assignable_owners(uow.members, tenant.org_id)
    if owner_id is not None and owner_id not in eligible:
        raise ValidationError("The owner cannot own leads.", errors=[owner_error()])
    if not eligible:
        raise BusinessRuleViolation("No member of the organisation may own leads.")

    leads = {lead.id: lead for lead in await uow.leads.get_many(ids, for_update=True) if not lead.archived}
    missing = [str(i) for i in ids if i not in leads]
    if missing:
        raise NotFound("Some leads were not found; nothing was assigned.", extra={"missingLeadIds": missing})

    if owner_id is not None:
        owners = [owner_id] * len(ids)
    else:
        start = await uow.advance_round_robin(len(ids))
        owners = [eligible[(start + i) % len(eligible)] for i in range(len(ids))]

    now = services.clock.now()
    via = strategy.value if strategy is not None else "manual"
    assignments: list[Assignment] = []
    for lead_id, new_owner in zip(ids, owners, strict=True):
        lead = leads[lead_id]
        assignment = Assignment(lead_id, new_owner, lead.owner_id)
        assignments.append(assignment)
        if not assignment.changed:
            continue  # already theirs: nothing to record
        lead.owner_id = new_owner
        lead.touch(tenant.user_id, now)
        await uow.activities.add(assignment_activity(tenant, lead, assignment.previous_owner_id, now, via=via))
        await refresh_score(uow, lead, now)
        await uow.leads.save(lead)
        await uow.events.append(assigned_event(tenant, lead, assignment.previous_owner_id, now, via=via))
    await uow.commit()
    return assignments
