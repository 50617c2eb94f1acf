"""Invoice use cases: staff's manual invoices (draft, edit, finalise, send, mark paid, void).

`finalise` is the shared step (no commit) the gateway path (Stripe invoices) builds on: the
same number series, snapshots, GST and rounding for every source.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from nexuscore.billing.application.common import (
    PAYMENT_METHODS,
    PDF,
    DraftChanges,
    DraftInput,
    customer_of,
    event_base,
    locked_invoice,
    parse_lines,
    parties_of,
)
from nexuscore.billing.application.services import BillingServices
from nexuscore.billing.domain.credit_note import format_number
from nexuscore.billing.domain.events import (
    InvoiceDrafted,
    InvoiceFinalized,
    InvoicePaid,
    InvoiceSent,
    InvoiceVoided,
)
from nexuscore.billing.domain.model import (
    DocumentSeries,
    Finalisation,
    Invoice,
    InvoiceNotDraft,
    InvoiceStatus,
    Payment,
)
from nexuscore.billing.domain.paper import invoice_document
from nexuscore.billing.domain.permissions import require_staff
from nexuscore.billing.domain.tax import (
    check_categories,
    document_title,
    parse_exchange_rate,
    time_of_supply,
    to_sgd,
)
from nexuscore.billing.ports.repositories import BillingUnitOfWork
from nexuscore.kernel.clock import business_date
from nexuscore.kernel.errors import DependencyUnavailable, FieldError, ValidationError
from nexuscore.kernel.mail import Attachment, EmailMessage, MailDeliveryError
from nexuscore.kernel.money import currency_exponent

# ---- staff: drafts --------------------------------------------------------------------------


async def create_draft(
    uow: BillingUnitOfWork, services: BillingServices, *, is_staff: bool, actor_id: UUID, data: DraftInput
) -> Invoice:
    require_staff(is_staff)
    await uow.bind_system()
    lines = parse_lines(data.lines)
    rate = parse_exchange_rate(data.exchange_rate) if data.exchange_rate is not None else None
    customer = await customer_of(uow, data.organization_id)
    check_categories([line.tax_category for line in lines], parties_of(services, customer))
    now = services.clock.now()
    invoice = Invoice.draft(
        organization_id=data.organization_id,
        currency=data.currency,
        lines=lines,
        now=now,
        due_days=data.due_days,
        notes=data.notes,
        exchange_rate=rate,
    )
    await uow.invoices.add(invoice)
    await uow.events.append(InvoiceDrafted(**event_base(invoice, actor_id, now), currency=invoice.currency))
    await uow.commit()
    return invoice


async def edit_draft(
    uow: BillingUnitOfWork, services: BillingServices, *, is_staff: bool, invoice_id: UUID, changes: DraftChanges
) -> Invoice:
    require_staff(is_staff)
    await uow.bind_system()
    invoice = await locked_invoice(uow, invoice_id)
    if invoice.status is not InvoiceStatus.DRAFT:
        raise InvoiceNotDraft()
    lines = parse_lines(changes.lines) if changes.lines is not None else None
    rate = parse_exchange_rate(changes.exchange_rate) if changes.exchange_rate is not None else None
    if lines is not None:
        customer = await customer_of(uow, invoice.organization_id)
        check_categories([line.tax_category for line in lines], parties_of(services, customer))
    invoice.edit(
        now=services.clock.now(),
        currency=changes.currency,
        lines=lines,
        due_days=changes.due_days,
        notes=changes.notes,
        exchange_rate=rate,
        clear=changes.clear,
    )
    await uow.invoices.save(invoice)
    await uow.commit()
    return invoice


# ---- finalisation (shared with the gateway path) ------------------------------------------


async def finalise(
    uow: BillingUnitOfWork,
    services: BillingServices,
    invoice: Invoice,
    *,
    now: datetime,
    issue_date: date,
    paid_on: date | None = None,
    actor_id: UUID | None = None,
) -> InvoiceFinalized:
    """Fix the invoice for good in the current transaction: category rules against the customer's
    profile, time of supply and rate, totals, title, snapshots, then its number (taken last, so
    only a finalisation that is going through holds one). The caller saves, records the event
    returned and commits."""
    if invoice.status is not InvoiceStatus.DRAFT:
        raise InvoiceNotDraft("The invoice is finalised already.")
    supplier = services.supplier
    customer = await customer_of(uow, invoice.organization_id)
    check_categories([line.tax_category for line in invoice.lines], parties_of(services, customer))
    supply = time_of_supply(issue_date, paid_on)
    rate = services.rates.rate_on(supply) if supplier.gst_registered else Decimal(0)
    totals = invoice.totals_for(rate)
    sgd_rate: Decimal | None = None
    total_sgd = totals.total_including_gst
    if invoice.currency != "SGD":
        if invoice.exchange_rate is None:
            raise ValidationError(
                "A foreign-currency invoice needs its exchange rate to SGD.",
                errors=[FieldError("exchangeRate", "required for a currency other than SGD (SGD per unit)")],
            )
        sgd_rate = invoice.exchange_rate
        total_sgd = to_sgd(totals.total_including_gst, sgd_rate, currency_exponent(invoice.currency))
    title = document_title(
        supplier_gst_registered=supplier.gst_registered,
        customer_gst_registered=customer.gst_registered,
        total_including_gst_sgd=total_sgd,
        categories=[line.tax_category for line in invoice.lines],
    )
    sequence = await uow.numbers.next(supplier.issuer, DocumentSeries.INVOICE, issue_date.year)
    number = format_number(services.prefixes.invoice, issue_date.year, sequence)
    invoice.finalize(
        Finalisation(
            number=number,
            issuer=supplier.issuer,
            issue_date=issue_date,
            time_of_supply=supply,
            finalized_at=now,
            totals=totals,
            supplier=supplier.party(),
            customer=customer.party(),
            title=title,
            due_date=None if invoice.due_days is None else issue_date + timedelta(days=invoice.due_days),
            sgd_exchange_rate=sgd_rate,
        )
    )
    return InvoiceFinalized(
        **event_base(invoice, actor_id, now),
        number=number,
        currency=invoice.currency,
        total_excluding_gst=totals.total_excluding_gst,
        gst_amount=totals.gst_amount,
        total_including_gst=totals.total_including_gst,
        tax_rate=str(rate),
        time_of_supply=supply.isoformat(),
    )


async def finalize_invoice(
    uow: BillingUnitOfWork, services: BillingServices, *, is_staff: bool, actor_id: UUID, invoice_id: UUID
) -> Invoice:
    require_staff(is_staff)
    await uow.bind_system()
    invoice = await locked_invoice(uow, invoice_id)
    now = services.clock.now()
    event = await finalise(uow, services, invoice, now=now, issue_date=business_date(now), actor_id=actor_id)
    await uow.invoices.save(invoice)
    await uow.events.append(event)
    await uow.commit()
    return invoice


# ---- after finalisation -------------------------------------------------------------------


async def send_invoice(
    uow: BillingUnitOfWork, services: BillingServices, *, is_staff: bool, actor_id: UUID, invoice_id: UUID
) -> Invoice:
    """Mail the PDF to the billing email snapshotted on the invoice; 503 when the mail server
    cannot take it now (nothing recorded: sending again is safe)."""
    require_staff(is_staff)
    await uow.bind_system()
    invoice = await locked_invoice(uow, invoice_id)
    now = services.clock.now()
    invoice.mark_sent(now)  # refuses drafts and void invoices before anything is rendered
    assert invoice.finalisation is not None
    document = invoice_document(invoice)
    email = invoice.finalisation.customer.email
    if not email:
        raise ValidationError(
            "The invoice's customer has no billing email.", errors=[FieldError("billingEmail", "missing")]
        )
    pdf = services.renderer.pdf(document)
    message = EmailMessage(
        to=(email,),
        subject=f"{document.title} {document.number} from {document.supplier.name}",
        text=(
            f"Attached is {document.title.lower()} {document.number} of {document.issue_date.isoformat()}"
            f" for {_money(document.total_including_gst, document.currency)} (GST included).\n"
        ),
        attachments=(Attachment(f"{document.number}.pdf", PDF, pdf),),
        tags=("billing.invoice",),
    )
    try:
        await services.mailer.send(message)
    except MailDeliveryError as exc:
        raise DependencyUnavailable("The mail server cannot take the invoice now; try again.") from exc
    await uow.invoices.save(invoice)
    await uow.events.append(InvoiceSent(**event_base(invoice, actor_id, now), number=document.number))
    await uow.commit()
    return invoice


def _money(amount: int, currency: str) -> str:
    exponent = currency_exponent(currency)
    return f"{currency} {Decimal(amount).scaleb(-exponent):,.{exponent}f}"


async def mark_paid(
    uow: BillingUnitOfWork,
    services: BillingServices,
    *,
    is_staff: bool,
    actor_id: UUID,
    invoice_id: UUID,
    paid_at: datetime,
    method: str,
    reference: str | None,
) -> Invoice:
    require_staff(is_staff)
    errors = []
    now = services.clock.now()
    if paid_at.tzinfo is None:
        errors.append(FieldError("paidAt", "a time with its offset (UTC)"))
    elif paid_at > now:
        errors.append(FieldError("paidAt", "not in the future"))
    if method not in PAYMENT_METHODS:
        errors.append(FieldError("method", f"one of {', '.join(PAYMENT_METHODS)}"))
    if reference is not None and len(reference) > 200:
        errors.append(FieldError("reference", "at most 200 characters"))
    if errors:
        raise ValidationError("The payment is not valid.", errors=errors)
    await uow.bind_system()
    invoice = await locked_invoice(uow, invoice_id)
    f = invoice.finalisation
    if f is not None and services.supplier.gst_registered:
        paid_on = business_date(paid_at)
        # A payment before the issue date moves the time of supply; at another rate the
        # invoice's GST would be wrong: void it and issue a new one instead.
        if paid_on < f.issue_date and services.rates.rate_on(paid_on) != f.totals.rate:
            raise ValidationError(
                "A payment before the issue date at another GST rate changes the invoice's GST.",
                errors=[FieldError("paidAt", "before the issue date, at another GST rate: void and re-issue")],
            )
    invoice.mark_paid(Payment(paid_at, method, reference.strip() if reference else None), now)
    await uow.invoices.save(invoice)
    await uow.events.append(
        InvoicePaid(**event_base(invoice, actor_id, now), number=f.number if f else "", method=method)
    )
    await uow.commit()
    return invoice


async def void_invoice(
    uow: BillingUnitOfWork, services: BillingServices, *, is_staff: bool, actor_id: UUID, invoice_id: UUID, reason: str
) -> Invoice:
    require_staff(is_staff)
    await uow.bind_system()
    invoice = await locked_invoice(uow, invoice_id)
    now = services.clock.now()
    invoice.void(reason, now)
    await uow.invoices.save(invoice)
    await uow.events.append(InvoiceVoided(**event_base(invoice, actor_id, now), number=invoice.number or ""))
    await uow.commit()
    return invoice
