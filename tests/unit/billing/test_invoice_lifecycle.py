"""Invoices through their life on the in-memory fakes: drafts, numbers, transitions, credit
notes, sending, events."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nexuscore.billing.application import credit_notes, invoices
from nexuscore.billing.application.common import DraftChanges, LineInput
from nexuscore.billing.domain.model import (
    Applied,
    InvoiceNotDraft,
    InvoiceStateConflict,
    InvoiceStatus,
    NotCreditable,
    Payment,
)
from nexuscore.billing.ports.repositories import StaleInvoice
from nexuscore.kernel.errors import DependencyUnavailable, PermissionDenied, ValidationError
from nexuscore.kernel.mail import MailDeliveryError
from tests.unit.billing.conftest import World


async def test_a_draft_has_no_number_and_is_editable_until_finalised(world: World) -> None:
    draft = await world.draft(("Setup", "1", 20_000, "SR"))
    assert draft.status is InvoiceStatus.DRAFT and draft.number is None
    edited = await invoices.edit_draft(
        world.uow(), world.services, is_staff=True, invoice_id=draft.id,
        changes=DraftChanges(lines=(LineInput("Setup", "2", 20_000, "SR"),), notes="PO 4471"),
    )  # fmt: skip
    assert edited.lines[0].amount == 40_000 and edited.notes == "PO 4471"
    await invoices.finalize_invoice(
        world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=draft.id
    )
    with pytest.raises(InvoiceNotDraft):
        await invoices.edit_draft(
            world.uow(), world.services, is_staff=True, invoice_id=draft.id, changes=DraftChanges(notes="x")
        )
    with pytest.raises(InvoiceNotDraft):
        await invoices.finalize_invoice(
            world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=draft.id
        )


async def test_numbers_are_sequential_per_series_and_year_and_voided_keep_theirs(world: World) -> None:
    first = await world.finalised()
    second = await world.finalised()
    voided = await invoices.void_invoice(
        world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=first.id, reason="Wrong customer"
    )
    third = await world.finalised()
    assert [first.number, second.number, third.number] == ["INV-2026-000001", "INV-2026-000002", "INV-2026-000003"]
    assert voided.status is InvoiceStatus.VOID and voided.number == "INV-2026-000001"
    note = await credit_notes.issue_credit_note(
        world.uow(),
        world.services,
        is_staff=True,
        actor_id=world.staff,
        invoice_id=second.id,
        reason="Goodwill",
        amount=100,
    )
    assert note.number == "CN-2026-000001"
    world.clock.advance(timedelta(days=200))  # 2027
    assert (await world.finalised()).number == "INV-2027-000001"


async def test_a_finalisation_that_fails_gives_its_number_back(world: World) -> None:
    draft = await world.draft(("Licence", "1", 100, "SR"), currency="USD")  # no exchange rate: refused
    uow = world.uow()
    with pytest.raises(ValidationError):
        await invoices.finalize_invoice(uow, world.services, is_staff=True, actor_id=world.staff, invoice_id=draft.id)
    await uow.rollback()
    assert (await world.finalised()).number == "INV-2026-000001"


async def test_status_transitions_are_the_domains(world: World) -> None:
    invoice = await world.finalised()
    paid = await invoices.mark_paid(
        world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=invoice.id,
        paid_at=world.clock.now(), method="paynow", reference="PN-1",
    )  # fmt: skip
    assert paid.status is InvoiceStatus.PAID
    # A late gateway failure or a second payment never un-pays it; void is refused (credit it instead).
    assert paid.apply_payment_failed(world.clock.now(), world.clock.now()) is Applied.IGNORED
    assert paid.apply_paid(Payment(world.clock.now(), "card"), world.clock.now()) is Applied.ALREADY
    assert paid.apply_void("late", world.clock.now()) is Applied.IGNORED
    assert paid.status is InvoiceStatus.PAID
    with pytest.raises(InvoiceStateConflict):
        await invoices.void_invoice(
            world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=invoice.id, reason="x"
        )
    with pytest.raises(InvoiceStateConflict):
        await invoices.mark_paid(
            world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=invoice.id,
            paid_at=world.clock.now(), method="paynow", reference=None,
        )  # fmt: skip


async def test_a_payment_in_the_future_or_by_an_unknown_method_is_refused(world: World) -> None:
    invoice = await world.finalised()
    for paid_at, method in ((world.clock.now() + timedelta(days=1), "paynow"), (world.clock.now(), "bitcoin")):
        with pytest.raises(ValidationError):
            await invoices.mark_paid(
                world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=invoice.id,
                paid_at=paid_at, method=method, reference=None,
            )  # fmt: skip


async def test_credit_notes_never_exceed_what_remains(world: World) -> None:
    invoice = await world.finalised(("Licence", "1", 10_000, "SR"), ("Training", "1", 2_000, "ES33"))
    with pytest.raises(ValidationError):  # two categories: name the one credited
        await credit_notes.issue_credit_note(
            world.uow(),
            world.services,
            is_staff=True,
            actor_id=world.staff,
            invoice_id=invoice.id,
            reason="x",
            amount=1,
        )
    note = await credit_notes.issue_credit_note(
        world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=invoice.id, reason="Seat removed",
        amount=6_000, tax_category="SR",
    )  # fmt: skip
    assert (note.totals.gst_amount, note.original_number) == (540, invoice.number)
    with pytest.raises(NotCreditable) as refused:
        await credit_notes.issue_credit_note(
            world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=invoice.id, reason="More",
            lines=(LineInput("Licence", "1", 4_001, "SR"),),
        )  # fmt: skip
    assert refused.value.extra["remaining"] == {"SR": 4_000, "ES33": 2_000}
    with pytest.raises(NotCreditable):  # a category the invoice does not have
        await credit_notes.issue_credit_note(
            world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=invoice.id, reason="x",
            amount=1, tax_category="ZR",
        )  # fmt: skip
    stored = world.state.invoices[invoice.id]
    assert stored.remaining()[next(iter(stored.remaining()))] == (4_000, 360)


async def test_a_credited_invoice_is_not_voided(world: World) -> None:
    invoice = await world.finalised()
    await credit_notes.issue_credit_note(
        world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=invoice.id, reason="x", amount=1
    )
    with pytest.raises(InvoiceStateConflict):
        await invoices.void_invoice(
            world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=invoice.id, reason="y"
        )


async def test_send_mails_the_pdf_to_the_billing_email(world: World) -> None:
    draft = await world.draft()
    with pytest.raises(InvoiceStateConflict):
        await invoices.send_invoice(
            world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=draft.id
        )
    invoice = await invoices.finalize_invoice(
        world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=draft.id
    )
    world.mailer.failure = MailDeliveryError("down")
    with pytest.raises(DependencyUnavailable):
        await invoices.send_invoice(
            world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=invoice.id
        )
    assert world.state.invoices[invoice.id].sent_at is None
    world.mailer.failure = None
    sent = await invoices.send_invoice(
        world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=invoice.id
    )
    assert sent.sent_at == world.clock.now()
    (mail,) = world.mailer.sent
    assert mail.to == ("accounts@kopi.example.sg",) and "INV-2026-000001" in mail.subject
    (attachment,) = mail.attachments
    assert (attachment.filename, attachment.content_type) == ("INV-2026-000001.pdf", "application/pdf")
    assert attachment.data == b"%PDF-fake INV-2026-000001"


async def test_events_of_the_lifecycle(world: World) -> None:
    invoice = await world.finalised()
    await invoices.send_invoice(world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=invoice.id)
    await credit_notes.issue_credit_note(
        world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=invoice.id, reason="x", amount=10
    )
    await invoices.mark_paid(
        world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=invoice.id,
        paid_at=world.clock.now(), method="bank_transfer", reference="FAST 1",
    )  # fmt: skip
    voidable = await world.finalised()
    await invoices.void_invoice(
        world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=voidable.id, reason="dup"
    )
    assert world.event_types() == [
        "invoice.drafted", "invoice.finalized", "invoice.sent", "credit_note.issued", "invoice.paid",
        "invoice.drafted", "invoice.finalized", "invoice.voided",
    ]  # fmt: skip
    finalized = world.state.events[1]
    assert finalized.organization_id == world.org and finalized.subject == f"invoice:{invoice.id}"
    assert finalized.payload["number"] == "INV-2026-000001" and finalized.payload["gstAmount"] == 900
    assert not any("kopi" in str(e.payload).lower() for e in world.state.events)  # no personal values


async def test_staff_only(world: World) -> None:
    with pytest.raises(PermissionDenied):
        await invoices.create_draft(world.uow(), world.services, is_staff=False, actor_id=world.staff, data=None)  # type: ignore[arg-type]


async def test_a_draft_needs_a_billing_profile(world: World) -> None:
    from nexuscore.kernel.ids import new_id

    with pytest.raises(ValidationError) as refused:
        await world.draft(org=new_id())
    assert refused.value.errors[0].field == "organizationId"


async def test_saving_over_a_moved_version_is_stale(world: World) -> None:
    invoice = await world.finalised()
    a, b = world.uow(), world.uow()
    one = await a.invoices.get(invoice.id)
    two = await b.invoices.get(invoice.id)
    assert one and two
    one.mark_sent(world.clock.now())
    await a.invoices.save(one)
    await a.commit()
    two.mark_sent(world.clock.now())
    with pytest.raises(StaleInvoice):
        await b.invoices.save(two)
