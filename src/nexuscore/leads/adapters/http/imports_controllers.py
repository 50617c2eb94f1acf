"""HTTP adapter of lead imports and exports:

- POST /api/v1/orgs/{org_id}/leads/imports (multipart `file`, `dryRun`): 200 preview or 202 job
- GET  /api/v1/orgs/{org_id}/leads/imports: past imports, newest first
- GET  /api/v1/orgs/{org_id}/leads/imports/{import_id}: progress, counts and the row report
- GET  /api/v1/orgs/{org_id}/leads/export: CSV download, streamed
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any, cast
from uuid import UUID

import anyio
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import Body, FromPath, QueryParameter
from litestar.response import Stream
from litestar.status_codes import HTTP_202_ACCEPTED
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.kernel.clock import business_date
from nexuscore.kernel.errors import DependencyUnavailable, FieldError, ValidationError
from nexuscore.kernel.paging import DEFAULT_LIMIT, PageRequest
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.leads.adapters.http.dependencies import leads_state
from nexuscore.leads.adapters.http.imports_schemas import (
    ImportForm,
    ImportPreviewResponse,
    LeadImportPage,
    LeadImportResponse,
)
from nexuscore.leads.adapters.http.lead_query import LeadQuery, provide_lead_query
from nexuscore.leads.adapters.sql.unit_of_work import SqlLeadsUnitOfWork
from nexuscore.leads.adapters.tasks.imports import THREAD_OFFLOAD, ImportQueueError, enqueue_import
from nexuscore.leads.application import exports, imports
from nexuscore.leads.application.services import LeadsServices
from nexuscore.leads.domain.csv_reading import MAX_IMPORT_BYTES, ImportTooLarge, too_many_bytes
from nexuscore.platform.database import bind_rls_scope
from nexuscore.platform.http.problem_docs import QUOTA_EXCEEDED, problems
from nexuscore.platform.http.problems import problem_response
from nexuscore.platform.http.structs import Limit, Offset

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]
LeadsUoW = NamedDependency[SqlLeadsUnitOfWork]
Services = NamedDependency[LeadsServices]
# The file may be 10 MB; the multipart envelope (boundaries, part headers, dryRun) needs a little
# more. Anything past this is refused while it streams in, before it is buffered.
UPLOAD_BODY_LIMIT = MAX_IMPORT_BYTES + 64 * 1024
CSV_MEDIA_TYPE = "text/csv"  # Litestar adds "; charset=utf-8" to text types


def _too_large(request: Request[Any, Any, Any], exc: ImportTooLarge) -> Response[dict[str, Any]]:
    return problem_response(
        request, status=413, code="payload-too-large", title="Payload Too Large", detail=exc.message, extra=exc.extra
    )


async def _read_upload(form: ImportForm) -> tuple[bytes, str | None]:
    upload = form.file
    try:
        # One byte past the cap is enough to know it is too big, whatever the envelope allowed.
        data = await upload.read(MAX_IMPORT_BYTES + 1)
    finally:
        await upload.close()
    if len(data) > MAX_IMPORT_BYTES:
        raise too_many_bytes()
    return data, upload.filename


async def _dry_run(request: Request[Any, Any, Any], form: ImportForm, query: bool | None) -> bool:
    """`dryRun` where a client puts it: the form field, the query parameter, or both alike."""
    in_form = "dryRun" in await request.form()  # parsed once already, for `data`
    if query is not None and in_form and query != form.dry_run:
        raise ValidationError(
            "The query and the form disagree on dryRun.",
            errors=[FieldError("dryRun", "give it once, or the same value in the query and the form")],
        )
    return form.dry_run if query is None else query


def _import_location(org_id: UUID, import_id: UUID) -> str:
    return f"/api/v1/orgs/{org_id}/leads/imports/{import_id}"


async def _export_body(
    sessions: async_sessionmaker[AsyncSession], services: LeadsServices, plan: exports.ExportPlan
) -> AsyncIterator[str]:
    """Streams from a session of its own: the request's session is closed once the response
    starts, while the body is still being written."""
    async with sessions() as session:
        await bind_rls_scope(session, org_id=plan.tenant.org_id)
        uow = SqlLeadsUnitOfWork(session, plan.tenant.org_id, services.clock)
        progress = exports.ExportProgress()
        try:
            async for chunk in exports.stream_export(uow, services, plan=plan, progress=progress):
                yield chunk
        finally:
            # Recorded however the stream ended (complete, client gone, error); shielded so a
            # cancelled download cannot cancel the disclosure record too.
            with anyio.CancelScope(shield=True):
                if session.in_transaction():
                    await session.rollback()  # the stream only read; a failed read must not block the record
                await exports.record_export(uow, services, plan=plan, progress=progress)


class LeadImportsController(Controller):
    path = "/api/v1/orgs/{org_id:uuid}/leads"
    tags = ["leads"]
    security = BEARER
    exception_handlers = {ImportTooLarge: _too_large}

    @post(
        "/imports",
        status_code=HTTP_202_ACCEPTED,
        request_max_body_size=UPLOAD_BODY_LIMIT,
        summary="Import leads from a CSV file (admin or owner); dryRun=true previews it",
        response_description="The import job, queued (dryRun false)",
        response_headers=[
            ResponseHeader(name="Location", description="The job: GET it for progress", documentation_only=True)
        ],
        responses={
            200: ResponseSpec(
                data_container=ImportPreviewResponse,
                description="Dry run: the preview, nothing written",
                generate_examples=False,
            )
        },
        opt=problems(QUOTA_EXCEEDED),
    )
    async def import_leads(
        self,
        request: Request[Any, Any, Any],
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: Annotated[ImportForm, Body(media_type=RequestEncodingType.MULTI_PART)],
        leads_uow: LeadsUoW,
        leads_services: Services,
        dry_run: Annotated[
            bool | None,
            QueryParameter(
                name="dryRun", description="The same as the form field `dryRun`; give either, or both alike"
            ),
        ] = None,
    ) -> Response[LeadImportResponse]:
        """UTF-8 CSV, at most 10 MB and 50,000 rows (413 beyond). Columns, camelCase or human
        ("First Name"), case-insensitive: firstName (required), lastName, email, phone, company,
        companyUen/UEN, jobTitle, source (default import), tags (";"-separated), estimatedValue,
        nextFollowUp (YYYY-MM-DD), marketingConsent (yes/no/true/false), dncStatus, dncCheckedAt.

        With dryRun=true (form field or query parameter): 200 with totals, per-row errors and
        duplicates. Otherwise the header and size are checked now, the job is queued and 202
        answers with it (Location: the job). A row is imported whole or listed in the report; rows
        whose email or phone is taken (by a lead or an earlier row) are reported as duplicates.
        402 `quota-exceeded` (with `limit`) when the import would pass the organisation's lead
        limit; 400 `malformed-csv` when the file is not UTF-8 CSV text; 415 for a body that is not
        multipart/form-data; 422 for a missing file, header column or data rows, or a query
        `dryRun` that contradicts the form's."""
        preview_only = await _dry_run(request, data, dry_run)
        upload, filename = await _read_upload(data)
        if preview_only:
            preview = await imports.preview_import(
                leads_uow, leads_services, tenant=tenant, data=upload, offload=THREAD_OFFLOAD
            )
            # The document types the 202 alone (the preview's 200 is in `responses`), so the
            # annotation names the job; the preview is the other body this operation answers.
            return cast("Response[LeadImportResponse]", Response(ImportPreviewResponse.of(preview), status_code=200))
        job = await imports.start_import(
            leads_uow, leads_services, tenant=tenant, data=upload, filename=filename, offload=THREAD_OFFLOAD
        )
        try:
            await enqueue_import(leads_state(request).broker, tenant.org_id, job.id)
        except ImportQueueError:
            # Committed but never queued: fail it visibly rather than leave it pending forever.
            await imports.fail_import(
                leads_uow, leads_services, import_id=job.id, reason="The import could not be queued; upload it again."
            )
            raise DependencyUnavailable("The import could not be queued. Try again shortly.") from None
        return Response(
            LeadImportResponse.of(job),
            status_code=HTTP_202_ACCEPTED,
            headers={"Location": _import_location(tenant.org_id, job.id)},
        )

    @get("/imports", summary="Past imports, newest first (admin or owner)")
    async def list_lead_imports(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        leads_uow: LeadsUoW,
        leads_services: Services,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> LeadImportPage:
        page = await imports.list_imports(
            leads_uow, leads_services, tenant=tenant, page=PageRequest(limit=limit, offset=offset)
        )
        return LeadImportPage.of(page, LeadImportResponse.of)

    @get("/imports/{import_id:uuid}", summary="An import's progress, counts and row report (admin or owner)")
    async def get_lead_import(
        self,
        org_id: FromPath[UUID],
        import_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        leads_uow: LeadsUoW,
        leads_services: Services,
    ) -> LeadImportResponse:
        job = await imports.get_import(leads_uow, leads_services, tenant=tenant, import_id=import_id)
        return LeadImportResponse.of(job)

    @get(
        "/export",
        summary="Download leads as CSV (admin or owner); purpose=marketing keeps only those one may market to",
        media_type=CSV_MEDIA_TYPE,
        responses={
            200: ResponseSpec(
                data_container=str,
                media_type=CSV_MEDIA_TYPE,
                description="CSV (RFC 4180), one lead a row, oldest first; sent as an attachment",
                generate_examples=False,
            )
        },
        dependencies={"lead_query": Provide(provide_lead_query, sync_to_thread=False)},
    )
    async def export_leads(
        self,
        request: Request[Any, Any, Any],
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        lead_query: NamedDependency[LeadQuery],
        leads_services: Services,
        purpose: Annotated[
            exports.ExportPurpose,
            QueryParameter(
                description="marketing: only leads with marketing consent, not on the DNC register and "
                "checked against it within 21 days (PDPA)",
                examples=[Example(value="marketing")],
            ),
        ] = exports.ExportPurpose.GENERAL,
    ) -> Stream:
        """The same filters as GET /leads. Cells a spreadsheet would run as a formula (starting
        with = + - @, tab or CR) get a leading apostrophe. Every export is recorded as
        lead.exported {purpose, count, filters} in the audit trail once the download ends."""
        plan = await exports.plan_export(
            leads_services, tenant=tenant, lead_filter=lead_query.lead_filter, purpose=purpose, filters=lead_query.given
        )
        filename = f"leads-{purpose.value}-{business_date(leads_services.clock.now()).isoformat()}.csv"
        return Stream(
            _export_body(leads_state(request).sessions, leads_services, plan),
            media_type=CSV_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
