"""The privacy context's door to identity and the event store (their api.py facades), on the
caller's session in the system scope: what retention removes of the platform categories."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.events import api as events
from nexuscore.identity import api as identity
from nexuscore.privacy.domain.retention import KEPT_EVENT_TYPES, PlatformPurgeCounts, PlatformPurgeCutoffs


class PlatformRetentionData:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def preview(self, cutoffs: PlatformPurgeCutoffs) -> PlatformPurgeCounts:
        return PlatformPurgeCounts(
            user_sessions=await identity.count_ended_sessions(self._s, cutoffs.user_sessions),
            audit_logs=await events.count_expired_events(self._s, cutoffs.audit_logs, KEPT_EVENT_TYPES),
        )

    async def purge(self, cutoffs: PlatformPurgeCutoffs) -> PlatformPurgeCounts:
        return PlatformPurgeCounts(
            user_sessions=await identity.delete_ended_sessions(self._s, cutoffs.user_sessions),
            audit_logs=await events.delete_expired_events(self._s, cutoffs.audit_logs, KEPT_EVENT_TYPES),
        )
