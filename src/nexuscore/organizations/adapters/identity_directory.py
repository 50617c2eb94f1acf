"""UserDirectory port on the identity context's published facade."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.identity.api import lookup_users
from nexuscore.organizations.ports.repositories import DirectoryUser


class IdentityUserDirectory:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get_many(self, user_ids: Sequence[UUID]) -> dict[UUID, DirectoryUser]:
        found = await lookup_users(self._session, user_ids)
        return {uid: DirectoryUser(u.id, u.email, u.full_name) for uid, u in found.items()}
