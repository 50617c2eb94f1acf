"""Webhook inbox fixtures: the real app on PostgreSQL with a clock the tests hold, the
in-process broker running tasks inline, and memory fakes behind the target ports (the inbox's
own behaviour; `test_subscriptions_wired.py` runs the real subscriptions context behind them
with fixtures of its own). The outbox relay does not run
by itself: `drain()` relays and processes everything committed so far, deterministically."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import anyio
import pytest
import stripe
from litestar import Litestar
from litestar.testing import AsyncTestClient

from nexuscore.bootstrap.app import create_app
from nexuscore.bootstrap.runtime import Runtime, build_runtime
from nexuscore.kernel.clock import FixedClock
from nexuscore.platform.settings import Settings
from nexuscore.webhooks.adapters import targets as wiring
from nexuscore.webhooks.adapters.memory.targets import MemoryBillingProfileSync, MemoryGateway, MemorySubscriptionSync
from nexuscore.webhooks.ports.targets import Targets
from tests.conftest import make_settings

SECRET = "whsec_test_current_0123456789"
OLD_SECRET = "whsec_test_previous_0123456789"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
URL = "/api/v1/webhooks/stripe"


@dataclass
class Fakes:
    subscriptions: MemorySubscriptionSync
    profiles: MemoryBillingProfileSync
    gateway: MemoryGateway

    @property
    def targets(self) -> Targets:
        return Targets(self.subscriptions, self.profiles, self.gateway)


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> Fakes:
    made = Fakes(MemorySubscriptionSync(yield_between=True), MemoryBillingProfileSync(), MemoryGateway())
    monkeypatch.setattr(wiring, "default_targets", lambda infra: made.targets)
    return made


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def hook_settings(app_postgres_url: str, tmp_path: Path) -> Settings:
    return make_settings(
        tmp_path,
        DATABASE_URL=app_postgres_url,
        OUTBOX_RELAY_IN_PROCESS="false",
        STRIPE_WEBHOOK_SECRETS=f"{SECRET}, {OLD_SECRET}",
        WEBHOOK_MAX_ATTEMPTS="3",
        WEBHOOK_RETRY_BASE_SECONDS="60",
    )


@pytest.fixture
def runtime(hook_settings: Settings, clock: FixedClock, fakes: Fakes) -> Runtime:
    # Started and stopped by the app's lifespan (the `hooks` client).
    return build_runtime(hook_settings, clock=clock, await_inplace=True)


@pytest.fixture
async def hooks(runtime: Runtime) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(create_app(runtime=runtime)) as c:
        yield c


T = TypeVar("T")


async def in_app(client: AsyncTestClient[Litestar], fn: Callable[[], Awaitable[T]]) -> T:
    """Run `fn` on the app's event loop (the test client's portal), where the runtime's
    connection pool lives, from a worker thread so the test's own loop stays free."""
    result: T = await anyio.to_thread.run_sync(client.blocking_portal.call, fn)
    return result


async def drain(client: AsyncTestClient[Litestar], runtime: Runtime) -> int:
    """Relay the outbox; with the inline broker each event is dispatched and processed there."""
    return await in_app(client, runtime.relay.run_once)


def event_body(
    event_id: str = "evt_1",
    type_: str = "customer.subscription.updated",
    obj: dict[str, Any] | None = None,
    *,
    created: datetime = NOW,
) -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": type_,
            "api_version": "2025-03-31.basil",
            "created": int(created.timestamp()),
            "livemode": False,
            "data": {"object": obj if obj is not None else {"id": "cus_1", "object": "customer"}},
        }
    ).encode()


def sign_bytes(body: bytes, secret: str = SECRET, *, at: datetime = NOW) -> str:
    t = int(at.timestamp())
    return f"t={t},v1=" + hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()


def stripe_header(body: bytes, secret: str = SECRET, *, at: datetime = NOW) -> str:
    """Stripe's own SDK signs (the reference the verifier is held to)."""
    header: str = stripe.WebhookSignature.generate_signature_header(
        body.decode(), secret, timestamp=int(at.timestamp())
    )
    return header


async def deliver(client: AsyncTestClient[Litestar], body: bytes, header: str | None = None) -> Any:
    headers = {"content-type": "application/json"}
    if header is not None:
        headers["stripe-signature"] = header
    return await client.post(URL, content=body, headers=headers)


def subscription(
    sub_id: str = "sub_1", *, status: str = "active", price: str = "price_basic", ended: datetime | None = None
) -> dict[str, Any]:
    return {
        "id": sub_id,
        "object": "subscription",
        "customer": "cus_1",
        "status": status,
        "items": {"object": "list", "data": [{"price": {"id": price}, "quantity": 1}]},
        "cancel_at_period_end": False,
        "canceled_at": int(ended.timestamp()) if ended else None,
        "ended_at": int(ended.timestamp()) if ended else None,
        "metadata": {"organization_id": "org-1"},
    }


async def inbox_statuses(client: AsyncTestClient[Litestar], runtime: Runtime) -> dict[str, str]:
    """event id -> status of every stored event."""
    from sqlalchemy import select

    from nexuscore.webhooks.adapters.sql.tables import InboxEventRow

    async def read() -> dict[str, str]:
        async with runtime.sessions() as session:
            rows = (await session.execute(select(InboxEventRow.event_id, InboxEventRow.status))).all()
        return {event_id: status for event_id, status in rows}

    return await in_app(client, read)


def webhook_services(runtime: Runtime) -> Any:
    from nexuscore.webhooks.adapters.http.dependencies import WEBHOOKS_STATE_KEY

    return runtime.module("webhooks").state[WEBHOOKS_STATE_KEY].services


async def run_task(client: AsyncTestClient[Litestar], runtime: Runtime, name: str, **kwargs: str) -> Any:
    """Kick a registered task; the inline broker runs it to the end on the app's loop."""

    async def kick() -> Any:
        task = runtime.broker.find_task(name)
        assert task is not None
        handle = await task.kiq(**kwargs)
        result = await handle.wait_result()
        assert not result.is_err, result.error
        return result.return_value

    return await in_app(client, kick)


async def inbox_row(client: AsyncTestClient[Litestar], runtime: Runtime, event_id: str) -> Any:
    from sqlalchemy import select

    from nexuscore.webhooks.adapters.sql.tables import InboxEventRow

    async def read() -> Any:
        async with runtime.sessions() as session:
            return (await session.scalars(select(InboxEventRow).where(InboxEventRow.event_id == event_id))).one()

    return await in_app(client, read)


async def attempts_of(client: AsyncTestClient[Litestar], runtime: Runtime, event_id: str) -> list[Any]:
    from sqlalchemy import select

    from nexuscore.webhooks.adapters.sql.tables import AttemptRow, InboxEventRow

    async def read() -> list[Any]:
        async with runtime.sessions() as session:
            rows = await session.scalars(
                select(AttemptRow)
                .join(InboxEventRow, InboxEventRow.id == AttemptRow.inbox_id)
                .where(InboxEventRow.event_id == event_id)
                .order_by(AttemptRow.number)
            )
            return list(rows)

    return await in_app(client, read)
