"""HTTP adapter of the billing context: staff's invoices (/api/v1/admin/invoices) and the GST
report; the helpers both controllers share (files, the invoice view)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from nexuscore.billing.adapters.http.dependencies import provide_billing_staff_uow
from nexuscore.billing.adapters.http.schemas import (
    CreateInvoiceRequest,
    CreditNoteRequest,
    CreditNoteResponse,
    GstReportResponse,
    InvoiceResponse,
    MarkPaidRequest,
    StaffInvoicePage,
    StaffInvoiceResponse,
    UpdateInvoiceRequest,
    VoidRequest,
)
from nexuscore.billing.adapters.sql.unit_of_work import SqlBillingUnitOfWork
from nexuscore.billing.application import credit_notes, invoices, queries, reports
from nexuscore.billing.application.services import BillingServices
from nexuscore.billing.domain.model import Invoice, InvoiceStatus
from nexuscore.billing.ports.repositories import InvoiceFilter
from nexuscore.identity.api import Principal
from nexuscore.kernel.clock import business_date
from nexuscore.kernel.paging import DEFAULT_LIMIT, PageRequest
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.platform.http.problem_docs import CONFLICT, NOT_FOUND, UNAVAILABLE, problems
from nexuscore.platform.http.structs import Limit, Offset

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]
UoW = NamedDependency[SqlBillingUnitOfWork]
Services = NamedDependency[BillingServices]
Staff = NamedDependency[Principal]
Tenant = NamedDependency[TenantContext]
PDF = "application/pdf"
XML = "application/xml"


def pdf_spec() -> dict[int, ResponseSpec]:
    return {
        200: ResponseSpec(
            data_container=bytes, media_type=PDF, description="The document as a PDF", generate_examples=False
        )
    }


def xml_spec() -> dict[int, ResponseSpec]:
    return {
        200: ResponseSpec(
            data_container=bytes,
            media_type=XML,
            description="The InvoiceNow e-invoice: UBL 2.1 Invoice or CreditNote, PINT SG",
            generate_examples=False,
        )
    }


def file_response(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


def _provisional_rate(services: BillingServices) -> Decimal:
    """Today's rate, at which a draft's figures are shown."""
    today = business_date(services.clock.now())
    return services.rates.rate_on(today) if services.supplier.gst_registered else Decimal(0)


def invoice_view(invoice: Invoice, services: BillingServices) -> InvoiceResponse:
    """The tenant's view of an invoice."""
    return InvoiceResponse.of(invoice, provisional_rate=_provisional_rate(services))


def staff_invoice_view(invoice: Invoice, services: BillingServices) -> StaffInvoiceResponse:
    return StaffInvoiceResponse.of(invoice, provisional_rate=_provisional_rate(services))


class AdminInvoicesController(Controller):
    path = "/api/v1/admin"
    tags = ["billing"]
    security = BEARER
    dependencies = {"billing_uow": Provide(provide_billing_staff_uow)}  # staff first, then the session

    @post(
        "/invoices",
        status_code=HTTP_201_CREATED,
        summary="Draft a manual invoice (staff); no number until it is finalised",
    )
    async def create_invoice(
        self, billing_staff: Staff, data: JSONBody[CreateInvoiceRequest], billing_uow: UoW, billing_services: Services
    ) -> StaffInvoiceResponse:
        """`unitAmount` in minor units of `currency`, GST-exclusive; `quantity` a decimal string.
        422 when the organisation has no billing profile, or a tax category is not allowed on
        this supply (ZR needs the customer's overseas evidence; NG only for a supplier that is
        not GST-registered)."""
        invoice = await invoices.create_draft(
            billing_uow,
            billing_services,
            is_staff=billing_staff.is_staff,
            actor_id=billing_staff.user_id,
            data=data.to_input(),
        )
        return staff_invoice_view(invoice, billing_services)

    @get("/invoices", summary="Every organisation's invoices, newest first (staff)")
    async def list_invoices(
        self,
        billing_staff: Staff,
        billing_uow: UoW,
        billing_services: Services,
        status: Annotated[InvoiceStatus | None, QueryParameter()] = None,
        organization_id: Annotated[UUID | None, QueryParameter(name="organizationId")] = None,
        issued_from: Annotated[date | None, QueryParameter(name="from", description="Issued on or after")] = None,
        issued_to: Annotated[date | None, QueryParameter(name="to", description="Issued on or before")] = None,
        tax_mismatch: Annotated[
            bool | None,
            QueryParameter(name="taxMismatch", description="Gateway invoices whose tax differs from our GST"),
        ] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> StaffInvoicePage:
        page = await queries.staff_invoices(
            billing_uow,
            is_staff=billing_staff.is_staff,
            page=PageRequest(limit, offset),
            where=InvoiceFilter(status, organization_id, issued_from, issued_to, tax_mismatch),
        )
        return StaffInvoicePage.of(page, lambda i: staff_invoice_view(i, billing_services))

    @get("/invoices/{invoice_id:uuid}", summary="One invoice (staff)", opt=problems(NOT_FOUND))
    async def get_invoice(
        self, billing_staff: Staff, invoice_id: FromPath[UUID], billing_uow: UoW, billing_services: Services
    ) -> StaffInvoiceResponse:
        invoice = await queries.staff_invoice(billing_uow, is_staff=billing_staff.is_staff, invoice_id=invoice_id)
        return staff_invoice_view(invoice, billing_services)

    @patch(
        "/invoices/{invoice_id:uuid}",
        summary="Edit a draft (staff); 409 once finalised",
        opt=problems(NOT_FOUND, CONFLICT),
    )
    async def update_invoice(
        self,
        billing_staff: Staff,
        invoice_id: FromPath[UUID],
        data: JSONBody[UpdateInvoiceRequest],
        billing_uow: UoW,
        billing_services: Services,
    ) -> StaffInvoiceResponse:
        invoice = await invoices.edit_draft(
            billing_uow,
            billing_services,
            is_staff=billing_staff.is_staff,
            invoice_id=invoice_id,
            changes=data.to_changes(),
        )
        return staff_invoice_view(invoice, billing_services)

    @post(
        "/invoices/{invoice_id:uuid}/finalize",
        status_code=HTTP_200_OK,
        summary="Finalise: assign the number, snapshot supplier and customer, fix the GST (staff)",
        opt=problems(NOT_FOUND, CONFLICT),
    )
    async def finalize_invoice(
        self, billing_staff: Staff, invoice_id: FromPath[UUID], billing_uow: UoW, billing_services: Services
    ) -> StaffInvoiceResponse:
        """Issued today (Asia/Singapore); the GST rate is the one on the time of supply. 422 when
        a foreign-currency invoice has no exchange rate, or the categories no longer fit the
        customer's billing profile; 409 when it is finalised already."""
        invoice = await invoices.finalize_invoice(
            billing_uow,
            billing_services,
            is_staff=billing_staff.is_staff,
            actor_id=billing_staff.user_id,
            invoice_id=invoice_id,
        )
        return staff_invoice_view(invoice, billing_services)

    @post(
        "/invoices/{invoice_id:uuid}/send",
        status_code=HTTP_200_OK,
        summary="Mail the invoice's PDF to the customer's billing email (staff)",
        opt=problems(NOT_FOUND, CONFLICT, UNAVAILABLE),
    )
    async def send_invoice(
        self, billing_staff: Staff, invoice_id: FromPath[UUID], billing_uow: UoW, billing_services: Services
    ) -> StaffInvoiceResponse:
        invoice = await invoices.send_invoice(
            billing_uow,
            billing_services,
            is_staff=billing_staff.is_staff,
            actor_id=billing_staff.user_id,
            invoice_id=invoice_id,
        )
        return staff_invoice_view(invoice, billing_services)

    @post(
        "/invoices/{invoice_id:uuid}/mark-paid",
        status_code=HTTP_200_OK,
        summary="Record a payment received (bank transfer, PayNow...) (staff)",
        opt=problems(NOT_FOUND, CONFLICT),
    )
    async def mark_invoice_paid(
        self,
        billing_staff: Staff,
        invoice_id: FromPath[UUID],
        data: JSONBody[MarkPaidRequest],
        billing_uow: UoW,
        billing_services: Services,
    ) -> StaffInvoiceResponse:
        """`method`: bank_transfer, paynow, cheque, card, cash or other. 409 unless the invoice
        is open or uncollectible."""
        invoice = await invoices.mark_paid(
            billing_uow,
            billing_services,
            is_staff=billing_staff.is_staff,
            actor_id=billing_staff.user_id,
            invoice_id=invoice_id,
            paid_at=data.paid_at,
            method=data.method,
            reference=data.reference,
        )
        return staff_invoice_view(invoice, billing_services)

    @post(
        "/invoices/{invoice_id:uuid}/void",
        status_code=HTTP_200_OK,
        summary="Void a finalised invoice; it keeps its number (staff)",
        opt=problems(NOT_FOUND, CONFLICT),
    )
    async def void_invoice(
        self,
        billing_staff: Staff,
        invoice_id: FromPath[UUID],
        data: JSONBody[VoidRequest],
        billing_uow: UoW,
        billing_services: Services,
    ) -> StaffInvoiceResponse:
        """409 for a draft, a paid invoice (credit it instead) or one already credited."""
        invoice = await invoices.void_invoice(
            billing_uow,
            billing_services,
            is_staff=billing_staff.is_staff,
            actor_id=billing_staff.user_id,
            invoice_id=invoice_id,
            reason=data.reason,
        )
        return staff_invoice_view(invoice, billing_services)

    @post(
        "/invoices/{invoice_id:uuid}/credit-notes",
        status_code=HTTP_201_CREATED,
        summary="Issue a credit note against the invoice, in its own number series (staff)",
        opt=problems(NOT_FOUND, CONFLICT),
    )
    async def create_credit_note(
        self,
        billing_staff: Staff,
        invoice_id: FromPath[UUID],
        data: JSONBody[CreditNoteRequest],
        billing_uow: UoW,
        billing_services: Services,
    ) -> CreditNoteResponse:
        """`lines` or `amount` (GST-exclusive minor units). The GST credited is computed the way
        the invoice's was, at its rate; 409 `not-creditable` beyond what remains creditable (per
        tax category; `remaining` says how much)."""
        note = await credit_notes.issue_credit_note(
            billing_uow,
            billing_services,
            is_staff=billing_staff.is_staff,
            actor_id=billing_staff.user_id,
            invoice_id=invoice_id,
            reason=data.reason,
            lines=data.given_lines(),
            amount=data.given_amount(),
            tax_category=data.given_category(),
        )
        return CreditNoteResponse.of(note)

    @get("/gst-report", summary="GST F5 helper for a quarter: boxes 1, 2, 3, 4 and 6 with their documents (staff)")
    async def get_gst_report(
        self,
        billing_staff: Staff,
        billing_uow: UoW,
        period: Annotated[
            str | None, QueryParameter(description="A quarter like 2026Q3", max_length=6, pattern=r"^\d{4}Q[1-4]$")
        ] = None,
    ) -> GstReportResponse:
        """`period` is required (422 without it). Amounts in SGD cents; invoices by time of supply,
        credit notes (negative) by issue date; void invoices count nowhere."""
        report = await reports.gst_report(billing_uow, is_staff=billing_staff.is_staff, period=period or "")
        return GstReportResponse.of(report)
