"""In-memory fakes of the billing ports (unit tests, contract tests).

Writes are staged on a copy and applied on commit, as the SQL transaction does; a rollback
drops them (a number taken in it too); everything handed out is a copy. Saving over a version
that moved raises StaleInvoice, a taken gateway id DuplicateGatewayDocument, as the SQL
adapters do.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from nexuscore.billing.domain.credit_note import CreditNote
from nexuscore.billing.domain.model import DocumentSeries, Invoice, InvoiceStatus
from nexuscore.billing.domain.parties import BillingCustomer
from nexuscore.billing.ports.repositories import DuplicateGatewayDocument, InvoiceFilter, StaleInvoice
from nexuscore.kernel.events import DomainEvent, EventRecord, as_record
from nexuscore.kernel.paging import Page, PageRequest


@dataclass
class BillingState:
    invoices: dict[UUID, Invoice] = field(default_factory=dict)
    credit_notes: dict[UUID, CreditNote] = field(default_factory=dict)
    sequences: dict[tuple[str, str, int], int] = field(default_factory=dict)
    customers: dict[UUID, BillingCustomer] = field(default_factory=dict)
    events: list[EventRecord] = field(default_factory=list)


class InMemoryInvoices:
    def __init__(self, state: BillingState, committed: BillingState | None = None) -> None:
        self._st = state
        self._committed = committed or state  # what other units of work committed meanwhile
        self._read_at: dict[UUID, int] = {}

    def _out(self, invoice: Invoice | None) -> Invoice | None:
        if invoice is None:
            return None
        self._read_at[invoice.id] = invoice.version
        return copy.deepcopy(invoice)

    async def get(
        self, invoice_id: UUID, *, organization_id: UUID | None = None, for_update: bool = False
    ) -> Invoice | None:
        found = self._st.invoices.get(invoice_id)
        if found is not None and organization_id is not None and found.organization_id != organization_id:
            return None
        return self._out(found)

    async def get_by_gateway_id(self, gateway_invoice_id: str, *, for_update: bool = False) -> Invoice | None:
        return self._out(
            next((i for i in self._st.invoices.values() if i.gateway_invoice_id == gateway_invoice_id), None)
        )

    async def add(self, invoice: Invoice) -> None:
        if invoice.gateway_invoice_id is not None and any(
            i.gateway_invoice_id == invoice.gateway_invoice_id for i in self._st.invoices.values()
        ):
            raise DuplicateGatewayDocument(extra={"gatewayInvoiceId": invoice.gateway_invoice_id})
        if invoice.id in self._st.invoices:
            raise ValueError("invoice id taken")
        self._st.invoices[invoice.id] = copy.deepcopy(invoice)
        self._read_at[invoice.id] = invoice.version

    async def save(self, invoice: Invoice) -> None:
        read_at = self._read_at.get(invoice.id)
        if read_at is None:
            raise LookupError("save an invoice this repository read or added")
        if read_at == invoice.version:
            return
        stored = self._st.invoices.get(invoice.id)
        committed = self._committed.invoices.get(invoice.id)
        if stored is None or stored.version != read_at or (committed is not None and committed.version > read_at):
            raise StaleInvoice()
        self._st.invoices[invoice.id] = copy.deepcopy(invoice)
        self._read_at[invoice.id] = invoice.version

    async def list(self, page: PageRequest, where: InvoiceFilter) -> Page[Invoice]:
        def keep(i: Invoice) -> bool:
            issued = i.finalisation.issue_date if i.finalisation else None
            return (
                (where.status is None or i.status is where.status)
                and (where.organization_id is None or i.organization_id == where.organization_id)
                and (where.issued_from is None or (issued is not None and issued >= where.issued_from))
                and (where.issued_to is None or (issued is not None and issued <= where.issued_to))
                and (where.tax_mismatch is None or i.tax_mismatch is where.tax_mismatch)
            )

        found = sorted(filter(keep, self._st.invoices.values()), key=lambda i: (i.created_at, i.id), reverse=True)
        items = [self._out(i) for i in found[page.offset : page.offset + page.limit]]
        return Page([i for i in items if i is not None], len(found), page.limit, page.offset)

    async def finalised_between(self, first: date, last: date) -> Sequence[Invoice]:
        found = [
            i
            for i in self._st.invoices.values()
            if i.status is not InvoiceStatus.DRAFT
            and i.finalisation is not None
            and first <= i.finalisation.time_of_supply <= last
        ]
        return [copy.deepcopy(i) for i in sorted(found, key=lambda i: i.number or "")]


class InMemoryCreditNotes:
    def __init__(self, state: BillingState) -> None:
        self._st = state

    async def get(self, credit_note_id: UUID, *, organization_id: UUID | None = None) -> CreditNote | None:
        found = self._st.credit_notes.get(credit_note_id)
        if found is not None and organization_id is not None and found.organization_id != organization_id:
            return None
        return copy.deepcopy(found)

    async def get_by_gateway_id(self, gateway_credit_note_id: str) -> CreditNote | None:
        return copy.deepcopy(
            next(
                (n for n in self._st.credit_notes.values() if n.gateway_credit_note_id == gateway_credit_note_id), None
            )
        )

    async def add(self, note: CreditNote) -> None:
        if note.gateway_credit_note_id is not None and any(
            n.gateway_credit_note_id == note.gateway_credit_note_id for n in self._st.credit_notes.values()
        ):
            raise DuplicateGatewayDocument(extra={"gatewayCreditNoteId": note.gateway_credit_note_id})
        self._st.credit_notes[note.id] = copy.deepcopy(note)

    async def for_invoice(self, invoice_id: UUID) -> Sequence[CreditNote]:
        found = [n for n in self._st.credit_notes.values() if n.invoice_id == invoice_id]
        return [copy.deepcopy(n) for n in sorted(found, key=lambda n: (n.created_at, n.id))]

    async def list(
        self, page: PageRequest, *, organization_id: UUID | None = None, invoice_id: UUID | None = None
    ) -> Page[CreditNote]:
        found = sorted(
            (
                n
                for n in self._st.credit_notes.values()
                if (organization_id is None or n.organization_id == organization_id)
                and (invoice_id is None or n.invoice_id == invoice_id)
            ),
            key=lambda n: (n.created_at, n.id),
            reverse=True,
        )
        return Page(
            [copy.deepcopy(n) for n in found[page.offset : page.offset + page.limit]],
            len(found),
            page.limit,
            page.offset,
        )

    async def issued_between(self, first: date, last: date) -> Sequence[CreditNote]:
        found = [n for n in self._st.credit_notes.values() if first <= n.issue_date <= last]
        return [copy.deepcopy(n) for n in sorted(found, key=lambda n: n.number)]


class InMemoryNumberSeries:
    def __init__(self, state: BillingState) -> None:
        self._st = state

    async def next(self, issuer: str, series: DocumentSeries, year: int) -> int:
        key = (issuer, series.value, year)
        self._st.sequences[key] = self._st.sequences.get(key, 0) + 1
        return self._st.sequences[key]


class InMemoryCustomers:
    def __init__(self, state: BillingState) -> None:
        self._st = state

    async def customer(self, organization_id: UUID) -> BillingCustomer | None:
        return self._st.customers.get(organization_id)


class _Events:
    def __init__(self, state: BillingState) -> None:
        self._st = state

    async def append(self, *events: DomainEvent) -> None:
        self._st.events.extend(as_record(e) for e in events)


class InMemoryBillingUnitOfWork:
    def __init__(self, committed: BillingState | None = None) -> None:
        self.committed = committed if committed is not None else BillingState()
        self.commits = 0
        self.tenant: UUID | None = None
        self.system = False
        self._begin()

    def _begin(self) -> None:
        self._staged = copy.deepcopy(self.committed)
        self._invoices = InMemoryInvoices(self._staged, self.committed)
        self._credit_notes = InMemoryCreditNotes(self._staged)
        self._numbers = InMemoryNumberSeries(self._staged)
        self._customers = InMemoryCustomers(self._staged)
        self._events = _Events(self._staged)

    @property
    def invoices(self) -> InMemoryInvoices:
        return self._invoices

    @property
    def credit_notes(self) -> InMemoryCreditNotes:
        return self._credit_notes

    @property
    def numbers(self) -> InMemoryNumberSeries:
        return self._numbers

    @property
    def customers(self) -> InMemoryCustomers:
        return self._customers

    @property
    def events(self) -> _Events:
        return self._events

    async def bind_tenant(self, org_id: UUID) -> None:
        self.tenant, self.system = org_id, False

    async def bind_system(self) -> None:
        self.tenant, self.system = None, True

    async def commit(self) -> None:
        self.committed.__dict__.update(self._staged.__dict__)
        self.commits += 1
        self._begin()

    async def rollback(self) -> None:
        self._begin()
