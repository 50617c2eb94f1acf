"""Published facade of the identity context, for the platform and other contexts' adapters.

- `Principal`: the signed-in caller; declare a `principal: Principal` parameter on a route
  to require sign-in (the platform provides it app-wide via `provide_principal`).
- `build_identity`, `IDENTITY_ROUTES`, `register_identity_subscribers`: wiring for the platform.
- `create_staff`: the CLI's way to grant `isStaff`; `ensure_demo_user`: `nexuscore seed`.
"""

from __future__ import annotations

from nexuscore.identity.adapters.http.controllers import AuthController, MeController
from nexuscore.identity.adapters.http.dependencies import (
    IDENTITY_STATE_KEY,
    provide_identity_services,
    provide_identity_uow,
    provide_principal,
)
from nexuscore.identity.adapters.sql.repositories import SqlIdentityUnitOfWork
from nexuscore.identity.adapters.tasks.subscribers import register_identity_subscribers
from nexuscore.identity.adapters.wiring import IdentityModule, build_identity
from nexuscore.identity.application.seeding import ensure_demo_user
from nexuscore.identity.application.staff import create_staff
from nexuscore.identity.domain.model import Principal

IDENTITY_ROUTES = [AuthController, MeController]

__all__ = [
    "IDENTITY_ROUTES",
    "IDENTITY_STATE_KEY",
    "IdentityModule",
    "Principal",
    "SqlIdentityUnitOfWork",
    "build_identity",
    "create_staff",
    "ensure_demo_user",
    "provide_identity_services",
    "provide_identity_uow",
    "provide_principal",
    "register_identity_subscribers",
]
