"""Stripe invoices through billing's gateway use cases, on the in-memory fakes: the documented
Stripe invoice shape read by our parser, our number and GST on `finalized`, the guarded moves
after it, events out of order, the gateway's tax compared, foreign currency at the settlement's
rate, credit notes in their own series."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from nexuscore.billing.adapters.memory.gateway import MemoryInvoiceGateway
from nexuscore.billing.adapters.stripe.invoices import stripe_credit_note, stripe_invoice
from nexuscore.billing.application.gateway_invoices import record_gateway_credit_note, record_gateway_invoice
from nexuscore.billing.domain.model import Applied, Invoice, InvoiceSource, InvoiceStatus
from nexuscore.billing.ports.gateway import (
    ExchangeRateUnavailable,
    GatewayInvoiceChange,
    NotOurInvoice,
    UnreadableGatewayDocument,
)
from tests.unit.billing.conftest import NOW, World

C = GatewayInvoiceChange
T = int(NOW.timestamp())


def stripe_object(
    org: UUID | None, *, invoice_id: str = "in_1", status: str = "open", tax: int | None = 441, **extra: Any
) -> dict[str, Any]:
    """An invoice as Stripe documents it (2025 API: the subscription under `parent`)."""
    obj: dict[str, Any] = {
        "id": invoice_id,
        "object": "invoice",
        "customer": "cus_1",
        "status": status,
        "currency": "sgd",
        "created": T - 60,
        "lines": {
            "object": "list",
            "data": [
                {
                    "amount": 4_900,
                    "description": "1 x Starter (at S$49.00 / month)",
                    "quantity": 1,
                    "period": {"start": T - 60, "end": T + 30 * 86_400},
                }
            ],
        },
        "total_excluding_tax": 4_900,
        "total": 4_900 + (tax or 0),
        "status_transitions": {"finalized_at": T - 30, "paid_at": T if status == "paid" else None},
        "parent": {
            "type": "subscription_details",
            "subscription_details": {
                "subscription": "sub_1",
                "metadata": {"organization_id": str(org)} if org else {},
            },
        },
    }
    if tax is not None:
        obj["total_taxes"] = [{"amount": tax, "tax_behavior": "exclusive"}]
    obj.update(extra)
    return obj


async def record(
    world: World, gateway: MemoryInvoiceGateway, change: GatewayInvoiceChange, obj: dict[str, Any]
) -> Applied:
    return await record_gateway_invoice(
        world.uow(), world.services, gateway, change=change, snapshot=stripe_invoice(obj), observed_at=NOW
    )


def only_invoice(world: World) -> Invoice:
    [invoice] = world.state.invoices.values()
    return invoice


async def test_finalized_issues_our_tax_invoice_once_with_our_number_and_gst(world: World) -> None:
    gateway = MemoryInvoiceGateway()
    assert await record(world, gateway, C.FINALIZED, stripe_object(world.org)) is Applied.APPLIED
    assert await record(world, gateway, C.FINALIZED, stripe_object(world.org)) is Applied.ALREADY
    invoice = only_invoice(world)
    f = invoice.finalisation
    assert f is not None
    assert (invoice.source, invoice.gateway_invoice_id, invoice.status) == (
        InvoiceSource.STRIPE,
        "in_1",
        InvoiceStatus.OPEN,
    )
    assert f.number == "INV-2026-000001" and f.title == "Tax Invoice"
    assert (f.totals.total_excluding_gst, f.totals.gst_amount, f.totals.total_including_gst) == (4_900, 441, 5_341)
    assert f.totals.rate == Decimal("0.09") and f.customer.name == "Kopi Tech Pte. Ltd."
    assert invoice.lines[0].description.startswith("1 x Starter (at S$49.00 / month) (2026-08-14 to ")
    assert (invoice.tax_mismatch, invoice.gateway_tax_amount) == (False, 441)
    assert world.event_types() == ["invoice.finalized"]
    assert gateway.fetches == []  # the payload of `finalized` is the invoice as finalised


async def test_a_different_gateway_tax_flags_the_invoice_and_never_changes_our_gst(world: World) -> None:
    gateway = MemoryInvoiceGateway()
    await record(world, gateway, C.FINALIZED, stripe_object(world.org, tax=None))  # Stripe charged no tax
    invoice = only_invoice(world)
    assert invoice.tax_mismatch and invoice.gateway_tax_amount == 0
    assert invoice.finalisation is not None and invoice.finalisation.totals.gst_amount == 441


async def test_paid_then_a_late_payment_failed_or_void_never_unpays(world: World) -> None:
    gateway = MemoryInvoiceGateway()
    await record(world, gateway, C.FINALIZED, stripe_object(world.org))
    assert await record(world, gateway, C.PAID, stripe_object(world.org, status="paid")) is Applied.APPLIED
    assert await record(world, gateway, C.PAID, stripe_object(world.org, status="paid")) is Applied.ALREADY
    assert await record(world, gateway, C.PAYMENT_FAILED, stripe_object(world.org)) is Applied.IGNORED
    assert await record(world, gateway, C.VOIDED, stripe_object(world.org, status="void")) is Applied.IGNORED
    invoice = only_invoice(world)
    assert invoice.status is InvoiceStatus.PAID and invoice.payment is not None
    assert invoice.payment.paid_at == NOW and invoice.payment.method == "card"
    assert world.event_types() == ["invoice.finalized", "invoice.paid"]


async def test_a_failed_payment_is_noted_and_uncollectible_can_still_be_paid(world: World) -> None:
    gateway = MemoryInvoiceGateway()
    await record(world, gateway, C.FINALIZED, stripe_object(world.org))
    assert await record(world, gateway, C.PAYMENT_FAILED, stripe_object(world.org)) is Applied.APPLIED
    assert only_invoice(world).last_payment_failed_at == NOW
    assert await record(world, gateway, C.MARKED_UNCOLLECTIBLE, stripe_object(world.org)) is Applied.APPLIED
    assert await record(world, gateway, C.PAID, stripe_object(world.org, status="paid")) is Applied.APPLIED
    assert only_invoice(world).status is InvoiceStatus.PAID


async def test_voided_keeps_the_number(world: World) -> None:
    gateway = MemoryInvoiceGateway()
    await record(world, gateway, C.FINALIZED, stripe_object(world.org))
    assert await record(world, gateway, C.VOIDED, stripe_object(world.org, status="void")) is Applied.APPLIED
    invoice = only_invoice(world)
    assert invoice.status is InvoiceStatus.VOID and invoice.number == "INV-2026-000001"


async def test_paid_before_finalized_refetches_the_invoice_then_creates_and_pays_it(world: World) -> None:
    gateway = MemoryInvoiceGateway()
    gateway.invoices["in_1"] = stripe_invoice(stripe_object(world.org, status="paid"))
    thin = {
        "id": "in_1",
        "object": "invoice",
        "customer": "cus_1",
        "currency": "sgd",
        "total": 0,
        "created": T,
        "lines": {"data": []},
    }
    assert await record(world, gateway, C.PAID, thin) is Applied.APPLIED
    assert gateway.fetches == ["in_1"]
    invoice = only_invoice(world)
    assert invoice.status is InvoiceStatus.PAID and invoice.number == "INV-2026-000001"
    assert invoice.finalisation is not None and invoice.finalisation.totals.total_including_gst == 5_341
    assert await record(world, gateway, C.FINALIZED, stripe_object(world.org)) is Applied.ALREADY
    assert len(world.state.invoices) == 1 and world.event_types() == ["invoice.finalized", "invoice.paid"]


async def test_a_late_failure_arriving_first_issues_the_invoice_as_the_gateway_has_it(world: World) -> None:
    gateway = MemoryInvoiceGateway()
    gateway.invoices["in_1"] = stripe_invoice(stripe_object(world.org, status="paid"))
    assert await record(world, gateway, C.PAYMENT_FAILED, stripe_object(world.org)) is Applied.APPLIED
    assert only_invoice(world).status is InvoiceStatus.PAID


async def test_the_organisation_from_the_customer_and_not_ours_otherwise(world: World) -> None:
    gateway = MemoryInvoiceGateway()
    with pytest.raises(NotOurInvoice):
        await record(world, gateway, C.FINALIZED, stripe_object(None))
    assert world.state.invoices == {} and world.state.sequences == {}
    gateway.customers["cus_1"] = world.org
    assert await record(world, gateway, C.FINALIZED, stripe_object(None)) is Applied.APPLIED
    assert only_invoice(world).organization_id == world.org
    with pytest.raises(NotOurInvoice):  # a draft is nothing of ours yet
        await record(world, gateway, C.FINALIZED, stripe_object(world.org, invoice_id="in_2", status="draft"))
    with pytest.raises(UnreadableGatewayDocument):
        stripe_invoice({"id": "in_3", "object": "invoice", "customer": "cus_1"})


async def test_foreign_currency_waits_for_the_settlement_rate(world: World) -> None:
    gateway = MemoryInvoiceGateway()
    usd = stripe_object(world.org, currency="usd", charge="ch_1")
    with pytest.raises(ExchangeRateUnavailable):
        await record(world, gateway, C.FINALIZED, usd)
    assert world.state.invoices == {} and world.state.sequences == {}
    gateway.rates["in_1"] = Decimal("1.3412")
    assert await record(world, gateway, C.FINALIZED, usd) is Applied.APPLIED
    invoice = only_invoice(world)
    assert invoice.currency == "USD" and invoice.finalisation is not None
    assert invoice.finalisation.sgd_exchange_rate == Decimal("1.3412")


async def test_a_credit_note_in_its_own_series_once(world: World) -> None:
    gateway = MemoryInvoiceGateway()
    await record(world, gateway, C.FINALIZED, stripe_object(world.org))
    await record(world, gateway, C.PAID, stripe_object(world.org, status="paid"))
    raw = {
        "id": "cn_1",
        "object": "credit_note",
        "invoice": "in_1",
        "currency": "sgd",
        "created": T,
        "subtotal_excluding_tax": 1_000,
        "total": 1_090,
        "reason": "order_change",
    }
    note = stripe_credit_note(raw)
    assert await record_gateway_credit_note(world.uow(), world.services, gateway, note=note, observed_at=NOW) is (
        Applied.APPLIED
    )
    assert await record_gateway_credit_note(world.uow(), world.services, gateway, note=note, observed_at=NOW) is (
        Applied.ALREADY
    )
    [created] = world.state.credit_notes.values()
    assert created.number == "CN-2026-000001" and created.original_number == "INV-2026-000001"
    assert (created.totals.total_excluding_gst, created.totals.gst_amount) == (1_000, 90)
    assert created.reason == "order change" and created.gateway_credit_note_id == "cn_1"
    assert created.source is InvoiceSource.STRIPE
