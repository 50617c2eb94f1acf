"""Domain events of the webhooks context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from nexuscore.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class WebhookReceived(DomainEvent):
    """A new event entered the inbox: the outbox message that gets it processed."""

    name: ClassVar[str] = "webhook.received"
    inbox_id: UUID
    provider: str
    event_type: str

    @property
    def subject(self) -> str:
        return f"webhook:{self.inbox_id}"


@dataclass(frozen=True, kw_only=True)
class WebhookReplayRequested(DomainEvent):
    """Staff asked to run events again (one, or a bulk job)."""

    name: ClassVar[str] = "webhook.replay_requested"
    inbox_id: UUID | None = None
    job_id: UUID | None = None

    @property
    def subject(self) -> str:
        return f"webhook:{self.inbox_id}" if self.inbox_id else f"webhook-replay:{self.job_id}"
