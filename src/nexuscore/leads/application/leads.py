"""Lead use cases: create, read, search, update, archive, move through the pipeline, merge."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID

from nexuscore.kernel.clock import business_date
from nexuscore.kernel.errors import Conflict, FieldError, NotFound, QuotaExceeded, ValidationError
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.kernel.unset import Unset
from nexuscore.leads.application.services import LeadsServices
from nexuscore.leads.domain import fields
from nexuscore.leads.domain.editing import LeadInput, apply_changes, clean_input, new_lead
from nexuscore.leads.domain.events import (
    LeadArchived,
    LeadAssigned,
    LeadCreated,
    LeadMerged,
    LeadStatusChanged,
    LeadUpdated,
)
from nexuscore.leads.domain.merge import fill_from
from nexuscore.leads.domain.model import (
    Activity,
    ActivityKind,
    DuplicateLead,
    Lead,
    LeadSource,
    LeadStatus,
)
from nexuscore.leads.domain.permissions import OWNER_MINIMUM_ROLE, LeadAction, require
from nexuscore.leads.domain.scoring import rescore
from nexuscore.leads.ports.repositories import (
    LeadFilter,
    LeadSort,
    LeadSortField,
    LeadsUnitOfWork,
    MemberDirectory,
)

MAX_QUERY_LENGTH = 100


# ---- shared helpers (also used by activities and assignment) -------------------------------


async def load_lead(uow: LeadsUnitOfWork, lead_id: UUID, *, for_update: bool = False) -> Lead:
    """An active lead of the tenant; archived, merged-away and other tenants' leads are 404."""
    lead = await uow.leads.get(lead_id, for_update=for_update)
    if lead is None:
        raise NotFound("Lead not found.")
    return lead


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
    require(tenant, LeadAction.VIEW)
    return await load_lead(uow, lead_id)


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


# ---- search --------------------------------------------------------------------------------


def parse_sort(raw: str | None) -> LeadSort:
    """`score` ascending, `-score` descending; only LeadSortField values. Default: newest first."""
    if raw is None or not raw.strip():
        return LeadSort()
    value = raw.strip()
    descending = value.startswith("-")
    try:
        sort_field = LeadSortField(value.removeprefix("-"))
    except ValueError:
        allowed = ", ".join(f.value for f in LeadSortField)
        raise ValidationError(
            "Unknown sort key.", errors=[FieldError("sort", f"must be one of {allowed}, optionally prefixed by -")]
        ) from None
    return LeadSort(sort_field, descending)


def parse_statuses(raw: Iterable[str] | None) -> list[LeadStatus]:
    """`status=new&status=won` or `status=new,won`."""
    statuses: list[LeadStatus] = []
    for item in raw or []:
        for part in item.split(","):
            name = part.strip().lower()
            if not name:
                continue
            try:
                status = LeadStatus(name)
            except ValueError:
                allowed = ", ".join(s.value for s in LeadStatus)
                raise ValidationError(
                    "Unknown status.", errors=[FieldError("status", f"must be one of {allowed}")]
                ) from None
            if status not in statuses:
                statuses.append(status)
    return statuses


def _aware(value: datetime | None) -> datetime | None:
    # A time without an offset is read as UTC, the API's timezone.
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def build_filter(
    *,
    statuses: Iterable[str] | None = None,
    owner_id: UUID | None = None,
    source: LeadSource | None = None,
    tag: str | None = None,
    q: str | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    score_min: int | None = None,
    follow_up_before: date | None = None,
) -> LeadFilter:
    text = (q or "").strip() or None
    if text is not None and len(text) > MAX_QUERY_LENGTH:
        raise ValidationError(
            "Search text too long.", errors=[FieldError("q", f"at most {MAX_QUERY_LENGTH} characters")]
        )
    clean_tag = None
    if tag is not None and tag.strip():
        clean_tag = fields.clean_tags([tag], field="tag")[0]
    return LeadFilter(
        statuses=tuple(parse_statuses(statuses)),
        owner_id=owner_id,
        source=source,
        tag=clean_tag,
        text=text,
        created_from=_aware(created_from),
        created_to=_aware(created_to),
        score_min=score_min,
        follow_up_before=follow_up_before,
    )


async def list_leads(
    uow: LeadsUnitOfWork,
    services: LeadsServices,
    *,
    tenant: TenantContext,
    lead_filter: LeadFilter,
    sort: LeadSort,
    page: PageRequest,
) -> Page[Lead]:
    require(tenant, LeadAction.VIEW)
    return await uow.leads.search(lead_filter, sort, page)


# ---- merge ---------------------------------------------------------------------------------


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
    united; the later consent record is kept; the other's activities move over; the other is
    archived with merged_into_id pointing at the survivor.
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
