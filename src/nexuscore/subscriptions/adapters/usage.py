"""UsageReader on the organisations and leads facades, in the caller's transaction."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.kernel.clock import Clock
from nexuscore.leads.api import count_active_leads
from nexuscore.organizations.api import count_seats_used
from nexuscore.subscriptions.domain.entitlements import Usage


class SqlUsageReader:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def usage(self, org_id: UUID) -> Usage:
        seats = await count_seats_used(self._session, org_id, self._clock.now())
        return Usage(seats=seats, leads=await count_active_leads(self._session, org_id))
