"""Each GST rule of issue 13, one test each, and a table of worked examples."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from nexuscore.billing.application import credit_notes, invoices
from nexuscore.billing.application.common import LineInput
from nexuscore.billing.domain.lines import InvoiceLine
from nexuscore.billing.domain.model import Invoice
from nexuscore.billing.domain.paper import invoice_document
from nexuscore.billing.domain.parties import Supplier
from nexuscore.billing.domain.tax import (
    SupplyParties,
    TaxCategory,
    check_categories,
    compute_totals,
    document_title,
    line_amount,
    time_of_supply,
    to_sgd,
)
from nexuscore.kernel.errors import ValidationError
from nexuscore.kernel.singapore import SINGAPORE_GST_RATES
from nexuscore.subscriptions.domain import gst as subscriptions_gst
from tests.unit.billing.conftest import NOW, SUPPLIER, World

C = TaxCategory


# ---- the dated rate table -------------------------------------------------------------------


def test_rate_table_is_dated_7_8_9() -> None:
    assert SINGAPORE_GST_RATES.rate_on(date(2022, 12, 31)) == Decimal("0.07")
    assert SINGAPORE_GST_RATES.rate_on(date(2023, 1, 1)) == Decimal("0.08")
    assert SINGAPORE_GST_RATES.rate_on(date(2023, 12, 31)) == Decimal("0.08")
    assert SINGAPORE_GST_RATES.rate_on(date(2024, 1, 1)) == Decimal("0.09")


def test_subscriptions_use_the_same_table() -> None:
    assert subscriptions_gst.gst_rate(date(2023, 6, 1)) == SINGAPORE_GST_RATES.rate_on(date(2023, 6, 1))
    future = SINGAPORE_GST_RATES.with_change(date(2030, 1, 1), Decimal("0.10"))
    assert subscriptions_gst.with_gst(10_000, date(2030, 1, 1), rates=future).gst == 1_000
    assert subscriptions_gst.with_gst(10_000, date(2029, 12, 31), rates=future).gst == 900


async def test_a_future_rate_change_applies_by_time_of_supply() -> None:
    change = date(2026, 8, 15)  # the day after NOW's business date
    world = World(rates=SINGAPORE_GST_RATES.with_change(change, Decimal("0.10")))
    before = await world.finalised(("Audit", "1", 100_000, "SR"))
    world.clock.advance(timedelta(days=1))
    after = await world.finalised(("Audit", "1", 100_000, "SR"))
    assert before.finalisation and after.finalisation
    assert (before.finalisation.time_of_supply, before.finalisation.totals.rate) == (date(2026, 8, 14), Decimal("0.09"))
    assert (after.finalisation.time_of_supply, after.finalisation.totals.rate) == (change, Decimal("0.10"))
    assert before.finalisation.totals.gst_amount == 9_000
    assert after.finalisation.totals.gst_amount == 10_000
    # The shared default table is untouched: nothing was patched.
    assert SINGAPORE_GST_RATES.rate_on(change) == Decimal("0.09")


def test_time_of_supply_is_the_earlier_of_issue_and_payment() -> None:
    assert time_of_supply(date(2024, 1, 3), None) == date(2024, 1, 3)
    assert time_of_supply(date(2024, 1, 3), date(2023, 12, 28)) == date(2023, 12, 28)
    assert time_of_supply(date(2024, 1, 3), date(2024, 1, 9)) == date(2024, 1, 3)


# ---- categories -----------------------------------------------------------------------------


def test_the_full_invoicenow_code_list_is_known() -> None:
    assert {c.value for c in TaxCategory} == {
        *("SR", "SRCA-S", "SRCA-C", "SROVR-RS", "SROVR-LVG", "SRRC", "SRLVG"),
        *("ZR", "ES33", "ESN33", "DS", "OS", "NA", "NG"),
    }


async def test_zero_rating_needs_the_customers_overseas_evidence(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        await world.draft(("Remote support", "1", 5_000, "ZR"))
    assert refused.value.errors[0].field == "lines.0.taxCategory"
    overseas = world.add_customer(gst=None, overseas=True, country="AU")
    draft = await world.draft(("Remote support", "1", 5_000, "ZR"), org=overseas)
    assert draft.lines[0].tax_category is C.ZR


def test_ng_only_for_a_supplier_not_registered_and_then_the_only_category() -> None:
    registered = SupplyParties(True, False, False)
    unregistered = SupplyParties(False, False, False)
    with pytest.raises(ValidationError):
        check_categories([C.NG], registered)
    check_categories([C.NG, C.NG], unregistered)
    with pytest.raises(ValidationError) as mixed:
        check_categories([C.NG, C.SR], unregistered)
    assert [e.field for e in mixed.value.errors] == ["lines.1.taxCategory"]


def test_rest_of_the_list_where_the_rules_allow() -> None:
    parties = SupplyParties(True, customer_gst_registered=False, customer_overseas_evidence=False)
    check_categories([C.SR, C.ES33, C.ESN33, C.OS, C.NA, C.DS, C.SRLVG], parties)
    for foreign in (C.SROVR_RS, C.SROVR_LVG, C.SRRC):  # overseas vendors' and the recipient's regimes
        with pytest.raises(ValidationError):
            check_categories([foreign], parties)
    with pytest.raises(ValidationError):  # customer accounting needs a registered customer
        check_categories([C.SRCA_S], parties)
    check_categories([C.SRCA_S], SupplyParties(True, True, False))


async def test_an_unregistered_supplier_issues_an_invoice_without_gst() -> None:
    world = World(supplier=Supplier("Small Co", ("1 Lane",), "123456", "53012345D", None))
    invoice = await world.finalised(("Design", "2", 7_500, "NG"))
    assert invoice.finalisation is not None
    totals = invoice.finalisation.totals
    assert (totals.total_excluding_gst, totals.gst_amount, totals.rate) == (15_000, 0, Decimal(0))
    assert invoice.finalisation.title == "Invoice"
    assert invoice.finalisation.supplier.gst_registration_number is None


# ---- arithmetic -----------------------------------------------------------------------------


def test_line_amount_is_quantity_times_unit_half_up() -> None:
    assert line_amount(Decimal("1.5"), 333) == 500  # 499.5 -> 500
    assert line_amount(Decimal("0.3333"), 100) == 33  # 33.33 -> 33
    assert line_amount(Decimal("2"), 4_950) == 9_900


def test_gst_once_on_the_total_of_standard_rated_lines_not_per_line() -> None:
    # Three lines of 5.05 at 9 %: per line 0.4545 -> 0.45 each, 1.35; on the total 15.15 -> 1.3635 -> 1.36.
    totals = compute_totals([(C.SR, 505)] * 3, Decimal("0.09"))
    assert totals.gst_amount == 136


def test_totals_always_add_up_and_the_breakdown_matches() -> None:
    totals = compute_totals([(C.SR, 1_234), (C.SRLVG, 999), (C.ZR, 5_000), (C.ES33, 77), (C.OS, 1)], Decimal("0.09"))
    assert totals.total_excluding_gst + totals.gst_amount == totals.total_including_gst
    assert sum(b.tax_amount for b in totals.breakdown) == totals.gst_amount
    assert sum(b.taxable_amount for b in totals.breakdown) == totals.total_excluding_gst
    assert {b.tax_category: b.tax_rate for b in totals.breakdown}[C.ZR] == 0


async def test_zero_rated_exempt_and_out_of_scope_are_shown_separately() -> None:
    world = World()
    overseas = world.add_customer(gst=None, overseas=True, country="JP")
    invoice = await world.finalised(
        ("Licence", "1", 10_000, "SR"), ("Support abroad", "1", 3_000, "ZR"), ("Interest", "1", 500, "ESN33"),
        ("Disbursement", "1", 200, "OS"), org=overseas,
    )  # fmt: skip
    document = invoice_document(invoice)
    assert [(b.tax_category, b.taxable_amount, b.tax_amount) for b in document.breakdown] == [
        ("SR", 10_000, 900), ("ZR", 3_000, 0), ("ESN33", 500, 0), ("OS", 200, 0),
    ]  # fmt: skip


# ---- titles and particulars -------------------------------------------------------------------


def _title(supplier: bool, customer: bool, total: int, categories: list[TaxCategory]) -> str:
    return document_title(
        supplier_gst_registered=supplier,
        customer_gst_registered=customer,
        total_including_gst_sgd=total,
        categories=categories,
    )


def test_titles() -> None:
    assert _title(True, True, 5_000, [C.SR]) == "Tax Invoice"
    assert _title(True, False, 100_000, [C.SR]) == "Simplified Tax Invoice"
    assert _title(True, False, 100_001, [C.SR]) == "Tax Invoice"
    # The simplified form has no zero-rated or exempt lines.
    assert _title(True, False, 5_000, [C.SR, C.ES33]) == "Tax Invoice"
    assert _title(False, True, 5_000, [C.NG]) == "Invoice"


async def test_every_iras_particular_is_on_the_document(world: World) -> None:
    invoice = await world.finalised(("Consulting, August", "3.5", 12_000, "SR"))
    d = invoice_document(invoice)
    assert d.title == "Tax Invoice"  # the customer has a GST number
    assert (d.supplier.name, d.supplier.address_lines, d.supplier.gst_registration_number) == (
        SUPPLIER.name, SUPPLIER.address_lines, SUPPLIER.gst_registration_number,
    )  # fmt: skip
    assert d.customer.name == "Kopi Tech Pte. Ltd." and d.customer.address_lines == ("8 Marina View, #10-01",)
    assert d.number == "INV-2026-000001" and d.issue_date == date(2026, 8, 14)
    assert (d.lines[0].description, d.lines[0].quantity, d.lines[0].amount) == (
        "Consulting, August",
        Decimal("3.5"),
        42_000,
    )
    assert (d.total_excluding_gst, d.gst_amount, d.total_including_gst) == (42_000, 3_780, 45_780)
    assert d.breakdown[0].tax_rate == Decimal("0.09")
    assert d.due_date == date(2026, 9, 13)


async def test_a_customer_without_a_gst_number_gets_the_simplified_title_under_1000(world: World) -> None:
    consumer = world.add_customer(gst=None)
    small = await world.finalised(("Seat", "1", 91_743, "SR"), org=consumer)  # 917.43 + 82.57 = 1,000.00
    large = await world.finalised(("Seat", "1", 91_744, "SR"), org=consumer)
    assert small.finalisation and large.finalisation
    assert small.finalisation.totals.total_including_gst == 100_000
    assert small.finalisation.title == "Simplified Tax Invoice"
    assert large.finalisation.title == "Tax Invoice"


# ---- foreign currency -----------------------------------------------------------------------


async def test_foreign_currency_needs_a_rate_and_shows_sgd_totals(world: World) -> None:
    without = await world.draft(("Licence", "1", 100_000, "SR"), currency="USD")
    with pytest.raises(ValidationError) as refused:
        await invoices.finalize_invoice(
            world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=without.id
        )
    assert refused.value.errors[0].field == "exchangeRate"
    invoice = await world.finalised(("Licence", "1", 100_000, "SR"), currency="USD", exchange_rate="1.3456")
    d = invoice_document(invoice)
    assert (d.total_excluding_gst, d.gst_amount, d.total_including_gst) == (100_000, 9_000, 109_000)
    assert d.sgd_totals is not None
    assert (d.sgd_totals.total_excluding_gst, d.sgd_totals.gst_amount, d.sgd_totals.total_including_gst) == (
        134_560, 12_110, 146_670,
    )  # fmt: skip


def test_sgd_conversion_follows_the_currency_exponent() -> None:
    assert to_sgd(10_000, Decimal("0.0091"), 0) == 9_100  # JPY 10,000 at 0.0091 = S$91.00
    assert to_sgd(1, Decimal("1.345"), 2) == 1  # 1.345 cents -> 1


# ---- worked examples ------------------------------------------------------------------------

EXAMPLES = [
    # (lines as (quantity, unit amount, category)), rate, (excl, gst, incl)
    pytest.param([("1", 50, "SR")], "0.09", (50, 5, 55), id="4.5 cents rounds up"),
    pytest.param([("1", 5_050, "SR")], "0.09", (5_050, 455, 5_505), id="454.5 rounds half up"),
    pytest.param([("1", 1_125, "SR")], "0.08", (1_125, 90, 1_215), id="90.0 at 8 %"),
    pytest.param([("1", 1_250, "SR")], "0.07", (1_250, 88, 1_338), id="87.5 at 7 % rounds up"),
    pytest.param([("3", 1_683, "SR")], "0.09", (5_049, 454, 5_503), id="454.41 rounds down"),
    pytest.param([("0.5", 1_001, "SR")], "0.09", (501, 45, 546), id="half a unit: 500.5 -> 501"),
    pytest.param(
        [("1", 10_000, "SR"), ("1", 4_000, "ZR"), ("2", 250, "ES33")],
        "0.09",
        (14_500, 900, 15_400),
        id="mixed categories",
    ),
    pytest.param([("1", 99_999, "OS")], "0.09", (99_999, 0, 99_999), id="out of scope only"),
]


@pytest.mark.parametrize(("lines", "rate", "expected"), EXAMPLES)
def test_worked_examples(lines: list[tuple[str, int, str]], rate: str, expected: tuple[int, int, int]) -> None:
    invoice = Invoice.draft(
        organization_id=World().org,
        currency="SGD",
        lines=tuple(InvoiceLine("x", Decimal(q), a, TaxCategory(c)) for q, a, c in lines),
        now=NOW,
    )
    totals = invoice.totals_for(Decimal(rate))
    assert (totals.total_excluding_gst, totals.gst_amount, totals.total_including_gst) == expected


async def test_worked_example_foreign_currency_and_credit_notes(world: World) -> None:
    invoice = await world.finalised(("Licence", "1", 33_335, "SR"), currency="USD", exchange_rate="1.35")
    assert invoice.finalisation and invoice.finalisation.totals.gst_amount == 3_000  # 3000.15 -> 3000
    first = await credit_notes.issue_credit_note(
        world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=invoice.id,
        reason="Partial refund", amount=10_005,
    )  # fmt: skip
    assert (first.totals.total_excluding_gst, first.totals.gst_amount) == (10_005, 900)  # 900.45 -> 900
    rest = await credit_notes.issue_credit_note(
        world.uow(), world.services, is_staff=True, actor_id=world.staff, invoice_id=invoice.id,
        reason="Cancelled", lines=(LineInput("The rest", "1", 23_330, "SR"),),
    )  # fmt: skip
    # The last credit takes exactly what remains of the GST: the credits sum to the invoice.
    assert rest.totals.gst_amount == 2_100
    assert first.totals.gst_amount + rest.totals.gst_amount == invoice.finalisation.totals.gst_amount
    assert first.sgd_exchange_rate == Decimal("1.35")
