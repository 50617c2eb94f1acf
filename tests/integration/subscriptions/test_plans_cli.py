"""`nexuscore plans seed` and `nexuscore plans sync` through the CLI entry point, on
PostgreSQL, syncing to the stand-in's Prices API in front of localstripe: both idempotent (a
second run changes nothing), and a price changed in the catalogue becomes a new Stripe price
that takes the lookup key while the old one is archived."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import stripe
from click.testing import CliRunner
from sqlalchemy import select

from nexuscore.bootstrap.cli import main
from nexuscore.kernel.clock import SystemClock
from nexuscore.platform.database import create_engine, session_maker
from nexuscore.subscriptions.adapters.sql.tables import PlanPriceRow, PlanRow
from nexuscore.subscriptions.adapters.sql.unit_of_work import SqlSubscriptionsUnitOfWork
from nexuscore.subscriptions.application.plans import PlanChanges, update_plan
from nexuscore.subscriptions.application.services import SubscriptionsServices
from nexuscore.subscriptions.domain.model import Interval

pytestmark = pytest.mark.integration


def _catalogue(url: str) -> dict[str, Any]:
    async def read() -> dict[str, Any]:
        engine = create_engine(url, pool_size=1)
        try:
            async with session_maker(engine)() as session:
                plans = {p.code: (p.gateway_product_id, p.updated_at) for p in await session.scalars(select(PlanRow))}
                prices = sorted(
                    (r.plan_code, r.interval, r.amount, r.gateway_price_id)
                    for r in await session.scalars(select(PlanPriceRow).where(PlanPriceRow.replaced_at.is_(None)))
                )
            return {"plans": plans, "prices": prices}
        finally:
            await engine.dispose()

    return asyncio.run(read())


SEEDED = ("starter", "growth", "enterprise")


def _stripe_catalogue(api_base: str) -> tuple[list[tuple[str, str]], list[tuple[str, int, str, str | None, bool]]]:
    """Our products, and every price of theirs: (id, amount, interval, lookup key, active)."""
    client = stripe.StripeClient("sk_test_cli", base_addresses={"api": api_base})
    products = sorted((p.id, p.name) for p in client.v1.products.list({"limit": 100}).data if p.id in _products())
    prices = sorted(
        (p.id, p.unit_amount or 0, p.recurring.interval if p.recurring else "", p.lookup_key, p.active)
        for product in _products()
        for p in client.v1.prices.list({"product": product, "limit": 100}).data
    )
    return products, prices


def _products() -> list[str]:
    return [f"nexuscore_{code}" for code in SEEDED]


def _change_price(url: str, code: str, interval: Interval, amount: int) -> None:
    """What staff's `PATCH /admin/plans/{code}` does: a new current price, the old one kept."""

    async def change() -> None:
        engine = create_engine(url, pool_size=1)
        try:
            async with session_maker(engine)() as session:
                clock = SystemClock()
                services = SubscriptionsServices(clock, None, "")
                changes = PlanChanges(prices={interval: amount})
                await update_plan(
                    SqlSubscriptionsUnitOfWork(session, clock), services, is_staff=True, code=code, changes=changes
                )
        finally:
            await engine.dispose()

    asyncio.run(change())


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
    at_stripe = _stripe_catalogue(stripe_api_base)
    assert [p for p, _ in at_stripe[0]] == ["nexuscore_enterprise", "nexuscore_growth", "nexuscore_starter"]
    # each current price of ours is the active Stripe price holding `<code>_<interval>`
    by_id = {pid: rest for pid, *rest in at_stripe[1]}
    assert len(first["prices"]) == 6
    for code, interval, amount, price_id in first["prices"]:
        assert by_id[price_id] == [amount, interval, f"{code}_{interval}", True]
    assert sum(1 for *_, active in at_stripe[1] if active) == 6

    # a second run: the same products, prices and rows
    resynced = runner.invoke(main, ["plans", "sync"], env=env)
    assert resynced.exit_code == 0, resynced.output
    assert _catalogue(app_postgres_url) == first
    assert _stripe_catalogue(stripe_api_base) == at_stripe

    # a price changed by staff: the next sync makes a new price that takes the lookup key and
    # archives the old one (never edited); nothing else moves
    old_id = next(p for c, i, _, p in first["prices"] if (c, i) == ("enterprise", "year"))
    _change_price(app_postgres_url, "enterprise", Interval.YEAR, 520_000)
    changed = runner.invoke(main, ["plans", "sync"], env=env)
    assert changed.exit_code == 0, changed.output
    second = _catalogue(app_postgres_url)
    new_id = next(p for c, i, _, p in second["prices"] if (c, i) == ("enterprise", "year"))
    assert new_id is not None and new_id != old_id
    assert [r for r in second["prices"] if r[0:2] != ("enterprise", "year")] == [
        r for r in first["prices"] if r[0:2] != ("enterprise", "year")
    ]
    after = _stripe_catalogue(stripe_api_base)
    now_by_id = {pid: rest for pid, *rest in after[1]}
    assert now_by_id[new_id] == [520_000, "year", "enterprise_year", True]
    assert now_by_id[old_id] == [499_000, "year", None, False]
    assert len(after[1]) == len(at_stripe[1]) + 1
    # and once more: a no-op
    assert runner.invoke(main, ["plans", "sync"], env=env).exit_code == 0
    assert _catalogue(app_postgres_url) == second
    assert _stripe_catalogue(stripe_api_base) == after


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
