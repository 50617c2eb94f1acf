"""What the identity context plugs into the composition root."""

from __future__ import annotations

from datetime import timedelta

import click
from litestar.di import Provide
from litestar.openapi.spec import Tag

from nexuscore.identity.adapters.cli.commands import SERVICES_STATE_KEY, users
from nexuscore.identity.adapters.crypto.argon2_hasher import Argon2PasswordHasher
from nexuscore.identity.adapters.crypto.jwt_tokens import JwtAccessTokens
from nexuscore.identity.adapters.http.controllers import AuthController, MeController
from nexuscore.identity.adapters.http.dependencies import (
    caller_identifier,
    provide_identity_services,
    provide_identity_uow,
    provide_principal,
)
from nexuscore.identity.adapters.sql import tables
from nexuscore.identity.adapters.sql.personal_data import IdentityPersonalData
from nexuscore.identity.adapters.sql.repositories import SqlIdentityUnitOfWork
from nexuscore.identity.adapters.tasks.subscribers import identity_subscribers
from nexuscore.identity.application.seeding import ensure_demo_user
from nexuscore.identity.application.services import IdentityConfig, IdentityServices
from nexuscore.platform.http.problem_docs import UNAUTHENTICATED
from nexuscore.platform.modules import ContextModule, Infrastructure
from nexuscore.platform.throttle import throttle_for

COMMANDS: list[click.Command] = [users]

DEMO_EMAIL = "demo@nexuscore.localhost"
DEMO_PASSWORD = "nexuscore-demo-2026"  # development data only; seed refuses to run in production


def build(infra: Infrastructure) -> ContextModule:
    settings = infra.settings
    hasher = Argon2PasswordHasher()
    throttle = throttle_for(infra.clock, infra.redis)
    services = IdentityServices(
        hasher=hasher,
        tokens=JwtAccessTokens(settings.secret_key, infra.clock, lifetime_seconds=settings.access_token_ttl_seconds),
        throttle=throttle,
        clock=infra.clock,
        mailer=infra.mailer,
        config=IdentityConfig(
            refresh_token_lifetime=timedelta(days=settings.refresh_token_ttl_days),
            app_base_url=settings.app_base_url,
        ),
    )

    async def seed_demo_user() -> str:
        async with infra.sessions() as session:
            user, created = await ensure_demo_user(
                SqlIdentityUnitOfWork(session, infra.clock),
                services,
                email=DEMO_EMAIL,
                password=DEMO_PASSWORD,
                full_name="Demo User",
            )
        return f"demo user {user.email} (password {DEMO_PASSWORD}): {'created' if created else 'already there'}"

    return ContextModule(
        name="identity",
        openapi_tags=[Tag(name="identity", description="Accounts, sign-in, tokens, email verification, passwords.")],
        route_handlers=[AuthController, MeController],
        dependencies={
            "identity_services": Provide(provide_identity_services, sync_to_thread=False),
            "identity_uow": Provide(provide_identity_uow, sync_to_thread=False),
            "principal": Provide(provide_principal),
        },
        state={SERVICES_STATE_KEY: services},
        subscribers=identity_subscribers(services),
        seeders=[seed_demo_user],
        on_shutdown=[hasher.close],
        tables=[tables],
        personal_data_providers=[IdentityPersonalData(infra.sessions)],
        identify_caller=caller_identifier(infra.sessions, services),
        dependency_problems={"principal": (UNAUTHENTICATED,)},
    )
