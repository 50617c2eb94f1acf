"""The inbox's invoice.* and credit_note.created handlers on the memory fakes: each event goes to
the invoice owner's port with the change it names, a late or repeated one is harmless, a paid
subscription invoice refetches its subscription, and without an owner the events end ignored."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from nexuscore.kernel.clock import FixedClock
from nexuscore.webhooks.adapters.memory.inbox import InMemoryUnitOfWorkFactory
from nexuscore.webhooks.adapters.memory.targets import (
    MemoryBillingProfileSync,
    MemoryGateway,
    MemoryInvoiceSync,
    MemorySubscriptionSync,
)
from nexuscore.webhooks.adapters.stripe.signature import parse_event
from nexuscore.webhooks.application.handlers import HandlerContext, HandlerError, default_registry
from nexuscore.webhooks.application.ingest import ingest_event
from nexuscore.webhooks.application.processing import process_event
from nexuscore.webhooks.application.services import WebhooksServices
from nexuscore.webhooks.domain.model import InboxEvent, InboxStatus
from nexuscore.webhooks.ports.targets import InvoiceChange, Targets

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
INVOICE = {"id": "in_1", "object": "invoice", "customer": "cus_1", "subscription": None, "status": "open"}
SUB = {"id": "sub_1", "customer": "cus_1", "status": "active", "items": {"data": []}}


def services(*, wired: bool = True) -> tuple[WebhooksServices, MemoryInvoiceSync, MemoryGateway]:
    invoices, gateway = MemoryInvoiceSync(), MemoryGateway()
    targets = Targets(MemorySubscriptionSync(), MemoryBillingProfileSync(), gateway)
    if wired:
        targets = Targets(targets.subscriptions, targets.billing_profiles, gateway, invoices)
    return WebhooksServices(clock=FixedClock(NOW), targets=targets, handlers=default_registry()), invoices, gateway


def envelope(type_: str, obj: dict[str, Any], event_id: str = "evt_1") -> bytes:
    body = {"id": event_id, "object": "event", "type": type_, "created": int(NOW.timestamp()), "data": {"object": obj}}
    return json.dumps(body).encode()


async def handle(svc: WebhooksServices, type_: str, obj: dict[str, Any], event_id: str = "evt_1") -> str:
    incoming = parse_event(envelope(type_, obj, event_id))
    handler = svc.handlers.get("stripe", type_)
    assert handler is not None, type_
    event = InboxEvent.received(incoming, now=NOW, status=InboxStatus.RECEIVED)
    return await handler(HandlerContext(event=event, data=incoming.data, targets=svc.targets, now=NOW))


def test_every_invoice_event_of_the_issue_has_a_handler() -> None:
    handled = set(default_registry().types("stripe"))
    wanted = {
        "invoice.finalized",
        "invoice.paid",
        "invoice.payment_failed",
        "invoice.voided",
        "invoice.marked_uncollectible",
        "credit_note.created",
    }
    assert wanted <= handled
    assert "invoice.created" not in handled  # a draft: nothing of ours until it is finalised


async def test_events_reach_the_owner_with_their_change_and_a_late_failure_never_unpays() -> None:
    svc, invoices, _ = services()
    assert await handle(svc, "invoice.finalized", INVOICE) == "invoice applied"
    assert await handle(svc, "invoice.finalized", INVOICE) == "invoice unchanged"
    assert await handle(svc, "invoice.paid", {**INVOICE, "status": "paid"}) == "invoice applied"
    assert await handle(svc, "invoice.payment_succeeded", {**INVOICE, "status": "paid"}) == "invoice unchanged"
    assert await handle(svc, "invoice.payment_failed", INVOICE) == "invoice stale"
    assert await handle(svc, "invoice.voided", INVOICE) == "invoice stale"
    assert invoices.statuses[("stripe", "in_1")] == "paid"
    [(first, document), (second, _)] = invoices.applied
    assert (first, second) == (InvoiceChange.FINALIZED, InvoiceChange.PAID)
    assert document.as_of == NOW and document.source_event_id == "evt_1" and document.raw["customer"] == "cus_1"


async def test_uncollectible_then_paid_and_credit_notes_once() -> None:
    svc, invoices, _ = services()
    await handle(svc, "invoice.finalized", INVOICE)
    assert await handle(svc, "invoice.marked_uncollectible", INVOICE) == "invoice applied"
    assert await handle(svc, "invoice.paid", INVOICE) == "invoice applied"
    note = {"id": "cn_1", "object": "credit_note", "invoice": "in_1", "amount": 100}
    assert await handle(svc, "credit_note.created", note) == "credit note applied"
    assert await handle(svc, "credit_note.created", note, "evt_2") == "credit note unchanged"
    assert list(invoices.credit_notes) == [("stripe", "cn_1")]


async def test_a_paid_subscription_invoice_refetches_its_subscription() -> None:
    svc, _, gateway = services()
    gateway.subscriptions["sub_1"] = SUB
    note = await handle(svc, "invoice.paid", {**INVOICE, "subscription": "sub_1"})
    assert note == "invoice applied; subscription applied"
    assert gateway.fetches == ["sub_1"]
    subs = svc.targets.subscriptions
    assert isinstance(subs, MemorySubscriptionSync)
    assert subs.subscriptions[("stripe", "sub_1")].status == "active"
    # a failed payment does not: its subscription's own events say what it did
    await handle(svc, "invoice.payment_failed", {**INVOICE, "id": "in_2", "subscription": "sub_1"})
    assert gateway.fetches == ["sub_1"]


async def test_an_invoice_without_id_fails_and_without_an_owner_is_ignored() -> None:
    svc, _, _ = services()
    with pytest.raises(HandlerError):
        await handle(svc, "invoice.finalized", {"object": "invoice"})
    unwired, _, _ = services(wired=False)
    uows = InMemoryUnitOfWorkFactory()
    async with uows() as uow:
        result = await ingest_event(uow, unwired, incoming=parse_event(envelope("invoice.finalized", INVOICE)))
    assert result.inbox_id is not None
    outcome = await process_event(uows, unwired, inbox_id=result.inbox_id)
    assert outcome is not None and outcome.status is InboxStatus.IGNORED
    assert outcome.error is not None and "no billing context" in outcome.error
