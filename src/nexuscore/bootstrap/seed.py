"""Idempotent demo data: every context module's seeders, in module order."""

from __future__ import annotations

from nexuscore.bootstrap.runtime import build_runtime
from nexuscore.platform.settings import Settings


async def run_seeders(settings: Settings) -> list[str]:
    if settings.is_production:
        return ["seed refused: demo data is for development and test environments only"]
    runtime = build_runtime(settings)
    try:
        return [await seeder() for module in runtime.all_modules for seeder in module.seeders]
    finally:
        await runtime.close()
