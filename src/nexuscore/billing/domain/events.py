"""Billing domain events. Each carries `organization_id`; the subject is the invoice
(`invoice:<id>`) or the credit note. Payloads hold numbers, statuses, amounts and times, never
personal values (names, addresses, emails stay on the documents)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from nexuscore.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class InvoiceEvent(DomainEvent):
    organization_id: UUID
    invoice_id: UUID
    source: str
    status: str

    @property
    def subject(self) -> str | None:
        return f"invoice:{self.invoice_id}"


@dataclass(frozen=True, kw_only=True)
class InvoiceDrafted(InvoiceEvent):
    name: ClassVar[str] = "invoice.drafted"
    currency: str


@dataclass(frozen=True, kw_only=True)
class InvoiceFinalized(InvoiceEvent):
    name: ClassVar[str] = "invoice.finalized"
    number: str
    currency: str
    total_excluding_gst: int
    gst_amount: int
    total_including_gst: int
    tax_rate: str
    time_of_supply: str


@dataclass(frozen=True, kw_only=True)
class InvoiceSent(InvoiceEvent):
    name: ClassVar[str] = "invoice.sent"
    number: str


@dataclass(frozen=True, kw_only=True)
class InvoicePaid(InvoiceEvent):
    name: ClassVar[str] = "invoice.paid"
    number: str
    method: str


@dataclass(frozen=True, kw_only=True)
class InvoicePaymentFailed(InvoiceEvent):
    name: ClassVar[str] = "invoice.payment_failed"
    number: str


@dataclass(frozen=True, kw_only=True)
class InvoiceVoided(InvoiceEvent):
    name: ClassVar[str] = "invoice.voided"
    number: str


@dataclass(frozen=True, kw_only=True)
class InvoiceMarkedUncollectible(InvoiceEvent):
    name: ClassVar[str] = "invoice.marked_uncollectible"
    number: str


@dataclass(frozen=True, kw_only=True)
class CreditNoteIssued(DomainEvent):
    name: ClassVar[str] = "credit_note.issued"
    organization_id: UUID
    credit_note_id: UUID
    invoice_id: UUID
    number: str
    invoice_number: str
    currency: str
    total_excluding_gst: int
    gst_amount: int
    total_including_gst: int

    @property
    def subject(self) -> str | None:
        return f"credit_note:{self.credit_note_id}"
