"""Scenario 4: the webhook inbox. Ratios against raw asyncpg floors, same run, same database.

- ingest: signed Stripe deliveries through the app's HTTP stack (Litestar via httpx's ASGI
  transport, in process: no sockets, so the figure is the app's own cost) against the floor:
  raw asyncpg, one transaction per delivery inserting the same inbox row (ON CONFLICT DO
  NOTHING) and the same outbox row. Closed loop on `--concurrency` clients for the maximum
  rate; then both paced at half of their maximum for the p99.
- drain: `--events` stored events processed by `process_event` (what one worker's task runs:
  claim, handler on memory targets, attempt and outcome) with `--workers` at a time (the
  worker's dispatch limit is 4), against a plain asyncpg loop doing the same statements
  (claim UPDATE ... RETURNING, attempt INSERT, outcome UPDATE) on as many connections.

A fresh PostgreSQL database `nexuscore_bench_<random>` (migrated, always dropped), as the
owner role (no RLS on these tables). Redis and the relay are not in the measured path.

    .venv/bin/python bench/webhooks.py                      # 2,000 deliveries, 20,000 events
    .venv/bin/python bench/webhooks.py --deliveries 500 --events 2000
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import secrets
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))

SECRET = "whsec_bench_0123456789abcdef"
ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def body(n: int, run: str) -> bytes:
    sub = {"id": f"sub_{n}", "object": "subscription", "customer": "cus_1", "status": "active"}
    sub["items"] = {"data": [{"price": {"id": "price_basic"}, "quantity": 1}]}
    event = {"id": f"evt_{run}_{n}", "object": "event", "type": "customer.subscription.updated"}
    event |= {"created": int(time.time()), "livemode": False, "api_version": "2025-03-31.basil"}
    return json.dumps({**event, "data": {"object": sub}}).encode()


def signature(payload: bytes) -> str:
    t = int(time.time())
    return f"t={t},v1=" + hmac.new(SECRET.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def closed_loop(
    send: Callable[[int], Awaitable[None]], total: int, concurrency: int
) -> tuple[float, list[float]]:
    counter = iter(range(total))
    latencies: list[float] = []

    async def client() -> None:
        for n in counter:
            started = time.perf_counter()
            await send(n)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return total / (time.perf_counter() - started), latencies


async def paced(send: Callable[[int], Awaitable[None]], total: int, rate: float) -> list[float]:
    latencies: list[float] = []

    async def one(n: int) -> None:
        started = time.perf_counter()
        await send(n)
        latencies.append(time.perf_counter() - started)

    start = time.perf_counter()
    tasks = []
    for n in range(total):
        delay = start + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(one(n)))
    await asyncio.gather(*tasks)
    return latencies


async def bench_ingest(app: Any, dsn: str, args: argparse.Namespace) -> dict[str, Any]:
    import asyncpg
    import httpx

    run = secrets.token_hex(3)
    bodies = [body(n, run) for n in range(args.deliveries * 2)]
    pool = await asyncpg.create_pool(dsn, min_size=args.concurrency, max_size=args.concurrency)

    async def floor(n: int) -> None:
        data = json.loads(bodies[n])
        now = datetime.now(UTC)
        inbox_id = uuid.uuid4()
        async with pool.acquire() as conn, conn.transaction():
            stored = await conn.fetchval(
                "INSERT INTO webhooks_inbox_event (id, provider, event_id, type, livemode, created, api_version,"
                " payload, status, attempts, received_at) VALUES ($1, 'stripe', $2, $3, false, $4, $5, $6,"
                " 'received', 0, $7) ON CONFLICT (provider, event_id) DO NOTHING RETURNING id",
                inbox_id,
                "floor_" + data["id"],
                data["type"],
                now,
                data["api_version"],
                bodies[n].decode(),
                now,
            )
            if stored is not None:
                await conn.execute(
                    "INSERT INTO events_domain_event (id, type, payload, occurred_at, recorded_at, subject)"
                    " VALUES ($1, 'webhook.received', $2::jsonb, $3, $3, $4)",
                    uuid.uuid4(),
                    json.dumps({"inboxId": str(inbox_id)}),
                    now,
                    f"webhook:{inbox_id}",
                )

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

        async def api(n: int) -> None:
            response = await client.post(
                "/api/v1/webhooks/stripe",
                content=bodies[n],
                headers={"stripe-signature": signature(bodies[n]), "content-type": "application/json"},
            )
            assert response.status_code == 200, response.text

        api_rate, api_lat = await closed_loop(api, args.deliveries, args.concurrency)
        floor_rate, floor_lat = await closed_loop(floor, args.deliveries, args.concurrency)
        half = min(args.deliveries, 500)
        offset = args.deliveries
        api_half = await paced(lambda n: api(offset + n), half, api_rate / 2)
        floor_half = await paced(lambda n: floor(offset + n), half, floor_rate / 2)
    await pool.close()
    return {
        "api_per_s": round(api_rate, 1),
        "floor_per_s": round(floor_rate, 1),
        "throughput_ratio": round(api_rate / floor_rate, 3),
        "api_p99_ms_at_half": round(percentile(api_half, 0.99) * 1000, 2),
        "floor_p99_ms_at_half": round(percentile(floor_half, 0.99) * 1000, 2),
        "p99_ratio_at_half": round(percentile(api_half, 0.99) / percentile(floor_half, 0.99), 2),
        "api_p50_ms_closed": round(statistics.median(api_lat) * 1000, 2),
        "floor_p50_ms_closed": round(statistics.median(floor_lat) * 1000, 2),
    }


PROFILED = 200  # requests (ingest) and events (drain) whose Python function calls are counted


async def asgi_post(app: Any, path: str, payload: bytes, headers: dict[str, str]) -> int:
    """One POST straight into the ASGI app (no HTTP client in the profile)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"bench"),
            (b"content-length", str(len(payload)).encode()),
            *((k.encode(), v.encode()) for k, v in headers.items()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": payload, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return int(next(m["status"] for m in sent if m["type"] == "http.response.start"))


def calls_per(profiler: Any, count: int, out: Path | None, name: str) -> int:
    import pstats

    stats = pstats.Stats(profiler)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        stats.dump_stats(out / f"{name}.pstats")
    return round(stats.total_calls / count)  # type: ignore[attr-defined]


async def profile_ingest(app: Any, args: argparse.Namespace) -> int:
    """Python function calls per signed delivery (cProfile over PROFILED direct ASGI POSTs)."""
    import cProfile

    run = secrets.token_hex(3)
    bodies = [body(n, "prof" + run) for n in range(PROFILED + 1)]

    async def post(n: int) -> None:
        headers = {"stripe-signature": signature(bodies[n]), "content-type": "application/json"}
        status = await asgi_post(app, "/api/v1/webhooks/stripe", bodies[n], headers)
        assert status == 200, status

    await post(PROFILED)  # warm
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(PROFILED):
        await post(n)
    profiler.disable()
    return calls_per(profiler, PROFILED, args.profile, "ingest")


async def seed(dsn: str, count: int, prefix: str) -> list[uuid.UUID]:
    import asyncpg

    conn = await asyncpg.connect(dsn)
    now = datetime.now(UTC) - timedelta(seconds=5)
    ids = [uuid.uuid4() for _ in range(count)]
    rows = []
    for n, inbox_id in enumerate(ids):
        payload = body(n, prefix).decode()
        rows.append(
            (
                inbox_id,
                "stripe",
                f"{prefix}_{n}",
                "customer.subscription.updated",
                False,
                now,
                None,
                payload,
                "received",
                0,
                now,
            )
        )
    await conn.copy_records_to_table(
        "webhooks_inbox_event",
        records=rows,
        columns=[
            "id",
            "provider",
            "event_id",
            "type",
            "livemode",
            "created",
            "api_version",
            "payload",
            "status",
            "attempts",
            "received_at",
        ],
    )
    await conn.close()
    return ids


async def bench_drain(engine_url: str, dsn: str, args: argparse.Namespace) -> dict[str, Any]:
    import asyncpg

    from nexuscore.kernel.clock import SystemClock
    from nexuscore.platform.database import create_engine, session_maker
    from nexuscore.webhooks.adapters.memory.targets import (
        MemoryBillingProfileSync,
        MemoryGateway,
        MemorySubscriptionSync,
    )
    from nexuscore.webhooks.adapters.sql.repositories import SqlUnitOfWorkFactory
    from nexuscore.webhooks.application.handlers import default_registry
    from nexuscore.webhooks.application.processing import process_event
    from nexuscore.webhooks.application.services import WebhooksServices
    from nexuscore.webhooks.ports.targets import Targets

    clock = SystemClock()
    engine = create_engine(engine_url, pool_size=args.workers)
    uows = SqlUnitOfWorkFactory(session_maker(engine), clock)
    targets = Targets(MemorySubscriptionSync(), MemoryBillingProfileSync(), MemoryGateway())
    services = WebhooksServices(clock=clock, targets=targets, handlers=default_registry())

    async def drain(ids: list[uuid.UUID], work: Callable[[uuid.UUID], Awaitable[None]]) -> float:
        queue = iter(ids)

        async def worker() -> None:
            for inbox_id in queue:
                await work(inbox_id)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(args.workers)))
        return len(ids) / (time.perf_counter() - started)

    app_ids = await seed(dsn, args.events, "drain_app")
    calls = None
    if args.profile_calls:
        import cProfile

        profiled, app_ids = app_ids[:PROFILED], app_ids[PROFILED:]
        await process_event(uows, services, inbox_id=profiled[0])  # warm
        profiler = cProfile.Profile()
        profiler.enable()
        for inbox_id in profiled[1:]:
            await process_event(uows, services, inbox_id=inbox_id)
        profiler.disable()
        calls = calls_per(profiler, len(profiled) - 1, args.profile, "drain")

    async def app_work(inbox_id: uuid.UUID) -> None:
        outcome = await process_event(uows, services, inbox_id=inbox_id)
        assert outcome is not None and outcome.status.value == "processed"

    app_rate = await drain(app_ids, app_work)
    await engine.dispose()

    floor_ids = await seed(dsn, args.events, "drain_floor")
    pool = await asyncpg.create_pool(dsn, min_size=args.workers, max_size=args.workers)

    async def floor_work(inbox_id: uuid.UUID) -> None:
        token = uuid.uuid4()
        async with pool.acquire() as conn:
            async with conn.transaction():
                row = await conn.fetchrow(
                    "UPDATE webhooks_inbox_event SET status = 'processing', claimed_at = now(), claim_token = $2,"
                    " attempts = attempts + 1 WHERE id = $1 AND status IN ('received', 'failed')"
                    " RETURNING payload, received_at",
                    inbox_id,
                    token,
                )
            json.loads(row["payload"])  # what the handler reads
            async with conn.transaction():
                number = await conn.fetchval(
                    "SELECT coalesce(max(number), 0) + 1 FROM webhooks_attempt WHERE inbox_id = $1", inbox_id
                )
                await conn.execute(
                    "UPDATE webhooks_inbox_event SET status = 'processed', claimed_at = NULL, claim_token = NULL,"
                    " processed_at = now() WHERE id = $1 AND claim_token = $2",
                    inbox_id,
                    token,
                )
                await conn.execute(
                    "INSERT INTO webhooks_attempt (id, inbox_id, number, started_at, duration_ms, outcome)"
                    " VALUES ($1, $2, $3, now(), 0, 'processed')",
                    uuid.uuid4(),
                    inbox_id,
                    number,
                )

    floor_rate = await drain(floor_ids, floor_work)
    await pool.close()
    return {
        "events": args.events,
        "workers": args.workers,
        "app_per_s": round(app_rate, 1),
        "floor_per_s": round(floor_rate, 1),
        "throughput_ratio": round(app_rate / floor_rate, 3),
        "python_calls_per_event": calls,
    }


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    import asyncpg

    from nexuscore.bootstrap.app import create_app
    from nexuscore.platform.migrations import upgrade_head
    from nexuscore.platform.settings import load_settings

    name = f"nexuscore_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(args.pg_admin_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    dsn = args.pg_admin_url.rsplit("/", 1)[0] + f"/{name}"
    engine_url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
    try:
        await asyncio.to_thread(upgrade_head, engine_url)
        settings = load_settings(
            {
                "ENVIRONMENT": "test",
                "DATABASE_URL": engine_url,
                "STRIPE_WEBHOOK_SECRETS": SECRET,
                "OUTBOX_RELAY_IN_PROCESS": "false",
                "LOG_LEVEL": "WARNING",
                "NEXUSCORE_VAR_DIR": str(BENCH_DIR / "results" / "var"),
            },
            dotenv=None,
        )
        app = create_app(settings)
        async with app.lifespan():
            calls = await profile_ingest(app, args) if args.profile_calls else None
            ingest = await bench_ingest(app, dsn, args) | {"python_calls_per_delivery": calls}
        drain = await bench_drain(engine_url, dsn, args)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    return {"ingest": ingest, "drain": drain, "loadavg": list(__import__("os").getloadavg())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--pg-admin-url", default=ADMIN)
    parser.add_argument(
        "--profile-calls",
        action="store_true",
        help=f"also count Python function calls per delivery and per drained event (cProfile, {PROFILED} each)",
    )
    parser.add_argument("--profile", type=Path, default=None, help="with --profile-calls: write .pstats here")
    args = parser.parse_args()
    result = asyncio.run(main_async(args))
    out = BENCH_DIR / "results" / "webhooks.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
