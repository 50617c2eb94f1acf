"""LeadEntitlements on the subscriptions context's facade: the effective plan's lead limit
and features (lead import and export are plan-gated)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.kernel.clock import Clock
from nexuscore.subscriptions.api import EntitlementReader


class PlanLeadEntitlements:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        grace_days: int,
        uncatalogued_limit: int | None,
    ) -> None:
        self._reader = EntitlementReader(sessions, clock, grace_days=grace_days)
        self._uncatalogued_limit = uncatalogued_limit  # LEADS_DEFAULT_LIMIT, until plans are seeded

    async def lead_limit(self, org_id: UUID) -> int | None:
        entitlement = await self._reader.entitlement(org_id)
        return entitlement.lead_limit if entitlement.catalogued else self._uncatalogued_limit

    async def require_feature(self, org_id: UUID, feature: str) -> None:
        (await self._reader.entitlement(org_id)).require_feature(feature)
