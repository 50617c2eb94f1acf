"""CLI glue for granting staff rights: runs identity's use case in its own transaction."""

from __future__ import annotations

from nexuscore.identity.api import SqlIdentityUnitOfWork, create_staff
from nexuscore.platform.runtime import build_runtime
from nexuscore.platform.settings import Settings


async def grant_staff(settings: Settings, *, email: str, password: str | None, full_name: str | None) -> str:
    runtime = build_runtime(settings)
    try:
        async with runtime.sessions() as session:
            uow = SqlIdentityUnitOfWork(session, runtime.clock)
            user, generated = await create_staff(
                uow, runtime.identity.services, email=email, password=password, full_name=full_name
            )
    finally:
        await runtime.engine.dispose()
        runtime.identity.close()
        if runtime.redis is not None:
            await runtime.redis.aclose()
    line = f"{user.email} ({user.id}) is staff"
    if generated:
        line += f"; generated password (shown once): {generated}"
    return line
