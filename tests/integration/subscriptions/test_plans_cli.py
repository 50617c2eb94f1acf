"""`nexuscore plans seed` and `nexuscore plans sync` through the CLI entry point, on
PostgreSQL, syncing to localstripe behind the stand-in: both idempotent (a second run
changes nothing)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import stripe
from click.testing import CliRunner
from sqlalchemy import select

from nexuscore.bootstrap.cli import main
from nexuscore.platform.database import create_engine, session_maker
from nexuscore.subscriptions.adapters.sql.tables import PlanPriceRow, PlanRow

pytestmark = pytest.mark.integration


def _catalogue(url: str) -> dict[str, Any]:
    async def read() -> dict[str, Any]:
        engine = create_engine(url, pool_size=1)
        try:
            async with session_maker(engine)() as session:
                plans = {p.code: (p.gateway_product_id, p.updated_at) for p in await session.scalars(select(PlanRow))}
                prices = sorted(
                    (r.plan_code, r.interval, r.amount, r.gateway_price_id)
                    for r in await session.scalars(select(PlanPriceRow))
                )
            return {"plans": plans, "prices": prices}
        finally:
            await engine.dispose()

    return asyncio.run(read())


def _stripe_catalogue(api_base: str) -> tuple[list[tuple[str, str]], list[tuple[str, int, str]]]:
    client = stripe.StripeClient("sk_test_cli", base_addresses={"api": api_base})
    products = sorted(
        (p.id, p.name) for p in client.v1.products.list({"limit": 100}).data if p.id.startswith("nexuscore_")
    )
    plans = sorted(
        (p.id, p.amount, p.interval) for p in client.v1.plans.list({"limit": 100}).data if p.id.startswith("nexuscore_")
    )
    return products, plans


def test_plans_seed_then_sync_twice(app_postgres_url: str, stripe_api_base: str, tmp_path: Path) -> None:
    env = {
        "ENVIRONMENT": "test",
        "NEXUSCORE_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": app_postgres_url,
        "STRIPE_SECRET_KEY": "sk_test_cli",
        "STRIPE_API_BASE": stripe_api_base,
        "REDIS_URL": "",
    }
    runner = CliRunner()
    seeded = runner.invoke(main, ["plans", "seed"], env=env)
    assert seeded.exit_code == 0, seeded.output
    assert "created free, starter, growth, enterprise" in seeded.output
    again = runner.invoke(main, ["plans", "seed"], env=env)
    assert again.exit_code == 0 and "already seeded" in again.output, again.output
    before_sync = _catalogue(app_postgres_url)
    assert all(price_id is None for *_, price_id in before_sync["prices"])

    synced = runner.invoke(main, ["plans", "sync"], env=env)
    assert synced.exit_code == 0, synced.output
    assert "stripe: synced starter, growth, enterprise" in synced.output
    first = _catalogue(app_postgres_url)
    assert {code: product for code, (product, _) in first["plans"].items()} == {
        "free": None,
        "starter": "nexuscore_starter",
        "growth": "nexuscore_growth",
        "enterprise": "nexuscore_enterprise",
    }
    assert all(
        price_id == f"nexuscore_{code}_{interval}_{amount}" for code, interval, amount, price_id in first["prices"]
    )
    at_stripe = _stripe_catalogue(stripe_api_base)
    assert [p for p, _ in at_stripe[0]] == ["nexuscore_enterprise", "nexuscore_growth", "nexuscore_starter"]
    assert len(at_stripe[1]) == len(first["prices"])

    # a second run: the same products, prices and rows
    resynced = runner.invoke(main, ["plans", "sync"], env=env)
    assert resynced.exit_code == 0, resynced.output
    assert _catalogue(app_postgres_url) == first
    assert _stripe_catalogue(stripe_api_base) == at_stripe


def test_plans_sync_with_the_gateway_down_is_an_error_not_a_traceback(app_postgres_url: str, tmp_path: Path) -> None:
    env = {
        "ENVIRONMENT": "test",
        "NEXUSCORE_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": app_postgres_url,
        "STRIPE_SECRET_KEY": "sk_test_cli",
        "STRIPE_API_BASE": "http://127.0.0.1:9",  # nothing listens
        "REDIS_URL": "",
    }
    runner = CliRunner()
    assert runner.invoke(main, ["plans", "seed"], env=env).exit_code == 0
    down = runner.invoke(main, ["plans", "sync"], env=env)
    assert down.exit_code == 1, down.output
    assert "error:" in down.output and "Traceback" not in down.output
