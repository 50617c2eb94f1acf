"""Outbox relay and dispatch: committed events reach subscribers at least once, handled once.

Both follow the use-case shape `(store, services, *, ...)`: the store plays the unit of work
(it opens the transactions), `services` holds the clock, and the publisher (where events go)
and the subscriber registry (who reacts) are keyword arguments, since which ones a process
uses depends on its layout (an in-process broker relays only what local subscribers want).
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from datetime import timedelta
from uuid import UUID

from nexuscore.events.application.services import EventsServices
from nexuscore.events.application.subscribers import SubscriberRegistry
from nexuscore.events.ports.outbox import DispatchStore, EventPublisher, OutboxStore

logger = logging.getLogger(__name__)

# Set while the relay publishes from inside its open transaction, which holds the events' rows
# locked. A broker that dispatches inline (in-process, tests) runs the dispatch right there:
# its record of the dispatch must not wait for that lock (it would wait for ever); it is
# skipped instead and the event redelivered after the bound, which the ledger makes harmless.
_relaying: ContextVar[bool] = ContextVar("nexuscore_outbox_relaying", default=False)


async def relay_outbox_batch(
    store: OutboxStore, services: EventsServices, *, publisher: EventPublisher, batch_size: int = 100
) -> int:
    """Publish one batch of committed, unpublished events in order; return how many.

    Publishing happens before the mark commits, so a crash in between re-publishes the
    batch on the next pass: a duplicate delivery, never a loss. "Published" is not "done":
    `redeliver_undispatched` sends again what no consumer recorded as dispatched in time.
    """
    async with store.transaction() as tx:
        claimed = await tx.claim_unpublished(batch_size)
        if not claimed:
            return 0
        token = _relaying.set(True)
        try:
            skipped = [s.event.id for s in claimed if not await publisher.publish(s.event)]
        finally:
            _relaying.reset(token)
        now = services.clock.now()
        await tx.mark_published([s.event.id for s in claimed], now)
        await tx.mark_dispatched(skipped, now)
        await tx.commit()
    return len(claimed)


MAX_REDELIVERIES = 10  # then the event is left undispatched and logged (a subscriber that always fails)


async def redeliver_undispatched(
    store: OutboxStore,
    services: EventsServices,
    *,
    publisher: EventPublisher,
    after: timedelta,
    batch_size: int = 100,
    max_redeliveries: int = MAX_REDELIVERIES,
) -> int:
    """Publish again the events published more than `after` ago with no dispatch recorded:
    the message was lost on the way (Redis restarted empty, a retry dropped with it) or its
    subscribers keep failing. Subscribers are idempotent per event (the processed ledger),
    so a redelivery of work that did happen costs a dispatch, not a second effect."""
    now = services.clock.now()
    async with store.transaction() as tx:
        stale = await tx.claim_undispatched(now - after, batch_size, max_redeliveries)
        if not stale:
            return 0
        token = _relaying.set(True)
        try:
            for stored in stale:
                await publisher.publish(stored.event)
                if stored.redeliveries + 1 >= max_redeliveries:
                    logger.error(
                        "event %s (%s) redelivered %d times without a dispatch; no more redeliveries",
                        stored.event.id,
                        stored.event.type,
                        max_redeliveries,
                    )
        finally:
            _relaying.reset(token)
        await tx.mark_republished([s.event.id for s in stale], now)
        await tx.commit()
    logger.warning("redelivered %d event(s) with no dispatch recorded after %s", len(stale), after)
    return len(stale)


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
        await _record_dispatched(store, services, event_id)
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
    await _record_dispatched(store, services, event.id)
    return handled


async def _record_dispatched(store: DispatchStore, services: EventsServices, event_id: UUID) -> None:
    # Only after every subscriber ran: a dispatch that failed part-way is redelivered.
    async with store.transaction() as tx:
        await tx.mark_dispatched(event_id, services.clock.now(), wait=not _relaying.get())
        await tx.commit()
