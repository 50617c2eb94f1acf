"""CSV import use cases: preview (dry run), start (checked up front, run in the background),
run (the worker, batch by batch, resumable), fail, and read the job.

One rule throughout: a row is either created whole or listed in the report, never half-imported.
Duplicates (same normalised email or E.164 phone) are reported, not created: against the
organisation's active leads and against earlier rows of the same file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Final, Protocol, TypeVar
from uuid import UUID

from nexuscore.kernel.clock import business_date
from nexuscore.kernel.errors import FieldError, NotFound, QuotaExceeded, ValidationError
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.leads.application.services import LeadsServices
from nexuscore.leads.domain.csv_import import (
    REPORT_LIMIT,
    ImportReport,
    LeadDraft,
    PlannedRow,
    contact_keys,
    plan_import,
)
from nexuscore.leads.domain.csv_reading import ParsedCsv, decode_upload, parse_csv
from nexuscore.leads.domain.events import LeadsImported
from nexuscore.leads.domain.model import DuplicateRow, ImportStatus, Lead, LeadImport, RowError
from nexuscore.leads.domain.permissions import LeadAction, require
from nexuscore.leads.ports.repositories import FEATURE_LEAD_IMPORT, LeadsUnitOfWork

_T = TypeVar("_T")

BATCH_SIZE: Final = 1000
CONTACT_LOOKUP_CHUNK: Final = 1000  # emails + phones per existing_contacts call (bind-parameter limits)
MAX_FILENAME_LENGTH: Final = 200
DEFAULT_FILENAME: Final = "import.csv"


class Offload(Protocol):
    """Runs CPU-bound work (decoding and cleaning up to 50,000 rows takes seconds) away from the
    event loop; adapters hand a thread-backed one in."""

    async def run(self, work: Callable[[], _T]) -> _T: ...


class Inline:
    """Runs the work where it is called (unit tests, small files)."""

    async def run(self, work: Callable[[], _T]) -> _T:
        return work()


INLINE: Final = Inline()


def safe_filename(raw: str | None) -> str:
    """The upload's base name, printable and bounded (it is shown back to users)."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:MAX_FILENAME_LENGTH] or DEFAULT_FILENAME


@dataclass
class RowOutcome:
    """Rows sorted into what happens to them, in file order."""

    to_create: list[PlannedRow] = field(default_factory=list)
    duplicates: list[DuplicateRow] = field(default_factory=list)
    errors: list[PlannedRow] = field(default_factory=list)


async def _existing(uow: LeadsUnitOfWork, rows: Sequence[PlannedRow]) -> dict[str, UUID]:
    emails = [r.draft.email for r in rows if r.draft is not None and r.draft.email]
    phones = [r.draft.phone for r in rows if r.draft is not None and r.draft.phone]
    found: dict[str, UUID] = {}
    for start in range(0, max(len(emails), len(phones)), CONTACT_LOOKUP_CHUNK):
        chunk = slice(start, start + CONTACT_LOOKUP_CHUNK)
        found.update(await uow.leads.existing_contacts(emails[chunk], phones[chunk]))
    return found


async def sort_rows(uow: LeadsUnitOfWork, rows: Sequence[PlannedRow]) -> RowOutcome:
    """Errors, in-file duplicates, duplicates of existing leads, and the rest to create."""
    existing = await _existing(uow, [r for r in rows if r.is_candidate])
    outcome = RowOutcome()
    for row in rows:
        if row.draft is None:
            outcome.errors.append(row)
        elif row.duplicate_of_row is not None:
            outcome.duplicates.append(
                DuplicateRow(row.row, row.matched_on or "email", duplicate_of_row=row.duplicate_of_row)
            )
        else:
            match = next(((kind, existing[v]) for kind, v in contact_keys(row.draft) if v in existing), None)
            if match is not None:
                outcome.duplicates.append(DuplicateRow(row.row, match[0], existing_lead_id=match[1]))
            else:
                outcome.to_create.append(row)
    return outcome


# ---- preview -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportPreview:
    total_rows: int
    valid_rows: int  # rows without errors, duplicates included
    new_rows: int  # rows a real import would create now (before the lead limit)
    error_rows: int
    errors: list[RowError]  # the first REPORT_LIMIT
    duplicate_rows: int
    duplicates: list[DuplicateRow]  # the first REPORT_LIMIT
    columns: tuple[str, ...]
    ignored_columns: tuple[str, ...]
    lead_limit: int | None
    active_leads: int

    @property
    def over_limit(self) -> bool:
        return self.lead_limit is not None and self.active_leads + self.new_rows > self.lead_limit


def read_upload(data: bytes) -> tuple[str, ParsedCsv]:
    """The upload's text and records: encoding, size, header and row cap checked; rows required."""
    text = decode_upload(data)
    parsed = parse_csv(text)
    if parsed.total_rows == 0:
        raise ValidationError("The file has no data rows.", errors=[FieldError("file", "has a header but no rows")])
    return text, parsed


async def preview_import(
    uow: LeadsUnitOfWork,
    services: LeadsServices,
    *,
    tenant: TenantContext,
    data: bytes,
    offload: Offload = INLINE,
) -> ImportPreview:
    """What an import of this file would do now; nothing is written."""
    require(tenant, LeadAction.IMPORT)
    await services.entitlements.require_feature(tenant.org_id, FEATURE_LEAD_IMPORT)
    today = business_date(services.clock.now())
    plan = await offload.run(lambda: plan_import(read_upload(data)[1], today))
    outcome = await sort_rows(uow, plan.rows)
    report = ImportReport()
    for row in outcome.errors:
        report.add_errors(row.errors)
    return ImportPreview(
        total_rows=plan.total_rows,
        valid_rows=plan.valid_rows,
        new_rows=len(outcome.to_create),
        error_rows=len(outcome.errors),
        errors=report.errors,
        duplicate_rows=len(outcome.duplicates),
        duplicates=outcome.duplicates[:REPORT_LIMIT],
        columns=plan.header.recognised,
        ignored_columns=plan.header.ignored,
        lead_limit=await services.entitlements.lead_limit(tenant.org_id),
        active_leads=await uow.leads.count_active(),
    )


# ---- start ---------------------------------------------------------------------------------


async def start_import(
    uow: LeadsUnitOfWork,
    services: LeadsServices,
    *,
    tenant: TenantContext,
    data: bytes,
    filename: str | None,
    offload: Offload = INLINE,
) -> LeadImport:
    """Check the file (encoding, size, header, row cap) and the lead limit, store the job and the
    CSV text, commit. The caller enqueues run_import once this returns."""
    require(tenant, LeadAction.IMPORT)
    await services.entitlements.require_feature(tenant.org_id, FEATURE_LEAD_IMPORT)
    now = services.clock.now()
    text, parsed = await offload.run(lambda: read_upload(data))
    limit = await services.entitlements.lead_limit(tenant.org_id)
    if limit is not None:
        active = await uow.leads.count_active()
        # Cheap bound first; only a file that might not fit is validated and deduplicated now.
        if active + parsed.total_rows > limit:
            plan = await offload.run(lambda: plan_import(parsed, business_date(now)))
            outcome = await sort_rows(uow, plan.rows)
            if active + len(outcome.to_create) > limit:
                raise QuotaExceeded(
                    f"This import would create {len(outcome.to_create)} leads; your plan allows {limit} active "
                    f"leads and {active} are in use. Archive some, import fewer rows or upgrade.",
                    extra={"limit": limit, "activeLeads": active, "newRows": len(outcome.to_create)},
                )

    job = LeadImport(
        organization_id=tenant.org_id,
        created_by=tenant.user_id,
        created_at=now,
        filename=safe_filename(filename),
        total_rows=parsed.total_rows,
    )
    await uow.imports.add(job, text)
    await uow.commit()
    return job


async def get_import(
    uow: LeadsUnitOfWork, services: LeadsServices, *, tenant: TenantContext, import_id: UUID
) -> LeadImport:
    require(tenant, LeadAction.IMPORT)
    job = await uow.imports.get(import_id)
    if job is None:
        raise NotFound("Import not found.")
    return job


async def list_imports(
    uow: LeadsUnitOfWork, services: LeadsServices, *, tenant: TenantContext, page: PageRequest
) -> Page[LeadImport]:
    require(tenant, LeadAction.IMPORT)
    return await uow.imports.list(page)


# ---- the background run --------------------------------------------------------------------


def _imported_event(job: LeadImport, now: datetime) -> LeadsImported:
    # Counts only: the rows themselves are personal data and stay in the lead rows.
    return LeadsImported(
        occurred_at=now,
        organization_id=job.organization_id,
        actor_id=job.created_by,
        import_id=job.id,
        created=job.created_count,
        duplicates=job.duplicate_count,
        errors=job.error_count,
    )


def _limit_error(row: int, limit: int) -> RowError:
    return RowError(row, None, f"Not imported: the plan's limit of {limit} active leads was reached.")


SUPPRESSED = (
    "Not imported: this person's data was erased at their request (PDPA); "
    "import them again only with their fresh consent (marketingConsent: yes)."
)


async def _drop_suppressed(services: LeadsServices, job: LeadImport, outcome: RowOutcome) -> None:
    """Rows naming an erased person stay out unless the row records their consent given now."""
    values = {v for r in outcome.to_create if r.draft for v in (r.draft.email, r.draft.phone) if v}
    if not values:
        return
    suppressed = await services.suppression.suppressed(job.organization_id, values)
    if not suppressed:
        return
    keep: list[PlannedRow] = []
    for row in outcome.to_create:
        draft = row.draft
        named = draft is not None and bool({draft.email, draft.phone} & suppressed)
        if named and not (draft is not None and draft.marketing_consent is True):
            outcome.errors.append(replace(row, draft=None, errors=(RowError(row.row, None, SUPPRESSED),)))
        else:
            keep.append(row)
    outcome.to_create = keep


async def _run_batch(
    uow: LeadsUnitOfWork,
    services: LeadsServices,
    job: LeadImport,
    batch: Sequence[PlannedRow],
    limit: int | None,
    now: datetime,
) -> None:
    outcome = await sort_rows(uow, batch)
    await _drop_suppressed(services, job, outcome)
    room = len(outcome.to_create)
    if limit is not None:
        await uow.leads.hold_lead_quota()  # an API create or another batch cannot slip in between
        room = min(room, max(0, limit - await uow.leads.count_active()))
    creating = outcome.to_create[:room]
    over_limit = outcome.to_create[room:]
    drafts: list[tuple[PlannedRow, LeadDraft]] = [(r, r.draft) for r in creating if r.draft is not None]
    day = business_date(job.created_at)  # the rows were checked against the upload's business date
    leads: list[Lead] = [draft.to_lead(job.organization_id, job.created_by, now, today=day) for _row, draft in drafts]
    if leads:
        await uow.leads.add_many(leads)

    report = ImportReport.of(job.errors)
    for row in outcome.errors:
        report.add_errors(row.errors)
    for duplicate in outcome.duplicates:
        report.add_duplicate(duplicate)
    for row in over_limit:
        report.add_errors([_limit_error(row.row, limit or 0)])
    job.errors = report.entries()
    job.created_count += len(leads)
    job.duplicate_count += len(outcome.duplicates)
    job.error_count += len(outcome.errors) + len(over_limit)
    job.processed_rows += len(batch)


async def run_import(
    uow: LeadsUnitOfWork,
    services: LeadsServices,
    *,
    import_id: UUID,
    batch_size: int = BATCH_SIZE,
    offload: Offload = INLINE,
) -> LeadImport | None:
    """Process the job from where it stands, one transaction per batch.

    Each batch inserts its leads and advances processedRows, the counts and the report in the
    same transaction, so a crash and a retry resume exactly after the last committed batch and
    never create a row twice. The job row is locked per batch: a second worker on the same job
    waits, then carries on from the first one's progress. The last batch also records the one
    lead.imported event.
    """
    job = await uow.imports.get(import_id, for_update=True)
    if job is None or job.status in (ImportStatus.COMPLETED, ImportStatus.FAILED):
        return job
    text = await uow.imports.csv_text(import_id)
    if text is None:
        return await _mark_failed(uow, services, job, "The uploaded file is no longer available.")
    # "Today" is the upload's business date, so every run of the job validates rows identically.
    day = business_date(job.created_at)
    plan = await offload.run(lambda: plan_import(parse_csv(text), day))
    limit = await services.entitlements.lead_limit(job.organization_id)
    while True:
        now = services.clock.now()
        if job.status is ImportStatus.PENDING:
            job.status = ImportStatus.RUNNING
            job.started_at = now
            job.total_rows = plan.total_rows
        start = job.processed_rows
        await _run_batch(uow, services, job, plan.rows[start : start + batch_size], limit, now)
        done = job.processed_rows >= plan.total_rows
        if done:
            job.status = ImportStatus.COMPLETED
            job.finished_at = now
            await uow.events.append(_imported_event(job, now))
        await uow.imports.save(job)
        await uow.commit()
        if done:
            return job
        reloaded = await uow.imports.get(import_id, for_update=True)
        if reloaded is None or reloaded.status is not ImportStatus.RUNNING:
            return reloaded
        job = reloaded


async def _mark_failed(uow: LeadsUnitOfWork, services: LeadsServices, job: LeadImport, reason: str) -> LeadImport:
    job.status = ImportStatus.FAILED
    job.failure = reason
    job.finished_at = services.clock.now()
    await uow.imports.save(job)
    await uow.commit()
    return job


async def fail_import(
    uow: LeadsUnitOfWork, services: LeadsServices, *, import_id: UUID, reason: str
) -> LeadImport | None:
    """Give up on a job (its retries are spent, or it could not be queued); batches already
    committed stay imported and counted."""
    job = await uow.imports.get(import_id, for_update=True)
    if job is None or job.status in (ImportStatus.COMPLETED, ImportStatus.FAILED):
        return job
    return await _mark_failed(uow, services, job, reason)
