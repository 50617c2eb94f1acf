"""HTTP adapter of the billing context: the organisation's own documents
(/api/v1/orgs/{org_id}/invoices, credit-notes), for members and above."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, QueryParameter

from nexuscore.billing.adapters.http.controllers import PDF, XML, file_response, invoice_view, pdf_spec, xml_spec
from nexuscore.billing.adapters.http.dependencies import provide_billing_tenant_uow
from nexuscore.billing.adapters.http.schemas import (
    CreditNotePage,
    CreditNoteResponse,
    InvoicePage,
    InvoiceResponse,
)
from nexuscore.billing.adapters.sql.unit_of_work import SqlBillingUnitOfWork
from nexuscore.billing.application import queries
from nexuscore.billing.application.services import BillingServices
from nexuscore.billing.domain.model import InvoiceStatus
from nexuscore.identity.api import Principal
from nexuscore.kernel.paging import DEFAULT_LIMIT, PageRequest
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.platform.http.structs import Limit, Offset

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]
UoW = NamedDependency[SqlBillingUnitOfWork]
Services = NamedDependency[BillingServices]
Staff = NamedDependency[Principal]
Tenant = NamedDependency[TenantContext]


class OrgInvoicesController(Controller):
    path = "/api/v1/orgs/{org_id:uuid}"
    tags = ["billing"]
    security = BEARER
    dependencies = {"billing_uow": Provide(provide_billing_tenant_uow)}  # the tenant first, then the session

    @get("/invoices", summary="The organisation's invoices, newest first (member or above)")
    async def list_org_invoices(
        self,
        org_id: FromPath[UUID],
        tenant: Tenant,
        billing_uow: UoW,
        billing_services: Services,
        status: Annotated[InvoiceStatus | None, QueryParameter()] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> InvoicePage:
        page = await queries.tenant_invoices(billing_uow, tenant=tenant, page=PageRequest(limit, offset), status=status)
        return InvoicePage.of(page, lambda i: invoice_view(i, billing_services))

    @get("/invoices/{invoice_id:uuid}", summary="One of the organisation's invoices (member or above)")
    async def get_org_invoice(
        self,
        org_id: FromPath[UUID],
        invoice_id: FromPath[UUID],
        tenant: Tenant,
        billing_uow: UoW,
        billing_services: Services,
    ) -> InvoiceResponse:
        invoice = await queries.tenant_invoice(billing_uow, tenant=tenant, invoice_id=invoice_id)
        return invoice_view(invoice, billing_services)

    @get(
        "/invoices/{invoice_id:uuid}/pdf",
        summary="The invoice as a PDF (member or above)",
        media_type=PDF,
        responses=pdf_spec(),
    )
    async def get_org_invoice_pdf(
        self,
        org_id: FromPath[UUID],
        invoice_id: FromPath[UUID],
        tenant: Tenant,
        billing_uow: UoW,
        billing_services: Services,
    ) -> Response[bytes]:
        invoice = await queries.tenant_invoice(billing_uow, tenant=tenant, invoice_id=invoice_id)
        return file_response(queries.invoice_file(billing_services, invoice, "pdf"), PDF, f"{invoice.number}.pdf")

    @get(
        "/invoices/{invoice_id:uuid}/einvoice",
        summary="The invoice as an InvoiceNow e-invoice, UBL 2.1 PINT SG (member or above)",
        media_type=XML,
        responses=xml_spec(),
    )
    async def get_org_invoice_einvoice(
        self,
        org_id: FromPath[UUID],
        invoice_id: FromPath[UUID],
        tenant: Tenant,
        billing_uow: UoW,
        billing_services: Services,
    ) -> Response[bytes]:
        invoice = await queries.tenant_invoice(billing_uow, tenant=tenant, invoice_id=invoice_id)
        return file_response(queries.invoice_file(billing_services, invoice, "einvoice"), XML, f"{invoice.number}.xml")

    @get("/credit-notes", summary="The organisation's credit notes, newest first (member or above)")
    async def list_org_credit_notes(
        self, org_id: FromPath[UUID], tenant: Tenant, billing_uow: UoW, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
    ) -> CreditNotePage:
        page = await queries.tenant_credit_notes(billing_uow, tenant=tenant, page=PageRequest(limit, offset))
        return CreditNotePage.of(page, CreditNoteResponse.of)

    @get("/credit-notes/{credit_note_id:uuid}", summary="One of the organisation's credit notes (member or above)")
    async def get_org_credit_note(
        self, org_id: FromPath[UUID], credit_note_id: FromPath[UUID], tenant: Tenant, billing_uow: UoW
    ) -> CreditNoteResponse:
        note = await queries.tenant_credit_note(billing_uow, tenant=tenant, credit_note_id=credit_note_id)
        return CreditNoteResponse.of(note)

    @get(
        "/credit-notes/{credit_note_id:uuid}/pdf",
        summary="The credit note as a PDF (member or above)",
        media_type=PDF,
        responses=pdf_spec(),
    )
    async def get_org_credit_note_pdf(
        self,
        org_id: FromPath[UUID],
        credit_note_id: FromPath[UUID],
        tenant: Tenant,
        billing_uow: UoW,
        billing_services: Services,
    ) -> Response[bytes]:
        note = await queries.tenant_credit_note(billing_uow, tenant=tenant, credit_note_id=credit_note_id)
        return file_response(queries.credit_note_file(billing_services, note, "pdf"), PDF, f"{note.number}.pdf")

    @get(
        "/credit-notes/{credit_note_id:uuid}/einvoice",
        summary="The credit note as an InvoiceNow e-invoice, UBL 2.1 CreditNote (member or above)",
        media_type=XML,
        responses=xml_spec(),
    )
    async def get_org_credit_note_einvoice(
        self,
        org_id: FromPath[UUID],
        credit_note_id: FromPath[UUID],
        tenant: Tenant,
        billing_uow: UoW,
        billing_services: Services,
    ) -> Response[bytes]:
        note = await queries.tenant_credit_note(billing_uow, tenant=tenant, credit_note_id=credit_note_id)
        return file_response(queries.credit_note_file(billing_services, note, "einvoice"), XML, f"{note.number}.xml")
