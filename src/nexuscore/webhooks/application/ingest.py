"""Ingest: a verified delivery stored once, with the outbox message that gets it processed,
in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from nexuscore.kernel.clock import Clock
from nexuscore.webhooks.application.erased_customers import as_stored
from nexuscore.webhooks.application.handlers import HandlerRegistry
from nexuscore.webhooks.domain.events import WebhookReceived
from nexuscore.webhooks.domain.model import InboxEvent, InboxStatus, IncomingEvent
from nexuscore.webhooks.ports.repositories import WebhooksUnitOfWork


@dataclass(frozen=True)
class IngestResult:
    inbox_id: UUID | None
    duplicate: bool
    status: InboxStatus | None


class IngestServices(Protocol):
    """What ingest needs (WebhooksServices has it; ingest never reaches the targets)."""

    @property
    def clock(self) -> Clock: ...

    @property
    def handlers(self) -> HandlerRegistry: ...


async def ingest_event(uow: WebhooksUnitOfWork, services: IngestServices, *, incoming: IncomingEvent) -> IngestResult:
    """Store the event unless (provider, event id) is stored already. A new event of a type
    with a handler gets its outbox message in the same commit; one without is stored
    `ignored` and gets none. A duplicate (sequential or concurrent) writes nothing. An erased
    customer's real values are taken out before anything is stored (`erased_customers`)."""
    now = services.clock.now()
    incoming = as_stored(incoming)
    handled = services.handlers.handles(incoming.provider, incoming.type)
    event = InboxEvent.received(incoming, now=now, status=InboxStatus.RECEIVED if handled else InboxStatus.IGNORED)
    if not await uow.inbox.add_if_absent(event):
        await uow.rollback()
        return IngestResult(inbox_id=None, duplicate=True, status=None)
    if handled:
        await uow.events.append(
            WebhookReceived(occurred_at=now, inbox_id=event.id, provider=event.provider, event_type=event.type)
        )
    await uow.commit()
    return IngestResult(inbox_id=event.id, duplicate=False, status=event.status)
