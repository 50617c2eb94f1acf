"""DomainEvent: the fact a use case records; the events context stores and relays it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from nexuscore.kernel.ids import new_id


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """An immutable record of something that happened.

    `type` is a dotted, past-tense name (`user.registered`); `subject` names the object it
    is about (`user:<id>`); `payload` holds JSON-safe primitives only and never secrets.
    """

    type: str
    occurred_at: datetime
    payload: Mapping[str, Any] = field(default_factory=dict)
    organization_id: UUID | None = None
    actor_id: UUID | None = None
    subject: str | None = None
    id: UUID = field(default_factory=new_id)

    def __post_init__(self) -> None:
        if not self.type or "." not in self.type:
            raise ValueError(f"event type must be dotted like 'user.registered', got {self.type!r}")
        if self.occurred_at.tzinfo is None:
            raise ValueError("occurred_at must be timezone-aware")


class EventRecorder(Protocol):
    """Port every use case uses to record events in its own transaction.

    Kept in the kernel so any context's core can depend on it; the events context provides
    the adapters (see nexuscore.events.api).
    """

    async def append(self, *events: DomainEvent) -> None: ...
