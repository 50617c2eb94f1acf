"""POST /api/v1/webhooks/stripe: what is refused (400, nothing stored), what is stored once
with its outbox message, and duplicates (sequential and concurrent) that add nothing."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from nexuscore.bootstrap.runtime import Runtime
from nexuscore.events.adapters.sql.tables import DomainEventRow
from nexuscore.webhooks.adapters.sql.tables import InboxEventRow
from tests.e2e.webhooks.conftest import (
    NOW,
    OLD_SECRET,
    URL,
    deliver,
    event_body,
    in_app,
    inbox_statuses,
    sign_bytes,
    stripe_header,
)

pytestmark = pytest.mark.e2e


async def counts(client: AsyncTestClient[Litestar], runtime: Runtime) -> tuple[int, int]:
    """(inbox rows, outbox messages for webhooks)."""

    async def read() -> tuple[int, int]:
        async with runtime.sessions() as session:
            inbox = await session.scalar(select(func.count()).select_from(InboxEventRow))
            outbox = await session.scalar(
                select(func.count()).select_from(DomainEventRow).where(DomainEventRow.type == "webhook.received")
            )
        return int(inbox or 0), int(outbox or 0)

    return await in_app(client, read)


def _bad_cases() -> list[tuple[str, bytes, str | None, str]]:
    body = event_body()
    good = stripe_header(body)
    t = int(NOW.timestamp())
    return [
        ("missing", body, None, "missing-signature"),
        ("empty", body, "", "missing-signature"),
        ("garbage", body, "not a signature", "malformed-signature"),
        ("no timestamp", body, good.split(",", 1)[1], "malformed-signature"),
        ("timestamp not a number", body, "t=abc," + good.split(",", 1)[1], "malformed-signature"),
        ("two timestamps", body, f"t={t}," + good, "malformed-signature"),
        ("wrong secret", body, sign_bytes(body, "whsec_someone_else_0123456789"), "bad-signature"),
        ("v0 only", body, good.replace("v1=", "v0="), "no-v1-signature"),
        ("v1 not hex", body, f"t={t},v1=zzzz", "bad-signature"),
        ("stale", body, stripe_header(body, at=NOW - timedelta(seconds=301)), "timestamp-out-of-tolerance"),
        ("future", body, stripe_header(body, at=NOW + timedelta(seconds=301)), "timestamp-out-of-tolerance"),
        ("tampered body", body.replace(b"evt_1", b"evt_2"), good, "bad-signature"),
        ("signature of other time", body, good.replace(f"t={t}", f"t={t + 1}"), "bad-signature"),
        ("signed bad utf-8", b'{"id": "\xff"}', sign_bytes(b'{"id": "\xff"}'), "not-utf8"),
        ("signed non-json", b"hello", sign_bytes(b"hello"), "not-json"),
        ("signed NaN", b'{"a": NaN}', sign_bytes(b'{"a": NaN}'), "not-json"),
        ("signed json not an event", b"[1, 2]", sign_bytes(b"[1, 2]"), "not-an-event"),
        (
            "signed object not an event",
            b'{"object": "customer"}',
            sign_bytes(b'{"object": "customer"}'),
            "not-an-event",
        ),
        (
            "event without id",
            b'{"object": "event", "type": "x.y", "created": 1}',
            sign_bytes(b'{"object": "event", "type": "x.y", "created": 1}'),
            "not-an-event",
        ),
        (
            "event with string created",
            b'{"object": "event", "id": "evt_9", "type": "x.y", "created": "1"}',
            sign_bytes(b'{"object": "event", "id": "evt_9", "type": "x.y", "created": "1"}'),
            "not-an-event",
        ),
    ]


@pytest.mark.parametrize(("case", "body", "header", "cause"), _bad_cases(), ids=[c[0] for c in _bad_cases()])
async def test_bad_deliveries_are_400_and_never_stored(
    hooks: AsyncTestClient[Litestar], runtime: Runtime, case: str, body: bytes, header: str | None, cause: str
) -> None:
    response = await deliver(hooks, body, header)
    assert response.status_code == 400, response.text
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["type"].endswith("/bad-webhook")
    assert problem["cause"] == cause
    assert await counts(hooks, runtime) == (0, 0)


async def test_tolerance_both_ways_at_the_edge(hooks: AsyncTestClient[Litestar], runtime: Runtime) -> None:
    early = event_body("evt_early")
    late = event_body("evt_late")
    assert (await deliver(hooks, early, stripe_header(early, at=NOW - timedelta(seconds=300)))).status_code == 200
    assert (await deliver(hooks, late, stripe_header(late, at=NOW + timedelta(seconds=300)))).status_code == 200
    assert await counts(hooks, runtime) == (2, 2)


async def test_rotated_secret_and_any_matching_v1_pass(hooks: AsyncTestClient[Litestar], runtime: Runtime) -> None:
    old = event_body("evt_old")
    assert (await deliver(hooks, old, stripe_header(old, OLD_SECRET))).status_code == 200
    both = event_body("evt_both")
    wrong = sign_bytes(both, "whsec_someone_else_0123456789").split(",")[1]
    header = stripe_header(both) + "," + wrong
    assert (await deliver(hooks, both, header.replace("t=", "t=", 1))).status_code == 200
    assert await counts(hooks, runtime) == (2, 2)


async def test_body_over_one_mib_is_413(hooks: AsyncTestClient[Litestar], runtime: Runtime) -> None:
    body = event_body("evt_big", obj={"id": "cus_1", "object": "customer", "pad": "x" * (2 * 1_048_576)})
    response = await deliver(hooks, body, stripe_header(body))
    assert response.status_code == 413
    assert await counts(hooks, runtime) == (0, 0)


async def test_event_stored_with_envelope_and_outbox_message(
    hooks: AsyncTestClient[Litestar], runtime: Runtime
) -> None:
    body = event_body("evt_stored", "customer.subscription.created")
    response = await deliver(hooks, body, stripe_header(body))
    assert response.status_code == 200, response.text
    assert response.json() == {"received": True, "duplicate": False}

    async def read() -> tuple[InboxEventRow, DomainEventRow]:
        async with runtime.sessions() as session:
            row = (await session.scalars(select(InboxEventRow))).one()
            message = (
                await session.scalars(select(DomainEventRow).where(DomainEventRow.type == "webhook.received"))
            ).one()
        return row, message

    row, message = await in_app(hooks, read)
    assert (row.provider, row.event_id, row.type, row.livemode) == ("stripe", "evt_stored", row.type, False)
    assert row.created == NOW and row.api_version == "2025-03-31.basil" and row.status == "received"
    assert row.payload == body.decode()  # the bytes as received, not re-serialised
    assert message.payload == {
        "inboxId": str(row.id),
        "provider": "stripe",
        "eventType": "customer.subscription.created",
    }
    assert message.published_at is None


async def test_unknown_type_is_stored_ignored_without_a_job(hooks: AsyncTestClient[Litestar], runtime: Runtime) -> None:
    body = event_body("evt_unknown", "radar.early_fraud_warning.created")
    assert (await deliver(hooks, body, stripe_header(body))).status_code == 200
    assert await inbox_statuses(hooks, runtime) == {"evt_unknown": "ignored"}
    assert await counts(hooks, runtime) == (1, 0)


async def test_sequential_duplicate_is_200_and_adds_nothing(hooks: AsyncTestClient[Litestar], runtime: Runtime) -> None:
    body = event_body("evt_dup")
    first = await deliver(hooks, body, stripe_header(body))
    again = await deliver(hooks, body, stripe_header(body, at=NOW + timedelta(seconds=5)))
    assert first.json() == {"received": True, "duplicate": False}
    assert again.status_code == 200 and again.json() == {"received": True, "duplicate": True}
    assert await counts(hooks, runtime) == (1, 1)


async def test_ten_concurrent_duplicates_make_one_row_and_one_job(
    hooks: AsyncTestClient[Litestar], runtime: Runtime
) -> None:
    body = event_body("evt_race")
    header = stripe_header(body)
    app = hooks.app
    headers = {"stripe-signature": header, "content-type": "application/json"}

    async def burst() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=str(hooks.base_url)) as raw:
            return list(await asyncio.gather(*(raw.post(URL, content=body, headers=headers) for _ in range(10))))

    responses = await in_app(hooks, burst)
    assert [r.status_code for r in responses] == [200] * 10
    assert sorted(r.json()["duplicate"] for r in responses) == [False] + [True] * 9
    assert await counts(hooks, runtime) == (1, 1)
