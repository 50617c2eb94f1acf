"""Searching leads: the query's sort and filters parsed and checked, and the list use case."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from uuid import UUID

from nexuscore.kernel.errors import FieldError, ValidationError
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.leads.application.services import LeadsServices
from nexuscore.leads.domain import fields
from nexuscore.leads.domain.model import Lead, LeadSource, LeadStatus
from nexuscore.leads.domain.permissions import LeadAction, require
from nexuscore.leads.ports.repositories import LeadFilter, LeadSort, LeadSortField, LeadsUnitOfWork

MAX_QUERY_LENGTH = 100


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
