"""Invoices, credit notes, number series and the customer directory behave alike on the fake,
SQLite and PostgreSQL (as the application's role there: row-level security binds)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from nexuscore.billing.application.invoices import finalise
from nexuscore.billing.application.services import BillingServices
from nexuscore.billing.domain.credit_note import CreditNote
from nexuscore.billing.domain.lines import InvoiceLine
from nexuscore.billing.domain.model import DocumentSeries, Invoice, InvoiceSource, InvoiceStatus
from nexuscore.billing.domain.parties import Supplier
from nexuscore.billing.domain.tax import TaxCategory
from nexuscore.billing.ports.repositories import DuplicateGatewayDocument, InvoiceFilter, StaleInvoice
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.paging import PageRequest
from nexuscore.platform.mail import RecordingMailer
from tests.contract.billing.backends import NOW, BillingBackend

SUPPLIER = Supplier("NexusCore Pte. Ltd.", ("1 Raffles Place",), "048616", "202612345A", "202612345A")


class _NoRenderer:
    def pdf(self, document: object) -> bytes:
        raise AssertionError("not rendered here")

    einvoice = pdf


def services(bill: BillingBackend, issuer: str | None = None) -> BillingServices:
    supplier = SUPPLIER if issuer is None else Supplier("X", ("1 Road",), "123456", issuer, issuer)
    return BillingServices(bill.clock, supplier, _NoRenderer(), RecordingMailer())  # type: ignore[arg-type]


def draft(org: object, *, currency: str = "SGD", gateway_id: str | None = None) -> Invoice:
    return Invoice.draft(
        organization_id=org,  # type: ignore[arg-type]
        currency=currency,
        lines=(
            InvoiceLine("Licence", Decimal("1.5"), 10_001, TaxCategory.SR),
            InvoiceLine("Training", Decimal(1), 2_000, TaxCategory.ES33),
        ),
        now=NOW,
        due_days=14,
        notes="PO 1",
        exchange_rate=Decimal("1.3456") if currency != "SGD" else None,
        source=InvoiceSource.STRIPE if gateway_id else InvoiceSource.MANUAL,
        gateway_invoice_id=gateway_id,
    )


async def test_invoice_round_trip_draft_then_finalised(bill: BillingBackend) -> None:
    org = await bill.customer()
    issuer = f"T{new_id().hex[-10:].upper()}"  # a series of this test's own
    invoice = draft(org, currency="USD")
    async with bill.uow() as uow:
        await uow.bind_system()
        await uow.invoices.add(invoice)
        await uow.commit()
    async with bill.uow() as uow:
        await uow.bind_system()
        found = await uow.invoices.get(invoice.id, for_update=True)
        assert found == invoice
        event = await finalise(uow, services(bill, issuer), found, now=NOW, issue_date=date(2026, 8, 14))
        await uow.invoices.save(found)
        await uow.commit()
    assert event.number == "INV-2026-000001"
    async with bill.uow() as uow:
        await uow.bind_tenant(org)
        again = await uow.invoices.get(invoice.id, organization_id=org)
    assert again == found
    assert again is not None and again.finalisation is not None
    assert again.finalisation.customer.name == "Kopi Tech Pte. Ltd."
    assert again.finalisation.totals.breakdown[0].taxable_amount == 15_002
    assert again.finalisation.sgd_exchange_rate == Decimal("1.3456")


async def test_another_organisations_invoice_is_not_found(bill: BillingBackend) -> None:
    org, other = await bill.customer(), await bill.customer()
    invoice = draft(org)
    async with bill.uow() as uow:
        await uow.bind_system()
        await uow.invoices.add(invoice)
        await uow.commit()
    async with bill.uow() as uow:
        await uow.bind_tenant(other)
        assert await uow.invoices.get(invoice.id, organization_id=other) is None
        page = await uow.invoices.list(PageRequest(), InvoiceFilter(organization_id=other))
        assert page.items == [] and page.total == 0


async def test_saving_over_a_newer_version_is_refused(bill: BillingBackend) -> None:
    org = await bill.customer()
    invoice = draft(org)
    async with bill.uow() as uow:
        await uow.bind_system()
        await uow.invoices.add(invoice)
        await uow.commit()
    async with bill.uow() as first, bill.uow() as second:
        await first.bind_system()
        await second.bind_system()
        a = await first.invoices.get(invoice.id)
        b = await second.invoices.get(invoice.id)
        assert a and b
        a.edit(now=NOW, notes="first")
        await first.invoices.save(a)
        await first.commit()
        b.edit(now=NOW, notes="second")
        with pytest.raises(StaleInvoice):
            await second.invoices.save(b)
    async with bill.uow() as uow:
        await uow.bind_system()
        stored = await uow.invoices.get(invoice.id)
    assert stored is not None and stored.notes == "first"


async def test_a_gateway_invoice_id_is_unique(bill: BillingBackend) -> None:
    org = await bill.customer()
    gateway_id = f"in_{new_id().hex}"
    async with bill.uow() as uow:
        await uow.bind_system()
        await uow.invoices.add(draft(org, gateway_id=gateway_id))
        await uow.commit()
    async with bill.uow() as uow:
        await uow.bind_system()
        with pytest.raises(DuplicateGatewayDocument):
            await uow.invoices.add(draft(org, gateway_id=gateway_id))
        found = await uow.invoices.get_by_gateway_id(gateway_id)
        assert found is not None and found.source is InvoiceSource.STRIPE


async def test_number_series_count_per_issuer_kind_and_year_and_roll_back(bill: BillingBackend) -> None:
    issuer = f"T{new_id().hex[-10:].upper()}"
    async with bill.uow() as uow:
        taken = [await uow.numbers.next(issuer, DocumentSeries.INVOICE, 2026) for _ in range(3)]
        assert await uow.numbers.next(issuer, DocumentSeries.CREDIT_NOTE, 2026) == 1
        assert await uow.numbers.next(issuer, DocumentSeries.INVOICE, 2027) == 1
        await uow.commit()
    assert taken == [1, 2, 3]
    async with bill.uow() as uow:
        assert await uow.numbers.next(issuer, DocumentSeries.INVOICE, 2026) == 4
        await uow.rollback()
    async with bill.uow() as uow:
        assert await uow.numbers.next(issuer, DocumentSeries.INVOICE, 2026) == 4  # given back, never a gap
        await uow.commit()


async def test_lists_filter_and_page_newest_first(bill: BillingBackend) -> None:
    org = await bill.customer()
    issuer = f"T{new_id().hex[-10:].upper()}"
    made = []
    for day in range(3):
        invoice = draft(org)
        invoice.created_at = NOW + timedelta(minutes=day)
        made.append(invoice)
        async with bill.uow() as uow:
            await uow.bind_system()
            await uow.invoices.add(invoice)
            if day < 2:
                await finalise(uow, services(bill, issuer), invoice, now=NOW, issue_date=date(2026, 7, 1 + day))
                await uow.invoices.save(invoice)
            await uow.commit()
    async with bill.uow() as uow:
        await uow.bind_tenant(org)
        everything = await uow.invoices.list(PageRequest(limit=2), InvoiceFilter(organization_id=org))
        assert [i.id for i in everything.items] == [made[2].id, made[1].id] and everything.total == 3
        drafts = await uow.invoices.list(PageRequest(), InvoiceFilter(status=InvoiceStatus.DRAFT, organization_id=org))
        assert [i.id for i in drafts.items] == [made[2].id]
        dated = await uow.invoices.list(
            PageRequest(), InvoiceFilter(organization_id=org, issued_from=date(2026, 7, 2), issued_to=date(2026, 7, 2))
        )
        assert [i.id for i in dated.items] == [made[1].id]
        await uow.bind_system()
        quarter = await uow.invoices.finalised_between(date(2026, 7, 1), date(2026, 7, 1))
        assert made[0].id in {i.id for i in quarter} and made[1].id not in {i.id for i in quarter}


async def test_credit_notes_round_trip(bill: BillingBackend) -> None:
    org = await bill.customer()
    issuer = f"T{new_id().hex[-10:].upper()}"
    invoice = draft(org)
    async with bill.uow() as uow:
        await uow.bind_system()
        await uow.invoices.add(invoice)
        await finalise(uow, services(bill, issuer), invoice, now=NOW, issue_date=date(2026, 8, 14))
        await uow.invoices.save(invoice)
        await uow.commit()
    assert invoice.finalisation is not None
    totals = invoice.credit_totals(((TaxCategory.SR, 5_000),))
    note = CreditNote(
        organization_id=org, invoice_id=invoice.id, number=f"CN-{new_id().hex[-12:]}", issuer=issuer,
        issue_date=date(2026, 8, 20), currency="SGD", reason="Seat removed",
        lines=(InvoiceLine("Seat", Decimal(1), 5_000, TaxCategory.SR),), totals=totals,
        original_number=invoice.finalisation.number, original_issue_date=invoice.finalisation.issue_date,
        supplier=invoice.finalisation.supplier, customer=invoice.finalisation.customer, created_at=NOW,
        gateway_credit_note_id=f"cn_{new_id().hex}",
    )  # fmt: skip
    async with bill.uow() as uow:
        await uow.bind_system()
        await uow.credit_notes.add(note)
        await uow.commit()
    async with bill.uow() as uow:
        await uow.bind_tenant(org)
        assert await uow.credit_notes.get(note.id, organization_id=org) == note
        assert await uow.credit_notes.get(note.id, organization_id=new_id()) is None
        assert [n.id for n in await uow.credit_notes.for_invoice(invoice.id)] == [note.id]
        page = await uow.credit_notes.list(PageRequest(), organization_id=org)
        assert [n.id for n in page.items] == [note.id]
        await uow.bind_system()
        assert note.id in {n.id for n in await uow.credit_notes.issued_between(date(2026, 8, 20), date(2026, 8, 20))}
        assert await uow.credit_notes.get_by_gateway_id(note.gateway_credit_note_id or "") == note
        with pytest.raises(DuplicateGatewayDocument):
            await uow.credit_notes.add(
                CreditNote(**{**note.__dict__, "id": new_id(), "number": f"CN-{new_id().hex[-12:]}"})
            )


async def test_the_customer_directory_reads_the_billing_profile(bill: BillingBackend) -> None:
    org = await bill.customer(gst=None, overseas=True)
    async with bill.uow() as uow:
        await uow.bind_tenant(org)
        customer = await uow.customers.customer(org)
        assert await uow.customers.customer(new_id()) is None
    assert customer is not None
    assert (customer.name, customer.country, customer.gst_registration_number, customer.overseas_evidence) == (
        "Kopi Tech Pte. Ltd.", "AU", None, True,
    )  # fmt: skip
