"""Published facade of the identity context, for other contexts' adapters.

- `Principal`: the signed-in caller; declare a `principal: Principal` parameter on a route
  to require sign-in (identity's module provides it app-wide).
- `lookup_users(session, ids)`: what other contexts may know of accounts (`PublicUser`).

- `IdentityPersonalData(sessions)`: this context's `PersonalDataProvider` (kernel.personal_data).

Routes, subscribers, commands and wiring are in `module.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.identity.adapters.sql.personal_data import IdentityPersonalData
from nexuscore.identity.adapters.sql.repositories import SqlUserRepository
from nexuscore.identity.domain.model import Principal


@dataclass(frozen=True)
class PublicUser:
    """What other contexts may know of an account."""

    id: UUID
    email: str
    full_name: str
    email_verified: bool


async def lookup_users(session: AsyncSession, user_ids: Sequence[UUID]) -> dict[UUID, PublicUser]:
    """Accounts by id, in one query (missing ids are simply absent)."""
    users = await SqlUserRepository(session).get_many(user_ids)
    return {uid: PublicUser(u.id, u.email, u.full_name, u.email_verified) for uid, u in users.items()}


__all__ = ["IdentityPersonalData", "Principal", "PublicUser", "lookup_users"]
