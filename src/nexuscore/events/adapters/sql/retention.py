"""Retention of the event store (the audit trail), for the privacy context's daily purge
(through events.api).

The store is the outbox too: an event is removed only once it is dispatched (every
subscriber ran), so an undispatched row is never lost however old it is. The store has no
append-only trigger; this purge is the one delete. The processed-event ledger rows of a
removed event go with it (nothing redelivers it any more). Counted and deleted by one rule.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.events.adapters.sql.tables import DomainEventRow, ProcessedEventRow


def _expired(cutoff: datetime, kept_types: Collection[str]) -> ColumnElement[bool]:
    expired = and_(DomainEventRow.occurred_at < cutoff, DomainEventRow.dispatched_at.is_not(None))
    return and_(expired, DomainEventRow.type.not_in(list(kept_types))) if kept_types else expired


async def count_expired_events(session: AsyncSession, cutoff: datetime, kept_types: Collection[str] = ()) -> int:
    """In the caller's scope (the purge binds the system scope: every tenant's events);
    events of `kept_types` are never expired (records another rule keeps longer)."""
    expired = _expired(cutoff, kept_types)
    return int(await session.scalar(select(func.count()).select_from(DomainEventRow).where(expired)) or 0)


async def delete_expired_events(session: AsyncSession, cutoff: datetime, kept_types: Collection[str] = ()) -> int:
    """Delete in the caller's transaction; returns the events removed."""
    expired = _expired(cutoff, kept_types)
    expired_ids = select(DomainEventRow.id).where(expired)
    await session.execute(delete(ProcessedEventRow).where(ProcessedEventRow.event_id.in_(expired_ids)))
    result = await session.execute(delete(DomainEventRow).where(expired))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
