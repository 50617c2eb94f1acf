"""An event as the store keeps it: the domain event plus its outbox state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from nexuscore.kernel.events import EventRecord


@dataclass(frozen=True)
class StoredEvent:
    event: EventRecord
    recorded_at: datetime
    published_at: datetime | None = None
    dispatched_at: datetime | None = None  # a consumer ran its subscribers (not just "sent to the broker")
    redeliveries: int = 0  # re-published after no dispatch was recorded in time

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
