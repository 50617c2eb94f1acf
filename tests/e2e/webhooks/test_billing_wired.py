"""The inbox wired to the REAL billing context on PostgreSQL: signed Stripe `invoice.*` deliveries
through HTTP, processed by the inbox's task, issue and move our tax invoice, which the tenant
reads; staff find the ones whose Stripe tax differs from our GST. Without STRIPE_SECRET_KEY
(the local gateway), so the payloads carry the organisation and nothing is refetched from
Stripe; the out-of-order refetch runs against billing's memory gateway in the race test."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import pytest

from nexuscore.billing import api as billing
from nexuscore.billing.adapters.memory.gateway import MemoryInvoiceGateway
from nexuscore.billing.adapters.stripe.invoices import stripe_invoice
from nexuscore.bootstrap.runtime import Runtime
from nexuscore.platform.database import bind_rls_scope
from nexuscore.platform.settings import Settings
from nexuscore.webhooks.adapters.billing_sync import BillingContextSync
from nexuscore.webhooks.ports.targets import GatewayDocument, InvoiceChange, SyncOutcome
from tests.e2e.conftest import Inbox, auth, link_token, register, signed_in
from tests.e2e.subscriptions.conftest import make_staff
from tests.e2e.webhooks.conftest import deliver, drain, event_body, in_app, inbox_row, stripe_header
from tests.e2e.webhooks.test_subscriptions_wired import (
    START,
    Client,
    _owner_and_org,
    clock,
    hooks,
    runtime,
    wired_settings,
)

__all__ = ["clock", "hooks", "runtime", "wired_settings"]  # the fixtures, shared with the subscriptions test
pytestmark = pytest.mark.e2e
PROFILE = {
    "legalName": "Acme Pte Ltd",
    "billingEmail": "billing@acme.sg",
    "address": {"lines": ["1 Raffles Place", "#20-01"], "postalCode": "048616", "country": "SG"},
    "uen": "201912345K",
    "gstRegistrationNumber": "M91234567X",
}


def _unix(moment: datetime) -> int:
    return int(moment.timestamp())


def stripe_invoice_object(
    org_id: str, invoice_id: str, *, status: str = "open", tax: int | None = 441, paid_at: datetime | None = None
) -> dict[str, Any]:
    """An invoice as Stripe's API sends it in an event (tax-exclusive prices, one line)."""
    return {
        "id": invoice_id,
        "object": "invoice",
        "customer": "cus_wired_1",
        "status": status,
        "currency": "sgd",
        "created": _unix(START - timedelta(minutes=10)),
        "lines": {
            "object": "list",
            "data": [
                {
                    "amount": 4_900,
                    "description": "1 x Starter (at S$49.00 / month)",
                    "quantity": 1,
                    "period": {"start": _unix(START), "end": _unix(START + timedelta(days=30))},
                }
            ],
        },
        "tax": tax,
        "total_excluding_tax": 4_900,
        "total": 4_900 + (tax or 0),
        "status_transitions": {
            "finalized_at": _unix(START - timedelta(minutes=5)),
            "paid_at": _unix(paid_at) if paid_at else None,
        },
        "metadata": {},
        "subscription_details": {"metadata": {"organization_id": org_id}},
    }


async def _send(client: Client, event_id: str, type_: str, obj: dict[str, Any], created: datetime) -> None:
    body = event_body(event_id, type_, obj, created=created)
    response = await deliver(client, body, stripe_header(body, at=START))
    assert response.status_code == 200, response.text


async def _staff(client: Client, runtime: Runtime, settings: Settings) -> dict[str, str]:
    email = "ops@nexuscore.sg"
    registered = await register(client, email, name="Ops")
    assert registered.status_code == 201
    await drain(client, runtime)
    token = link_token(await Inbox(settings.mail_dir).wait_for(email, "Verify your email"))
    assert (await client.post("/api/v1/auth/verify-email", json={"token": token})).status_code == 200
    await make_staff(settings, registered.json()["id"])
    return {"Authorization": f"Bearer {(await signed_in(client, email))['accessToken']}"}


async def test_finalized_then_paid_through_the_inbox_and_a_late_failure_leaves_it_paid(
    hooks: Client, runtime: Runtime, wired_settings: Settings
) -> None:
    owner, oid = await _owner_and_org(hooks, runtime, wired_settings)
    saved = await hooks.put(f"/api/v1/orgs/{oid}/billing-profile", json=PROFILE, headers=auth(owner))
    assert saved.status_code == 200, saved.text
    base = f"/api/v1/orgs/{oid}/invoices"

    await _send(hooks, "evt_fin_1", "invoice.finalized", stripe_invoice_object(oid, "in_e2e_1"), START)
    await _send(hooks, "evt_fin_1b", "invoice.finalized", stripe_invoice_object(oid, "in_e2e_1"), START)  # again
    await drain(hooks, runtime)
    listed = (await hooks.get(base, headers=auth(owner))).json()
    assert listed["total"] == 1, listed
    [issued] = listed["items"]
    year = START.year
    assert (issued["number"], issued["status"], issued["source"], issued["title"]) == (
        f"INV-{year}-000001",
        "open",
        "stripe",
        "Tax Invoice",
    )
    assert (issued["totalExcludingGst"], issued["gstAmount"], issued["totalIncludingGst"]) == (4_900, 441, 5_341)
    assert issued["taxRate"] == "0.09" and "taxMismatch" not in issued  # staff see it (below)
    assert issued["customer"]["name"] == "Acme Pte Ltd" and issued["customer"]["gstRegistrationNumber"]

    paid_at = START - timedelta(minutes=1)
    paid = stripe_invoice_object(oid, "in_e2e_1", status="paid", paid_at=paid_at)
    await _send(hooks, "evt_paid_1", "invoice.paid", paid, START)
    await drain(hooks, runtime)
    # a payment_failed of an earlier attempt, delivered late
    await _send(hooks, "evt_failed_1", "invoice.payment_failed", stripe_invoice_object(oid, "in_e2e_1"), START)
    await drain(hooks, runtime)
    one = await hooks.get(f"{base}/{issued['id']}", headers=auth(owner))
    assert one.status_code == 200, one.text
    body = one.json()
    assert (body["status"], body["number"], body["paymentMethod"]) == ("paid", f"INV-{year}-000001", "card")
    assert datetime.fromisoformat(body["paidAt"].replace("Z", "+00:00")) == paid_at
    assert (await inbox_row(hooks, runtime, "evt_failed_1")).status == "processed"
    assert (await inbox_row(hooks, runtime, "evt_fin_1b")).status == "processed"

    # Stripe charged no tax on another invoice: flagged for staff, our GST unchanged
    await _send(hooks, "evt_fin_2", "invoice.finalized", stripe_invoice_object(oid, "in_e2e_2", tax=None), START)
    await drain(hooks, runtime)
    staff = await _staff(hooks, runtime, wired_settings)
    flagged = (await hooks.get("/api/v1/admin/invoices?taxMismatch=true", headers=staff)).json()
    assert [(i["number"], i["gstAmount"]) for i in flagged["items"]] == [(f"INV-{year}-000002", 441)]
    clean = (await hooks.get("/api/v1/admin/invoices?taxMismatch=false", headers=staff)).json()
    assert [(i["number"], i["taxMismatch"]) for i in clean["items"]] == [(f"INV-{year}-000001", False)]
    detail = (await hooks.get(f"/api/v1/admin/invoices/{flagged['items'][0]['id']}", headers=staff)).json()
    assert detail["taxMismatch"] is True
    assert (await hooks.get("/api/v1/admin/invoices?taxMismatch=maybe", headers=staff)).status_code == 422


async def test_concurrent_first_events_of_one_invoice_make_one_invoice_and_take_one_number(
    hooks: Client, runtime: Runtime, wired_settings: Settings
) -> None:
    owner, oid = await _owner_and_org(hooks, runtime, wired_settings)
    assert (
        await hooks.put(f"/api/v1/orgs/{oid}/billing-profile", json=PROFILE, headers=auth(owner))
    ).status_code == 200
    gateway = MemoryInvoiceGateway()
    paid = stripe_invoice_object(oid, "in_race", status="paid", paid_at=START)
    gateway.invoices["in_race"] = stripe_invoice(paid)  # what a refetch of the out-of-order `paid` reads
    sync = BillingContextSync(
        runtime.sessions, billing.build_services(wired_settings, runtime.clock, runtime.mailer), gateway
    )

    def document(event_id: str, raw: dict[str, Any]) -> GatewayDocument:
        return GatewayDocument(provider="stripe", document_id="in_race", as_of=START, source_event_id=event_id, raw=raw)

    async def race() -> list[SyncOutcome]:
        return list(
            await asyncio.gather(
                sync.sync_invoice(InvoiceChange.FINALIZED, document("e1", stripe_invoice_object(oid, "in_race"))),
                sync.sync_invoice(InvoiceChange.FINALIZED, document("e2", stripe_invoice_object(oid, "in_race"))),
                sync.sync_invoice(InvoiceChange.PAID, document("e3", paid)),
            )
        )

    outcomes = await in_app(hooks, race)
    assert outcomes.count(SyncOutcome.UNCHANGED) == 1 and SyncOutcome.APPLIED in outcomes, outcomes

    async def numbers() -> list[tuple[str | None, str]]:
        from sqlalchemy import select

        from nexuscore.billing.adapters.sql.tables import InvoiceRow

        async with runtime.sessions() as session:
            await bind_rls_scope(session, system=True)
            rows = await session.execute(select(InvoiceRow.number, InvoiceRow.status))
            return [(n, s) for n, s in rows.all()]

    assert await in_app(hooks, numbers) == [(f"INV-{START.year}-000001", "paid")]
