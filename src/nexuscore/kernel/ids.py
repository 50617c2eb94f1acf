"""UUIDv7 identifiers (RFC 9562): time-ordered, so they index well and sort by creation."""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_last_counter = 0
_COUNTER_BITS = 12  # rand_a field, used as a monotonic counter within one millisecond


def uuid7(*, unix_ms: int | None = None) -> uuid.UUID:
    """Return a new UUIDv7. Monotonic within this process, even inside one millisecond."""
    global _last_ms, _last_counter
    if unix_ms is not None:
        if not 0 <= unix_ms < 1 << 48:
            raise ValueError(f"unix_ms must fit in 48 bits (0 <= unix_ms < 2**48), got {unix_ms}")
        # An explicit time (back-fill, tests): neither uses nor disturbs the monotonic state.
        ms = unix_ms
        counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
    else:
        with _lock:
            ms = time.time_ns() // 1_000_000
            if ms <= _last_ms:
                # Same (or a backwards-stepped) millisecond: bump the counter to stay ordered.
                ms = _last_ms
                _last_counter += 1
                if _last_counter >= 1 << _COUNTER_BITS:
                    ms += 1
                    _last_counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
            else:
                # Start each millisecond at a random low value so ids are hard to guess.
                _last_counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
            _last_ms = ms
            counter = _last_counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= rand_b
    return uuid.UUID(int=value)


def uuid7_timestamp_ms(value: uuid.UUID) -> int:
    """The Unix time in milliseconds that a UUIDv7 carries."""
    if value.version != 7:
        raise ValueError("not a UUIDv7")
    return value.int >> 80


def new_id() -> uuid.UUID:
    """The project's id generator: every entity id is a UUIDv7."""
    return uuid7()
