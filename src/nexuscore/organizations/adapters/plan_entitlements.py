"""The Entitlements port on the subscriptions context's facade: the effective plan's seats,
and whether overdue payment has made the organisation read-only."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.kernel.clock import Clock
from nexuscore.subscriptions.api import EntitlementReader, PaymentRequired


class PlanEntitlements:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock, *, grace_days: int) -> None:
        self._reader = EntitlementReader(sessions, clock, grace_days=grace_days)

    async def seat_limit(self, org_id: UUID) -> int | None:
        return (await self._reader.entitlement(org_id)).seat_limit

    async def require_writable(self, org_id: UUID) -> None:
        if (await self._reader.entitlement(org_id)).read_only:
            raise PaymentRequired(extra={"billingUrl": f"/api/v1/orgs/{org_id}/subscription"})
