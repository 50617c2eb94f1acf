"""Staff operations on the inbox (list, detail with attempts, replay one, bulk replay with
progress), the backfill through the ingest path, and /metrics."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from prometheus_client import REGISTRY
from sqlalchemy import update

from nexuscore.bootstrap.app import create_app
from nexuscore.bootstrap.runtime import Runtime
from nexuscore.identity.adapters.sql.tables import UserRow
from nexuscore.kernel.clock import FixedClock
from nexuscore.webhooks.adapters.cli.commands import backfill
from nexuscore.webhooks.adapters.sql.repositories import SqlUnitOfWorkFactory
from nexuscore.webhooks.ports.targets import GatewayEvent
from tests.conftest import make_settings
from tests.e2e.conftest import PASSWORD, bearer, register, signed_in
from tests.e2e.webhooks.conftest import (
    NOW,
    Fakes,
    deliver,
    drain,
    event_body,
    in_app,
    inbox_statuses,
    sign_bytes,
    stripe_header,
    subscription,
    webhook_services,
)

pytestmark = pytest.mark.e2e
Client = AsyncTestClient[Litestar]
ADMIN = "/api/v1/admin/webhooks"


async def staff_headers(client: Client, runtime: Runtime, email: str = "ops@nexuscore.sg") -> dict[str, str]:
    assert (await register(client, email)).status_code == 201

    async def make_staff() -> None:
        async with runtime.sessions() as session:
            await session.execute(update(UserRow).where(UserRow.email == email).values(is_staff=True))
            await session.commit()

    await in_app(client, make_staff)
    return bearer((await signed_in(client, email, PASSWORD))["accessToken"])


async def send(client: Client, event_id: str, type_: str = "customer.subscription.created", **kw: Any) -> None:
    body = event_body(event_id, type_, kw.get("obj", subscription()))
    assert (await deliver(client, body, stripe_header(body))).status_code == 200


async def test_admin_routes_are_staff_only(hooks: Client, runtime: Runtime) -> None:
    assert (await hooks.get(ADMIN)).status_code == 401
    assert (await register(hooks, "ann@acme.sg")).status_code == 201
    user = bearer((await signed_in(hooks, "ann@acme.sg"))["accessToken"])
    assert (await hooks.get(ADMIN, headers=user)).status_code == 403
    assert (await hooks.post(f"{ADMIN}/replay", json={"status": "dead"}, headers=user)).status_code == 403


async def test_list_filters_detail_and_replay(hooks: Client, runtime: Runtime, fakes: Fakes) -> None:
    staff = await staff_headers(hooks, runtime)
    fakes.subscriptions.fail_next = 1
    await send(hooks, "evt_a")
    await send(
        hooks, "evt_b", "customer.updated", obj={"id": "cus_1", "object": "customer", "email": None, "address": None}
    )
    await send(hooks, "evt_x", "radar.early_fraud_warning.created", obj={"id": "issfr_1"})
    await drain(hooks, runtime)
    page = (await hooks.get(ADMIN, headers=staff)).json()
    assert page["total"] == 3 and page["hasMore"] is False and len(page["items"]) == 3
    failed = (await hooks.get(ADMIN, params={"status": "failed"}, headers=staff)).json()
    assert [i["eventId"] for i in failed["items"]] == ["evt_a"]
    by_type = (await hooks.get(ADMIN, params={"type": "radar.early_fraud_warning.created"}, headers=staff)).json()
    assert [(i["eventId"], i["status"]) for i in by_type["items"]] == [("evt_x", "ignored")]
    by_id = (await hooks.get(ADMIN, params={"eventId": "evt_b", "provider": "stripe"}, headers=staff)).json()
    assert by_id["total"] == 1
    later = (await hooks.get(ADMIN, params={"since": (NOW + timedelta(1)).isoformat()}, headers=staff)).json()
    assert later["total"] == 0
    paged = (await hooks.get(ADMIN, params={"limit": 2, "offset": 0}, headers=staff)).json()
    assert paged["total"] == 3 and paged["hasMore"] is True
    assert (await hooks.get(ADMIN, params={"status": "nonsense"}, headers=staff)).status_code == 422

    inbox_id = failed["items"][0]["id"]
    detail = (await hooks.get(f"{ADMIN}/{inbox_id}", headers=staff)).json()
    assert detail["payload"]["id"] == "evt_a"
    [attempt] = detail["attemptLog"]
    assert attempt["outcome"] == "failed" and "injected" in attempt["error"] and attempt["number"] == 1

    replayed = await hooks.post(f"{ADMIN}/{inbox_id}/replay", headers=staff)
    assert replayed.status_code == 202 and replayed.json()["status"] == "received"
    await drain(hooks, runtime)
    detail = (await hooks.get(f"{ADMIN}/{inbox_id}", headers=staff)).json()
    assert detail["status"] == "processed"
    assert [a["outcome"] for a in detail["attemptLog"]] == ["failed", "processed"]
    assert (await hooks.get(f"{ADMIN}/{inbox_id[:-4]}0000", headers=staff)).status_code == 404


async def test_bulk_replay_runs_as_a_job_with_progress(
    hooks: Client, runtime: Runtime, fakes: Fakes, clock: FixedClock
) -> None:
    staff = await staff_headers(hooks, runtime)
    fakes.subscriptions.fail_next = 1000
    for n in range(5):
        body = event_body(f"evt_{n}", "customer.subscription.created", subscription(f"sub_{n}"))
        assert (await deliver(hooks, body, stripe_header(body))).status_code == 200
    await drain(hooks, runtime)
    assert set((await inbox_statuses(hooks, runtime)).values()) == {"failed"}
    fakes.subscriptions.fail_next = 0  # the owner is back
    bad = await hooks.post(f"{ADMIN}/replay", json={"status": "failed", "extra": 1}, headers=staff)
    assert bad.status_code in (400, 422)
    job = await hooks.post(f"{ADMIN}/replay", json={"status": "failed"}, headers=staff)
    assert job.status_code == 202, job.text
    assert job.json()["status"] == "pending"
    await drain(hooks, runtime)  # the job's message runs it; its replays' messages follow
    await drain(hooks, runtime)
    progress = (await hooks.get(f"{ADMIN}/replay-jobs/{job.json()['id']}", headers=staff)).json()
    assert (progress["status"], progress["total"], progress["replayed"]) == ("done", 5, 5)
    assert set((await inbox_statuses(hooks, runtime)).values()) == {"processed"}
    assert len(fakes.subscriptions.subscriptions) == 5


async def test_backfill_ingests_only_what_is_missing(hooks: Client, runtime: Runtime, fakes: Fakes) -> None:
    import json

    await send(hooks, "evt_have")
    for event_id in ("evt_have", "evt_missing"):
        data = json.loads(event_body(event_id, "customer.subscription.created", subscription()))
        fakes.gateway.events.append(GatewayEvent(payload=json.dumps(data), data=data))
    fakes.gateway.events.append(
        GatewayEvent(payload="{}", data={"object": "customer", "created": int(NOW.timestamp())})
    )
    services = webhook_services(runtime)
    uows = SqlUnitOfWorkFactory(runtime.sessions, runtime.clock)

    async def run() -> tuple[int, int, int]:
        return await backfill(services, uows, since=NOW - timedelta(days=30))

    assert await in_app(hooks, run) == (1, 1, 1)
    await drain(hooks, runtime)
    assert await inbox_statuses(hooks, runtime) == {"evt_have": "processed", "evt_missing": "processed"}


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_metrics_count_received_duplicates_rejections_and_latency(hooks: Client, runtime: Runtime) -> None:
    before = {
        "received": _sample("webhooks_received_total", provider="stripe", type="customer.subscription.created"),
        "dup": _sample("webhooks_duplicates_total", provider="stripe"),
        "bad": _sample("webhooks_rejected_total", provider="stripe", cause="bad-signature"),
        "processed": _sample("webhooks_outcomes_total", provider="stripe", outcome="processed"),
    }
    await send(hooks, "evt_m")
    await send(hooks, "evt_m")
    body = event_body("evt_n")
    assert (await deliver(hooks, body, sign_bytes(body, "whsec_wrong_wrong_wrong_0"))).status_code == 400
    await drain(hooks, runtime)
    text = (await hooks.get("/metrics")).text
    assert (
        _sample("webhooks_received_total", provider="stripe", type="customer.subscription.created")
        == before["received"] + 1
    )
    assert _sample("webhooks_duplicates_total", provider="stripe") == before["dup"] + 1
    assert _sample("webhooks_rejected_total", provider="stripe", cause="bad-signature") == before["bad"] + 1
    assert _sample("webhooks_outcomes_total", provider="stripe", outcome="processed") == before["processed"] + 1
    assert (
        'http_request_duration_seconds_bucket{le="0.005",method="POST",route="/api/v1/webhooks/stripe",status="2xx"}'
        in text
    )
    assert "webhooks_processing_lag_seconds_bucket" in text
    assert "outbox_oldest_unpublished_age_seconds 0.0" in text  # drained


async def test_metrics_behind_a_token(app_postgres_url: str, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=app_postgres_url, METRICS_TOKEN="m" * 24)
    async with AsyncTestClient(create_app(settings)) as client:
        assert (await client.get("/metrics")).status_code == 404
        assert (await client.get("/metrics", headers={"Authorization": "Bearer wrong"})).status_code == 404
        ok = await client.get("/metrics", headers={"Authorization": "Bearer " + "m" * 24})
        assert ok.status_code == 200 and "http_request_duration_seconds" in ok.text


async def test_metrics_port_serves_the_exposition_on_an_internal_port(app_postgres_url: str, tmp_path: Path) -> None:
    """METRICS_PORT: the same text on HOST:METRICS_PORT (a scraper inside the cluster), while
    the public route stays behind its token; the port closes with the app."""
    import socket

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    settings = make_settings(
        tmp_path, DATABASE_URL=app_postgres_url, METRICS_PORT=str(port), METRICS_TOKEN="m" * 24, HOST="127.0.0.1"
    )
    url = f"http://127.0.0.1:{port}/metrics"
    async with AsyncTestClient(create_app(settings)) as client:
        assert (await client.get("/health/live")).status_code == 200
        assert (await client.get("/metrics")).status_code == 404  # public route: token only
        async with httpx.AsyncClient() as http:
            scraped = await http.get(url)
        assert scraped.status_code == 200
        assert scraped.headers["content-type"].startswith("text/plain")
        assert 'route="/health/live"' in scraped.text and "webhooks_received_total" in scraped.text
    async with httpx.AsyncClient() as http:
        with pytest.raises(httpx.ConnectError):
            await http.get(url)
