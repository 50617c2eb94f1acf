"""LeadEntitlements until the subscriptions context sets per-plan limits: one limit for all."""

from __future__ import annotations

from uuid import UUID


class DefaultLeadEntitlements:
    """Every organisation may keep `limit` active leads (None: unlimited); from LEADS_DEFAULT_LIMIT."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit

    async def lead_limit(self, org_id: UUID) -> int | None:
        return self.limit

    async def require_feature(self, org_id: UUID, feature: str) -> None:
        return None
