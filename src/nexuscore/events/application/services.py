"""What the events context's use cases need besides their store."""

from __future__ import annotations

from dataclasses import dataclass

from nexuscore.kernel.clock import Clock


@dataclass(frozen=True)
class EventsServices:
    """Process-wide ports of the relay and dispatch use cases (they stamp `published_at` and
    `processed_at` with the clock)."""

    clock: Clock
