"""Published facade of the billing context, for other contexts' adapters (the webhook inbox's
Stripe invoice handlers).

- `SqlBillingUnitOfWork(session, clock)`: the unit of work on a session.
- `build_services(settings, clock, mailer)` (a worker) / `services_state(app_state)` (API): the
  `BillingServices`.
- The aggregate and its shared steps: `Invoice` (`apply_paid`, `apply_payment_failed`,
  `apply_void`, `apply_uncollectible`, `flag_tax_mismatch`: version-guarded transitions that
  answer `Applied`), `finalise(uow, services, invoice, now=, issue_date=, paid_on=)` and
  `credit(uow, services, invoice, lines=, reason=, now=, source=, gateway_credit_note_id=)`;
  the events to record for each (`InvoicePaid`, `InvoicePaymentFailed`, ...).

- Gateway invoices (the inbox's `invoice.*` and `credit_note.created`):
  `sync_gateway_invoice(session, services, gateway, change=, raw=, observed_at=)` and
  `sync_gateway_credit_note(...)` read the Stripe object with billing's own parser and apply it
  (commit); they answer `Applied` and raise `NotOurInvoice` (not one of ours: ignore the event),
  `UnreadableGatewayDocument`, or `DuplicateGatewayDocument` (created concurrently: run again on
  a fresh transaction). `invoice_gateway(infra.stripe)` is the Stripe gateway billing refetches
  through, on the process's one Stripe client (`NoInvoiceGateway` without STRIPE_SECRET_KEY);
  `build_services(settings, clock, mailer)` the services as the module builds them, for a
  process without the app's state (a worker).
- `BillingPersonalData(sessions, clock)`: this context's `PersonalDataProvider`
  (kernel.personal_data): the billing contact and free text naming a user subject on invoices
  and credit notes; erasure masks what the law does not require and reports what stays and why.

Routes and wiring are in `module.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from stripe import StripeClient

from nexuscore.billing.adapters.http.dependencies import BILLING_STATE_KEY, BillingHttpState
from nexuscore.billing.adapters.sql.personal_data import BillingPersonalData
from nexuscore.billing.adapters.sql.unit_of_work import SqlBillingUnitOfWork
from nexuscore.billing.adapters.stripe.gateway import StripeInvoiceGateway
from nexuscore.billing.adapters.stripe.invoices import stripe_credit_note, stripe_invoice
from nexuscore.billing.adapters.wiring import build_services
from nexuscore.billing.application import gateway_invoices
from nexuscore.billing.application.credit_notes import credit
from nexuscore.billing.application.invoices import finalise
from nexuscore.billing.application.services import BillingServices
from nexuscore.billing.domain.credit_note import CreditNote
from nexuscore.billing.domain.events import (
    CreditNoteIssued,
    InvoiceFinalized,
    InvoiceMarkedUncollectible,
    InvoicePaid,
    InvoicePaymentFailed,
    InvoiceVoided,
)
from nexuscore.billing.domain.lines import InvoiceLine
from nexuscore.billing.domain.model import Applied, Invoice, InvoiceSource, InvoiceStatus, Payment
from nexuscore.billing.domain.tax import TaxCategory
from nexuscore.billing.ports.gateway import (
    ExchangeRateUnavailable,
    GatewayInvoice,
    GatewayInvoiceChange,
    InvoiceGateway,
    NotOurInvoice,
    UnreadableGatewayDocument,
)
from nexuscore.billing.ports.repositories import DuplicateGatewayDocument, StaleInvoice


def services_state(app_state: Mapping[str, Any]) -> BillingServices:
    state: BillingHttpState = app_state[BILLING_STATE_KEY]
    return state.services


class NoInvoiceGateway:
    """Without STRIPE_SECRET_KEY (the local gateway): events whose payload is complete and names
    its organisation are recorded; one that needs the gateway (out of order, no organisation,
    foreign currency) is not ours to resolve and is ignored with this reason."""

    async def retrieve_invoice(self, invoice_id: str) -> GatewayInvoice:
        raise NotOurInvoice(f"invoice {invoice_id}: no payment gateway to refetch it from (STRIPE_SECRET_KEY)")

    async def organization_of_customer(self, customer_id: str) -> UUID | None:
        return None

    async def exchange_rate(self, invoice: GatewayInvoice) -> Decimal | None:
        raise NotOurInvoice(f"invoice {invoice.invoice_id}: no payment gateway for its exchange rate")


def invoice_gateway(stripe_client: StripeClient | None) -> InvoiceGateway:
    """Billing's gateway on the process's one Stripe client (`Infrastructure.stripe`, set with
    STRIPE_SECRET_KEY), else `NoInvoiceGateway`."""
    if stripe_client is None:
        return NoInvoiceGateway()
    return StripeInvoiceGateway(stripe_client)


async def sync_gateway_invoice(
    session: AsyncSession,
    services: BillingServices,
    gateway: InvoiceGateway,
    *,
    change: GatewayInvoiceChange,
    raw: Mapping[str, Any],
    observed_at: datetime,
) -> Applied:
    uow = SqlBillingUnitOfWork(session, services.clock)
    return await gateway_invoices.record_gateway_invoice(
        uow, services, gateway, change=change, snapshot=stripe_invoice(raw), observed_at=observed_at
    )


async def sync_gateway_credit_note(
    session: AsyncSession,
    services: BillingServices,
    gateway: InvoiceGateway,
    *,
    raw: Mapping[str, Any],
    observed_at: datetime,
) -> Applied:
    uow = SqlBillingUnitOfWork(session, services.clock)
    return await gateway_invoices.record_gateway_credit_note(
        uow, services, gateway, note=stripe_credit_note(raw), observed_at=observed_at
    )


__all__ = [
    "Applied",
    "BillingPersonalData",
    "BillingServices",
    "CreditNote",
    "CreditNoteIssued",
    "DuplicateGatewayDocument",
    "ExchangeRateUnavailable",
    "GatewayInvoiceChange",
    "Invoice",
    "InvoiceFinalized",
    "InvoiceGateway",
    "InvoiceLine",
    "InvoiceMarkedUncollectible",
    "InvoicePaid",
    "InvoicePaymentFailed",
    "InvoiceSource",
    "InvoiceStatus",
    "InvoiceVoided",
    "NotOurInvoice",
    "Payment",
    "SqlBillingUnitOfWork",
    "StaleInvoice",
    "TaxCategory",
    "UnreadableGatewayDocument",
    "build_services",
    "credit",
    "finalise",
    "invoice_gateway",
    "services_state",
    "sync_gateway_credit_note",
    "sync_gateway_invoice",
]
