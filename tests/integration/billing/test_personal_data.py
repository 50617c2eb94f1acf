"""Billing's PersonalDataProvider on PostgreSQL (the application's role, row-level security on):
documents made through billing's own services, then exported and erased for a user subject.
Rows stay (documents of record), the contact and the text the law does not require are masked,
the rest is reported as retained with its reason; another customer's documents and a lead
subject are left alone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.billing.adapters.sql.personal_data import (
    CREDIT_NOTE,
    CREDIT_REASON,
    CUSTOMER_PARTICULARS,
    ERASED,
    INVOICE,
    PAYMENT_RECORD,
    BillingPersonalData,
)
from nexuscore.billing.adapters.sql.tables import CreditNoteRow, InvoiceRow
from nexuscore.billing.adapters.sql.unit_of_work import SqlBillingUnitOfWork
from nexuscore.billing.application import credit_notes, invoices
from nexuscore.billing.application.common import DraftInput, LineInput
from nexuscore.billing.application.services import BillingServices
from nexuscore.billing.domain.parties import Supplier
from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.personal_data import RetainedField, SubjectKind, SubjectQuery, masked_email
from nexuscore.platform.database import bind_rls_scope
from nexuscore.platform.mail import RecordingMailer
from nexuscore.subscriptions.adapters.sql.unit_of_work import SqlSubscriptionsUnitOfWork
from nexuscore.subscriptions.domain.model import BillingProfile

NOW = datetime(2026, 8, 14, 2, 0, tzinfo=UTC)
SUPPLIER = Supplier("NexusCore Pte. Ltd.", ("1 Raffles Place",), "048616", "202612345A", "202612345A")
SALT = b"integration-salt"
EMAIL, NAME = "zelda@quokka.sg", "Zelda Quokka"
ZELDA = SubjectQuery(SubjectKind.USER, user_id=new_id(), emails=(EMAIL,), names=(NAME,))


class _NoRenderer:
    def pdf(self, document: object) -> bytes:
        raise AssertionError("not rendered here")

    einvoice = pdf


@pytest.fixture
def services() -> BillingServices:
    return BillingServices(FixedClock(NOW), SUPPLIER, _NoRenderer(), RecordingMailer())  # type: ignore[arg-type]


async def _customer(app_sessions: async_sessionmaker[AsyncSession], name: str, email: str) -> UUID:
    org = new_id()
    async with app_sessions() as session:
        subs = SqlSubscriptionsUnitOfWork(session, FixedClock(NOW))
        await subs.bind_tenant(org)
        await subs.billing_profiles.save(
            BillingProfile(org, name, email, ("1 Tea Road", "#02-03"), "123456", "SG", NOW, None, "201912345K")
        )
        await subs.commit()
    return org


async def _draft(
    app_sessions: async_sessionmaker[AsyncSession], services: BillingServices, org: UUID, notes: str, line: str
) -> UUID:
    async with app_sessions() as session:
        draft = await invoices.create_draft(
            SqlBillingUnitOfWork(session, services.clock), services, is_staff=True, actor_id=new_id(),
            data=DraftInput(org, "SGD", (LineInput(line, "1", 10_000, "SR"),), notes=notes),
        )  # fmt: skip
    return draft.id


async def _step(app_sessions: async_sessionmaker[AsyncSession], services: BillingServices, fn: Any, **kw: Any) -> Any:
    async with app_sessions() as session:
        return await fn(SqlBillingUnitOfWork(session, services.clock), services, is_staff=True, actor_id=new_id(), **kw)


async def _rows(
    app_sessions: async_sessionmaker[AsyncSession],
) -> tuple[dict[UUID, InvoiceRow], dict[UUID, CreditNoteRow]]:
    async with app_sessions() as session, session.begin():
        await bind_rls_scope(session, system=True)
        inv = {r.id: r for r in await session.scalars(select(InvoiceRow))}
        cns = {r.id: r for r in await session.scalars(select(CreditNoteRow))}
        session.expunge_all()
        return inv, cns


async def test_export_and_erasure_of_a_billing_contact(
    app_sessions: async_sessionmaker[AsyncSession], services: BillingServices
) -> None:
    teh = await _customer(app_sessions, "Teh Tarik Pte Ltd", EMAIL)  # she is its billing contact
    acme = await _customer(app_sessions, "Acme Pte Ltd", "accounts@acme.sg")  # not hers

    issued = await _draft(app_sessions, services, teh, f"Attn {NAME}", "Licence")
    await _step(app_sessions, services, invoices.finalize_invoice, invoice_id=issued)
    await _step(
        app_sessions, services, invoices.mark_paid, invoice_id=issued, paid_at=NOW, method="paynow",
        reference=f"PAYNOW {NAME.upper()}",
    )  # fmt: skip
    note = await _step(
        app_sessions, services, credit_notes.issue_credit_note, invoice_id=issued, reason=f"{NAME} left early",
        amount=2_000,
    )  # fmt: skip
    voided = await _draft(app_sessions, services, teh, "PO 1", "Licence")
    await _step(app_sessions, services, invoices.finalize_invoice, invoice_id=voided)
    await _step(app_sessions, services, invoices.void_invoice, invoice_id=voided, reason=f"sent twice, says {EMAIL}")
    draft = await _draft(app_sessions, services, teh, f"send to {EMAIL}", f"Onboarding {NAME}")
    other = await _draft(app_sessions, services, acme, "PO 7781", "Licence")
    await _step(app_sessions, services, invoices.finalize_invoice, invoice_id=other)
    provider = BillingPersonalData(app_sessions, FixedClock(NOW))
    before_inv, before_cn = await _rows(app_sessions)

    # Access: her documents and, of them, her fields; Acme's invoice is not among them.
    records = {(r.table, r.record_id): r for r in await provider.export(ZELDA)}
    assert set(records) == {
        (INVOICE, str(issued)),
        (INVOICE, str(voided)),
        (INVOICE, str(draft)),
        (CREDIT_NOTE, str(note.id)),
    }
    paid = records[(INVOICE, str(issued))].fields
    assert paid["customer_email"] == EMAIL and paid["customer_name"] == "Teh Tarik Pte Ltd"
    assert paid["notes"] == f"Attn {NAME}" and paid["payment_reference"] == f"PAYNOW {NAME.upper()}"
    assert paid["number"] == before_inv[issued].number and records[(INVOICE, str(issued))].organization_id == teh
    assert records[(INVOICE, str(draft))].fields["line_descriptions"] == [f"Onboarding {NAME}"]
    assert records[(CREDIT_NOTE, str(note.id))].fields["reason"] == f"{NAME} left early"
    # A lead subject: billing holds nothing for a tenant's CRM contact.
    lead = SubjectQuery(SubjectKind.LEAD, organization_id=teh, emails=(EMAIL,), names=(NAME,))
    assert await provider.export(lead) == []
    assert (await provider.erase(lead, SALT)).touched == 0

    report = await provider.erase(ZELDA, SALT)
    assert report.provider == "billing" and report.deleted == {}
    assert report.masked == {INVOICE: 3, CREDIT_NOTE: 1}
    assert set(report.retained) == {
        RetainedField(INVOICE, "customer", CUSTOMER_PARTICULARS, 2),
        RetainedField(INVOICE, "payment_reference", PAYMENT_RECORD, 1),
        RetainedField(CREDIT_NOTE, "customer", CUSTOMER_PARTICULARS, 1),
        RetainedField(CREDIT_NOTE, "reason", CREDIT_REASON, 1),
    }

    inv, cns = await _rows(app_sessions)
    assert set(inv) == set(before_inv) and set(cns) == set(before_cn)  # no row deleted
    hashed = masked_email(EMAIL, SALT)
    for iid in (issued, voided):
        assert inv[iid].customer is not None and inv[iid].customer["email"] == hashed
        assert inv[iid].customer == {**(before_inv[iid].customer or {}), "email": hashed}  # particulars as issued
        assert inv[iid].number == before_inv[iid].number and inv[iid].version == before_inv[iid].version + 1
    assert inv[issued].notes == ERASED and inv[issued].payment_reference == f"PAYNOW {NAME.upper()}"
    assert inv[voided].void_reason == ERASED and inv[voided].notes == "PO 1"
    assert inv[draft].notes == ERASED and inv[draft].lines[0]["description"] == ERASED
    assert inv[draft].lines[0]["unitAmount"] == 10_000 and inv[draft].updated_at == NOW
    assert cns[note.id].customer["email"] == hashed and cns[note.id].reason == f"{NAME} left early"
    # Acme's invoice is untouched, row for row.
    untouched = ("customer", "notes", "lines", "version", "updated_at")
    assert all(getattr(inv[other], c) == getattr(before_inv[other], c) for c in untouched)

    # Idempotent: a retried step masks nothing more and nothing identifies her for the export any more.
    again = await provider.erase(ZELDA, SALT)
    assert again.masked == {}
    assert {(r.table, r.column) for r in again.retained} == {
        (INVOICE, "payment_reference"),
        (CREDIT_NOTE, "reason"),
    }
    assert await provider.export(ZELDA) == []
    async with app_sessions() as session, session.begin():
        await bind_rls_scope(session, system=True)
        assert await session.scalar(select(func.count()).select_from(InvoiceRow)) == 4
