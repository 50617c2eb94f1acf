"""The pure rules of consent, DNC, retention and breaches."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from nexuscore.kernel.errors import ValidationError
from nexuscore.privacy.domain.breaches import (
    BreachChanges,
    BreachInput,
    DataCategory,
    changed_breach,
    is_notifiable,
    new_breach,
    pdpc_deadline_date,
    pdpc_due_at,
    register_order,
)
from nexuscore.privacy.domain.consent import (
    ConsentInput,
    ConsentMethod,
    Purpose,
    SubjectKind,
    current_states,
    lead_marketing_decision,
    may_use,
    new_record,
)
from nexuscore.privacy.domain.dnc import DncResult, may_call, new_check, normalise_phone
from nexuscore.privacy.domain.retention import (
    DEFAULT_MONTHS,
    PurgeCutoffs,
    RetentionCategory,
    RetentionRule,
    cutoff,
    effective_rules,
    months_before,
    next_run_at,
    validate_months,
)

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 10:00 SGT
LEAD = uuid4()
ORG = uuid4()


def _record(purpose: Purpose, given: bool, at: datetime, recorded_at: datetime = NOW) -> object:
    return new_record(
        ConsentInput(purpose, given, "v1", ConsentMethod.API, at=at),
        subject_kind=SubjectKind.LEAD,
        subject_id=LEAD,
        organization_id=ORG,
        recorded_by=uuid4(),
        now=recorded_at,
    )


def test_the_latest_decision_per_purpose_is_the_current_state() -> None:
    records = [
        _record(Purpose.MARKETING_EMAIL, True, NOW - timedelta(days=10)),
        _record(Purpose.MARKETING_EMAIL, False, NOW - timedelta(days=1)),
        # Entered later but decided earlier: the withdrawal still stands.
        _record(Purpose.MARKETING_EMAIL, True, NOW - timedelta(days=5)),
        _record(Purpose.ANALYTICS, True, NOW - timedelta(days=3)),
    ]
    states = current_states(records)  # type: ignore[arg-type]
    assert {p: s.given for p, s in states.items()} == {Purpose.ANALYTICS: True, Purpose.MARKETING_EMAIL: False}
    assert not may_use(records, Purpose.MARKETING_EMAIL)  # type: ignore[arg-type]
    assert may_use(records, Purpose.ANALYTICS)  # type: ignore[arg-type]
    assert not may_use(records, Purpose.MARKETING_SMS)  # type: ignore[arg-type]  # never asked: no


def test_the_leads_marketing_flag_is_given_only_while_every_marketing_purpose_is() -> None:
    def decision(*records: object) -> tuple[bool, datetime] | None:
        found = lead_marketing_decision(current_states(records))  # type: ignore[arg-type]
        return None if found is None else (found.given, found.at)

    day = timedelta(days=1)
    email, sms, call = Purpose.MARKETING_EMAIL, Purpose.MARKETING_SMS, Purpose.MARKETING_CALL
    all_given = [_record(p, True, NOW - 10 * day + i * day) for i, p in enumerate((email, sms, call))]
    assert decision() is None and decision(_record(Purpose.ANALYTICS, True, NOW)) is None  # never decided
    assert decision(*all_given) == (True, NOW - 8 * day)  # given as of the last purpose given
    # One withdrawal, even older than another purpose's grant, takes it away as of itself.
    withdrawn = _record(sms, False, NOW - 5 * day)
    assert decision(*all_given, withdrawn, _record(call, True, NOW - 2 * day)) == (False, NOW - 5 * day)
    assert decision(*all_given, withdrawn, _record(email, False, NOW - 3 * day)) == (False, NOW - 3 * day)
    # Given again: given as of the fresh grant.
    assert decision(*all_given, withdrawn, _record(sms, True, NOW - day)) == (True, NOW - day)
    # Some purposes given, the others never asked: not given.
    assert decision(*all_given[:2]) == (False, NOW - 9 * day)


@pytest.mark.parametrize(
    ("data", "recorded_by", "field"),
    [
        (ConsentInput(Purpose.ANALYTICS, True, "  ", ConsentMethod.FORM), uuid4(), "noticeVersion"),
        (ConsentInput(Purpose.ANALYTICS, True, "v" * 41, ConsentMethod.FORM), uuid4(), "noticeVersion"),
        (ConsentInput(Purpose.ANALYTICS, True, "v1", ConsentMethod.FORM, at=NOW + timedelta(hours=1)), uuid4(), "at"),
        (ConsentInput(Purpose.ANALYTICS, True, "v1", ConsentMethod.VERBAL), None, "method"),
    ],
)
def test_a_record_is_refused_with_the_field_at_fault(data: ConsentInput, recorded_by: object, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        new_record(
            data,
            subject_kind=SubjectKind.USER,
            subject_id=uuid4(),
            organization_id=None,
            recorded_by=recorded_by,
            now=NOW,  # type: ignore[arg-type]
        )
    assert [e.field for e in raised.value.errors] == [field]


def test_a_dnc_check_is_good_for_21_days_and_the_latest_decides() -> None:
    today = date(2026, 12, 2)

    def check(result: DncResult, days_ago: int) -> object:
        return new_check(
            organization_id=ORG,
            phone="+6591234567",
            result=result,
            checked_on=today - timedelta(days=days_ago),
            today=today,
            recorded_by=None,
            now=NOW,
        )

    assert may_call([check(DncResult.CLEAR, 21)], today)  # type: ignore[list-item]
    assert not may_call([check(DncResult.CLEAR, 22)], today)  # type: ignore[list-item]
    assert not may_call([check(DncResult.CLEAR, 30), check(DncResult.LISTED, 2)], today)  # type: ignore[list-item]
    assert may_call([check(DncResult.LISTED, 30), check(DncResult.CLEAR, 2)], today)  # type: ignore[list-item]
    assert not may_call([], today)
    with pytest.raises(ValidationError):
        check(DncResult.CLEAR, -1)
    assert normalise_phone("9123 4567") == "+6591234567" == normalise_phone("+65 9123-4567")
    with pytest.raises(ValidationError):
        normalise_phone("12")


def test_retention_arithmetic() -> None:
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert months_before(date(2026, 1, 15), 24) == date(2024, 1, 15)
    assert months_before(date(2026, 1, 15), 13) == date(2024, 12, 15)
    # The line is midnight in Singapore: 16:00 UTC the day before.
    assert cutoff(date(2026, 12, 3), 12) == datetime(2025, 12, 2, 16, 0, tzinfo=UTC)
    # The next run is 03:00 SGT (19:00 UTC): today's while it is ahead, else tomorrow's.
    assert next_run_at(NOW) == datetime(2026, 12, 2, 19, 0, tzinfo=UTC)
    assert next_run_at(datetime(2026, 12, 2, 18, 59, tzinfo=UTC)) == datetime(2026, 12, 2, 19, 0, tzinfo=UTC)
    assert next_run_at(datetime(2026, 12, 2, 19, 0, tzinfo=UTC)) == datetime(2026, 12, 3, 19, 0, tzinfo=UTC)
    rules = effective_rules([RetentionRule(RetentionCategory.ACTIVITIES, 6, is_default=False)])
    assert [(r.category, r.months, r.is_default) for r in rules] == [
        (RetentionCategory.LOST_LEADS, DEFAULT_MONTHS[RetentionCategory.LOST_LEADS], True),
        (RetentionCategory.ARCHIVED_LEADS, 12, True),
        (RetentionCategory.ACTIVITIES, 6, False),
    ]
    cutoffs = PurgeCutoffs.of(date(2026, 12, 3), rules)
    assert cutoffs.activities == cutoff(date(2026, 12, 3), 6) and cutoffs.lost_leads == cutoff(date(2026, 12, 3), 24)
    for category, months in (
        (RetentionCategory.USER_SESSIONS, 6),
        (RetentionCategory.ACTIVITIES, 0),
        (RetentionCategory.ACTIVITIES, 121),
    ):
        with pytest.raises(ValidationError):
            validate_months(category, months)


def _breach(now: datetime = NOW, **fields: object) -> object:
    data = {
        "description": "Mail sent to the wrong list",
        "discovered_at": NOW - timedelta(days=2),
        "affected_count": 500,
        "categories": (DataCategory.CONTACT,),
        **fields,
    }
    return new_breach(BreachInput(**data), organization_id=ORG, actor_id=None, now=now)  # type: ignore[arg-type]


def test_the_pdpc_deadline_is_three_singapore_calendar_days_after_the_assessment() -> None:
    assert is_notifiable(500, False) and is_notifiable(1, True) and not is_notifiable(499, False)
    # 23:30 SGT on 1 Dec and 00:30 SGT on 2 Dec are an hour apart but a day apart in deadline.
    assert pdpc_deadline_date(datetime(2026, 12, 1, 15, 30, tzinfo=UTC)) == date(2026, 12, 4)
    assert pdpc_deadline_date(datetime(2026, 12, 1, 16, 30, tzinfo=UTC)) == date(2026, 12, 5)
    assert pdpc_due_at(datetime(2026, 12, 1, 16, 30, tzinfo=UTC)) == datetime(2026, 12, 5, 16, 0, tzinfo=UTC)

    breach = _breach(assessed_at=datetime(2026, 12, 1, 16, 30, tzinfo=UTC))
    assert breach.pdpc_deadline == date(2026, 12, 5)  # type: ignore[attr-defined]
    assert not breach.overdue(datetime(2026, 12, 5, 15, 59, 59, tzinfo=UTC))  # type: ignore[attr-defined]
    assert breach.overdue(datetime(2026, 12, 5, 16, 0, tzinfo=UTC))  # type: ignore[attr-defined]
    not_assessed = _breach()
    assert not_assessed.pdpc_deadline is None and not not_assessed.overdue(NOW + timedelta(days=30))  # type: ignore[attr-defined]
    minor = _breach(affected_count=3, discovered_at=NOW - timedelta(days=10), assessed_at=NOW - timedelta(days=9))
    assert minor.pdpc_deadline is None and not minor.overdue(NOW)  # type: ignore[attr-defined]


def test_overdue_breaches_come_first() -> None:
    at = NOW + timedelta(days=4)  # 6 Dec, 10:00 SGT
    overdue_long = _breach(assessed_at=datetime(2026, 11, 30, 6, 0, tzinfo=UTC))  # due 3 Dec 16:00 UTC
    overdue_short = _breach(assessed_at=NOW - timedelta(days=1, hours=1))  # 1 Dec SGT: due 4 Dec 16:00 UTC
    open_ = _breach(now=NOW + timedelta(days=1), assessed_at=NOW + timedelta(days=1))  # due 6 Dec 16:00 UTC
    told = _breach(assessed_at=NOW - timedelta(days=1), pdpc_notified_at=NOW)
    minor = _breach(affected_count=1, discovered_at=NOW - timedelta(hours=1))
    ordered = sorted([told, minor, open_, overdue_short, overdue_long], key=lambda b: register_order(b, at))  # type: ignore[arg-type]
    # Overdue (longest late first), then open deadlines, then the rest newest discovered first.
    assert ordered == [overdue_long, overdue_short, open_, minor, told]
    assert [b.overdue(at) for b in ordered] == [True, True, False, False, False]  # type: ignore[attr-defined]


def test_a_change_names_the_fields_it_changed_and_is_validated() -> None:
    breach = _breach(assessed_at=NOW - timedelta(days=1))
    updated, changed = changed_breach(breach, BreachChanges(affected_count=500, pdpc_notified_at=NOW), now=NOW)  # type: ignore[arg-type]
    assert changed == ["pdpcNotifiedAt"] and updated.pdpc_notified_at == NOW
    same, nothing = changed_breach(breach, BreachChanges(affected_count=500), now=NOW)  # type: ignore[arg-type]
    assert nothing == [] and same is breach
    with pytest.raises(ValidationError) as raised:
        changed_breach(breach, BreachChanges(assessed_at=None, pdpc_notified_at=NOW), now=NOW)  # type: ignore[arg-type]
    assert [e.field for e in raised.value.errors] == ["pdpcNotifiedAt"]
    with pytest.raises(ValidationError):
        _breach(categories=())
    with pytest.raises(ValidationError):
        _breach(assessed_at=NOW - timedelta(days=3))  # before discovery
