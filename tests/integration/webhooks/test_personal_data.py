"""The webhooks context's PersonalDataProvider on PostgreSQL (the application's role): Stripe
events taken in through the inbox's own ingest, some naming the subject (her customer, an
invoice to her), one naming another Zelda Quokka with another address in another organisation,
one naming neither; failures recorded against them. The export finds exactly her events;
erasure masks her values in payloads and failure texts, keeps the envelope, and leaves the
other person's rows as they were."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.personal_data import SubjectKind, SubjectQuery, masked_email
from nexuscore.webhooks.adapters.sql.tables import AttemptRow, InboxEventRow
from nexuscore.webhooks.api import LocalEventIngest, WebhookInboxPersonalData

pytestmark = pytest.mark.integration

NOW = datetime(2026, 8, 14, 2, 0, tzinfo=UTC)
SALT = b"integration-salt"
EMAIL, NAME = "zelda@quokka.sg", "Zelda Quokka"
NAMESAKE = "zq@namesake.sg"  # another Zelda Quokka, billing contact of another organisation
ZELDA = SubjectQuery(SubjectKind.USER, user_id=new_id(), emails=(EMAIL,), names=(NAME,))
_E, _A = "webhooks_inbox_event", "webhooks_attempt"


def _customer(customer_id: str, email: str, name: str, org: UUID) -> dict[str, Any]:
    return {
        "id": customer_id,
        "object": "customer",
        "email": email,
        "name": name,
        "address": {"line1": "1 Tea Road", "postal_code": "123456", "country": "SG"},
        "metadata": {"organization_id": str(org)},
    }


async def _ingest(ingest: LocalEventIngest, kind: str, obj: dict[str, Any]) -> str:
    event_id = f"evt_{new_id().hex[:16]}"
    event = {"id": event_id, "object": "event", "type": kind, "created": int(NOW.timestamp()), "livemode": False,
             "api_version": "2026-10-28.endive", "data": {"object": obj}}  # fmt: skip
    assert await ingest.ingest_stripe_event(event)
    return event_id


async def _rows(app_sessions: async_sessionmaker[AsyncSession]) -> tuple[dict[str, InboxEventRow], list[AttemptRow]]:
    async with app_sessions() as session:
        events = {r.event_id: r for r in await session.scalars(select(InboxEventRow))}
        attempts = list(await session.scalars(select(AttemptRow).order_by(AttemptRow.number)))
        session.expunge_all()
        return events, attempts


async def _failed(app_sessions: async_sessionmaker[AsyncSession], event_id: str, number: int, error: str) -> None:
    """A failed attempt, as processing records one (the text quoting what the handler saw)."""
    async with app_sessions() as session, session.begin():
        inbox_id = await session.scalar(select(InboxEventRow.id).where(InboxEventRow.event_id == event_id))
        assert inbox_id is not None
        session.add(
            AttemptRow(id=new_id(), inbox_id=inbox_id, number=number, started_at=NOW, duration_ms=3.0,
                       outcome="failed", error=error)
        )  # fmt: skip
        await session.execute(update(InboxEventRow).where(InboxEventRow.id == inbox_id).values(last_error=error))


async def test_export_and_erasure_of_her_stored_stripe_events(app_sessions: async_sessionmaker[AsyncSession]) -> None:
    ingest = LocalEventIngest(app_sessions, FixedClock(NOW))
    teh, namesake_org, acme = new_id(), new_id(), new_id()
    hers = await _ingest(ingest, "customer.updated", _customer("cus_teh", EMAIL, NAME, teh))
    invoice = {"id": "in_1", "object": "invoice", "customer": "cus_teh", "customer_email": EMAIL,
               "customer_name": f"{NAME} (Teh Tarik Pte Ltd)", "total": 10_900}  # fmt: skip
    her_invoice = await _ingest(ingest, "invoice.paid", invoice)
    namesakes = await _ingest(ingest, "customer.updated", _customer("cus_ns", NAMESAKE, NAME, namesake_org))
    acmes = await _ingest(ingest, "customer.updated", _customer("cus_acme", "accounts@acme.sg", "Acme Pte Ltd", acme))
    await _failed(app_sessions, her_invoice, 1, f"billing refused the invoice of {EMAIL}")
    await _failed(app_sessions, her_invoice, 2, f"no billing profile for {NAME}")
    await _failed(app_sessions, namesakes, 1, f"no billing profile for {NAME}")
    before, _ = await _rows(app_sessions)

    # Access: her two events, with the values in them that name her; nobody else's.
    records = await WebhookInboxPersonalData(app_sessions).export(ZELDA)
    assert sorted(r.record_id for r in records) == sorted(str(before[e].id) for e in (hers, her_invoice))
    by_id = {r.record_id: r.fields for r in records}
    assert set(by_id[str(before[hers].id)]["values"]) == {EMAIL, NAME}
    assert set(by_id[str(before[her_invoice].id)]["values"]) == {EMAIL, f"{NAME} (Teh Tarik Pte Ltd)"}
    assert by_id[str(before[her_invoice].id)]["type"] == "invoice.paid"
    # A lead subject: the inbox holds the platform's customers only.
    lead = SubjectQuery(SubjectKind.LEAD, organization_id=teh, emails=(EMAIL,), names=(NAME,))
    assert await WebhookInboxPersonalData(app_sessions).export(lead) == []
    assert (await WebhookInboxPersonalData(app_sessions).erase(lead, SALT)).touched == 0

    report = await WebhookInboxPersonalData(app_sessions).erase(ZELDA, SALT)

    assert report.masked == {_E: 2, _A: 2}
    after, attempts = await _rows(app_sessions)
    for event_id in (hers, her_invoice):
        text = after[event_id].payload + (after[event_id].last_error or "")
        assert EMAIL not in text and NAME not in text
        # The envelope stays: the record that the event came, still an event that parses.
        assert (after[event_id].type, after[event_id].status) == (before[event_id].type, before[event_id].status)
        assert json.loads(after[event_id].payload)["id"] == event_id
    assert json.loads(after[hers].payload)["data"]["object"]["email"] == masked_email(EMAIL, SALT)
    # The other Zelda Quokka's event and failure, and Acme's event, are as they were.
    for event_id in (namesakes, acmes):
        assert after[event_id].payload == before[event_id].payload
        assert after[event_id].last_error == before[event_id].last_error
    errors = {(a.inbox_id, a.number): a.error for a in attempts}
    assert errors[(after[namesakes].id, 1)] == f"no billing profile for {NAME}"
    assert not any(EMAIL in (errors[(after[her_invoice].id, n)] or "") for n in (1, 2))
    assert NAME not in (errors[(after[her_invoice].id, 2)] or "")

    # Idempotent: a retried step finds nothing of hers.
    again = await WebhookInboxPersonalData(app_sessions).erase(ZELDA, SALT)
    assert again.masked == {}
    assert await WebhookInboxPersonalData(app_sessions).export(ZELDA) == []
