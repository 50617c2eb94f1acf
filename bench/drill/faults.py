"""The fault drills of issue 17: its seven rows, PostgreSQL restarted under load (6, for real
on the drill's own cluster) and the API SIGTERMed with requests in flight (8). Each runs
registrations (POST /api/v1/auth/register, whose
verification mail goes outbox -> worker -> SMTP) around one fault and returns what it saw; the
runner (`run.py`) then waits, bounded, for the mails and builds the table row.

Durations and request counts come from `Params` (`--quick` shrinks them for CI).
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from run import Drill


@dataclass(frozen=True)
class Params:
    smtp_down: float = 30.0  # 1: SMTP outage
    smtp_requests: int = 20
    retry_requests: int = 10  # 2: retries pending across a Redis restart
    kill_requests: int = 200  # 3: registrations around the worker's SIGKILL
    kill_seconds: float = 20.0
    kill_gap: float = 10.0  # new worker this long after the kill
    empty_requests: int = 16  # 4: Redis comes back empty
    empty_parked: int = 8  # 4: dispatches waiting in the stream when it does
    empty_seconds: float = 10.0
    redis_down: float = 20.0  # 5: Redis outage under registrations
    redis_requests: int = 40
    pg_down: float = 10.0  # 6: drill database refusing and dropping connections
    pg_requests: int = 30
    broker_down: float = 20.0  # 7: idle broker outage, worker log and CPU measured
    sigterm_requests: int = 12  # 8: registrations in flight when the API gets SIGTERM
    around: float = 3.0  # traffic before and after an outage
    wait: float = 120.0  # bound on waiting for the mails, per fault
    kill_wait: float = 120.0  # fault 3: idle unacknowledged messages must be reclaimed within it

    @classmethod
    def quick(cls) -> Params:
        return cls(
            smtp_down=6.0,
            smtp_requests=6,
            retry_requests=4,
            kill_requests=24,
            kill_seconds=6.0,
            kill_gap=5.0,
            empty_requests=6,
            empty_parked=4,
            empty_seconds=4.0,
            redis_down=5.0,
            redis_requests=10,
            pg_down=4.0,
            pg_requests=10,
            broker_down=5.0,
            sigterm_requests=6,
            around=1.5,
            wait=25.0,
            kill_wait=75.0,
        )


@dataclass
class Observed:
    """What a fault did and when the dependency came back (monotonic seconds)."""

    results: list[tuple[str, float, float, int | str]] = field(default_factory=list)  # email, sent, done, status
    restored_at: float = 0.0
    window: tuple[float, float] = (0.0, 0.0)  # worker log and CPU measured over it (the outage)
    notes: list[str] = field(default_factory=list)
    planned_restarts: frozenset[str] = frozenset()
    wait: float | None = None  # overrides Params.wait


Fault = Callable[["Drill", str], Awaitable[Observed]]


async def smtp_down(drill: Drill, key: str) -> Observed:
    p, seen = drill.params, Observed()
    drill.stack.sink.stop()
    t0 = time.monotonic()
    load = asyncio.create_task(drill.register_spread(key, p.smtp_requests, p.smtp_down * 0.8))
    await asyncio.sleep(p.smtp_down)
    drill.stack.sink.start()
    seen.restored_at = time.monotonic()
    seen.window = (t0, seen.restored_at)
    seen.results = await load
    return seen


async def redis_restart_retry_due(drill: Drill, key: str) -> Observed:
    p, seen = drill.params, Observed()
    drill.stack.sink.stop()  # first sends fail: their retries wait in the Redis schedule source
    t0 = time.monotonic()
    seen.results = await drill.register_spread(key, p.retry_requests, 1.0)
    await asyncio.sleep(3.0)
    await asyncio.to_thread(drill.stack.redis.stop)
    await asyncio.sleep(1.0)
    await asyncio.to_thread(drill.stack.redis.start)
    drill.stack.sink.start()  # the retries are due now, after the restart
    seen.restored_at = time.monotonic()
    seen.window = (t0, seen.restored_at)
    seen.notes.append("persistent restart (AOF)")
    return seen


async def worker_killed(drill: Drill, key: str) -> Observed:
    p, seen = drill.params, Observed(planned_restarts=frozenset({"worker"}), wait=drill.params.kill_wait)
    t0 = time.monotonic()
    load = asyncio.create_task(drill.register_spread(key, p.kill_requests, p.kill_seconds))
    await asyncio.sleep(p.kill_seconds / 2)
    await asyncio.to_thread(drill.stack.kill, "worker", signal.SIGKILL)
    killed = time.monotonic()
    seen.results = await load
    await asyncio.sleep(max(0.0, killed + p.kill_gap - time.monotonic()))
    drill.stack.start("worker")
    await asyncio.to_thread(drill.stack.wait_logged, "worker", "worker started")
    seen.restored_at = time.monotonic()
    seen.window = (t0, seen.restored_at)
    seen.notes.append(f"SIGKILL, new worker {p.kill_gap:g} s later, no traffic after")
    return seen


async def redis_emptied(drill: Drill, key: str) -> Observed:
    """Two empty restarts: one with dispatch tasks waiting in the stream (the worker paused, a
    relay pass of its own published them and marked them published), then one under traffic.
    The first is what lost mails for good until the relay redelivered undispatched events."""
    p, seen = drill.params, Observed()
    t0 = time.monotonic()
    stack = drill.stack
    stack.pause("worker", True)
    try:
        parked = await drill.register_spread(key, p.empty_parked, 1.0, first=10_000)
        published = await asyncio.to_thread(stack.relay_once)
        await asyncio.to_thread(stack.redis.stop)
        await asyncio.to_thread(stack.redis.start, empty=True)
    finally:
        stack.pause("worker", False)
    seen.notes.append(f"{published} dispatch(es) in the stream when emptied")
    load = asyncio.create_task(drill.register_spread(key, p.empty_requests, p.empty_seconds))
    await asyncio.sleep(p.empty_seconds / 2)
    await asyncio.to_thread(drill.stack.redis.stop)
    await asyncio.to_thread(drill.stack.redis.start, empty=True)
    seen.restored_at = time.monotonic()
    seen.results = parked + await load
    await asyncio.sleep(2.0)  # the worker should have found its group gone by now
    seen.notes.append(f"ready after: {await drill.ready_status()}")
    seen.window = (t0, time.monotonic())
    return seen


async def redis_down(drill: Drill, key: str) -> Observed:
    p, seen = drill.params, Observed()
    span = p.around + p.redis_down + p.around
    load = asyncio.create_task(drill.register_spread(key, p.redis_requests, span))
    await asyncio.sleep(p.around)
    t0 = time.monotonic()
    await asyncio.to_thread(drill.stack.redis.stop)
    await asyncio.sleep(p.redis_down / 2)
    seen.notes.append(f"ready during: {await drill.ready_status()}")
    await asyncio.sleep(max(0.0, t0 + p.redis_down - time.monotonic()))
    await asyncio.to_thread(drill.stack.redis.start)
    seen.restored_at = time.monotonic()
    seen.window = (t0, seen.restored_at)
    seen.results = await load
    return seen


async def postgres_restart(drill: Drill, key: str) -> Observed:
    """The drill's own cluster stopped (fast shutdown: backends terminated, port closed) for
    pg_down s under registrations, then started again. With --pg-admin-url (a shared server
    that cannot be stopped) it is simulated: the drill database refuses new connections
    (ALLOW_CONNECTIONS false) and its backends are terminated, repeatedly."""
    p, seen = drill.params, Observed()
    span = p.around + p.pg_down + p.around
    load = asyncio.create_task(drill.register_spread(key, p.pg_requests, span))
    await asyncio.sleep(p.around)
    t0 = time.monotonic()
    cluster = drill.stack.pg_cluster
    if cluster is not None:
        await asyncio.to_thread(cluster.stop)
        await asyncio.sleep(p.pg_down / 2)
        seen.notes.append(f"ready during: {await drill.ready_status()}")
        await asyncio.sleep(max(0.0, t0 + p.pg_down - time.monotonic()))
        await asyncio.to_thread(cluster.start)
        seen.notes.append("real restart: pg_ctl stop -m fast, start again")
    else:
        await drill.pg_refuse(True)
        half = False
        while time.monotonic() < t0 + p.pg_down:
            await drill.pg_terminate()
            if not half and time.monotonic() > t0 + p.pg_down / 2:
                half = True
                seen.notes.append(f"ready during: {await drill.ready_status()}")
            await asyncio.sleep(0.5)
        await drill.pg_refuse(False)
        seen.notes.append("simulated: pg_terminate_backend + ALLOW_CONNECTIONS false, shared server kept up")
    seen.restored_at = time.monotonic()
    seen.window = (t0, seen.restored_at)
    seen.results = await load
    return seen


async def broker_outage(drill: Drill, key: str) -> Observed:
    p, seen = drill.params, Observed()
    t0 = time.monotonic()
    await asyncio.to_thread(drill.stack.redis.stop)
    await asyncio.sleep(p.broker_down)
    seen.window = (t0, time.monotonic())
    await asyncio.to_thread(drill.stack.redis.start)
    seen.restored_at = time.monotonic()
    seen.results = await drill.register_spread(key, 1, 0.0)  # one probe: does mail flow again?
    seen.notes.append("idle outage; 1 probe registration after")
    return seen


async def api_sigterm(drill: Drill, key: str) -> Observed:
    """SIGTERM to the API while registrations are in flight (each hashes a password, so they
    are still running when the signal lands): every one of them must be answered, not cut.
    The API is then started again by the fault itself (a deploy), and mail must still flow."""
    p, seen = drill.params, Observed()
    stack = drill.stack
    load = asyncio.create_task(drill.register_spread(key, p.sigterm_requests, 0.0))
    await asyncio.sleep(0.3)  # sent on open keep-alive connections, hashing in the API
    t0 = time.monotonic()
    await asyncio.to_thread(stack.kill, "api", signal.SIGTERM)  # returns once it has exited
    code = stack.procs["api"].process.returncode if stack.procs["api"].process else None
    seen.results = await load
    stack.start("api")
    await asyncio.to_thread(stack.wait_api_ready)
    seen.restored_at = time.monotonic()
    seen.window = (t0, seen.restored_at)
    seen.notes.append(f"api exit code {code}; SIGTERM to a new API ready: {seen.restored_at - t0:.1f} s")
    return seen


FAULTS: dict[str, tuple[str, Fault]] = {
    "1": ("SMTP down during registrations", smtp_down),
    "2": ("Redis restarted, then a retry due", redis_restart_retry_due),
    "3": ("worker SIGKILLed, new worker later", worker_killed),
    "4": ("Redis restarted empty", redis_emptied),
    "5": ("Redis down during registrations", redis_down),
    "6": ("PostgreSQL restarted under load", postgres_restart),
    "7": ("broker outage: worker log and CPU", broker_outage),
    "8": ("API SIGTERM, requests in flight", api_sigterm),
}
