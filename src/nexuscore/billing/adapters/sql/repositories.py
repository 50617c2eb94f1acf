"""SQL adapters of the billing repositories and number series (PostgreSQL; SQLite for the
embedded default).

Reads always go to the database (Core statements, no identity map). An invoice is saved only
over the version it was read at (`StaleInvoice` otherwise). The number series is one row per
issuer, kind and year, moved by `UPDATE ... RETURNING`: the row stays locked until the
transaction ends, so concurrent finalisations take 1, 2, 3... one after the other, and a
transaction that rolls back gives its number back (no gap, no reuse). SQLite has one writer at
a time anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.billing.adapters.sql.codec import (
    credit_note_from_row,
    credit_note_values,
    invoice_from_row,
    invoice_values,
)
from nexuscore.billing.adapters.sql.tables import CreditNoteRow, InvoiceRow, NumberSequenceRow
from nexuscore.billing.domain.credit_note import CreditNote
from nexuscore.billing.domain.model import DocumentSeries, Invoice, InvoiceStatus
from nexuscore.billing.ports.repositories import DuplicateGatewayDocument, InvoiceFilter, StaleInvoice
from nexuscore.kernel.paging import Page, PageRequest, capped_total, count_cap
from nexuscore.platform.database import unique_write_scope

_FRESH: dict[str, Any] = {"populate_existing": True}


class SqlInvoiceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session
        self._read_at: dict[UUID, int] = {}  # the version each invoice was read (or added) at

    def _seen(self, invoice: Invoice) -> Invoice:
        self._read_at[invoice.id] = invoice.version
        return invoice

    async def get(
        self, invoice_id: UUID, *, organization_id: UUID | None = None, for_update: bool = False
    ) -> Invoice | None:
        stmt = select(InvoiceRow).where(InvoiceRow.id == invoice_id)
        if organization_id is not None:
            stmt = stmt.where(InvoiceRow.organization_id == organization_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = await self._s.scalar(stmt.execution_options(**_FRESH))
        return None if row is None else self._seen(invoice_from_row(row))

    async def get_by_gateway_id(self, gateway_invoice_id: str, *, for_update: bool = False) -> Invoice | None:
        stmt = select(InvoiceRow).where(InvoiceRow.gateway_invoice_id == gateway_invoice_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = await self._s.scalar(stmt.execution_options(**_FRESH))
        return None if row is None else self._seen(invoice_from_row(row))

    async def add(self, invoice: Invoice) -> None:
        try:
            async with unique_write_scope(self._s):
                await self._s.execute(insert(InvoiceRow).values(id=invoice.id, **invoice_values(invoice)))
        except IntegrityError as exc:
            if invoice.gateway_invoice_id is not None and "gateway_invoice_id" in str(exc.orig):
                raise DuplicateGatewayDocument(extra={"gatewayInvoiceId": invoice.gateway_invoice_id}) from None
            raise
        self._seen(invoice)

    async def save(self, invoice: Invoice) -> None:
        read_at = self._read_at.get(invoice.id)
        if read_at is None:
            raise LookupError("save an invoice this repository read or added")
        if read_at == invoice.version:
            return  # nothing changed
        result = await self._s.execute(
            update(InvoiceRow)
            .where(InvoiceRow.id == invoice.id, InvoiceRow.version == read_at)
            .values(**invoice_values(invoice))
        )
        if not getattr(result, "rowcount", 0):
            raise StaleInvoice()
        self._seen(invoice)

    @staticmethod
    def _conditions(where: InvoiceFilter) -> list[Any]:
        conditions: list[Any] = []
        if where.status is not None:
            conditions.append(InvoiceRow.status == where.status.value)
        if where.organization_id is not None:
            conditions.append(InvoiceRow.organization_id == where.organization_id)
        if where.issued_from is not None:
            conditions.append(InvoiceRow.issue_date >= where.issued_from)
        if where.issued_to is not None:
            conditions.append(InvoiceRow.issue_date <= where.issued_to)
        if where.tax_mismatch is not None:
            conditions.append(InvoiceRow.tax_mismatch.is_(where.tax_mismatch))
        return conditions

    async def list(self, page: PageRequest, where: InvoiceFilter) -> Page[Invoice]:
        conditions = self._conditions(where)
        matching = select(InvoiceRow.id).where(*conditions).limit(count_cap(page) + 1).subquery()
        counted = int(await self._s.scalar(select(func.count()).select_from(matching)) or 0)
        total, exact = capped_total(page, counted)
        rows = await self._s.scalars(
            select(InvoiceRow)
            .where(*conditions)
            .order_by(InvoiceRow.created_at.desc(), InvoiceRow.id.desc())
            .limit(page.limit)
            .offset(page.offset)
            .execution_options(**_FRESH)
        )
        return Page([self._seen(invoice_from_row(r)) for r in rows], total, page.limit, page.offset, exact)

    async def finalised_between(self, first: date, last: date) -> Sequence[Invoice]:
        rows = await self._s.scalars(
            select(InvoiceRow)
            .where(
                InvoiceRow.status != InvoiceStatus.DRAFT.value,
                InvoiceRow.time_of_supply >= first,
                InvoiceRow.time_of_supply <= last,
            )
            .order_by(InvoiceRow.number)
            .execution_options(**_FRESH)
        )
        return [invoice_from_row(r) for r in rows]


class SqlCreditNoteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, credit_note_id: UUID, *, organization_id: UUID | None = None) -> CreditNote | None:
        stmt = select(CreditNoteRow).where(CreditNoteRow.id == credit_note_id)
        if organization_id is not None:
            stmt = stmt.where(CreditNoteRow.organization_id == organization_id)
        row = await self._s.scalar(stmt.execution_options(**_FRESH))
        return None if row is None else credit_note_from_row(row)

    async def get_by_gateway_id(self, gateway_credit_note_id: str) -> CreditNote | None:
        row = await self._s.scalar(
            select(CreditNoteRow)
            .where(CreditNoteRow.gateway_credit_note_id == gateway_credit_note_id)
            .execution_options(**_FRESH)
        )
        return None if row is None else credit_note_from_row(row)

    async def add(self, note: CreditNote) -> None:
        try:
            async with unique_write_scope(self._s):
                await self._s.execute(insert(CreditNoteRow).values(id=note.id, **credit_note_values(note)))
        except IntegrityError as exc:
            if note.gateway_credit_note_id is not None and "gateway_credit_note_id" in str(exc.orig):
                raise DuplicateGatewayDocument(extra={"gatewayCreditNoteId": note.gateway_credit_note_id}) from None
            raise

    async def for_invoice(self, invoice_id: UUID) -> Sequence[CreditNote]:
        rows = await self._s.scalars(
            select(CreditNoteRow)
            .where(CreditNoteRow.invoice_id == invoice_id)
            .order_by(CreditNoteRow.created_at, CreditNoteRow.id)
            .execution_options(**_FRESH)
        )
        return [credit_note_from_row(r) for r in rows]

    async def list(
        self, page: PageRequest, *, organization_id: UUID | None = None, invoice_id: UUID | None = None
    ) -> Page[CreditNote]:
        conditions: list[Any] = []
        if organization_id is not None:
            conditions.append(CreditNoteRow.organization_id == organization_id)
        if invoice_id is not None:
            conditions.append(CreditNoteRow.invoice_id == invoice_id)
        matching = select(CreditNoteRow.id).where(*conditions).limit(count_cap(page) + 1).subquery()
        counted = int(await self._s.scalar(select(func.count()).select_from(matching)) or 0)
        total, exact = capped_total(page, counted)
        rows = await self._s.scalars(
            select(CreditNoteRow)
            .where(*conditions)
            .order_by(CreditNoteRow.created_at.desc(), CreditNoteRow.id.desc())
            .limit(page.limit)
            .offset(page.offset)
            .execution_options(**_FRESH)
        )
        return Page([credit_note_from_row(r) for r in rows], total, page.limit, page.offset, exact)

    async def issued_between(self, first: date, last: date) -> Sequence[CreditNote]:
        rows = await self._s.scalars(
            select(CreditNoteRow)
            .where(CreditNoteRow.issue_date >= first, CreditNoteRow.issue_date <= last)
            .order_by(CreditNoteRow.number)
            .execution_options(**_FRESH)
        )
        return [credit_note_from_row(r) for r in rows]


class SqlNumberSeries:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def next(self, issuer: str, series: DocumentSeries, year: int) -> int:
        key = and_(
            NumberSequenceRow.issuer == issuer,
            NumberSequenceRow.kind == series.value,
            NumberSequenceRow.year == year,
        )
        bump = update(NumberSequenceRow).where(key).values(last_value=NumberSequenceRow.last_value + 1)
        taken = await self._s.scalar(bump.returning(NumberSequenceRow.last_value))
        if taken is not None:
            return int(taken)
        # The series' first number: create its row. Two first finalisations at once: one
        # inserts, the other's insert fails on the key and it takes the next number instead.
        try:
            async with unique_write_scope(self._s):
                await self._s.execute(
                    insert(NumberSequenceRow).values(issuer=issuer, kind=series.value, year=year, last_value=1)
                )
            return 1
        except IntegrityError:
            taken = await self._s.scalar(bump.returning(NumberSequenceRow.last_value))
            if taken is None:
                raise
            return int(taken)
