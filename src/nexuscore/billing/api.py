"""Published facade of the billing context, for other contexts' adapters (the webhook inbox's
Stripe invoice handlers).

- `SqlBillingUnitOfWork(session, clock)`: the unit of work on a session.
- `build_services(infra)` (module) / `services_state(app_state)`: the `BillingServices`.
- The aggregate and its shared steps: `Invoice` (`apply_paid`, `apply_payment_failed`,
  `apply_void`, `apply_uncollectible`, `flag_tax_mismatch`: version-guarded transitions that
  answer `Applied`), `finalise(uow, services, invoice, now=, issue_date=, paid_on=)` and
  `credit(uow, services, invoice, lines=, reason=, now=, source=, gateway_credit_note_id=)`.

Routes and wiring are in `module.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nexuscore.billing.adapters.http.dependencies import BILLING_STATE_KEY, BillingHttpState
from nexuscore.billing.adapters.sql.unit_of_work import SqlBillingUnitOfWork
from nexuscore.billing.application.credit_notes import credit
from nexuscore.billing.application.invoices import finalise
from nexuscore.billing.application.services import BillingServices
from nexuscore.billing.domain.credit_note import CreditNote
from nexuscore.billing.domain.lines import InvoiceLine
from nexuscore.billing.domain.model import Applied, Invoice, InvoiceSource, InvoiceStatus, Payment
from nexuscore.billing.domain.tax import TaxCategory
from nexuscore.billing.ports.repositories import DuplicateGatewayDocument, StaleInvoice


def services_state(app_state: Mapping[str, Any]) -> BillingServices:
    state: BillingHttpState = app_state[BILLING_STATE_KEY]
    return state.services


__all__ = [
    "Applied",
    "BillingServices",
    "CreditNote",
    "DuplicateGatewayDocument",
    "Invoice",
    "InvoiceLine",
    "InvoiceSource",
    "InvoiceStatus",
    "Payment",
    "SqlBillingUnitOfWork",
    "StaleInvoice",
    "TaxCategory",
    "credit",
    "finalise",
    "services_state",
]
