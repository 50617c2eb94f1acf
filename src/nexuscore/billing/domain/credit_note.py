"""Credit notes: each against one finalised invoice, in its own number series, never deleted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from nexuscore.billing.domain.documents import Party
from nexuscore.billing.domain.lines import InvoiceLine
from nexuscore.billing.domain.model import InvoiceSource
from nexuscore.billing.domain.tax import TaxTotals
from nexuscore.kernel.ids import new_id


@dataclass
class CreditNote:
    """A credit note against one finalised invoice, in its own number series."""

    organization_id: UUID
    invoice_id: UUID
    number: str
    issuer: str
    issue_date: date
    currency: str
    reason: str
    lines: tuple[InvoiceLine, ...]
    totals: TaxTotals
    original_number: str
    original_issue_date: date
    supplier: Party
    customer: Party
    created_at: datetime
    sgd_exchange_rate: Decimal | None = None
    source: InvoiceSource = InvoiceSource.MANUAL
    gateway_credit_note_id: str | None = None
    id: UUID = field(default_factory=new_id)


def format_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:06d}"
