"""Finalised invoices and credit notes of the core, rendered by the real renderers: the
e-invoice passes the PINT SG checks and the OASIS schema, the PDF is a PDF."""

from __future__ import annotations

import pytest

from nexuscore.billing.adapters.renderers import TaxDocumentRenderer
from nexuscore.billing.application import credit_notes
from nexuscore.billing.domain.documents import TaxDocument
from nexuscore.billing.domain.paper import credit_note_document, invoice_document
from nexuscore.billing.domain.parties import Supplier
from tests.support.pint_sg import assert_valid
from tests.support.ubl_schema import xsd_errors
from tests.unit.billing.conftest import World

RENDERER = TaxDocumentRenderer()


def check(document: TaxDocument) -> None:
    xml = RENDERER.einvoice(document)
    assert_valid(xml)
    assert xsd_errors(xml) == []
    assert document.number.encode() in xml
    assert RENDERER.pdf(document).startswith(b"%PDF")


async def test_sgd_invoice_with_mixed_categories(world: World) -> None:
    invoice = await world.finalised(("Licence", "3", 33_333, "SR"), ("Course", "1", 20_000, "ES33"))
    check(invoice_document(invoice))


async def test_foreign_currency_zero_rated_invoice_and_its_credit_note(world: World) -> None:
    overseas = world.add_customer(gst=None, overseas=True, country="US")
    invoice = await world.finalised(
        ("Remote support", "1", 10_000, "ZR"), org=overseas, currency="USD", exchange_rate="1.35"
    )
    document = invoice_document(invoice)
    assert document.sgd_totals is not None and document.sgd_totals.total_including_gst == 13_500
    check(document)
    note = await credit_notes.issue_credit_note(
        world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=invoice.id,
        reason="Hours not used", amount=2_500,
    )  # fmt: skip
    check(credit_note_document(note))


@pytest.mark.parametrize("gst", ["200312345A", None])
async def test_an_unregistered_supplier_and_either_customer(gst: str | None) -> None:
    world = World(supplier=Supplier("Small Co", ("1 Lane",), "123456", "53012345D", None))
    org = world.add_customer(gst=gst)
    check(invoice_document(await world.finalised(("Design", "2", 7_500, "NG"), org=org)))
