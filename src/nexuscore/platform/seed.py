"""Idempotent demo data. Each context adds a seeder here as it gains data worth showing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nexuscore.identity.api import SqlIdentityUnitOfWork, ensure_demo_user
from nexuscore.platform.runtime import Runtime, build_runtime
from nexuscore.platform.settings import Settings

# A seeder creates what is missing and returns a line describing what it did.
Seeder = Callable[[Runtime], Awaitable[str]]

DEMO_EMAIL = "demo@nexuscore.localhost"
DEMO_PASSWORD = "nexuscore-demo-2026"  # development data only; seed refuses to run in production


async def seed_demo_user(runtime: Runtime) -> str:
    async with runtime.sessions() as session:
        user, created = await ensure_demo_user(
            SqlIdentityUnitOfWork(session, runtime.clock),
            runtime.identity.services,
            email=DEMO_EMAIL,
            password=DEMO_PASSWORD,
            full_name="Demo User",
        )
    state = "created" if created else "already there"
    return f"demo user {user.email} (password {DEMO_PASSWORD}): {state}"


SEEDERS: list[Seeder] = [seed_demo_user]


async def run_seeders(settings: Settings) -> list[str]:
    if settings.is_production:
        return ["seed refused: demo data is for development and test environments only"]
    runtime = build_runtime(settings)
    try:
        return [await seeder(runtime) for seeder in SEEDERS]
    finally:
        await runtime.engine.dispose()
        runtime.identity.close()
