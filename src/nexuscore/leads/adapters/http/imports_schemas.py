"""Request and response bodies of lead imports (multipart upload) and their reports."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar.datastructures import UploadFile

from nexuscore.leads.adapters.http.problems import MatchedOn
from nexuscore.leads.application.imports import ImportPreview
from nexuscore.leads.domain.csv_import import ImportReport
from nexuscore.leads.domain.model import DuplicateRow, ImportStatus, LeadImport, RowError
from nexuscore.platform.http.structs import PageResponse, RequestBody, ResponseBody


class ImportForm(RequestBody):
    """multipart/form-data: the CSV as `file`, and `dryRun=true` for a preview."""

    file: UploadFile
    dry_run: bool = False


class RowErrorResponse(ResponseBody):
    row: Annotated[int, msgspec.Meta(description="1-based data row (the header is row 0)")]
    field: str | None
    message: str

    @classmethod
    def of(cls, error: RowError) -> RowErrorResponse:
        return cls(row=error.row, field=error.field, message=error.message)


class DuplicateResponse(ResponseBody, omit_defaults=True):
    """A row not imported because its email or phone is taken: by an existing lead
    (`existingLeadId`) or by an earlier row of the file (`duplicateOfRow`)."""

    row: int
    matched_on: MatchedOn
    existing_lead_id: UUID | None = None
    duplicate_of_row: int | None = None

    @classmethod
    def of(cls, duplicate: DuplicateRow) -> DuplicateResponse:
        return cls(
            row=duplicate.row,
            matched_on=MatchedOn(duplicate.matched_on),
            existing_lead_id=duplicate.existing_lead_id,
            duplicate_of_row=duplicate.duplicate_of_row,
        )


class ImportPreviewResponse(ResponseBody):
    """A dry run: what importing the file would do now. Nothing was written."""

    dry_run: bool
    total_rows: int
    valid_rows: Annotated[int, msgspec.Meta(description="Rows without errors, duplicates included")]
    new_rows: Annotated[int, msgspec.Meta(description="Rows a real import would create now")]
    error_rows: int
    duplicate_rows: int
    errors: Annotated[list[RowErrorResponse], msgspec.Meta(description="The first 1000 problems")]
    duplicates: Annotated[list[DuplicateResponse], msgspec.Meta(description="The first 1000 duplicates")]
    columns: Annotated[list[str], msgspec.Meta(description="Recognised columns, as field names")]
    ignored_columns: Annotated[list[str], msgspec.Meta(description="Columns the import does not read")]
    lead_limit: int | None
    active_leads: int
    over_limit: Annotated[bool, msgspec.Meta(description="A real import would be refused (402) by the lead limit")]

    @classmethod
    def of(cls, preview: ImportPreview) -> ImportPreviewResponse:
        return cls(
            dry_run=True,
            total_rows=preview.total_rows,
            valid_rows=preview.valid_rows,
            new_rows=preview.new_rows,
            error_rows=preview.error_rows,
            duplicate_rows=preview.duplicate_rows,
            errors=[RowErrorResponse.of(e) for e in preview.errors],
            duplicates=[DuplicateResponse.of(d) for d in preview.duplicates],
            columns=list(preview.columns),
            ignored_columns=list(preview.ignored_columns),
            lead_limit=preview.lead_limit,
            active_leads=preview.active_leads,
            over_limit=preview.over_limit,
        )


class ImportCounts(ResponseBody):
    created: int
    duplicates: int
    errors: Annotated[int, msgspec.Meta(description="Rows not imported because of errors (or the lead limit)")]


class LeadImportResponse(ResponseBody):
    """One CSV import job: its progress, counts and row report."""

    id: UUID
    status: ImportStatus
    filename: str
    total_rows: int
    processed_rows: int
    counts: ImportCounts
    errors: Annotated[list[RowErrorResponse], msgspec.Meta(description="The first 1000 problems, by row")]
    duplicates: Annotated[list[DuplicateResponse], msgspec.Meta(description="The first 1000 duplicates, by row")]
    created_by: UUID
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    failure: str | None

    @classmethod
    def of(cls, job: LeadImport) -> LeadImportResponse:
        report = ImportReport.of(job.errors)
        return cls(
            id=job.id,
            status=job.status,
            filename=job.filename,
            total_rows=job.total_rows,
            processed_rows=job.processed_rows,
            counts=ImportCounts(created=job.created_count, duplicates=job.duplicate_count, errors=job.error_count),
            errors=[RowErrorResponse.of(e) for e in report.errors],
            duplicates=[DuplicateResponse.of(d) for d in report.duplicates],
            created_by=job.created_by,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            failure=job.failure,
        )


class LeadImportPage(PageResponse[LeadImportResponse]):
    """The organisation's imports, newest first."""

    items: list[LeadImportResponse]  # named again so the document shows the item type
