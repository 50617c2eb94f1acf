"""Reads of invoices and credit notes, for staff and for the organisation, and their files."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from nexuscore.billing.application.common import (
    CreditNoteNotFound,
    InvoiceNotFound,
)
from nexuscore.billing.application.services import BillingServices
from nexuscore.billing.domain.credit_note import CreditNote
from nexuscore.billing.domain.model import (
    Invoice,
    InvoiceStatus,
)
from nexuscore.billing.domain.paper import credit_note_document, invoice_document
from nexuscore.billing.domain.permissions import require_reader, require_staff
from nexuscore.billing.ports.repositories import BillingUnitOfWork, InvoiceFilter
from nexuscore.kernel.errors import FieldError, ValidationError
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.tenancy import TenantContext

# ---- reads ---------------------------------------------------------------------------------


async def staff_invoice(uow: BillingUnitOfWork, *, is_staff: bool, invoice_id: UUID) -> Invoice:
    require_staff(is_staff)
    await uow.bind_system()
    invoice = await uow.invoices.get(invoice_id)
    if invoice is None:
        raise InvoiceNotFound()
    return invoice


async def staff_invoices(
    uow: BillingUnitOfWork, *, is_staff: bool, page: PageRequest, where: InvoiceFilter
) -> Page[Invoice]:
    require_staff(is_staff)
    if where.issued_from and where.issued_to and where.issued_from > where.issued_to:
        raise ValidationError("An empty range.", errors=[FieldError("from", "on or before `to`")])
    await uow.bind_system()
    return await uow.invoices.list(page, where)


async def tenant_invoices(
    uow: BillingUnitOfWork, *, tenant: TenantContext, page: PageRequest, status: InvoiceStatus | None = None
) -> Page[Invoice]:
    """The organisation's finalised invoices (drafts are staff's work in progress)."""
    require_reader(tenant)
    await uow.bind_tenant(tenant.org_id)
    if status is InvoiceStatus.DRAFT:
        return Page([], 0, page.limit, page.offset)
    return await uow.invoices.list(page, _tenant_filter(tenant, status))


def _tenant_filter(tenant: TenantContext, status: InvoiceStatus | None) -> InvoiceFilter:
    # Drafts never reach a tenant: a date filter from the first day excludes them (they have none).
    return InvoiceFilter(status=status, organization_id=tenant.org_id, issued_from=date.min)


async def tenant_invoice(uow: BillingUnitOfWork, *, tenant: TenantContext, invoice_id: UUID) -> Invoice:
    require_reader(tenant)
    await uow.bind_tenant(tenant.org_id)
    invoice = await uow.invoices.get(invoice_id, organization_id=tenant.org_id)
    if invoice is None or invoice.status is InvoiceStatus.DRAFT:
        raise InvoiceNotFound()
    return invoice


async def tenant_credit_notes(uow: BillingUnitOfWork, *, tenant: TenantContext, page: PageRequest) -> Page[CreditNote]:
    require_reader(tenant)
    await uow.bind_tenant(tenant.org_id)
    return await uow.credit_notes.list(page, organization_id=tenant.org_id)


async def tenant_credit_note(uow: BillingUnitOfWork, *, tenant: TenantContext, credit_note_id: UUID) -> CreditNote:
    require_reader(tenant)
    await uow.bind_tenant(tenant.org_id)
    note = await uow.credit_notes.get(credit_note_id, organization_id=tenant.org_id)
    if note is None:
        raise CreditNoteNotFound()
    return note


def invoice_file(services: BillingServices, invoice: Invoice, kind: str) -> bytes:
    document = invoice_document(invoice)
    return services.renderer.pdf(document) if kind == "pdf" else services.renderer.einvoice(document)


def credit_note_file(services: BillingServices, note: CreditNote, kind: str) -> bytes:
    document = credit_note_document(note)
    return services.renderer.pdf(document) if kind == "pdf" else services.renderer.einvoice(document)
