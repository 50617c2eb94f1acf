"""Published facade of the identity context, for the platform and other contexts' adapters.

- `Principal`: the signed-in caller; declare a `principal: Principal` parameter on a route
  to require sign-in (the platform provides it app-wide via `provide_principal`).
- `build_identity`, `IDENTITY_ROUTES`, `register_identity_subscribers`: wiring for the platform.
- `create_staff`: the CLI's way to grant `isStaff`; `ensure_demo_user`: `nexuscore seed`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.identity.adapters.http.controllers import AuthController, MeController
from nexuscore.identity.adapters.http.dependencies import (
    IDENTITY_STATE_KEY,
    provide_identity_services,
    provide_identity_uow,
    provide_principal,
)
from nexuscore.identity.adapters.sql.repositories import SqlIdentityUnitOfWork, SqlUserRepository
from nexuscore.identity.adapters.tasks.subscribers import register_identity_subscribers
from nexuscore.identity.adapters.wiring import IdentityModule, build_identity
from nexuscore.identity.application.seeding import ensure_demo_user
from nexuscore.identity.application.staff import create_staff
from nexuscore.identity.domain.model import Principal

IDENTITY_ROUTES = [AuthController, MeController]


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


__all__ = [
    "IDENTITY_ROUTES",
    "IDENTITY_STATE_KEY",
    "IdentityModule",
    "Principal",
    "PublicUser",
    "SqlIdentityUnitOfWork",
    "build_identity",
    "create_staff",
    "ensure_demo_user",
    "lookup_users",
    "provide_identity_services",
    "provide_identity_uow",
    "provide_principal",
    "register_identity_subscribers",
]
