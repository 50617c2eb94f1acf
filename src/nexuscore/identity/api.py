"""Published facade of the identity context, for other contexts' adapters.

- `Principal`: the signed-in caller; declare a `principal: Principal` parameter on a route
  to require sign-in (identity's module provides it app-wide).
- `lookup_users(session, ids)`: what other contexts may know of accounts (`PublicUser`).
- `confirm_password(session, app_state, user_id=, password=, ip=)`: the signed-in user's
  password checked before an irreversible act (throttled like a sign-in; 422 when wrong);
  returns their `PublicUser`.

- retention, for the privacy context's purge (caller's session): `count_ended_sessions` /
  `delete_ended_sessions(session, cutoff)`: sessions that expired or were revoked before it.
- `IdentityPersonalData(sessions)`: this context's `PersonalDataProvider` (kernel.personal_data).

Routes, subscribers, commands and wiring are in `module.py`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.identity.adapters.cli.commands import SERVICES_STATE_KEY
from nexuscore.identity.adapters.sql.personal_data import IdentityPersonalData
from nexuscore.identity.adapters.sql.repositories import SqlIdentityUnitOfWork, SqlUserRepository
from nexuscore.identity.adapters.sql.retention import count_ended_sessions, delete_ended_sessions
from nexuscore.identity.application import accounts
from nexuscore.identity.application.services import IdentityServices
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


async def confirm_password(
    session: AsyncSession, app_state: Mapping[str, Any], *, user_id: UUID, password: str, ip: str | None
) -> PublicUser:
    services: IdentityServices = app_state[SERVICES_STATE_KEY]
    u = await accounts.confirm_password(
        SqlIdentityUnitOfWork(session, services.clock), services, user_id=user_id, password=password, ip=ip
    )
    return PublicUser(u.id, u.email, u.full_name, u.email_verified)


__all__ = [
    "IdentityPersonalData",
    "Principal",
    "PublicUser",
    "confirm_password",
    "count_ended_sessions",
    "delete_ended_sessions",
    "lookup_users",
]
