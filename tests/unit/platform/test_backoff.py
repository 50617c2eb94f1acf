"""Retry backoff: exponential ceilings with jitter, capped."""

from __future__ import annotations

import random

import pytest

from nexuscore.platform.broker import backoff_delay

pytestmark = pytest.mark.unit


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    rng = random.Random(7)
    for attempt, ceiling in [(1, 2.0), (2, 4.0), (3, 8.0), (4, 16.0), (10, 300.0), (30, 300.0)]:
        samples = [backoff_delay(attempt, base=2.0, cap=300.0, rng=rng) for _ in range(200)]
        assert all(ceiling / 2 <= s <= ceiling for s in samples)
        assert len({round(s, 6) for s in samples}) > 100  # jittered, not a constant


def test_backoff_never_retries_immediately() -> None:
    assert min(backoff_delay(1, base=0.5, cap=10) for _ in range(500)) >= 0.25
