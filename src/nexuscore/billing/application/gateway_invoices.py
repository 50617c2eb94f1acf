"""Gateway invoices (Stripe subscriptions): the webhook inbox's invoice events become our tax
invoices and move them.

- The first event of a gateway invoice creates ours, finalised at once with our number, our GST
  (our engine, at the rate of the time of supply), our snapshots: `invoice.finalized` from its
  payload; any other first event (out of order: `paid` before `finalized`) from the invoice as
  the gateway holds it now (refetched), then the event's change on top. The gateway's invoice id
  is unique: of two first events at once, one insert wins and the other (its number rolled back
  with its transaction) is run again by the caller and meets the winner's invoice.
- Later events move it through the aggregate's guarded transitions: a repeated one is
  `already`, a late one that would move a paid or void invoice backwards `ignored`.
- The gateway's tax is compared with ours: a difference flags `taxMismatch` for staff; our GST
  is never changed to match.
- Foreign currency: the SGD totals at the rate of the payment's settlement (the gateway's
  balance transaction); until it is known the event fails and is retried (the inbox's backoff).
- `credit_note.created`: our credit note, in its own series, of the amount the gateway credited
  (before tax) in the invoice's category, with our GST computation; once per gateway id.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from nexuscore.billing.application.common import customer_of, event_base
from nexuscore.billing.application.credit_notes import credit
from nexuscore.billing.application.invoices import finalise
from nexuscore.billing.application.services import BillingServices
from nexuscore.billing.domain.events import (
    InvoiceEvent,
    InvoiceMarkedUncollectible,
    InvoicePaid,
    InvoicePaymentFailed,
    InvoiceVoided,
)
from nexuscore.billing.domain.lines import InvoiceLine
from nexuscore.billing.domain.model import Applied, Invoice, InvoiceSource, Payment
from nexuscore.billing.domain.parties import BillingCustomer
from nexuscore.billing.domain.tax import TaxCategory
from nexuscore.billing.ports.gateway import (
    ExchangeRateUnavailable,
    GatewayCreditNote,
    GatewayInvoice,
    GatewayInvoiceChange,
    GatewayInvoiceLine,
    InvoiceGateway,
    NotOurInvoice,
)
from nexuscore.billing.ports.repositories import BillingUnitOfWork
from nexuscore.kernel.clock import business_date

C = GatewayInvoiceChange
PAYMENT_METHOD = "card"  # what the gateway collects for subscriptions
# The gateway status an invoice reached, as the change that gets it there.
_STATUS_CHANGE = {
    "paid": C.PAID,
    "void": C.VOIDED,
    "uncollectible": C.MARKED_UNCOLLECTIBLE,
}


def _category(services: BillingServices, customer: BillingCustomer) -> TaxCategory:
    """Subscriptions are digital services: standard-rated, zero-rated for a customer whose
    belonging overseas is recorded (international services), NG for an unregistered supplier."""
    if not services.supplier.gst_registered:
        return TaxCategory.NG
    return TaxCategory.ZR if customer.overseas_evidence else TaxCategory.SR


def _line(line: GatewayInvoiceLine, category: TaxCategory) -> InvoiceLine:
    description = line.description
    if line.period_start and line.period_end:
        description = (
            f"{description} ({business_date(line.period_start).isoformat()}"
            f" to {business_date(line.period_end).isoformat()})"
        )[:500]
    if line.quantity > 1 and line.amount % line.quantity == 0:
        return InvoiceLine(description, Decimal(line.quantity), line.amount // line.quantity, category)
    if line.quantity > 1:  # a total that is no whole multiple: one line of the total, quantity named
        return InvoiceLine(f"{description} x {line.quantity}"[:500], Decimal(1), line.amount, category)
    return InvoiceLine(description, Decimal(1), line.amount, category)


async def _organization(gateway: InvoiceGateway, invoice: GatewayInvoice) -> UUID:
    org = invoice.organization_id or await gateway.organization_of_customer(invoice.customer_id)
    if org is None:
        raise NotOurInvoice(f"invoice {invoice.invoice_id}: its customer {invoice.customer_id} names no organisation")
    return org


async def _create(
    uow: BillingUnitOfWork,
    services: BillingServices,
    gateway: InvoiceGateway,
    snapshot: GatewayInvoice,
) -> Invoice:
    """Our finalised tax invoice for the gateway's (not yet saved: the caller adds it)."""
    if snapshot.status == "draft":
        raise NotOurInvoice(f"invoice {snapshot.invoice_id} is still a draft at the gateway")
    org = await _organization(gateway, snapshot)
    customer = await customer_of(uow, org)
    category = _category(services, customer)
    rate: Decimal | None = None
    if snapshot.currency != "SGD":
        rate = await gateway.exchange_rate(snapshot)
        if rate is None:
            raise ExchangeRateUnavailable(
                f"invoice {snapshot.invoice_id} ({snapshot.currency}): no settlement rate to SGD yet"
            )
    now = services.clock.now()
    invoice = Invoice.draft(
        organization_id=org,
        currency=snapshot.currency,
        lines=tuple(_line(line, category) for line in snapshot.lines),
        now=now,
        exchange_rate=rate,
        source=InvoiceSource.STRIPE,
        gateway_invoice_id=snapshot.invoice_id,
        due_days=0,
    )
    finalized_at = snapshot.finalized_at or snapshot.created
    paid_on = business_date(snapshot.paid_at) if snapshot.paid_at else None
    event = await finalise(uow, services, invoice, now=now, issue_date=business_date(finalized_at), paid_on=paid_on)
    invoice.flag_tax_mismatch(snapshot.tax or 0, now)  # no tax at the gateway is a mismatch when we charge GST
    await uow.invoices.add(invoice)
    await uow.events.append(event)
    return invoice


def _apply(
    invoice: Invoice, change: GatewayInvoiceChange, snapshot: GatewayInvoice, *, at: datetime, now: datetime
) -> tuple[Applied, InvoiceEvent | None]:
    base = event_base(invoice, None, now)
    number = invoice.number or ""
    if change is C.FINALIZED:
        return Applied.ALREADY, None
    if change is C.PAID:
        paid_at = snapshot.paid_at or at
        applied = invoice.apply_paid(Payment(paid_at, PAYMENT_METHOD, snapshot.charge_id or snapshot.invoice_id), now)
        return applied, InvoicePaid(**{**base, "status": invoice.status.value}, number=number, method=PAYMENT_METHOD)
    if change is C.PAYMENT_FAILED:
        applied = invoice.apply_payment_failed(at, now)
        return applied, InvoicePaymentFailed(**{**base, "status": invoice.status.value}, number=number)
    if change is C.VOIDED:
        applied = invoice.apply_void("voided at the payment gateway", now)
        return applied, InvoiceVoided(**{**base, "status": invoice.status.value}, number=number)
    applied = invoice.apply_uncollectible(now)
    return applied, InvoiceMarkedUncollectible(**{**base, "status": invoice.status.value}, number=number)


async def record_gateway_invoice(
    uow: BillingUnitOfWork,
    services: BillingServices,
    gateway: InvoiceGateway,
    *,
    change: GatewayInvoiceChange,
    snapshot: GatewayInvoice,
    observed_at: datetime,
) -> Applied:
    """Apply one invoice event (its payload read as `snapshot`, observed at the event's time)
    and commit. NotOurInvoice: not one of ours (the inbox ignores the event);
    DuplicateGatewayDocument: created concurrently (run it again)."""
    await uow.bind_system()
    now = services.clock.now()
    invoice = await uow.invoices.get_by_gateway_id(snapshot.invoice_id, for_update=True)
    outcome = Applied.ALREADY
    if invoice is None:
        # `finalized` carries the invoice as finalised; any other first event is out of order,
        # and the gateway's current invoice is the one to issue (its lines, its payment).
        current = snapshot if change is C.FINALIZED else await gateway.retrieve_invoice(snapshot.invoice_id)
        invoice = await _create(uow, services, gateway, current)
        outcome = Applied.APPLIED
        # what the gateway says it reached by now, then the event's own change
        reached = _STATUS_CHANGE.get(current.status)
        if reached is not None and reached is not change:
            applied, event = _apply(invoice, reached, current, at=observed_at, now=now)
            if applied is Applied.APPLIED and event is not None:
                await uow.events.append(event)
        snapshot = current if current.paid_at else snapshot
    applied, event = _apply(invoice, change, snapshot, at=observed_at, now=now)
    if applied is Applied.APPLIED and event is not None:
        await uow.events.append(event)
        outcome = Applied.APPLIED
    if outcome is Applied.ALREADY and applied is Applied.IGNORED:
        outcome = Applied.IGNORED
    if outcome is Applied.APPLIED:
        if invoice.gateway_version_at is None or observed_at > invoice.gateway_version_at:
            invoice.gateway_version_at = observed_at
        await uow.invoices.save(invoice)  # a no-op when nothing changed since it was read or added
    await uow.commit()
    return outcome


async def record_gateway_credit_note(
    uow: BillingUnitOfWork,
    services: BillingServices,
    gateway: InvoiceGateway,
    *,
    note: GatewayCreditNote,
    observed_at: datetime,
) -> Applied:
    """Our credit note for the gateway's, once (its id is unique); the invoice is created first
    from the gateway when its own events have not arrived yet."""
    await uow.bind_system()
    if await uow.credit_notes.get_by_gateway_id(note.credit_note_id) is not None:
        return Applied.ALREADY
    invoice = await uow.invoices.get_by_gateway_id(note.invoice_id, for_update=True)
    if invoice is None:
        current = await gateway.retrieve_invoice(note.invoice_id)
        invoice = await _create(uow, services, gateway, current)
        reached = _STATUS_CHANGE.get(current.status)
        if reached is not None:
            applied, event = _apply(invoice, reached, current, at=observed_at, now=services.clock.now())
            if applied is Applied.APPLIED and event is not None:
                await uow.events.append(event)
    categories = {line.tax_category for line in invoice.lines}
    category = next(iter(categories)) if len(categories) == 1 else TaxCategory.SR
    assert invoice.finalisation is not None
    now = services.clock.now()
    line = InvoiceLine(f"Credit against {invoice.number}", Decimal(1), note.amount_excluding_tax, category)
    created, issued = await credit(
        uow,
        services,
        invoice,
        lines=(line,),
        reason=note.reason,
        now=now,
        source=InvoiceSource.STRIPE,
        gateway_credit_note_id=note.credit_note_id,
    )
    await uow.invoices.save(invoice)
    await uow.credit_notes.add(created)
    await uow.events.append(issued)
    await uow.commit()
    return Applied.APPLIED
