"""Ports of the billing context: repositories, number series, the customer directory, the unit of work.

Repositories take the organisation to scope a tenant's read (`organization_id=`); staff and
the gateway path read every organisation's (the unit of work bound to the system scope).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol
from uuid import UUID

from nexuscore.billing.domain.credit_note import CreditNote
from nexuscore.billing.domain.model import DocumentSeries, Invoice, InvoiceStatus
from nexuscore.billing.domain.parties import BillingCustomer
from nexuscore.kernel.errors import Conflict
from nexuscore.kernel.events import EventRecorder
from nexuscore.kernel.paging import Page, PageRequest


class StaleInvoice(Conflict):
    """Saved over a newer version (someone else changed it meanwhile): nothing was written."""

    code = "invoice-changed"
    default_message = "The invoice was changed meanwhile; read it again."


class DuplicateGatewayDocument(Conflict):
    """A gateway invoice or credit note id stored already (unique)."""

    code = "gateway-document-exists"
    default_message = "The gateway's document is recorded already."


@dataclass(frozen=True)
class InvoiceFilter:
    status: InvoiceStatus | None = None
    organization_id: UUID | None = None
    issued_from: date | None = None  # issue date, inclusive (drafts have none: excluded by a date filter)
    issued_to: date | None = None
    tax_mismatch: bool | None = None  # staff: the invoices whose gateway tax differs from ours (or not)


class InvoiceRepository(Protocol):
    async def get(
        self, invoice_id: UUID, *, organization_id: UUID | None = None, for_update: bool = False
    ) -> Invoice | None:
        """`for_update` locks the row until the transaction ends (concurrent changes serialise)."""
        ...

    async def get_by_gateway_id(self, gateway_invoice_id: str, *, for_update: bool = False) -> Invoice | None: ...

    async def add(self, invoice: Invoice) -> None:
        """DuplicateGatewayDocument on a taken gateway invoice id."""
        ...

    async def save(self, invoice: Invoice) -> None:
        """Writes the invoice as changed since it was read (or added); StaleInvoice when the
        stored version moved meanwhile. Invoices are never deleted."""
        ...

    async def list(self, page: PageRequest, where: InvoiceFilter) -> Page[Invoice]:
        """Newest first (by creation)."""
        ...

    async def finalised_between(self, first: date, last: date) -> Sequence[Invoice]:
        """Every finalised invoice (void included) whose time of supply is in [first, last], by number."""
        ...


class CreditNoteRepository(Protocol):
    async def get(self, credit_note_id: UUID, *, organization_id: UUID | None = None) -> CreditNote | None: ...

    async def get_by_gateway_id(self, gateway_credit_note_id: str) -> CreditNote | None: ...

    async def add(self, note: CreditNote) -> None:
        """DuplicateGatewayDocument on a taken gateway credit note id."""
        ...

    async def for_invoice(self, invoice_id: UUID) -> Sequence[CreditNote]:
        """Oldest first."""
        ...

    async def list(
        self, page: PageRequest, *, organization_id: UUID | None = None, invoice_id: UUID | None = None
    ) -> Page[CreditNote]:
        """Newest first."""
        ...

    async def issued_between(self, first: date, last: date) -> Sequence[CreditNote]:
        """By number."""
        ...


class NumberSeries(Protocol):
    async def next(self, issuer: str, series: DocumentSeries, year: int) -> int:
        """The next number of the series, taken inside the current transaction: 1, 2, 3...
        Held (locked) until the transaction ends; a rollback gives it back, so no gap."""
        ...


class CustomerDirectory(Protocol):
    async def customer(self, organization_id: UUID) -> BillingCustomer | None:
        """The organisation's billing profile, as billing needs it; None without one."""
        ...


class BillingUnitOfWork(Protocol):
    @property
    def invoices(self) -> InvoiceRepository: ...

    @property
    def credit_notes(self) -> CreditNoteRepository: ...

    @property
    def numbers(self) -> NumberSeries: ...

    @property
    def customers(self) -> CustomerDirectory: ...

    @property
    def events(self) -> EventRecorder: ...

    async def bind_tenant(self, org_id: UUID) -> None:
        """Scope the transaction to one organisation (row-level security on PostgreSQL)."""
        ...

    async def bind_system(self) -> None:
        """Every organisation's rows (staff, the gateway path)."""
        ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
