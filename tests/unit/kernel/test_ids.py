"""UUIDv7 ids (RFC 9562): layout, embedded timestamp and in-process monotonic ordering."""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nexuscore.kernel import ids
from nexuscore.kernel.ids import new_id, uuid7, uuid7_timestamp_ms

pytestmark = pytest.mark.unit

MAX_MS = (1 << 48) - 1
FROZEN_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Pin the generator's wall clock and start from a clean monotonic state.

    Returns a one-element list holding the current Unix ms; tests move time by changing it.
    monkeypatch restores the module's real state (and clock) afterwards, so later ids stay ordered.
    """
    now = [FROZEN_MS]
    monkeypatch.setattr(ids, "_last_ms", 0)
    monkeypatch.setattr(ids, "_last_counter", 0)
    # Replace the module's view of `time` only: the real time module stays untouched.
    monkeypatch.setattr(ids, "time", SimpleNamespace(time_ns=lambda: now[0] * 1_000_000))
    return now


def _counter(value: uuid.UUID) -> int:
    return (value.int >> 64) & 0xFFF


# --------------------------------------------------------------------------- layout


@pytest.mark.parametrize("make", [uuid7, new_id, lambda: uuid7(unix_ms=FROZEN_MS)])
def test_version_7_and_rfc_variant(make) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        value = make()
        assert isinstance(value, uuid.UUID)
        assert value.version == 7
        assert value.variant == uuid.RFC_4122
        assert (value.int >> 76) & 0xF == 0x7  # version nibble
        assert (value.int >> 62) & 0b11 == 0b10  # variant bits
        assert str(value)[14] == "7"
        assert str(value)[19] in "89ab"


@given(st.integers(min_value=0, max_value=MAX_MS))
def test_explicit_unix_ms_is_carried_exactly(unix_ms: int) -> None:
    value = uuid7(unix_ms=unix_ms)
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    assert uuid7_timestamp_ms(value) == unix_ms


@pytest.mark.parametrize("unix_ms", [-1, 1 << 48, 1 << 60])
def test_unix_ms_outside_48_bits_is_refused(unix_ms: int) -> None:
    with pytest.raises(ValueError, match="48 bits"):
        uuid7(unix_ms=unix_ms)


def test_timestamp_is_close_to_time_time() -> None:
    before = time.time_ns() // 1_000_000
    value = uuid7()
    after = time.time_ns() // 1_000_000
    stamp = uuid7_timestamp_ms(value)
    assert stamp >= before
    # The counter can carry into the next few milliseconds under a very fast burst; never far.
    assert stamp <= after + 50
    assert abs(stamp / 1000 - time.time()) < 5


def test_timestamp_comes_from_the_clock(frozen_clock: list[int]) -> None:
    assert uuid7_timestamp_ms(uuid7()) == FROZEN_MS
    frozen_clock[0] += 1234
    assert uuid7_timestamp_ms(new_id()) == FROZEN_MS + 1234


def test_timestamp_of_a_non_v7_uuid_is_refused() -> None:
    with pytest.raises(ValueError, match="UUIDv7"):
        uuid7_timestamp_ms(uuid.uuid4())
    with pytest.raises(ValueError, match="UUIDv7"):
        uuid7_timestamp_ms(uuid.uuid1())


def test_ids_carry_randomness() -> None:
    same_ms = [uuid7(unix_ms=FROZEN_MS) for _ in range(1000)]
    assert len(set(same_ms)) == 1000
    low_bits = {v.int & ((1 << 62) - 1) for v in same_ms}
    assert len(low_bits) == 1000  # 62 random bits per id


# --------------------------------------------------------------------------- ordering


def test_tight_loop_is_strictly_monotonic() -> None:
    generated = [uuid7() for _ in range(10_000)]
    assert len(set(generated)) == 10_000
    assert sorted(generated) == generated
    assert all(a < b for a, b in itertools.pairwise(generated))
    # String form sorts the same way (what a database text/uuid index sees).
    assert sorted(str(v) for v in generated) == [str(v) for v in generated]


def test_new_id_is_monotonic_too() -> None:
    generated = [new_id() for _ in range(2_000)]
    assert sorted(generated) == generated
    assert len(set(generated)) == len(generated)


def test_monotonic_within_one_frozen_millisecond(frozen_clock: list[int]) -> None:
    # 10,000 ids in "one" millisecond overflow the 12-bit counter (4,096) at least twice:
    # the generator must carry into the next millisecond rather than wrap around.
    generated = [uuid7() for _ in range(10_000)]
    assert len(set(generated)) == 10_000
    assert sorted(generated) == generated
    stamps = [uuid7_timestamp_ms(v) for v in generated]
    assert stamps[0] == FROZEN_MS
    assert stamps == sorted(stamps)
    assert FROZEN_MS + 2 <= stamps[-1] <= FROZEN_MS + 10


def test_counter_increments_within_a_millisecond(frozen_clock: list[int]) -> None:
    first, second, third = uuid7(), uuid7(), uuid7()
    assert uuid7_timestamp_ms(first) == uuid7_timestamp_ms(third) == FROZEN_MS
    assert _counter(second) == _counter(first) + 1
    assert _counter(third) == _counter(first) + 2
    # Each millisecond starts low in the 12-bit space, leaving room to count.
    assert _counter(first) < 1024


def test_monotonic_when_the_wall_clock_steps_backwards(frozen_clock: list[int]) -> None:
    first = uuid7()
    frozen_clock[0] -= 5_000  # NTP step backwards
    second = uuid7()
    third = uuid7()
    assert first < second < third
    assert uuid7_timestamp_ms(second) == FROZEN_MS
    frozen_clock[0] = FROZEN_MS + 10  # clock catches up and passes
    fourth = uuid7()
    assert third < fourth
    assert uuid7_timestamp_ms(fourth) == FROZEN_MS + 10


def test_explicit_unix_ms_does_not_disturb_ordering(frozen_clock: list[int]) -> None:
    # Push the counter high within the frozen millisecond, then mint a back-dated id.
    generated = [uuid7() for _ in range(2_000)]
    uuid7(unix_ms=FROZEN_MS - 60_000)
    uuid7(unix_ms=FROZEN_MS)
    generated.append(uuid7())
    assert sorted(generated) == generated
    assert generated[-2] < generated[-1]


def test_explicit_future_unix_ms_does_not_drag_the_clock(frozen_clock: list[int]) -> None:
    uuid7(unix_ms=FROZEN_MS + 3_600_000)
    assert uuid7_timestamp_ms(uuid7()) == FROZEN_MS


@given(
    st.integers(min_value=0, max_value=MAX_MS - 1).flatmap(
        lambda a: st.tuples(st.just(a), st.integers(min_value=a + 1, max_value=MAX_MS))
    )
)
def test_ordering_follows_the_given_unix_ms(pair: tuple[int, int]) -> None:
    earlier, later = pair
    assert uuid7(unix_ms=earlier) < uuid7(unix_ms=later)


def test_unique_and_ordered_per_thread_across_threads() -> None:
    per_thread: dict[int, list[uuid.UUID]] = {}
    start = threading.Barrier(4)

    def work(index: int) -> None:
        start.wait()
        per_thread[index] = [uuid7() for _ in range(2_500)]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    everything = [v for values in per_thread.values() for v in values]
    assert len(everything) == 10_000
    assert len(set(everything)) == 10_000
    for values in per_thread.values():
        assert sorted(values) == values
