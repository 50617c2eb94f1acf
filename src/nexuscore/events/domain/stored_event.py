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

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
