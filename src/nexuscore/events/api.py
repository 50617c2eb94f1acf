"""Published facade of the events context for other contexts' adapters and the platform.

- record events in a use case's transaction: `sql_event_recorder(session, clock)`
- ask whether a like event was already recorded (coalescing): `sql_event_lookup(session)`
- retention, for the privacy context's purge (caller's session, system scope):
  `count_expired_events` / `delete_expired_events(session, cutoff)`: dispatched events older
  than the cutoff (undispatched outbox rows are never removed)
- react to events: a context's module declares `Subscriber.to(name, EventClass, handler)`
  (kernel); the handler gets the `EventRecord` and the dispatch transaction's SQLAlchemy
  session, and runs at most once
- read the audit trail: `SqlEventQuery(session).list_for_organization(...)`
- `EventStorePersonalData(sessions)`: the store's `PersonalDataProvider` (a subject's events
  as their use and disclosure log; erasure scrubs payload strings naming them)
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.events.adapters.sql.personal_data import EventStorePersonalData
from nexuscore.events.adapters.sql.retention import count_expired_events, delete_expired_events
from nexuscore.events.adapters.sql.store import SqlEventLookup, SqlEventQuery, SqlEventRecorder
from nexuscore.events.application.subscribers import SubscriberRegistry
from nexuscore.events.domain.stored_event import StoredEvent
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.events import EventRecord, EventRecorder, Subscriber


def sql_event_recorder(session: AsyncSession, clock: Clock) -> EventRecorder:
    return SqlEventRecorder(session, clock)


def sql_event_lookup(session: AsyncSession) -> SqlEventLookup:
    return SqlEventLookup(session)


__all__ = [
    "EventRecord",
    "EventRecorder",
    "EventStorePersonalData",
    "SqlEventLookup",
    "SqlEventQuery",
    "StoredEvent",
    "Subscriber",
    "SubscriberRegistry",
    "count_expired_events",
    "delete_expired_events",
    "sql_event_lookup",
    "sql_event_recorder",
]
