"""AuditTrail port on the events context's published facade."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.events.api import SqlEventQuery
from nexuscore.kernel.events import EventRecord
from nexuscore.kernel.paging import Page, PageRequest


class EventStoreAuditTrail:
    def __init__(self, session: AsyncSession) -> None:
        self._query = SqlEventQuery(session)

    async def list_for_organization(
        self,
        org_id: UUID,
        page: PageRequest,
        *,
        event_type: str | None = None,
        actor_id: UUID | None = None,
        occurred_from: datetime | None = None,
        occurred_to: datetime | None = None,
    ) -> Page[EventRecord]:
        found = await self._query.list_for_organization(
            org_id,
            page,
            event_type=event_type,
            actor_id=actor_id,
            occurred_from=occurred_from,
            occurred_to=occurred_to,
        )
        return Page([s.event for s in found.items], found.total, found.limit, found.offset)
