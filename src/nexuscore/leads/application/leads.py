"""Lead use cases: create, read, search, update, archive, move through the pipeline, merge."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final
from uuid import UUID

from nexuscore.kernel.clock import business_date
from nexuscore.kernel.errors import Conflict, FieldError, NotFound, QuotaExceeded, ValidationError
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.leads.application.services import LeadsServices
from nexuscore.leads.domain import fields
from nexuscore.leads.domain.events import (
    LeadArchived,
    LeadAssigned,
    LeadCreated,
    LeadMerged,
    LeadStatusChanged,
    LeadUpdated,
)
from nexuscore.leads.domain.model import (
    MAX_TAGS,
    Activity,
    ActivityKind,
    DncStatus,
    DuplicateLead,
    Lead,
    LeadSource,
    LeadStatus,
    MarketingConsent,
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

MAX_CONSENT_SOURCE_LENGTH = 100
MAX_QUERY_LENGTH = 100


class _Unset(enum.Enum):
    UNSET = "UNSET"


UNSET: Final = _Unset.UNSET
"""A field left out of a request: PATCH leaves it as it is (None, by contrast, clears it)."""


@dataclass(frozen=True)
class ConsentInput:
    granted: bool
    source: str


@dataclass(frozen=True)
class LeadInput:
    """Fields a caller may set on a lead. Status, score, owner history and audit fields are
    deliberately absent: they change only through their own use cases."""

    first_name: str | _Unset = UNSET
    last_name: str | _Unset | None = UNSET
    email: str | _Unset | None = UNSET
    phone: str | _Unset | None = UNSET
    company: str | _Unset | None = UNSET
    company_uen: str | _Unset | None = UNSET
    job_title: str | _Unset | None = UNSET
    source: LeadSource | _Unset = UNSET
    owner_id: UUID | _Unset | None = UNSET
    tags: Sequence[str] | _Unset | None = UNSET
    estimated_value: str | _Unset | None = UNSET
    next_follow_up: date | _Unset | None = UNSET
    marketing_consent: ConsentInput | _Unset = UNSET
    dnc_status: DncStatus | _Unset = UNSET
    dnc_checked_at: date | _Unset | None = UNSET


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


# ---- field application ---------------------------------------------------------------------


def _clean_consent(consent: ConsentInput, now: datetime, errors: list[FieldError]) -> MarketingConsent | None:
    try:
        source = fields.clean_text(
            consent.source, field="marketingConsent.source", max_length=MAX_CONSENT_SOURCE_LENGTH, required=True
        )
    except ValidationError as exc:
        errors.extend(exc.errors)
        return None
    return MarketingConsent(granted=consent.granted, recorded_at=now, source=source or "")


def _apply(lead: Lead, data: LeadInput, *, now: datetime, errors: list[FieldError]) -> list[str]:
    """Clean and set every given field; collect every field error; return the changed API names."""
    changed: list[str] = []
    today = business_date(now)

    def setv(attr: str, api: str, value: object) -> None:
        if getattr(lead, attr) != value:
            setattr(lead, attr, value)
            changed.append(api)

    def clean(attr: str, api: str, cleaner: Callable[..., object], raw: object) -> None:
        if raw is UNSET:
            return
        try:
            setv(attr, api, cleaner(raw, field=api))
        except ValidationError as exc:
            errors.extend(exc.errors)

    clean("first_name", "firstName", fields.clean_name, data.first_name)
    clean(
        "last_name", "lastName", lambda raw, field: fields.clean_name(raw, field=field, required=False), data.last_name
    )
    clean("email", "email", fields.clean_email, data.email)
    phone_before = lead.phone
    clean("phone", "phone", fields.clean_phone, data.phone)
    clean("company", "company", fields.clean_text, data.company)
    clean("company_uen", "companyUen", fields.clean_uen, data.company_uen)
    clean("job_title", "jobTitle", fields.clean_text, data.job_title)
    clean("tags", "tags", lambda raw, field: fields.clean_tags(list(raw or []), field=field), data.tags)
    clean("estimated_value", "estimatedValue", fields.clean_money, data.estimated_value)
    if not isinstance(data.source, _Unset):
        setv("source", "source", data.source)
    if not isinstance(data.owner_id, _Unset):
        setv("owner_id", "ownerId", data.owner_id)
    if not isinstance(data.next_follow_up, _Unset):
        setv("next_follow_up", "nextFollowUp", data.next_follow_up)
    if not isinstance(data.marketing_consent, _Unset):
        consent = _clean_consent(data.marketing_consent, now, errors)
        if consent is not None:
            # Every statement of consent is a new record with its own time, even if it repeats the last.
            lead.marketing_consent = consent
            changed.append("marketingConsent")
    _apply_dnc(lead, data, today=today, phone_changed=lead.phone != phone_before, changed=changed, errors=errors)
    return changed


def _apply_dnc(
    lead: Lead, data: LeadInput, *, today: date, phone_changed: bool, changed: list[str], errors: list[FieldError]
) -> None:
    """Keep "unchecked" and "no check date" together; a DNC result belongs to the number checked."""
    status = lead.dnc_status if isinstance(data.dnc_status, _Unset) else data.dnc_status
    checked_at = lead.dnc_checked_at if isinstance(data.dnc_checked_at, _Unset) else data.dnc_checked_at
    if isinstance(data.dnc_status, _Unset) and isinstance(data.dnc_checked_at, _Unset):
        if not phone_changed:
            return
        # A new number has not been checked against the DNC register, whatever the old one's result.
        status, checked_at = DncStatus.UNCHECKED, None
    elif status is DncStatus.UNCHECKED:
        if not isinstance(data.dnc_checked_at, _Unset) and data.dnc_checked_at is not None:
            errors.append(FieldError("dncCheckedAt", "must be empty while dncStatus is unchecked"))
            return
        checked_at = None
    elif isinstance(data.dnc_checked_at, _Unset) and not isinstance(data.dnc_status, _Unset):
        checked_at = today  # a result reported without a date was checked today
    if status is not DncStatus.UNCHECKED and checked_at is None:
        errors.append(FieldError("dncCheckedAt", "is required when dncStatus is clear or listed"))
        return
    if checked_at is not None and checked_at > today:
        errors.append(FieldError("dncCheckedAt", "must not be in the future"))
        return
    for attr, api, value in (("dnc_status", "dncStatus", status), ("dnc_checked_at", "dncCheckedAt", checked_at)):
        if getattr(lead, attr) != value:
            setattr(lead, attr, value)
            changed.append(api)


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
    lead = Lead(
        organization_id=tenant.org_id,
        first_name="",
        last_name="",
        created_by=tenant.user_id,
        created_at=now,
        updated_by=tenant.user_id,
        updated_at=now,
    )
    errors: list[FieldError] = []
    if isinstance(data.first_name, _Unset):
        errors.append(FieldError("firstName", "is required"))
    if not isinstance(data.owner_id, _Unset) and data.owner_id is not None:
        await _check_owner(uow.members, tenant.org_id, data.owner_id, errors)
    _apply(lead, data, now=now, errors=errors)
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

    await refresh_score(uow, lead, now)
    await uow.leads.add(lead)
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
    if not isinstance(data.owner_id, _Unset) and data.owner_id is not None and data.owner_id != previous_owner:
        await _check_owner(uow.members, tenant.org_id, data.owner_id, errors)
    contact_before = (lead.email, lead.phone)
    changed = _apply(lead, data, now=now, errors=errors)
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
    lead.archived_at = now
    lead.touch(tenant.user_id, now)
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


def _later_consent(a: MarketingConsent | None, b: MarketingConsent | None) -> MarketingConsent | None:
    """The person's latest statement wins (a later withdrawal must stop marketing, PDPA); on a
    tie the refusal wins, so a merge never turns a "no" into a "yes"."""
    if a is None or b is None:
        return a or b
    if a.recorded_at != b.recorded_at:
        return a if a.recorded_at > b.recorded_at else b
    return a if not a.granted else b


def _merge_fields(survivor: Lead, other: Lead, eligible_owners: Sequence[UUID]) -> list[str]:
    filled: list[str] = []
    phone_taken = survivor.phone is None and other.phone is not None
    for attr, api in (
        ("email", "email"),
        ("phone", "phone"),
        ("company", "company"),
        ("company_uen", "companyUen"),
        ("job_title", "jobTitle"),
        ("estimated_value", "estimatedValue"),
        ("next_follow_up", "nextFollowUp"),
    ):
        if getattr(survivor, attr) is None and getattr(other, attr) is not None:
            setattr(survivor, attr, getattr(other, attr))
            filled.append(api)
    if not survivor.last_name and other.last_name:
        survivor.last_name = other.last_name
        filled.append("lastName")
    if survivor.source is LeadSource.OTHER and other.source is not LeadSource.OTHER:
        survivor.source = other.source
        filled.append("source")
    if survivor.owner_id is None and other.owner_id is not None and other.owner_id in eligible_owners:
        survivor.owner_id = other.owner_id
        filled.append("ownerId")
    tags = survivor.tags + [t for t in other.tags if t not in survivor.tags]
    if tags[:MAX_TAGS] != survivor.tags:
        survivor.tags = tags[:MAX_TAGS]  # the survivor's own tags first, then the other's while room lasts
        filled.append("tags")
    consent = _later_consent(survivor.marketing_consent, other.marketing_consent)
    if consent is not survivor.marketing_consent:
        survivor.marketing_consent = consent
        filled.append("marketingConsent")
    # A DNC result is about one number: it comes along with the phone, or (same number) the newer check wins.
    same_phone = survivor.phone is not None and survivor.phone == other.phone
    other_newer = other.dnc_checked_at is not None and (
        survivor.dnc_checked_at is None or other.dnc_checked_at > survivor.dnc_checked_at
    )
    other_dnc = (other.dnc_status, other.dnc_checked_at)
    if (phone_taken or (same_phone and other_newer)) and (survivor.dnc_status, survivor.dnc_checked_at) != other_dnc:
        survivor.dnc_status, survivor.dnc_checked_at = other_dnc
        filled.append("dncStatus")
    return filled


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
    filled = _merge_fields(survivor, other, eligible)
    other.archived_at = now
    other.merged_into_id = survivor.id
    other.touch(tenant.user_id, now)
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
