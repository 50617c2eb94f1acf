"""Billing's erasure decisions, one document at a time: what is masked, what a tax document must
keep (and why), and that another person's documents are left alone."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from nexuscore.billing.adapters.sql.personal_data import (
    AS_ISSUED,
    CREDIT_NOTE,
    CREDIT_REASON,
    CUSTOMER_PARTICULARS,
    ERASED,
    FIELDS,
    INVOICE,
    PAYMENT_RECORD,
    Subject,
    credit_note_decision,
    invoice_decision,
)
from nexuscore.kernel.personal_data import Masking, SubjectKind, SubjectQuery, masked_email

SALT = b"test-salt"
EMAIL, NAME = "zelda@quokka.sg", "Zelda Quokka"
ZELDA = Subject.of(SubjectQuery(SubjectKind.USER, user_id=uuid4(), emails=(EMAIL,), names=(NAME,)))


def _customer(email: str = EMAIL, name: str = "Teh Tarik Pte Ltd") -> dict[str, Any]:
    return {
        "name": name,
        "addressLines": ["1 Tea Road", "#02-03"],
        "postalCode": "123456",
        "country": "SG",
        "uen": "201912345K",
        "gstRegistrationNumber": "201912345K",
        "email": email,
    }


def _invoice(**values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "status": "open",
        "customer": _customer(),
        "notes": None,
        "void_reason": None,
        "payment_reference": None,
        "lines": [{"description": "Licence", "quantity": "1", "unitAmount": 10_000, "taxCategory": "SR"}],
    }
    return row | values


def test_an_issued_invoice_masks_the_contact_and_keeps_the_customer_particulars() -> None:
    decision = invoice_decision(_invoice(notes=f"Attn {NAME}, pay by PayNow"), ZELDA, SALT)

    customer = decision.changes["customer"]
    assert customer["email"] == masked_email(EMAIL, SALT) and customer["email"].endswith("@erased.invalid")
    # Everything else of the snapshot is as issued: a tax invoice's name and address.
    assert {k: v for k, v in customer.items() if k != "email"} == {k: v for k, v in _customer().items() if k != "email"}
    assert decision.changes["notes"] == ERASED
    assert set(decision.changes) == {"customer", "notes"}
    assert decision.retained == ("customer",)


def test_the_contact_matches_whatever_its_case() -> None:
    decision = invoice_decision(_invoice(customer=_customer(email="Zelda@Quokka.SG")), ZELDA, SALT)
    assert decision.changes["customer"]["email"] == masked_email(EMAIL, SALT)


def test_the_masking_is_stable_and_a_second_run_changes_nothing() -> None:
    first = invoice_decision(_invoice(notes=f"call {EMAIL}"), ZELDA, SALT)
    again = invoice_decision(_invoice(**first.changes), ZELDA, SALT)
    assert again.changes == {} and again.retained == ()
    assert invoice_decision(_invoice(notes=f"call {EMAIL}"), ZELDA, SALT) == first


def test_text_the_law_keeps_on_an_issued_invoice_stays_and_says_so() -> None:
    lines = [{"description": f"Workshop for {NAME}", "quantity": "1", "unitAmount": 5_000, "taxCategory": "SR"}]
    decision = invoice_decision(
        _invoice(
            customer=_customer(email="accounts@teh.sg"),
            lines=lines,
            payment_reference="PAYNOW ZELDA QUOKKA 0042",
            void_reason=f"duplicate, per {NAME}",
            status="void",
        ),
        ZELDA,
        SALT,
    )
    assert decision.changes == {"void_reason": ERASED}
    assert set(decision.retained) == {"lines", "payment_reference"}


def test_a_draft_is_masked_fully() -> None:
    lines = [
        {"description": f"Onboarding {NAME}", "quantity": "1", "unitAmount": 5_000, "taxCategory": "SR"},
        {"description": "Licence", "quantity": "2", "unitAmount": 10_000, "taxCategory": "SR"},
    ]
    decision = invoice_decision(
        _invoice(status="draft", customer=None, lines=lines, notes=f"send to {EMAIL}"), ZELDA, SALT
    )
    assert decision.changes["notes"] == ERASED
    assert decision.changes["lines"] == [{**lines[0], "description": ERASED}, lines[1]]
    assert decision.retained == ()


def test_a_sole_traders_name_on_the_invoice_is_kept_as_a_particular() -> None:
    decision = invoice_decision(
        _invoice(customer=_customer(email="accounts@zq.sg", name=f"{NAME} Consulting")), ZELDA, SALT
    )
    assert decision.changes == {} and decision.retained == ("customer",)


def test_someone_elses_invoice_is_left_alone() -> None:
    decision = invoice_decision(
        _invoice(customer=_customer(email="zelda@quokka.sg.example"), notes="PO 7781"), ZELDA, SALT
    )
    # The address contains hers as a substring: not hers, so nothing is masked.
    assert decision.changes == {} and decision.retained == ()


def test_a_credit_note_masks_the_contact_and_keeps_its_reason_and_lines() -> None:
    row = {
        "customer": _customer(),
        "reason": f"{NAME} cancelled the second seat",
        "lines": [{"description": f"Seat for {NAME}", "quantity": "1", "unitAmount": 1_000, "taxCategory": "SR"}],
    }
    decision = credit_note_decision(row, ZELDA, SALT)
    assert set(decision.changes) == {"customer"}
    assert decision.changes["customer"]["email"] == masked_email(EMAIL, SALT)
    assert decision.changes["customer"]["name"] == "Teh Tarik Pte Ltd"
    assert set(decision.retained) == {"customer", "lines", "reason"}


@pytest.mark.parametrize(
    ("table", "column", "reason"),
    [
        (INVOICE, "customer", CUSTOMER_PARTICULARS),
        (INVOICE, "lines", AS_ISSUED),
        (INVOICE, "payment_reference", PAYMENT_RECORD),
        (CREDIT_NOTE, "customer", CUSTOMER_PARTICULARS),
        (CREDIT_NOTE, "reason", CREDIT_REASON),
    ],
)
def test_every_column_a_decision_may_keep_is_in_the_map_as_retained_with_its_reason(
    table: str, column: str, reason: str
) -> None:
    retained = [f for f in FIELDS if (f.table, f.column, f.masking) == (table, column, Masking.RETAIN)]
    assert any(f.retain_reason == reason and f.retain_years == 5 for f in retained)


def test_the_map_claims_every_personal_column_of_billing() -> None:
    claimed = {(f.table, f.column) for f in FIELDS}
    assert {
        (INVOICE, "customer"),
        (INVOICE, "notes"),
        (INVOICE, "void_reason"),
        (INVOICE, "lines"),
        (INVOICE, "payment_reference"),
        (CREDIT_NOTE, "customer"),
        (CREDIT_NOTE, "reason"),
        (CREDIT_NOTE, "lines"),
    } == claimed
    masked = {(f.table, f.column) for f in FIELDS if f.masking is Masking.FIXED}
    assert masked == {(INVOICE, "notes"), (INVOICE, "void_reason"), (INVOICE, "lines")}
