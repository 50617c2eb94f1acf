"""Setting a lead's fields: the caller's input, cleaned into changes, applied to a lead; and the
one factory every new lead comes from (API create and CSV import alike).

Status, score, owner history and audit fields are deliberately not editable here: they change
only through their own rules (Lead.move_to, scoring, assignment, touch).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar
from uuid import UUID

from nexuscore.kernel.clock import business_date
from nexuscore.kernel.errors import FieldError, ValidationError
from nexuscore.kernel.money import Money
from nexuscore.kernel.unset import UNSET, Unset
from nexuscore.leads.domain import fields
from nexuscore.leads.domain.dnc import edited_dnc
from nexuscore.leads.domain.model import DncStatus, Engagement, Lead, LeadSource, MarketingConsent
from nexuscore.leads.domain.scoring import rescore

MAX_CONSENT_SOURCE_LENGTH = 100

_T = TypeVar("_T")
_R = TypeVar("_R")


@dataclass(frozen=True)
class ConsentInput:
    granted: bool
    source: str


@dataclass(frozen=True)
class LeadInput:
    """Fields a caller may set on a lead, as given (UNSET: left out, so left as it is)."""

    first_name: str | Unset = UNSET
    last_name: str | Unset | None = UNSET
    email: str | Unset | None = UNSET
    phone: str | Unset | None = UNSET
    company: str | Unset | None = UNSET
    company_uen: str | Unset | None = UNSET
    job_title: str | Unset | None = UNSET
    source: LeadSource | Unset = UNSET
    owner_id: UUID | Unset | None = UNSET
    tags: Sequence[str] | Unset | None = UNSET
    estimated_value: str | Unset | None = UNSET
    next_follow_up: date | Unset | None = UNSET
    marketing_consent: ConsentInput | Unset = UNSET
    dnc_status: DncStatus | Unset = UNSET
    dnc_checked_at: date | Unset | None = UNSET


@dataclass(frozen=True)
class LeadChanges:
    """Clean values to set on a lead (UNSET: leave the field as it is). A consent is a new
    statement: it is recorded even when it repeats the last one."""

    first_name: str | Unset = UNSET
    last_name: str | Unset = UNSET
    email: str | Unset | None = UNSET
    phone: str | Unset | None = UNSET
    company: str | Unset | None = UNSET
    company_uen: str | Unset | None = UNSET
    job_title: str | Unset | None = UNSET
    tags: tuple[str, ...] | Unset = UNSET
    estimated_value: Money | Unset | None = UNSET
    source: LeadSource | Unset = UNSET
    owner_id: UUID | Unset | None = UNSET
    next_follow_up: date | Unset | None = UNSET
    marketing_consent: MarketingConsent | Unset = UNSET
    dnc_status: DncStatus | Unset = UNSET
    dnc_checked_at: date | Unset | None = UNSET


def clean_input(data: LeadInput, *, now: datetime) -> tuple[LeadChanges, list[FieldError]]:
    """Every given field through the cleaners of domain/fields.py. Fields that fail are left out
    of the changes and their errors collected, in field order, so all are reported at once."""
    errors: list[FieldError] = []

    def clean(raw: _R | Unset, cleaner: Callable[[_R], _T]) -> _T | Unset:
        if isinstance(raw, Unset):
            return UNSET
        try:
            return cleaner(raw)
        except ValidationError as exc:
            errors.extend(exc.errors)
            return UNSET

    d = data
    changes = LeadChanges(
        first_name=clean(d.first_name, lambda raw: fields.clean_name(raw, field="firstName")),
        last_name=clean(d.last_name, lambda raw: fields.clean_name(raw, field="lastName", required=False)),
        email=clean(d.email, lambda raw: fields.clean_email(raw, field="email")),
        phone=clean(d.phone, lambda raw: fields.clean_phone(raw, field="phone")),
        company=clean(d.company, lambda raw: fields.clean_text(raw, field="company")),
        company_uen=clean(d.company_uen, lambda raw: fields.clean_uen(raw, field="companyUen")),
        job_title=clean(d.job_title, lambda raw: fields.clean_text(raw, field="jobTitle")),
        tags=clean(d.tags, lambda raw: tuple(fields.clean_tags(list(raw or []), field="tags"))),
        estimated_value=clean(d.estimated_value, lambda raw: fields.clean_money(raw, field="estimatedValue")),
        source=d.source,
        owner_id=d.owner_id,
        next_follow_up=d.next_follow_up,
        marketing_consent=clean(d.marketing_consent, lambda raw: _consent(raw, now)),
        dnc_status=d.dnc_status,
        dnc_checked_at=d.dnc_checked_at,
    )
    return changes, errors


def _consent(raw: ConsentInput, now: datetime) -> MarketingConsent:
    source = fields.clean_text(
        raw.source, field="marketingConsent.source", max_length=MAX_CONSENT_SOURCE_LENGTH, required=True
    )
    return MarketingConsent(granted=raw.granted, recorded_at=now, source=source or "")


def _new(current: _T, given: _T | Unset) -> _T | Unset:
    """The given value when it differs from the current one, else UNSET."""
    return UNSET if isinstance(given, Unset) or given == current else given


def apply_changes(lead: Lead, changes: LeadChanges, *, today: date) -> list[str]:
    """Set the given values on the lead; return the API names of the fields that changed.

    Raises ValidationError (dncCheckedAt) when the DNC status and date do not fit together
    (domain/dnc.py); a new phone number resets an unspoken-for DNC result to unchecked.
    """
    c, changed = changes, []
    phone_before = lead.phone
    if not isinstance(first_name := _new(lead.first_name, c.first_name), Unset):
        lead.first_name = first_name
        changed.append("firstName")
    if not isinstance(last_name := _new(lead.last_name, c.last_name), Unset):
        lead.last_name = last_name
        changed.append("lastName")
    if not isinstance(email := _new(lead.email, c.email), Unset):
        lead.email = email
        changed.append("email")
    if not isinstance(phone := _new(lead.phone, c.phone), Unset):
        lead.phone = phone
        changed.append("phone")
    if not isinstance(company := _new(lead.company, c.company), Unset):
        lead.company = company
        changed.append("company")
    if not isinstance(company_uen := _new(lead.company_uen, c.company_uen), Unset):
        lead.company_uen = company_uen
        changed.append("companyUen")
    if not isinstance(job_title := _new(lead.job_title, c.job_title), Unset):
        lead.job_title = job_title
        changed.append("jobTitle")
    if not isinstance(c.tags, Unset) and list(c.tags) != lead.tags:
        lead.tags = list(c.tags)
        changed.append("tags")
    if not isinstance(estimated_value := _new(lead.estimated_value, c.estimated_value), Unset):
        lead.estimated_value = estimated_value
        changed.append("estimatedValue")
    if not isinstance(source := _new(lead.source, c.source), Unset):
        lead.source = source
        changed.append("source")
    if not isinstance(owner_id := _new(lead.owner_id, c.owner_id), Unset):
        lead.owner_id = owner_id
        changed.append("ownerId")
    if not isinstance(next_follow_up := _new(lead.next_follow_up, c.next_follow_up), Unset):
        lead.next_follow_up = next_follow_up
        changed.append("nextFollowUp")
    if not isinstance(c.marketing_consent, Unset):
        lead.marketing_consent = c.marketing_consent  # every statement is recorded, repeats included
        changed.append("marketingConsent")
    status, checked_at = edited_dnc(
        lead.dnc_status,
        lead.dnc_checked_at,
        status=c.dnc_status,
        checked_at=c.dnc_checked_at,
        phone_changed=lead.phone != phone_before,
        today=today,
    )
    if status != lead.dnc_status:
        lead.dnc_status = status
        changed.append("dncStatus")
    if checked_at != lead.dnc_checked_at:
        lead.dnc_checked_at = checked_at
        changed.append("dncCheckedAt")
    return changed


def new_lead(
    *, organization_id: UUID, actor_id: UUID, now: datetime, changes: LeadChanges, today: date | None = None
) -> Lead:
    """The one way a lead comes to be: blank, the changes applied (`today`, the business date
    DNC dates are checked against, defaults to now's), scored (a new lead has no activities).
    Raises ValidationError as apply_changes does."""
    lead = Lead(
        organization_id=organization_id,
        first_name="",
        last_name="",
        created_by=actor_id,
        created_at=now,
        updated_by=actor_id,
        updated_at=now,
    )
    apply_changes(lead, changes, today=today if today is not None else business_date(now))
    rescore(lead, Engagement(), now)
    return lead
