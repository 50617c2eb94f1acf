"""The suppression list as other contexts read it (the leads import)."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.platform.database import bind_rls_scope
from nexuscore.privacy.adapters.sql.repositories import SqlSuppressionRepository
from nexuscore.privacy.application.services import erasure_salt, suppression_digest


class SqlSuppressionReader:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], secret: str) -> None:
        self._sessions = sessions
        self._salt = erasure_salt(secret.encode())

    async def suppressed(self, organization_id: UUID, values: Collection[str]) -> set[str]:
        """Which of these normalised emails and phones were erased in the organisation."""
        by_digest = {suppression_digest(v, self._salt): v for v in values}
        async with self._sessions() as session, session.begin():
            await bind_rls_scope(session, org_id=organization_id)
            found = await SqlSuppressionRepository(session).suppressed(by_digest, organization_id)
        return {by_digest[d] for d in found}
