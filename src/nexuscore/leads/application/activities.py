"""Activity use cases: the lead's timeline, and logging notes, calls, emails and meetings."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from uuid import UUID

from nexuscore.kernel.errors import FieldError, ValidationError
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.leads.application.services import LeadsServices
from nexuscore.leads.application.support import load_lead, record_view, refresh_score
from nexuscore.leads.domain.model import Activity, ActivityKind
from nexuscore.leads.domain.permissions import LeadAction, require
from nexuscore.leads.ports.repositories import LeadsUnitOfWork

MAX_BODY_LENGTH = 10_000
# Devices' clocks drift: a call logged "now" on a phone a little ahead of the server is not a lie.
CLOCK_SKEW = timedelta(minutes=5)
_ALLOWED_CONTROLS = {"\n", "\r", "\t"}


def clean_body(raw: str | None, *, kind: ActivityKind) -> str:
    body = unicodedata.normalize("NFKC", raw or "").strip()
    if not body and kind is ActivityKind.NOTE:
        raise ValidationError("A note needs text.", errors=[FieldError("body", "is required for a note")])
    if len(body) > MAX_BODY_LENGTH:
        raise ValidationError(
            "The text is too long.", errors=[FieldError("body", f"must be at most {MAX_BODY_LENGTH} characters")]
        )
    if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS for ch in body):
        raise ValidationError("Invalid text.", errors=[FieldError("body", "must not contain control characters")])
    return body


async def list_activities(
    uow: LeadsUnitOfWork, services: LeadsServices, *, tenant: TenantContext, lead_id: UUID, page: PageRequest
) -> Page[Activity]:
    """The timeline, newest first; a view of the lead's record (recorded, coalesced)."""
    require(tenant, LeadAction.VIEW)
    lead = await load_lead(uow, lead_id)
    await record_view(uow, tenant, lead, services.clock.now())
    return await uow.activities.list_for_lead(lead_id, page)


async def log_activity(
    uow: LeadsUnitOfWork,
    services: LeadsServices,
    *,
    tenant: TenantContext,
    lead_id: UUID,
    kind: ActivityKind,
    body: str | None = None,
    occurred_at: datetime | None = None,
) -> Activity:
    """A user-logged interaction; it counts towards engagement, so the lead is rescored."""
    require(tenant, LeadAction.LOG_ACTIVITY)
    # The lead first: another tenant's id is a 404 whatever the body says, like a missing one.
    lead = await load_lead(uow, lead_id, for_update=True)
    if not kind.user_loggable:
        loggable = ", ".join(k.value for k in ActivityKind if k.user_loggable)
        raise ValidationError(
            f"{kind.value} activities are recorded automatically.",
            errors=[FieldError("kind", f"must be one of {loggable}")],
        )
    text = clean_body(body, kind=kind)
    now = services.clock.now()
    if occurred_at is not None and occurred_at.tzinfo is None:
        raise ValidationError(
            "Invalid time.", errors=[FieldError("occurredAt", "needs a timezone offset, e.g. 2026-03-02T09:00:00Z")]
        )
    if occurred_at is not None and occurred_at > now + CLOCK_SKEW:
        raise ValidationError("Invalid time.", errors=[FieldError("occurredAt", "must not be in the future")])
    activity = Activity(
        organization_id=tenant.org_id,
        lead_id=lead.id,
        kind=kind,
        occurred_at=min(occurred_at, now) if occurred_at is not None else now,
        created_by=tenant.user_id,
        created_at=now,
        body=text,
    )
    await uow.activities.add(activity)
    # The lead itself is not edited (updatedAt stays); only its score follows the new engagement.
    await refresh_score(uow, lead, now)
    await uow.leads.save(lead)
    await uow.commit()
    return activity
