"""Outbox relay and dispatch: committed events reach subscribers at least once, handled once.

Both follow the use-case shape `(store, services, *, ...)`: the store plays the unit of work
(it opens the transactions), `services` holds the clock, and the publisher (where events go)
and the subscriber registry (who reacts) are keyword arguments, since which ones a process
uses depends on its layout (an in-process broker relays only what local subscribers want).
"""

from __future__ import annotations

import logging
from uuid import UUID

from nexuscore.events.application.services import EventsServices
from nexuscore.events.application.subscribers import SubscriberRegistry
from nexuscore.events.ports.outbox import DispatchStore, EventPublisher, OutboxStore

logger = logging.getLogger(__name__)


async def relay_outbox_batch(
    store: OutboxStore, services: EventsServices, *, publisher: EventPublisher, batch_size: int = 100
) -> int:
    """Publish one batch of committed, unpublished events in order; return how many.

    Publishing happens before the mark commits, so a crash in between re-publishes the
    batch on the next pass: a duplicate delivery, never a loss.
    """
    async with store.transaction() as tx:
        claimed = await tx.claim_unpublished(batch_size)
        if not claimed:
            return 0
        for stored in claimed:
            await publisher.publish(stored.event)
        await tx.mark_published([s.event.id for s in claimed], services.clock.now())
        await tx.commit()
    return len(claimed)


async def dispatch_event(
    store: DispatchStore,
    services: EventsServices,
    *,
    event_id: UUID,
    registry: SubscriberRegistry,
    event_type: str | None = None,
) -> list[str]:
    """Run every subscriber of the event that has not handled it yet; return their names.

    Each subscriber runs in its own transaction together with its processed-marker, so a
    failure in one neither repeats nor loses another's work; a retry runs only the rest.
    With the event's type known from the message, an event this process has no subscriber
    for (most of the audit trail: user.logged_in and the like) costs no database work.
    """
    if event_type is not None and not registry.for_type(event_type):
        return []
    async with store.transaction() as tx:
        event = await tx.load(event_id)
    if event is None:
        # Not committed (cannot happen via the relay) or purged: nothing to do.
        logger.warning("dispatch of unknown event %s skipped", event_id)
        return []
    handled: list[str] = []
    for subscriber in registry.for_type(event.type):
        async with store.transaction() as tx:
            if not await tx.mark_processed(subscriber.name, event.id, services.clock.now()):
                continue
            await subscriber.handler(event, tx.resources)
            await tx.commit()
            handled.append(subscriber.name)
    return handled
