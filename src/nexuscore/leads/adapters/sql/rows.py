"""Rows of the leads tables <-> domain objects (Core statements, no ORM objects).

The import report (the `errors` JSON column) keeps one stored shape, {row, field, message},
for both kinds of entry; `report_entry` reads a duplicate back from its fixed message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any
from uuid import UUID

from sqlalchemy.engine import RowMapping

from nexuscore.kernel.money import Money
from nexuscore.leads.adapters.sql.tables import import_table
from nexuscore.leads.domain.model import (
    Activity,
    ActivityKind,
    DncStatus,
    DuplicateRow,
    ImportStatus,
    Lead,
    LeadImport,
    LeadSource,
    LeadStatus,
    MarketingConsent,
    ReportEntry,
    RowError,
    ScoreReason,
)

# Lead attributes stored as they are; the rest (enums, money, consent, reasons) are converted.
_LEAD_PLAIN = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "company_uen",
    "job_title",
    "lost_reason",
    "owner_id",
    "next_follow_up",
    "score",
    "dnc_checked_at",
    "created_by",
    "created_at",
    "updated_by",
    "updated_at",
    "archived_at",
    "merged_into_id",
)
LEAD_IMMUTABLE = ("id", "organization_id", "created_by", "created_at")
_ACTIVITY_PLAIN = ("organization_id", "lead_id", "occurred_at", "created_by", "created_at", "body")
IMPORT_PLAIN = (
    "created_by",
    "created_at",
    "filename",
    "total_rows",
    "processed_rows",
    "created_count",
    "duplicate_count",
    "error_count",
    "started_at",
    "finished_at",
    "failure",
)
IMPORT_COLUMNS = [column for column in import_table.c if column.name != "csv_text"]  # the job without the upload


def lead_values(lead: Lead) -> dict[str, Any]:
    consent, value = lead.marketing_consent, lead.estimated_value
    return {
        "id": lead.id,
        "organization_id": lead.organization_id,
        **{f: getattr(lead, f) for f in _LEAD_PLAIN},
        "source": lead.source.value,
        "status": lead.status.value,
        "tags": list(lead.tags),
        "estimated_value_minor": None if value is None else value.amount,
        "estimated_value_currency": None if value is None else value.currency,
        "score_reasons": [asdict(reason) for reason in lead.score_reasons],
        "marketing_consent_granted": None if consent is None else consent.granted,
        "marketing_consent_recorded_at": None if consent is None else consent.recorded_at,
        "marketing_consent_source": None if consent is None else consent.source,
        "dnc_status": lead.dnc_status.value,
    }


# Stored value -> member: a dict lookup per row rather than a call of the enum class (a list
# page converts 50 rows, three enums each). The table's CHECK constraints keep values in the set.
_SOURCES: dict[str, LeadSource] = {member.value: member for member in LeadSource}
_STATUSES: dict[str, LeadStatus] = {member.value: member for member in LeadStatus}
_DNC_STATUSES: dict[str, DncStatus] = {member.value: member for member in DncStatus}


def lead_from_row(row: RowMapping) -> Lead:
    amount, granted = row["estimated_value_minor"], row["marketing_consent_granted"]
    return Lead(
        id=row["id"],
        organization_id=row["organization_id"],
        **{f: row[f] for f in _LEAD_PLAIN},
        source=_SOURCES[row["source"]],
        status=_STATUSES[row["status"]],
        tags=list(row["tags"] or ()),
        estimated_value=None if amount is None else Money(int(amount), row["estimated_value_currency"]),
        score_reasons=[ScoreReason(**reason) for reason in row["score_reasons"] or ()],
        marketing_consent=None
        if granted is None
        else MarketingConsent(bool(granted), row["marketing_consent_recorded_at"], row["marketing_consent_source"]),
        dnc_status=_DNC_STATUSES[row["dnc_status"]],
    )


def activity_values(activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.id,
        "kind": activity.kind.value,
        "details": dict(activity.details),
        **{f: getattr(activity, f) for f in _ACTIVITY_PLAIN},
    }


def activity_from_row(row: RowMapping) -> Activity:
    return Activity(
        id=row["id"],
        kind=ActivityKind(row["kind"]),
        details=dict(row["details"] or {}),
        **{f: row[f] for f in _ACTIVITY_PLAIN},
    )


# The stored report (the `errors` JSON column) keeps one shape for both kinds of entry,
# {row, field, message}; a duplicate is the entry with field email or phone and this message.
_DUPLICATE_MESSAGE = re.compile(r"^Duplicate of (?:existing lead (?P<lead>[0-9a-f-]{36})|row (?P<row>\d+))$")


def report_entry_values(entry: ReportEntry) -> dict[str, Any]:
    return {"row": entry.row, "field": entry.field, "message": entry.message}


def report_entry(stored: Mapping[str, Any]) -> ReportEntry:
    row, field, message = stored["row"], stored["field"], stored["message"]
    found = _DUPLICATE_MESSAGE.match(message) if field in ("email", "phone") else None
    if found is None:
        return RowError(row, field, message)
    lead, of_row = found.group("lead"), found.group("row")
    return DuplicateRow(
        row, field, existing_lead_id=UUID(lead) if lead else None, duplicate_of_row=int(of_row) if of_row else None
    )


def import_values(lead_import: LeadImport) -> dict[str, Any]:
    return {
        "status": lead_import.status.value,
        "errors": [report_entry_values(entry) for entry in lead_import.errors],
        **{f: getattr(lead_import, f) for f in IMPORT_PLAIN},
    }


def import_from_row(row: RowMapping) -> LeadImport:
    return LeadImport(
        id=row["id"],
        organization_id=row["organization_id"],
        status=ImportStatus(row["status"]),
        errors=[report_entry(entry) for entry in row["errors"] or ()],
        **{f: row[f] for f in IMPORT_PLAIN},
    )
