"""Leads domain: the pipeline table, the field cleaners, the score and marketing eligibility."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from nexuscore.kernel.errors import BusinessRuleViolation, ValidationError
from nexuscore.kernel.money import Money
from nexuscore.leads.domain import fields
from nexuscore.leads.domain.model import (
    ALLOWED_TRANSITIONS,
    MAX_TAGS,
    ActivityKind,
    DncStatus,
    Engagement,
    Lead,
    LeadSource,
    LeadStatus,
    MarketingConsent,
)
from nexuscore.leads.domain.scoring import score_lead

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ORG, ANN = UUID(int=100), UUID(int=1)
S = LeadStatus


def _lead(**kw: object) -> Lead:
    base: dict[str, object] = {
        "organization_id": ORG,
        "first_name": "Wei Ling",
        "last_name": "Tan",
        "created_by": ANN,
        "created_at": T0,
        "updated_by": ANN,
        "updated_at": T0,
    }
    base.update(kw)
    return Lead(**base)  # type: ignore[arg-type]


# ---- pipeline ----------------------------------------------------------------------------

EXPECTED = {
    S.NEW: {S.CONTACTED, S.QUALIFIED, S.PROPOSAL, S.NEGOTIATION, S.LOST},
    S.CONTACTED: {S.QUALIFIED, S.PROPOSAL, S.NEGOTIATION, S.LOST},
    S.QUALIFIED: {S.PROPOSAL, S.NEGOTIATION, S.WON, S.LOST},
    S.PROPOSAL: {S.NEGOTIATION, S.WON, S.LOST},
    S.NEGOTIATION: {S.WON, S.LOST},
    S.WON: set(),
    S.LOST: {S.NEW},
}


def test_the_transition_table_is_the_documented_pipeline() -> None:
    assert {k: set(v) for k, v in ALLOWED_TRANSITIONS.items()} == EXPECTED


@pytest.mark.parametrize("source", list(S))
@pytest.mark.parametrize("target", list(S))
def test_move_to_allows_exactly_the_table(source: LeadStatus, target: LeadStatus) -> None:
    lead = _lead(status=source, lost_reason="price" if source is S.LOST else None)
    later = T0 + timedelta(hours=1)
    if target in EXPECTED[source]:
        previous = lead.move_to(target, lost_reason="Too expensive", actor_id=UUID(int=2), now=later)
        assert previous is source and lead.status is target
        assert (lead.updated_by, lead.updated_at) == (UUID(int=2), later)
        assert lead.lost_reason == ("Too expensive" if target is S.LOST else None)
    else:
        with pytest.raises(BusinessRuleViolation):
            lead.move_to(target, lost_reason="x", actor_id=ANN, now=later)
        assert lead.status is source and lead.updated_at == T0


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_lost_needs_a_reason(reason: str | None) -> None:
    lead = _lead()
    with pytest.raises(ValidationError) as caught:
        lead.move_to(S.LOST, lost_reason=reason, actor_id=ANN, now=T0)
    assert [e.field for e in caught.value.errors] == ["lostReason"]
    assert lead.status is S.NEW


def test_only_the_four_interactions_are_user_loggable() -> None:
    assert {k for k in ActivityKind if k.user_loggable} == {
        ActivityKind.NOTE,
        ActivityKind.CALL,
        ActivityKind.EMAIL,
        ActivityKind.MEETING,
    }


# ---- field cleaners ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("9123 4567", "+6591234567"),
        ("+65 6123 4567", "+6561234567"),
        ("6123-4567", "+6561234567"),
        ("+60 12-345 6789", "+60123456789"),
        (None, None),
        ("  ", None),
    ],
)
def test_phones_become_e164_singapore_by_default(raw: str | None, expected: str | None) -> None:
    assert fields.clean_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "not a phone", "+65 1234 5678", "9" * 41])
def test_bad_phones_are_refused_naming_the_field(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        fields.clean_phone(raw)
    assert [e.field for e in caught.value.errors] == ["phone"]


def test_emails_are_normalised_and_checked() -> None:
    assert fields.clean_email("  Wei.Ling@Example.SG ") == "wei.ling@example.sg"
    assert fields.clean_email("") is None
    with pytest.raises(ValidationError):
        fields.clean_email("wei@")


def test_uens_follow_acra_formats() -> None:
    assert fields.clean_uen(" 201912345k ") == "201912345K"
    assert fields.clean_uen("T08LL1234A") == "T08LL1234A"
    with pytest.raises(ValidationError) as caught:
        fields.clean_uen("12345")
    assert caught.value.errors[0].field == "companyUen"


def test_tags_are_lower_cased_deduplicated_and_capped() -> None:
    assert fields.clean_tags([" VIP ", "vip", "F&B", ""]) == ["vip", "f&b"]
    with pytest.raises(ValidationError):
        fields.clean_tags([f"t{i}" for i in range(MAX_TAGS + 1)])
    with pytest.raises(ValidationError):
        fields.clean_tags(["<script>"])


@pytest.mark.parametrize(
    ("raw", "cents"), [("12500.50", 1_250_050), ("12,500.5", 1_250_050), ("0.005", 1), ("0", 0), (None, None)]
)
def test_money_is_a_decimal_in_sgd(raw: str | None, cents: int | None) -> None:
    money = fields.clean_money(raw)
    assert (money.amount if money else None) == cents
    assert money is None or money.currency == "SGD"


@pytest.mark.parametrize("raw", ["abc", "-1", "NaN", "Infinity", "1e20"])
def test_bad_money_is_refused(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        fields.clean_money(raw)
    assert caught.value.errors[0].field == "estimatedValue"


def test_text_is_trimmed_and_refuses_control_characters() -> None:
    assert fields.clean_text("  Kopi\u00a0Tiam  ", field="company") == "Kopi Tiam"
    assert fields.clean_text("   ", field="company") is None
    with pytest.raises(ValidationError):
        fields.clean_text("a\x00b", field="company")
    with pytest.raises(ValidationError):
        fields.clean_name("", field="firstName")
    assert fields.clean_name("", field="lastName", required=False) == ""


# ---- score -------------------------------------------------------------------------------


def test_a_bare_lead_scores_only_its_source() -> None:
    score, reasons = score_lead(_lead(), Engagement(), T0)
    assert score == 4
    assert [(r.factor, r.points) for r in reasons] == [("source", 4)]


def test_every_factor_is_explained_and_the_score_is_capped() -> None:
    lead = _lead(
        email="a@b.sg",
        phone="+6591234567",
        company="Kopi",
        job_title="Boss",
        company_uen="201912345K",
        source=LeadSource.REFERRAL,
    )
    engagement = Engagement(interactions=6, meetings=2, last_interaction_at=T0 - timedelta(days=3))
    score, reasons = score_lead(lead, engagement, T0)
    by_factor = {r.factor: r.points for r in reasons}
    assert by_factor == {"completeness": 30, "source": 20, "engagement": 30, "recency": 20}
    assert score == 100


@pytest.mark.parametrize(("days", "points"), [(7, 20), (8, 10), (30, 10), (31, 5), (90, 5), (91, 0)])
def test_recency_bands(days: int, points: int) -> None:
    engagement = Engagement(interactions=1, meetings=0, last_interaction_at=T0 - timedelta(days=days))
    _, reasons = score_lead(_lead(), engagement, T0)
    assert sum(r.points for r in reasons if r.factor == "recency") == points


def test_engagement_counts_four_interactions_and_meetings_more() -> None:
    _, reasons = score_lead(_lead(), Engagement(interactions=5, meetings=1), T0)
    assert [r.points for r in reasons if r.factor == "engagement"] == [6 * 4 + 10 - 4]  # capped at 30


# ---- marketing eligibility (PDPA: consent + DNC check within 21 days) ----------------------

TODAY = date(2026, 3, 2)
YES = MarketingConsent(granted=True, recorded_at=T0, source="form")
NO = MarketingConsent(granted=False, recorded_at=T0, source="form")


@pytest.mark.parametrize(
    ("consent", "dnc", "checked", "eligible"),
    [
        (None, DncStatus.CLEAR, TODAY, False),
        (NO, DncStatus.CLEAR, TODAY, False),
        (YES, DncStatus.UNCHECKED, None, False),
        (YES, DncStatus.LISTED, TODAY, False),
        (YES, DncStatus.CLEAR, None, False),
        (YES, DncStatus.CLEAR, TODAY, True),
        (YES, DncStatus.CLEAR, TODAY - timedelta(days=21), True),
        (YES, DncStatus.CLEAR, TODAY - timedelta(days=22), False),
    ],
)
def test_marketing_eligibility(
    consent: MarketingConsent | None, dnc: DncStatus, checked: date | None, eligible: bool
) -> None:
    lead = _lead(marketing_consent=consent, dnc_status=dnc, dnc_checked_at=checked)
    assert lead.marketing_eligible(TODAY) is eligible


def test_money_of_a_lead_is_minor_units() -> None:
    assert _lead(estimated_value=Money(1_250_050)).estimated_value == Money.from_decimal("12500.50")
