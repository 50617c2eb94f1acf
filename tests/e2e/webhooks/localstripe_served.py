"""The API as deployed (`nexuscore serve` and `nexuscore worker`, PostgreSQL, Redis) in front
of localstripe behind our stand-in, with localstripe sending its OWN signed webhooks to the
API's `POST /api/v1/webhooks/stripe` (its `/_config/webhooks/{id}` endpoint: HMAC-SHA256 over
`"{created}.{body}"`, `t=<created>,v1=<hex>`, the event's `created` as the timestamp, about a
second after the event is made). Helpers for the tests that drive that flow over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select, update

from nexuscore.kernel.clock import SystemClock
from nexuscore.platform.database import create_engine, session_maker
from nexuscore.platform.stripe_client import stripe_client
from nexuscore.subscriptions.adapters.gateways.stripe_gateway import StripePaymentGateway
from nexuscore.subscriptions.adapters.sql.tables import PlanRow
from nexuscore.subscriptions.adapters.sql.unit_of_work import SqlSubscriptionsUnitOfWork
from nexuscore.subscriptions.application.plans import seed_plans, sync_plans_to_gateway
from nexuscore.subscriptions.application.services import SubscriptionsServices
from nexuscore.webhooks.adapters.sql.tables import InboxEventRow
from tests.e2e.conftest import PASSWORD, link_token
from tests.e2e.served import ServedApi, served_api

STRIPE_KEY = "sk_test_nexuscore_served"
WEBHOOK_SECRET = "whsec_localstripe_0123456789"


@contextmanager
def api_on_localstripe(
    var_dir: Path, database_url: str, redis_url: str, stripe_api_base: str, **env: str
) -> Iterator[ServedApi]:
    with served_api(
        var_dir,
        database_url,
        redis_url,
        STRIPE_SECRET_KEY=STRIPE_KEY,
        STRIPE_API_BASE=stripe_api_base,
        STRIPE_WEBHOOK_SECRETS=WEBHOOK_SECRET,
        **env,
    ) as api:
        yield api


async def point_localstripe_at(localstripe_base: str, api: ServedApi, *, events: list[str] | None = None) -> None:
    """localstripe's webhook endpoint `nexuscore` (one per localstripe process: a later test's
    registration replaces an earlier one's) now posts to this API, signed with our secret."""
    body: dict[str, Any] = {"url": f"{api.base_url}/api/v1/webhooks/stripe", "secret": WEBHOOK_SECRET}
    if events is not None:
        body["events"] = events
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{localstripe_base}/_config/webhooks/nexuscore", json=body)
    assert response.status_code == 200, response.text


async def seed_and_sync_plans(database_url: str, stripe_api_base: str) -> None:
    """The catalogue seeded and its products and prices created at the gateway (what
    `nexuscore plans seed` and `nexuscore plans sync` do), sold without trials: localstripe
    leaves a trialing subscription `incomplete` and invoices nothing until the trial ends."""
    clock = SystemClock()
    gateway = StripePaymentGateway(stripe_client(STRIPE_KEY, api_base=stripe_api_base), clock)
    services = SubscriptionsServices(clock, gateway, "https://app.example.sg")
    engine = create_engine(database_url, pool_size=1)
    try:
        async with session_maker(engine)() as session:
            await seed_plans(SqlSubscriptionsUnitOfWork(session, clock), services)
            await session.execute(update(PlanRow).values(trial_days=0))
            await session.commit()
        async with session_maker(engine)() as session:
            await sync_plans_to_gateway(SqlSubscriptionsUnitOfWork(session, clock), services, command_id="e2e-sync")
    finally:
        await engine.dispose()


async def owner_with_org(http: httpx.AsyncClient, api: ServedApi, email: str, org_name: str) -> tuple[str, str]:
    """A verified user who created an organisation: (Authorization header value, org id)."""
    registered = await http.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "fullName": "Ann Tan"}
    )
    assert registered.status_code == 201, registered.text
    token = link_token(await api.inbox.wait_for(email, "Verify your email"))
    assert (await http.post("/api/v1/auth/verify-email", json={"token": token})).status_code == 200
    signed = await http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert signed.status_code == 200, signed.text
    authorization = f"Bearer {signed.json()['accessToken']}"
    org = await http.post("/api/v1/orgs", json={"name": org_name}, headers={"Authorization": authorization})
    assert org.status_code == 201, org.text
    return authorization, str(org.json()["id"])


async def inbox_events(database_url: str) -> list[InboxEventRow]:
    engine = create_engine(database_url, pool_size=1)
    try:
        async with session_maker(engine)() as session:
            return list(await session.scalars(select(InboxEventRow).order_by(InboxEventRow.received_at)))
    finally:
        await engine.dispose()


async def eventually(check: Callable[[], Awaitable[Any]], what: str, *, timeout: float = 30.0) -> Any:
    """Poll other processes (localstripe delivers a second after an event; the worker relays
    every 50 ms) until `check` returns something truthy."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result:
            return result
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)
