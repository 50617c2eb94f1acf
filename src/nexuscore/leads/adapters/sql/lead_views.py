"""The leads' view log on the event store: lead.viewed events already recorded (coalescing)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.events.api import sql_event_lookup
from nexuscore.leads.domain.events import LeadViewed, lead_subject


class SqlLeadViewLog:
    def __init__(self, session: AsyncSession) -> None:
        self._lookup = sql_event_lookup(session)

    async def viewed_since(self, lead_id: UUID, viewer_id: UUID, since: datetime) -> bool:
        return await self._lookup.recorded_since(
            event_type=LeadViewed.name, subject=lead_subject(lead_id), actor_id=viewer_id, since=since
        )
