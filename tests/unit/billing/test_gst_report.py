"""The GST F5 helper for 2026Q3, built from a quarter of documents on the fakes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from nexuscore.billing.application import credit_notes, invoices, reports
from nexuscore.billing.domain.gst_report import Quarter
from nexuscore.kernel.errors import ValidationError
from tests.unit.billing.conftest import World


def test_quarters() -> None:
    q = Quarter.parse("2026Q3")
    assert (q.first_day.isoformat(), q.last_day.isoformat(), str(q)) == ("2026-07-01", "2026-09-30", "2026Q3")
    assert Quarter.parse("2026Q4").last_day.isoformat() == "2026-12-31"
    assert Quarter.parse("2024Q1").last_day.isoformat() == "2024-03-31"
    for bad in ("2026Q5", "2026-Q3", "26Q1", "", "1999Q1"):
        with pytest.raises(ValidationError):
            Quarter.parse(bad)


async def test_a_quarters_report_with_the_documents_behind_each_figure(world: World) -> None:
    overseas = world.add_customer(gst=None, overseas=True, country="US")
    world.clock.set(datetime(2026, 6, 30, 15, 0, tzinfo=UTC))  # 23:00 in Singapore: still Q2
    q2 = await world.finalised(("June work", "1", 50_000, "SR"))
    world.clock.set(datetime(2026, 6, 30, 16, 30, tzinfo=UTC))  # 00:30 on 1 July in Singapore: Q3
    mixed = await world.finalised(("Licence", "1", 100_000, "SR"), ("Course", "1", 20_000, "ES33"))
    world.clock.advance(timedelta(days=10))
    usd = await world.finalised(
        ("Remote support", "1", 10_000, "ZR"), org=overseas, currency="USD", exchange_rate="1.35"
    )
    voided = await world.finalised(("Mistake", "1", 70_000, "SR"))
    await invoices.void_invoice(
        world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=voided.id, reason="Duplicate"
    )
    world.clock.advance(timedelta(days=30))
    note = await credit_notes.issue_credit_note(
        world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=mixed.id,
        reason="Licence seats reduced", amount=10_000, tax_category="SR",
    )  # fmt: skip
    world.clock.set(datetime(2026, 10, 1, 1, 0, tzinfo=UTC))
    await world.finalised(("October work", "1", 99_999, "SR"))  # Q4

    report = await reports.gst_report(world.uow(), is_staff=True, period="2026Q3")

    figures = {b.box: b.amount for b in report.boxes}
    assert figures == {1: 90_000, 2: 13_500, 3: 20_000, 4: 123_500, 6: 8_100}
    behind = {b.box: [(e.number, e.amount) for e in b.entries] for b in report.boxes}
    assert behind[1] == [(mixed.number, 100_000), (note.number, -10_000)]
    assert behind[2] == [(usd.number, 13_500)]  # USD 100.00 at 1.35
    assert behind[3] == [(mixed.number, 20_000)]
    assert behind[6] == [(mixed.number, 9_000), (note.number, -900)]
    assert [e.number for e in report.void_invoices] == [voided.number]
    assert q2.number not in {e.number for b in report.boxes for e in b.entries}
