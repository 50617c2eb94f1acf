"""Lead use cases: create, read, update (PATCH), archive, move through the pipeline."""

from __future__ import annotations

from uuid import UUID

from nexuscore.kernel.clock import business_date
from nexuscore.kernel.errors import FieldError, QuotaExceeded, ValidationError
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.kernel.unset import Unset
from nexuscore.leads.application.services import LeadsServices
from nexuscore.leads.application.support import (
    assignable_owners,
    assigned_event,
    assignment_activity,
    load_lead,
    owner_error,
    record_view,
    refresh_score,
)
from nexuscore.leads.domain import fields
from nexuscore.leads.domain.editing import LeadInput, apply_changes, clean_input, new_lead
from nexuscore.leads.domain.events import LeadArchived, LeadCreated, LeadStatusChanged, LeadUpdated
from nexuscore.leads.domain.model import Activity, ActivityKind, DuplicateLead, Lead, LeadStatus
from nexuscore.leads.domain.permissions import LeadAction, require
from nexuscore.leads.ports.repositories import LeadsUnitOfWork, MemberDirectory


async def _check_owner(directory: MemberDirectory, org_id: UUID, owner_id: UUID, errors: list[FieldError]) -> None:
    if owner_id not in await assignable_owners(directory, org_id):
        errors.append(owner_error())


async def _ensure_unique_contact(uow: LeadsUnitOfWork, lead: Lead, *, exclude_id: UUID | None) -> None:
    if lead.email is None and lead.phone is None:
        return
    existing = await uow.leads.find_duplicate(email=lead.email, phone=lead.phone, exclude_id=exclude_id)
    if existing is not None:
        matched_on = "email" if lead.email is not None and existing.email == lead.email else "phone"
        raise DuplicateLead(existing.id, matched_on=matched_on)


# ---- use cases -----------------------------------------------------------------------------


async def create_lead(uow: LeadsUnitOfWork, services: LeadsServices, *, tenant: TenantContext, data: LeadInput) -> Lead:
    require(tenant, LeadAction.EDIT)
    now = services.clock.now()
    errors: list[FieldError] = []
    if isinstance(data.first_name, Unset):
        errors.append(FieldError("firstName", "is required"))
    if not isinstance(data.owner_id, Unset) and data.owner_id is not None:
        await _check_owner(uow.members, tenant.org_id, data.owner_id, errors)
    changes, field_errors = clean_input(data, now=now)
    errors.extend(field_errors)
    try:
        lead = new_lead(organization_id=tenant.org_id, actor_id=tenant.user_id, now=now, changes=changes)
    except ValidationError as exc:
        errors.extend(exc.errors)
    if errors:
        raise ValidationError("The lead has invalid fields.", errors=errors)

    # A duplicate is reported before the quota: pointing at the existing lead helps more.
    await _ensure_unique_contact(uow, lead, exclude_id=None)
    limit = await services.entitlements.lead_limit(tenant.org_id)
    if limit is not None:
        await uow.leads.hold_lead_quota()  # concurrent creates count one after another
        if await uow.leads.count_active() >= limit:
            raise QuotaExceeded(
                f"Your plan allows {limit} active leads; archive some or upgrade.", extra={"limit": limit}
            )

    await uow.leads.add(lead)  # scored by new_lead: a new lead has no activities
    await uow.events.append(
        LeadCreated(
            occurred_at=now,
            organization_id=tenant.org_id,
            actor_id=tenant.user_id,
            lead_id=lead.id,
            source=lead.source,
            via="api",
        )
    )
    if lead.owner_id is not None:
        await uow.activities.add(assignment_activity(tenant, lead, None, now, via="create"))
        await uow.events.append(assigned_event(tenant, lead, None, now, via="create"))
    await uow.commit()
    return lead


async def get_lead(uow: LeadsUnitOfWork, services: LeadsServices, *, tenant: TenantContext, lead_id: UUID) -> Lead:
    """One lead's record: the view is recorded (coalesced) for the subject's use log."""
    require(tenant, LeadAction.VIEW)
    lead = await load_lead(uow, lead_id)
    await record_view(uow, tenant, lead, services.clock.now())
    return lead


async def update_lead(
    uow: LeadsUnitOfWork, services: LeadsServices, *, tenant: TenantContext, lead_id: UUID, data: LeadInput
) -> Lead:
    """PATCH: only the fields given change. An owner change is recorded as an assignment too."""
    require(tenant, LeadAction.EDIT)
    lead = await load_lead(uow, lead_id, for_update=True)
    now = services.clock.now()
    errors: list[FieldError] = []
    previous_owner = lead.owner_id
    if not isinstance(data.owner_id, Unset) and data.owner_id is not None and data.owner_id != previous_owner:
        await _check_owner(uow.members, tenant.org_id, data.owner_id, errors)
    contact_before = (lead.email, lead.phone)
    changes, field_errors = clean_input(data, now=now)
    errors.extend(field_errors)
    changed: list[str] = []
    try:
        changed = apply_changes(lead, changes, today=business_date(now))
    except ValidationError as exc:
        errors.extend(exc.errors)
    if errors:
        raise ValidationError("The lead has invalid fields.", errors=errors)
    if not changed:
        return lead
    if (lead.email, lead.phone) != contact_before:
        await _ensure_unique_contact(uow, lead, exclude_id=lead.id)

    lead.touch(tenant.user_id, now)
    await refresh_score(uow, lead, now)
    await uow.leads.save(lead)
    # Field names only: values are personal data and stay in the lead row.
    await uow.events.append(
        LeadUpdated(
            occurred_at=now,
            organization_id=tenant.org_id,
            actor_id=tenant.user_id,
            lead_id=lead.id,
            fields=tuple(changed),
        )
    )
    if lead.owner_id != previous_owner:
        await uow.activities.add(assignment_activity(tenant, lead, previous_owner, now, via="update"))
        await uow.events.append(assigned_event(tenant, lead, previous_owner, now, via="update"))
    await uow.commit()
    return lead


async def archive_lead(uow: LeadsUnitOfWork, services: LeadsServices, *, tenant: TenantContext, lead_id: UUID) -> None:
    require(tenant, LeadAction.ARCHIVE)
    lead = await load_lead(uow, lead_id, for_update=True)
    now = services.clock.now()
    lead.archive(tenant.user_id, now)
    await uow.leads.save(lead)
    await uow.events.append(
        LeadArchived(occurred_at=now, organization_id=tenant.org_id, actor_id=tenant.user_id, lead_id=lead.id)
    )
    await uow.commit()


async def change_status(
    uow: LeadsUnitOfWork,
    services: LeadsServices,
    *,
    tenant: TenantContext,
    lead_id: UUID,
    status: LeadStatus,
    lost_reason: str | None = None,
) -> Lead:
    """A pipeline move (Lead.move_to), recorded on the timeline and as lead.status_changed."""
    require(tenant, LeadAction.EDIT)
    lead = await load_lead(uow, lead_id, for_update=True)  # 404 before any complaint about the body
    reason = fields.clean_text(lost_reason, field="lostReason", max_length=fields.MAX_LOST_REASON_LENGTH)
    if reason is not None and status is not LeadStatus.LOST:
        raise ValidationError(
            "Only a lost lead takes a reason.", errors=[FieldError("lostReason", "is only for status lost")]
        )
    now = services.clock.now()
    previous = lead.move_to(status, lost_reason=reason, actor_id=tenant.user_id, now=now)
    await uow.activities.add(
        Activity(
            organization_id=tenant.org_id,
            lead_id=lead.id,
            kind=ActivityKind.STATUS_CHANGE,
            occurred_at=now,
            created_by=tenant.user_id,
            created_at=now,
            body=lead.lost_reason or "",
            details={"from": previous.value, "to": status.value},
        )
    )
    await refresh_score(uow, lead, now)
    await uow.leads.save(lead)
    # The lost reason is free text (it may name people), so the event carries only the stages.
    await uow.events.append(
        LeadStatusChanged(
            occurred_at=now,
            organization_id=tenant.org_id,
            actor_id=tenant.user_id,
            lead_id=lead.id,
            from_status=previous,
            to_status=status,
        )
    )
    await uow.commit()
    return lead
