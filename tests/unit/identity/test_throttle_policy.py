"""The throttle's pure rule: sliding window, exponential backoff from the last event, cap, ceil."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nexuscore.kernel.throttle import ThrottlePolicy, compute_retry_after, epoch_ms

pytestmark = pytest.mark.unit

NOW = 1_800_000_000_000  # ms
S = 1000  # one second in ms


def test_under_the_limit_is_allowed() -> None:
    policy = ThrottlePolicy(limit=3, window_seconds=60)
    assert compute_retry_after([], NOW, policy) == 0
    assert compute_retry_after([NOW, NOW], NOW, policy) == 0


def test_at_the_limit_the_base_delay_applies_from_the_last_event() -> None:
    policy = ThrottlePolicy(limit=3, window_seconds=60, base_delay_seconds=5)
    assert compute_retry_after([NOW, NOW, NOW], NOW, policy) == 5
    # Measured from the most recent event, whatever order the times come in.
    assert compute_retry_after([NOW - 2 * S, NOW, NOW - 10 * S], NOW + 2 * S, policy) == 3


@pytest.mark.parametrize(("events", "expected"), [(3, 1), (4, 2), (5, 4), (6, 8), (7, 16), (8, 32), (12, 512)])
def test_each_event_past_the_limit_doubles_the_wait(events: int, expected: int) -> None:
    policy = ThrottlePolicy(limit=3, window_seconds=3600)
    assert compute_retry_after([NOW] * events, NOW, policy) == expected


def test_the_wait_is_capped() -> None:
    policy = ThrottlePolicy(limit=3, window_seconds=3600, max_delay_seconds=900)
    assert compute_retry_after([NOW] * 13, NOW, policy) == 900  # 1024 capped
    assert compute_retry_after([NOW] * 5000, NOW, policy) == 900  # no overflow for huge counts
    assert compute_retry_after([NOW] * 5000, NOW + 899 * S, policy) == 1
    assert compute_retry_after([NOW] * 5000, NOW + 900 * S, policy) == 0


def test_events_older_than_the_window_do_not_count() -> None:
    policy = ThrottlePolicy(limit=2, window_seconds=60, base_delay_seconds=100)
    now = NOW + 60 * S
    # An event exactly window_seconds old is forgotten; one a millisecond younger still counts.
    assert compute_retry_after([NOW, NOW + 10 * S], now, policy) == 0
    assert compute_retry_after([NOW + 1, NOW + 10 * S], now, policy) == 50
    # Old events do not add doublings either.
    assert compute_retry_after([NOW - 120 * S] * 9 + [NOW + 10 * S] * 2, now, policy) == 50


def test_retry_after_is_rounded_up_to_whole_seconds() -> None:
    policy = ThrottlePolicy(limit=1, window_seconds=60)
    assert compute_retry_after([NOW], NOW + 1, policy) == 1  # 999 ms left: wait 1 s, never 0
    assert compute_retry_after([NOW], NOW + S - 1, policy) == 1
    assert compute_retry_after([NOW], NOW + S, policy) == 0
    assert compute_retry_after([NOW], NOW + 5 * S, policy) == 0
    fractional = ThrottlePolicy(limit=1, window_seconds=60, base_delay_seconds=1.5)
    assert compute_retry_after([NOW], NOW, fractional) == 2
    assert compute_retry_after([NOW, NOW], NOW, fractional) == 3
    assert compute_retry_after([NOW], NOW + 501, fractional) == 1


def test_policy_exposes_the_events_that_matter() -> None:
    assert ThrottlePolicy(limit=5, window_seconds=900).saturation_exponent == 10  # 2**10 = 1024 >= 900
    assert ThrottlePolicy(limit=5, window_seconds=900).max_relevant_events == 15
    assert ThrottlePolicy(limit=5, window_seconds=900, base_delay_seconds=1000).max_relevant_events == 5
    assert ThrottlePolicy(limit=2, window_seconds=60, base_delay_seconds=2, max_delay_seconds=16).delay_seconds(5) == 16


@given(
    offsets=st.lists(st.integers(min_value=0, max_value=200_000), max_size=60),
    elapsed=st.integers(min_value=0, max_value=300_000),
    limit=st.integers(min_value=1, max_value=6),
    base=st.sampled_from([0.25, 1.0, 1.5, 3.0]),
    cap=st.integers(min_value=1, max_value=120),
)
def test_keeping_only_the_newest_relevant_events_never_changes_the_answer(
    offsets: list[int], elapsed: int, limit: int, base: float, cap: int
) -> None:
    policy = ThrottlePolicy(limit=limit, window_seconds=100, base_delay_seconds=base, max_delay_seconds=cap)
    events = sorted(NOW + o for o in offsets)
    now = NOW + 200_000 + elapsed
    newest = events[-policy.max_relevant_events :]
    assert compute_retry_after(newest, now, policy) == compute_retry_after(events, now, policy)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"limit": 0, "window_seconds": 60},
        {"limit": 1, "window_seconds": 0},
        {"limit": 1, "window_seconds": 60, "base_delay_seconds": 0},
        {"limit": 1, "window_seconds": 60, "base_delay_seconds": float("inf")},
        {"limit": 1, "window_seconds": 60, "max_delay_seconds": 0},
        {"limit": 1, "window_seconds": 60, "max_delay_seconds": 10**12},
    ],
)
def test_nonsense_policies_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        ThrottlePolicy(**kwargs)


def test_epoch_ms_is_exact_and_needs_an_aware_datetime() -> None:
    assert epoch_ms(datetime(1970, 1, 1, tzinfo=UTC)) == 0
    moment = datetime(2026, 3, 2, 9, 0, 0, 999_999, tzinfo=UTC)
    assert epoch_ms(moment) == 1772442000999
    assert epoch_ms(moment.astimezone(timezone(timedelta(hours=8)))) == 1772442000999
    with pytest.raises(ValueError):
        epoch_ms(datetime(2026, 3, 2, 9, 0))
