"""CSV export of leads, streamed, and its record in the PDPA disclosure trail.

The export is planned up front (permission, filters, purpose) so refusals happen before the
first byte; the rows are then written in chunks as the repository streams them. lead.exported
{purpose, count, filters, completed} is recorded by `record_export` once the stream ends, in the
streaming transaction, also when the download is cut short (count = rows handed out so far,
completed = false): over-reporting a disclosure is safer than missing one.
"""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from nexuscore.kernel.clock import business_date
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.leads.application.services import LeadsServices
from nexuscore.leads.domain.events import LeadsExported
from nexuscore.leads.domain.model import Lead, MarketingConsent
from nexuscore.leads.domain.permissions import LeadAction, require
from nexuscore.leads.ports.repositories import FEATURE_LEAD_EXPORT, ExportFilter, LeadFilter, LeadsUnitOfWork

CHUNK_ROWS: Final = 500
# Spreadsheets run cells starting with these as formulas (CSV injection, OWASP): such cells get a
# leading apostrophe, which Excel, LibreOffice and Google Sheets show as text.
FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")
EXPORT_COLUMNS: Final = (
    "id",
    "firstName",
    "lastName",
    "email",
    "phone",
    "company",
    "companyUen",
    "jobTitle",
    "source",
    "status",
    "ownerId",
    "tags",
    "estimatedValue",
    "currency",
    "nextFollowUp",
    "score",
    "marketingConsent",
    "marketingConsentRecordedAt",
    "dncStatus",
    "dncCheckedAt",
    "createdAt",
    "updatedAt",
)


class ExportPurpose(enum.StrEnum):
    """Why the data leaves the system (the disclosure log records it)."""

    GENERAL = "general"
    MARKETING = "marketing"


@dataclass(frozen=True)
class ExportPlan:
    tenant: TenantContext
    purpose: ExportPurpose
    export: ExportFilter
    filters: Mapping[str, Any]  # the request's filters as given, JSON-safe, for the event
    today: date


@dataclass
class ExportProgress:
    count: int = 0
    completed: bool = False


async def plan_export(
    services: LeadsServices,
    *,
    tenant: TenantContext,
    lead_filter: LeadFilter,
    purpose: ExportPurpose = ExportPurpose.GENERAL,
    filters: Mapping[str, Any] | None = None,
) -> ExportPlan:
    """Permission, plan and filter checks, before anything is streamed."""
    require(tenant, LeadAction.EXPORT)
    await services.entitlements.require_feature(tenant.org_id, FEATURE_LEAD_EXPORT)
    today = business_date(services.clock.now())
    marketing = purpose is ExportPurpose.MARKETING
    return ExportPlan(
        tenant=tenant,
        purpose=purpose,
        export=ExportFilter(lead_filter=lead_filter, marketing_only=marketing, today=today),
        filters={k: v for k, v in (filters or {}).items() if v not in (None, "", [], ())},
        today=today,
    )


def neutralise(value: str) -> str:
    """Guard against CSV formula injection: a cell a spreadsheet would evaluate becomes text."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _iso(value: date | datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def lead_row(lead: Lead, consent: MarketingConsent | None) -> list[str]:
    """`consent` is privacy's current decision (the lead row's copy goes stale on a withdrawal
    recorded there): a disclosed file says what holds at the export."""
    cells = [
        str(lead.id),
        lead.first_name,
        lead.last_name,
        lead.email or "",
        lead.phone or "",
        lead.company or "",
        lead.company_uen or "",
        lead.job_title or "",
        lead.source.value,
        lead.status.value,
        str(lead.owner_id) if lead.owner_id else "",
        ";".join(lead.tags),
        str(lead.estimated_value.to_decimal()) if lead.estimated_value is not None else "",
        lead.estimated_value.currency if lead.estimated_value is not None else "",
        _iso(lead.next_follow_up),
        str(lead.score),
        "" if consent is None else ("yes" if consent.granted else "no"),
        _iso(consent.recorded_at) if consent is not None else "",
        lead.dnc_status.value,
        _iso(lead.dnc_checked_at),
        _iso(lead.created_at),
        _iso(lead.updated_at),
    ]
    return [neutralise(cell) for cell in cells]


def _csv_lines(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)  # RFC 4180 line ends
    return buffer.getvalue()


async def stream_export(
    uow: LeadsUnitOfWork, services: LeadsServices, *, plan: ExportPlan, progress: ExportProgress
) -> AsyncIterator[str]:
    """The CSV text in chunks: the header, then CHUNK_ROWS leads at a time, oldest first."""
    yield _csv_lines([list(EXPORT_COLUMNS)])
    rows: list[list[str]] = []
    pending: list[Lead] = []

    async def admitted() -> list[list[str]]:
        # One lookup per chunk: privacy's current consent for the columns and, for a marketing
        # export, eligibility again. The repository filters eligibility in SQL; asking the
        # privacy context again here (its own rule) means a bug there can never put a lead
        # without consent, or on the DNC register, into a mailing list.
        standings = await uow.marketing.standings(pending, plan.today)
        return [
            lead_row(lead, standings[lead.id].consent)
            for lead in pending
            if standings[lead.id].eligible or not plan.export.marketing_only
        ]

    async for lead in uow.leads.stream(plan.export):
        pending.append(lead)
        if len(pending) >= CHUNK_ROWS:
            rows.extend(await admitted())
            pending = []
        if len(rows) >= CHUNK_ROWS:
            chunk = _csv_lines(rows)
            progress.count += len(rows)
            rows = []
            yield chunk
    if pending:
        rows.extend(await admitted())
    if rows:
        progress.count += len(rows)
        yield _csv_lines(rows)
    progress.completed = True


async def record_export(
    uow: LeadsUnitOfWork, services: LeadsServices, *, plan: ExportPlan, progress: ExportProgress
) -> None:
    """lead.exported in its own commit (the streaming transaction only read until now)."""
    await uow.events.append(
        LeadsExported(
            occurred_at=services.clock.now(),
            organization_id=plan.tenant.org_id,
            actor_id=plan.tenant.user_id,
            purpose=plan.purpose.value,
            count=progress.count,
            filters=dict(plan.filters),
            completed=progress.completed,
        )
    )
    await uow.commit()
