"""Idempotent demo data. Each context adds a seeder here as it gains data worth showing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nexuscore.platform.runtime import Runtime, build_runtime
from nexuscore.platform.settings import Settings

# A seeder creates what is missing and returns a line describing what it did.
Seeder = Callable[[Runtime], Awaitable[str]]
SEEDERS: list[Seeder] = []


async def run_seeders(settings: Settings) -> list[str]:
    runtime = build_runtime(settings)
    try:
        lines = [await seeder(runtime) for seeder in SEEDERS]
    finally:
        await runtime.engine.dispose()
    return lines or ["nothing to seed yet: no context has demo data"]
