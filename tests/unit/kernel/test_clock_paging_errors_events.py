"""Kernel contracts: Clock, business dates, paging, the error hierarchy and EventRecord."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest

from nexuscore.kernel import errors
from nexuscore.kernel.clock import SINGAPORE, Clock, FixedClock, SystemClock, business_date
from nexuscore.kernel.errors import (
    AuthenticationRequired,
    BusinessRuleViolation,
    Conflict,
    DependencyUnavailable,
    DomainError,
    FieldError,
    NotFound,
    PermissionDenied,
    QuotaExceeded,
    RateLimited,
    ValidationError,
)
from nexuscore.kernel.events import EventRecord
from nexuscore.kernel.ids import uuid7_timestamp_ms
from nexuscore.kernel.paging import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, Page, PageRequest

pytestmark = pytest.mark.unit

T0 = datetime(2026, 1, 1, 16, 30, tzinfo=UTC)


# --------------------------------------------------------------------------- clock


class TestFixedClock:
    def test_returns_the_given_moment_until_moved(self) -> None:
        clock = FixedClock(T0)
        assert clock.now() == T0
        assert clock.now() == T0

    def test_normalises_to_utc(self) -> None:
        clock = FixedClock(datetime(2026, 1, 2, 0, 30, tzinfo=SINGAPORE))
        assert clock.now() == T0
        assert clock.now().utcoffset() == timedelta(0)
        assert clock.now().hour == 16

    def test_advance(self) -> None:
        clock = FixedClock(T0)
        clock.advance(timedelta(minutes=45))
        assert clock.now() == datetime(2026, 1, 1, 17, 15, tzinfo=UTC)
        clock.advance(timedelta(days=1, seconds=1))
        assert clock.now() == datetime(2026, 1, 2, 17, 15, 1, tzinfo=UTC)
        clock.advance(timedelta(hours=-2))
        assert clock.now() == datetime(2026, 1, 2, 15, 15, 1, tzinfo=UTC)
        assert clock.now().tzinfo is not None

    def test_set(self) -> None:
        clock = FixedClock(T0)
        later = datetime(2030, 6, 1, 12, 0, tzinfo=ZoneInfo("Asia/Singapore"))
        clock.set(later)
        assert clock.now() == later
        assert clock.now().utcoffset() == timedelta(0)
        assert clock.now().hour == 4

    def test_refuses_naive_datetimes(self) -> None:
        with pytest.raises(ValueError, match="timezone-aware"):
            FixedClock(datetime(2026, 1, 1, 12, 0))
        clock = FixedClock(T0)
        with pytest.raises(ValueError, match="timezone-aware"):
            clock.set(datetime(2026, 1, 1, 12, 0))
        assert clock.now() == T0  # a refused set leaves the clock where it was

    def test_satisfies_the_clock_port(self) -> None:
        def read(clock: Clock) -> datetime:
            return clock.now()

        assert read(FixedClock(T0)) == T0


class TestSystemClock:
    def test_returns_aware_utc_now(self) -> None:
        before = datetime.now(UTC)
        now = SystemClock().now()
        after = datetime.now(UTC)
        assert now.tzinfo is not None
        assert now.utcoffset() == timedelta(0)
        assert before <= now <= after

    def test_moves_forward(self) -> None:
        clock = SystemClock()
        assert clock.now() <= clock.now()


class TestBusinessDate:
    @pytest.mark.parametrize(
        ("moment", "expected"),
        [
            (datetime(2026, 1, 1, 15, 59, 59, tzinfo=UTC), date(2026, 1, 1)),  # 23:59:59 SGT
            (datetime(2026, 1, 1, 16, 0, 0, tzinfo=UTC), date(2026, 1, 2)),  # 00:00 SGT
            (datetime(2026, 1, 1, 16, 30, tzinfo=UTC), date(2026, 1, 2)),
            (datetime(2026, 1, 1, 0, 30, tzinfo=UTC), date(2026, 1, 1)),
            (datetime(2025, 12, 31, 20, 0, tzinfo=UTC), date(2026, 1, 1)),  # new year in SG first
            (datetime(2026, 1, 2, 0, 30, tzinfo=SINGAPORE), date(2026, 1, 2)),
        ],
    )
    def test_singapore_date_across_utc_midnight(self, moment: datetime, expected: date) -> None:
        assert business_date(moment) == expected

    def test_utc_date_differs_from_business_date(self) -> None:
        assert T0.date() == date(2026, 1, 1)
        assert business_date(T0) == date(2026, 1, 2)

    def test_other_timezone(self) -> None:
        assert business_date(T0, ZoneInfo("America/New_York")) == date(2026, 1, 1)
        assert business_date(T0, ZoneInfo("UTC")) == date(2026, 1, 1)

    def test_refuses_naive(self) -> None:
        with pytest.raises(ValueError, match="timezone-aware"):
            business_date(datetime(2026, 1, 1, 16, 30))

    def test_singapore_is_asia_singapore(self) -> None:
        assert str(SINGAPORE) == "Asia/Singapore"


# --------------------------------------------------------------------------- paging


class TestPageRequest:
    def test_defaults(self) -> None:
        page = PageRequest()
        assert page.limit == DEFAULT_LIMIT == 20
        assert page.offset == 0
        assert MAX_LIMIT == 100

    @pytest.mark.parametrize(("limit", "offset"), [(1, 0), (100, 0), (50, 10_000)])
    def test_bounds_accepted(self, limit: int, offset: int) -> None:
        page = PageRequest(limit=limit, offset=offset)
        assert (page.limit, page.offset) == (limit, offset)

    @pytest.mark.parametrize("limit", [0, -1, 101, 1000])
    def test_limit_out_of_bounds(self, limit: int) -> None:
        with pytest.raises(ValidationError) as caught:
            PageRequest(limit=limit)
        assert [e.field for e in caught.value.errors] == ["limit"]
        assert "100" in caught.value.errors[0].message
        assert caught.value.code == "validation-error"

    def test_negative_offset(self) -> None:
        with pytest.raises(ValidationError) as caught:
            PageRequest(offset=-1)
        assert caught.value.errors == (FieldError("offset", f"must be between 0 and {MAX_OFFSET}"),)

    def test_offset_past_the_databases_integer_is_refused_naming_the_max(self) -> None:
        assert PageRequest(offset=MAX_OFFSET).offset == 2**53 - 1
        with pytest.raises(ValidationError) as caught:
            PageRequest(offset=2**63)
        assert caught.value.errors == (FieldError("offset", f"must be between 0 and {MAX_OFFSET}"),)

    def test_both_wrong_reports_both_fields(self) -> None:
        with pytest.raises(ValidationError) as caught:
            PageRequest(limit=101, offset=-5)
        assert {e.field for e in caught.value.errors} == {"limit", "offset"}

    def test_is_a_kernel_domain_error(self) -> None:
        with pytest.raises(DomainError):
            PageRequest(limit=0)


class TestPage:
    @pytest.mark.parametrize(
        ("n_items", "total", "offset", "has_more"),
        [
            (20, 45, 0, True),
            (20, 45, 20, True),
            (5, 45, 40, False),
            (20, 40, 20, False),  # exactly the last page
            (0, 0, 0, False),
            (0, 10, 10, False),  # past the end
            (3, 4, 0, True),
        ],
    )
    def test_has_more(self, n_items: int, total: int, offset: int, has_more: bool) -> None:
        page = Page(items=list(range(n_items)), total=total, limit=20, offset=offset)
        assert page.has_more is has_more

    def test_is_immutable(self) -> None:
        page: Page[int] = Page(items=[1], total=1, limit=20, offset=0)
        with pytest.raises(dataclasses.FrozenInstanceError):
            page.total = 2  # type: ignore[misc]


# --------------------------------------------------------------------------- errors

EXPECTED_CODES = {
    DomainError: "domain-error",
    NotFound: "not-found",
    Conflict: "conflict",
    PermissionDenied: "permission-denied",
    AuthenticationRequired: "authentication-required",
    ValidationError: "validation-error",
    BusinessRuleViolation: "business-rule-violation",
    RateLimited: "rate-limited",
    QuotaExceeded: "quota-exceeded",
    DependencyUnavailable: "dependency-unavailable",
}


class TestErrors:
    @pytest.mark.parametrize(("cls", "code"), list(EXPECTED_CODES.items()))
    def test_codes_are_stable(self, cls: type[DomainError], code: str) -> None:
        # These strings end up in problem+json `type` URIs: changing one breaks clients.
        assert cls.code == code
        assert cls().code == code

    def test_every_domain_error_has_its_own_code(self) -> None:
        declared = {obj for obj in vars(errors).values() if isinstance(obj, type) and issubclass(obj, DomainError)}
        assert set(EXPECTED_CODES) <= declared
        # A subclass that forgot to set `code` would silently share its parent's problem type.
        codes = [cls.code for cls in declared]
        assert len(codes) == len(set(codes))

    @pytest.mark.parametrize("cls", list(EXPECTED_CODES))
    def test_hierarchy_and_default_message(self, cls: type[DomainError]) -> None:
        assert issubclass(cls, DomainError)
        assert issubclass(cls, Exception)
        err = cls()
        assert err.message == cls.default_message
        assert err.message
        assert str(err) == err.message
        assert err.extra == ({"retryAfter": 1} if cls is RateLimited else {})

    def test_custom_message_and_extra(self) -> None:
        source = {"id": "abc"}
        err = NotFound("No such invoice.", extra=source)
        assert err.message == "No such invoice."
        assert str(err) == "No such invoice."
        assert err.extra == {"id": "abc"}
        source["id"] = "changed"
        assert err.extra == {"id": "abc"}  # a copy, not the caller's dict

    def test_validation_error_carries_field_errors(self) -> None:
        fields = [FieldError("email", "is not valid"), FieldError("address.postalCode", "must be 6 digits")]
        err = ValidationError(errors=fields)
        assert err.errors == tuple(fields)
        assert isinstance(err.errors, tuple)
        assert err.message == ValidationError.default_message
        assert ValidationError().errors == ()

    def test_field_error_is_a_frozen_value(self) -> None:
        assert FieldError("a", "b") == FieldError("a", "b")
        with pytest.raises(dataclasses.FrozenInstanceError):
            FieldError("a", "b").field = "c"  # type: ignore[misc]

    def test_rate_limited_carries_retry_after(self) -> None:
        err = RateLimited(retry_after_seconds=30)
        assert err.retry_after_seconds == 30
        assert err.extra == {"retryAfter": 30}
        assert err.code == "rate-limited"
        assert err.message == RateLimited.default_message

    def test_rate_limited_default_retry_after(self) -> None:
        err = RateLimited("Slow down.")
        assert err.message == "Slow down."
        assert err.retry_after_seconds == 1
        assert err.extra["retryAfter"] == 1

    def test_can_be_caught_as_domain_error(self) -> None:
        with pytest.raises(DomainError) as caught:
            raise Conflict("Email already registered.")
        assert caught.value.code == "conflict"


# --------------------------------------------------------------------------- events


class TestDomainEvent:
    def test_valid_event(self) -> None:
        org, actor = UUID(int=1), UUID(int=2)
        event = EventRecord(
            type="user.registered",
            occurred_at=T0,
            payload={"email": "a@example.sg"},
            organization_id=org,
            actor_id=actor,
            subject="user:123",
        )
        assert event.type == "user.registered"
        assert event.occurred_at == T0
        assert event.payload == {"email": "a@example.sg"}
        assert event.organization_id == org
        assert event.actor_id == actor
        assert event.subject == "user:123"

    def test_defaults(self) -> None:
        event = EventRecord(type="user.registered", occurred_at=T0)
        assert event.payload == {}
        assert event.organization_id is None
        assert event.actor_id is None
        assert event.subject is None

    @pytest.mark.parametrize("bad_type", ["", "registered", "userregistered"])
    def test_type_must_be_dotted(self, bad_type: str) -> None:
        with pytest.raises(ValueError, match="dotted"):
            EventRecord(type=bad_type, occurred_at=T0)

    def test_occurred_at_must_be_aware(self) -> None:
        with pytest.raises(ValueError, match="timezone-aware"):
            EventRecord(type="user.registered", occurred_at=datetime(2026, 1, 1, 16, 30))

    def test_ids_are_uuid7_and_unique(self) -> None:
        events = [EventRecord(type="lead.created", occurred_at=T0) for _ in range(500)]
        event_ids = [e.id for e in events]
        assert all(isinstance(i, UUID) and i.version == 7 for i in event_ids)
        assert len(set(event_ids)) == 500
        assert sorted(event_ids) == event_ids  # created in order, sorted in order
        assert uuid7_timestamp_ms(event_ids[0]) > 0

    def test_explicit_id_is_kept(self) -> None:
        given_id = UUID("01890a5d-ac96-774b-bcce-b302099a8057")
        assert EventRecord(type="lead.created", occurred_at=T0, id=given_id).id == given_id

    def test_is_immutable_and_keyword_only(self) -> None:
        event = EventRecord(type="user.registered", occurred_at=T0)
        with pytest.raises(dataclasses.FrozenInstanceError):
            event.type = "user.deleted"  # type: ignore[misc]
        with pytest.raises(TypeError):
            EventRecord("user.registered", T0)  # type: ignore[misc]

    def test_default_payloads_are_not_shared(self) -> None:
        first = EventRecord(type="a.b", occurred_at=T0)
        second = EventRecord(type="a.b", occurred_at=T0)
        assert first.payload is not second.payload
