"""Scenario 2: does a login storm (Argon2id work) stall other requests?

One NexusCore server (one uvicorn worker, PostgreSQL by default, `--sqlite` for SQLite in a
temp dir). GET /api/v1/me is measured idle, then during a storm of correct-password logins
spread over N accounts, alternating the order each round. Acceptance: GET /me p99 during the
storm stays within 3x its idle p99 in the same run. The database is fresh
(`nexuscore_bench_<random>`) and always dropped; the server is always stopped.

`--broker redis` (the default) runs the production layout: a Redis broker and a separate
`nexuscore worker` process that relays the outbox and runs the event subscribers, on the same
two cores. `--broker memory` is the development layout: relay and subscribers inside the API
process. GET /me is paced (open loop, connections evenly staggered); logins are closed loop.

    .venv/bin/python bench/login_storm.py --seconds 5 --rounds 3 --concurrency 4 --login-concurrency 16
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from health_live import (  # noqa: E402
    SCRUBBED_ENV,
    Server,
    free_port,
    git_commit,
    host_busy_seconds,
    migrate,
    process_cpu_seconds,
    start,
    stop,
    uvicorn_argv,
    wait_ready,
)
from http_load import MAX_CONCURRENCY, MAX_SECONDS, LoadResult, loop_factory, merge, run_load  # noqa: E402

ME_PATH = "/api/v1/me"
LOGIN_PATH = "/api/v1/auth/login"
DEFAULT_OUTPUT = BENCH_DIR / "results" / "login_storm.json"
DEFAULT_PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"  # the bench owns this database: flushed before and after
DEFAULT_APP = "nexuscore.bootstrap.app:create_app"
MAX_RATIO = 3.0  # the acceptance: storm p99 <= 3x idle p99
MAX_USERS = 64
SETTLE_S = 1.0  # between phases: let the outbox relay drain the storm's events
# Besides health_live's list: settings that would change mail, tokens or limits under measurement.
EXTRA_SCRUBBED_PREFIXES = ("SMTP_", "MAIL_")
EXTRA_SCRUBBED = (
    "APP_BASE_URL",
    "ACCESS_TOKEN_TTL_SECONDS",
    "REFRESH_TOKEN_TTL_DAYS",
    "MAX_BODY_BYTES",
    "OUTBOX_POLL_SECONDS",
    "TASK_RESULT_TTL_SECONDS",
    "NEXUSCORE_STAFF_PASSWORD",
)


@dataclass(frozen=True)
class Account:
    email: str
    password: str

    def login_body(self) -> bytes:
        return json.dumps({"email": self.email, "password": self.password}).encode()


@dataclass
class Phase:
    """One measured phase: GET /me, plus the logins when it is a storm."""

    round: int
    name: str  # "idle" or "storm"
    me: LoadResult
    login: LoadResult | None
    cpu: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Database: a fresh PostgreSQL database per run, or SQLite in the temp dir


def _loopback_pg_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ValueError(f"--pg-admin-url must be postgresql://..., got {url!r}")
    host = parts.hostname or ""
    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise ValueError(f"refusing non-loopback PostgreSQL host {host!r}: loopback benchmarks only")
    return url


async def _pg_admin(admin_url: str, statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url, timeout=10)
    try:
        await conn.execute(statement, timeout=60)
    finally:
        await conn.close(timeout=10)


async def _pg_backend_pids(admin_url: str, name: str) -> list[int]:
    import asyncpg

    conn = await asyncpg.connect(admin_url, timeout=10)
    try:
        rows = await conn.fetch("SELECT pid FROM pg_stat_activity WHERE datname = $1", name, timeout=10)
    finally:
        await conn.close(timeout=10)
    return [int(row["pid"]) for row in rows]


@dataclass
class DbCpu:
    """CPU of the PostgreSQL backends serving the bench database (same host: loopback only)."""

    admin_url: str
    name: str

    def sample(self) -> dict[int, float]:
        try:
            pids = asyncio.run(_pg_backend_pids(self.admin_url, self.name))
        except Exception:  # accounting only: never fail the run over it
            return {}
        return {pid: cpu for pid in pids if (cpu := process_cpu_seconds(pid)) is not None}

    @staticmethod
    def used(before: dict[int, float], after: dict[int, float]) -> float:
        """Backends that appeared meanwhile count from zero; ones that ended are lost (rare)."""
        return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def database_url_for(admin_url: str, name: str) -> str:
    """The admin URL pointed at database `name`, with the async driver NexusCore expects."""
    parts = urlsplit(admin_url)
    return f"postgresql+asyncpg://{parts.netloc}/{name}"


@contextmanager
def database(args: argparse.Namespace, tmp: Path) -> Iterator[tuple[str, str, DbCpu | None]]:
    """Yield (DATABASE_URL, label, backend CPU probe); PostgreSQL: created here, dropped on exit."""
    if args.sqlite:
        yield f"sqlite+aiosqlite:///{tmp / 'bench.db'}", "sqlite", None  # in-process: server CPU
        return
    name = f"nexuscore_bench_{secrets.token_hex(4)}"  # [a-z0-9_]: safe to interpolate
    asyncio.run(_pg_admin(args.pg_admin_url, f'CREATE DATABASE "{name}"'))
    try:
        yield database_url_for(args.pg_admin_url, name), f"postgresql ({name})", DbCpu(args.pg_admin_url, name)
    finally:
        try:
            asyncio.run(_pg_admin(args.pg_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            print(f"dropped database {name}", flush=True)
        except Exception as exc:  # report and go on: the caller's error matters more
            print(f"warning: could not drop database {name}: {exc!r}; drop it by hand", file=sys.stderr)


async def _flush_redis(url: str) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(url)
    try:
        await client.flushdb()
    finally:
        await client.aclose()


@contextmanager
def broker(args: argparse.Namespace) -> Iterator[str | None]:
    """Yield REDIS_URL for the redis layout (its database flushed before and after), else None."""
    if args.broker == "memory":
        yield None
        return
    asyncio.run(_flush_redis(args.redis_url))
    try:
        yield args.redis_url
    finally:
        try:
            asyncio.run(_flush_redis(args.redis_url))
        except Exception as exc:
            print(f"warning: could not flush {args.redis_url}: {exc!r}", file=sys.stderr)


def start_worker(env: dict[str, str], cwd: Path) -> Server:
    worker = start("worker", [sys.executable, "-m", "nexuscore.bootstrap.cli", "worker"], env, cwd, 0)
    time.sleep(1.0)
    if worker.process.poll() is not None:
        raise RuntimeError(f"worker exited with {worker.process.returncode}:\n{worker.log_tail()}")
    return worker


# ---------------------------------------------------------------------------------------------
# Server, accounts and tokens


def nexuscore_env(tmp: Path, database_url: str, redis_url: str | None = None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SCRUBBED_ENV and k not in EXTRA_SCRUBBED and not k.startswith(EXTRA_SCRUBBED_PREFIXES)
    }
    env.update(
        DATABASE_URL=database_url,
        NEXUSCORE_VAR_DIR=str(tmp),
        LOG_LEVEL="WARNING",
        ENVIRONMENT="development",
        MAIL_BACKEND="file",
        # One bytecode cache for the CLI calls and the server, kept in the temp dir: with
        # PYTHONDONTWRITEBYTECODE every `create-staff` recompiles Litestar (seconds each).
        PYTHONPYCACHEPREFIX=str(tmp / "pycache"),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if redis_url is not None:
        env["REDIS_URL"] = redis_url  # the API then leaves the outbox relay to the worker
    return env


def make_accounts(count: int, run_id: str) -> tuple[list[Account], Account]:
    """Random passwords: long, uncommon, never containing the local part."""

    def account(local: str) -> Account:
        return Account(email=f"{local}@bench.example.com", password=f"Storm-{secrets.token_urlsafe(15)}")

    return [account(f"login{i}-{run_id}") for i in range(count)], account(f"reader-{run_id}")


def create_users(accounts: list[Account], env: dict[str, str], cwd: Path) -> None:
    """Through the CLI (verified accounts, no register rate limit), one subprocess each."""
    for number, acct in enumerate(accounts, start=1):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "nexuscore.bootstrap.cli",
                "users",
                "create-staff",
                acct.email,
                "--name",
                f"Bench User {number}",
                "--password",
                acct.password,
            ],
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"create-staff {acct.email} failed ({done.returncode}):\n{done.stderr[-3000:]}")


def login(base_url: str, acct: Account, timeout: float) -> str:
    request = urllib.request.Request(
        base_url + LOGIN_PATH,
        data=acct.login_body(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return str(json.load(response)["accessToken"])
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"login as {acct.email} failed: HTTP {exc.code} {exc.read()[:500]!r}") from None


def check_me(base_url: str, token: str, timeout: float) -> None:
    request = urllib.request.Request(base_url + ME_PATH, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            json.load(response)
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"GET {ME_PATH} failed: HTTP {exc.code} {exc.read()[:500]!r}") from None


# ---------------------------------------------------------------------------------------------
# Measurement


def run_phase(
    server: Server,
    token: str,
    logins: list[bytes] | None,
    args: argparse.Namespace,
    seconds: float,
    db_cpu: DbCpu | None = None,
    worker: Server | None = None,
) -> tuple[LoadResult, LoadResult | None, dict[str, float]]:
    """GET /me load, with the login load beside it in the same client loop when `logins` is given."""
    base = f"http://127.0.0.1:{server.port}"

    async def both() -> tuple[LoadResult, LoadResult | None]:
        me = run_load(
            base + ME_PATH,
            concurrency=args.concurrency,
            seconds=seconds,
            timeout=args.timeout,
            headers={"Authorization": f"Bearer {token}"},
            rate_per_connection=args.me_rate / args.concurrency if args.me_rate else None,
        )
        if logins is None:
            return await me, None
        storm = run_load(
            base + LOGIN_PATH,
            concurrency=args.login_concurrency,
            seconds=seconds,
            timeout=args.timeout,
            method="POST",
            bodies=logins,
        )
        me_result, login_result = await asyncio.gather(me, storm)
        return me_result, login_result

    db_before = db_cpu.sample() if db_cpu else {}
    server_before, host_before = process_cpu_seconds(server.process.pid), host_busy_seconds()
    worker_before = process_cpu_seconds(worker.process.pid) if worker else None
    client_before, started = time.process_time(), time.perf_counter()
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        me_result, login_result = runner.run(both())
    wall = time.perf_counter() - started
    client = time.process_time() - client_before
    server_after, host_after = process_cpu_seconds(server.process.pid), host_busy_seconds()
    worker_after = process_cpu_seconds(worker.process.pid) if worker else None
    db_after = db_cpu.sample() if db_cpu else {}
    # Cores used over the phase; "client" is the whole load process (both loads share its loop),
    # "db" the PostgreSQL backends of the bench database, "worker" the taskiq worker (redis
    # layout), "others" the rest of the machine.
    cpu = {"client": client / wall}
    if db_cpu is not None and db_before and db_after:
        cpu["db"] = DbCpu.used(db_before, db_after) / wall
    if worker_before is not None and worker_after is not None:
        cpu["worker"] = (worker_after - worker_before) / wall
    if server_before is not None and server_after is not None:
        cpu["server"] = (server_after - server_before) / wall
        if host_before is not None and host_after is not None:
            known = cpu["server"] + cpu["client"] + cpu.get("db", 0.0) + cpu.get("worker", 0.0)
            cpu["others"] = max(0.0, (host_after - host_before) / wall - known)
    return me_result, login_result, cpu


def measure(
    server: Server,
    reader: Account,
    accounts: list[Account],
    args: argparse.Namespace,
    db_cpu: DbCpu | None,
    worker: Server | None = None,
) -> list[Phase]:
    base = f"http://127.0.0.1:{server.port}"
    bodies = [acct.login_body() for acct in accounts]
    # Warm-up as a storm: fills the DB pool and the Argon2 pool, compiles every code path.
    token = login(base, reader, args.timeout)
    check_me(base, token, args.timeout)
    run_phase(server, token, bodies, args, args.warmup)
    time.sleep(SETTLE_S)
    phases: list[Phase] = []
    for number in range(1, args.rounds + 1):
        order = ("idle", "storm") if number % 2 else ("storm", "idle")
        for name in order:
            token = login(base, reader, args.timeout)  # fresh token: long runs outlive its TTL
            time.sleep(SETTLE_S)
            logins = bodies if name == "storm" else None
            me, storm, cpu = run_phase(server, token, logins, args, args.seconds, db_cpu, worker)
            phases.append(Phase(round=number, name=name, me=me, login=storm, cpu=cpu))
            line = (
                f"  round {number}/{args.rounds} {name:<5}  GET /me {me.rps:>7.0f} req/s"
                f"  p50 {me.percentile_ms(50):>6.2f} ms  p99 {me.percentile_ms(99):>7.2f} ms"
            )
            if storm is not None:
                line += (
                    f" | login {storm.rps:>5.1f}/s  p50 {storm.percentile_ms(50):>6.1f} ms"
                    f"  p99 {storm.percentile_ms(99):>6.1f} ms"
                )
            errors = me.errors + (storm.errors if storm else 0)
            print(line + f" | errors {errors}  cpu server {cpu.get('server', float('nan')):.2f}", flush=True)
    return phases


# ---------------------------------------------------------------------------------------------
# Report


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b else None


def mean_shares(samples: list[dict[str, float]]) -> dict[str, float]:
    keys = set.intersection(*(set(sample) for sample in samples)) if samples else set()
    return {key: round(sum(sample[key] for sample in samples) / len(samples), 3) for key in sorted(keys)}


def load_summary(result: LoadResult) -> dict[str, Any]:
    summary = result.summary()
    summary.pop("client_cpu_share")  # process-wide; the phase's cpu_cores says it properly
    return summary


def report(phases: list[Phase], args: argparse.Namespace, db_label: str, create_s: float) -> dict[str, Any]:
    idle = [p for p in phases if p.name == "idle"]
    storm = [p for p in phases if p.name == "storm"]
    idle_me, storm_me = merge([p.me for p in idle]), merge([p.me for p in storm])
    storm_login = merge([p.login for p in storm if p.login is not None])
    p99_ratio = ratio(storm_me.percentile_ms(99), idle_me.percentile_ms(99))
    per_round = []
    for number in range(1, args.rounds + 1):
        i = next(p for p in idle if p.round == number)
        s = next(p for p in storm if p.round == number)
        per_round.append(
            {
                "round": number,
                "order": "idle,storm" if number % 2 else "storm,idle",
                "idle_me_p99_ms": round(i.me.percentile_ms(99), 3),
                "storm_me_p99_ms": round(s.me.percentile_ms(99), 3),
                "p99_ratio": ratio(s.me.percentile_ms(99), i.me.percentile_ms(99)),
            }
        )
    errors = idle_me.errors + storm_me.errors + storm_login.errors
    return {
        "scenario": "login_storm",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "params": {
            "database": db_label,
            "broker": args.broker,
            "app": args.app,
            "me_concurrency": args.concurrency,
            "me_rate_per_s": args.me_rate or None,
            "login_concurrency": args.login_concurrency,
            "login_users": args.users,
            "seconds_per_phase": args.seconds,
            "rounds": args.rounds,
            "warmup_seconds": args.warmup,
            "uvicorn_workers": 1,
            "max_ratio": args.max_ratio,
        },
        "environment": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "litestar": version("litestar"),
            "uvicorn": version("uvicorn"),
            "argon2_cffi": version("argon2-cffi"),
            "git_commit": git_commit(),
            "user_creation_seconds": round(create_s, 2),
        },
        "results": {
            "idle": {"me": load_summary(idle_me), "cpu_cores": mean_shares([p.cpu for p in idle])},
            "storm": {
                "me": load_summary(storm_me),
                "login": load_summary(storm_login),
                "cpu_cores": mean_shares([p.cpu for p in storm]),
            },
        },
        "verdict": {
            "me_p99_storm_over_idle": p99_ratio,
            "me_p50_storm_over_idle": ratio(storm_me.percentile_ms(50), idle_me.percentile_ms(50)),
            "me_rps_storm_over_idle": ratio(storm_me.rps, idle_me.rps),
            "per_round": per_round,
            "pass": p99_ratio is not None and p99_ratio <= args.max_ratio and errors == 0,
            "errors": errors,
        },
        "phases": [
            {
                "round": p.round,
                "phase": p.name,
                "me": load_summary(p.me),
                "login": load_summary(p.login) if p.login else None,
                "cpu_cores": {k: round(v, 3) for k, v in p.cpu.items()},
            }
            for p in phases
        ],
    }


def print_table(result: dict[str, Any]) -> None:
    def cores(cpu: dict[str, float], key: str) -> str:
        value = cpu.get(key)
        return "n/a" if value is None else f"{value:.2f}"

    print()
    print(
        f"{'phase':<6} {'/me req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'logins/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'errors':>7} {'cpu: server':>12} {'worker':>7} {'db':>5} {'client':>7} {'others':>7}"
    )
    for name, block in result["results"].items():
        me, lg, cpu = block["me"], block.get("login"), block["cpu_cores"]
        login_cols = f"{'-':>9} {'-':>8} {'-':>8}"
        if lg:
            login_cols = f"{lg['rps']:>9.1f} {lg['p50_ms']:>8.1f} {lg['p99_ms']:>8.1f}"
        errors = me["errors"] + (lg["errors"] if lg else 0)
        print(
            f"{name:<6} {me['rps']:>10.0f} {me['p50_ms']:>8.2f} {me['p99_ms']:>8.2f} {login_cols}"
            f" {errors:>7} {cores(cpu, 'server'):>12} {cores(cpu, 'worker'):>7} {cores(cpu, 'db'):>5}"
            f" {cores(cpu, 'client'):>7}"
            f" {cores(cpu, 'others'):>7}"
        )
    v = result["verdict"]
    limit = result["params"]["max_ratio"]
    print(
        f"GET /me p99 storm/idle: {v['me_p99_storm_over_idle']:.3f} (limit {limit:g}) -> "
        f"{'PASS' if v['pass'] else 'FAIL'}; per round: "
        + ", ".join(f"{r['p99_ratio']:.2f}" for r in v["per_round"])
        + f"; p50 ratio {v['me_p50_storm_over_idle']:.2f}, req/s ratio {v['me_rps_storm_over_idle']:.2f}"
    )
    if v["errors"]:
        print(f"errors: {v['errors']} (see error_kinds in the JSON); a run with errors does not pass")
    others = max((b["cpu_cores"].get("others", 0.0) for b in result["results"].values()), default=0.0)
    if others > 0.2:
        print(f"note: other processes used ~{others:.1f} cores during the runs: absolute figures are noisy")


# ---------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="GET /api/v1/me p99 idle vs during a login storm (one server).")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per phase (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="idle/storm rounds, order alternating (default 3)")
    parser.add_argument("--concurrency", type=int, default=4, help="GET /me connections (default 4)")
    parser.add_argument(
        "--me-rate",
        type=float,
        default=40.0,
        help="GET /me requests/s in total, paced (open loop: the latency of ordinary traffic at a fixed "
        "load); 0 = closed loop, each connection as fast as the server answers (default 40)",
    )
    parser.add_argument("--login-concurrency", type=int, default=16, help="login connections (default 16)")
    parser.add_argument("--users", type=int, default=8, help=f"login accounts, 1..{MAX_USERS} (default 8)")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up storm seconds (default 2)")
    parser.add_argument("--timeout", type=float, default=10.0, help="per-request timeout in seconds (default 10)")
    parser.add_argument("--max-ratio", type=float, default=MAX_RATIO, help=f"pass limit (default {MAX_RATIO:g})")
    parser.add_argument("--sqlite", action="store_true", help="SQLite in the temp dir instead of PostgreSQL")
    parser.add_argument(
        "--broker",
        choices=("redis", "memory"),
        default="redis",
        help="redis: production layout, outbox relay and subscribers in a separate worker process; "
        "memory: development layout, all in the API process (default redis)",
    )
    parser.add_argument(
        "--redis-url",
        default=DEFAULT_REDIS_URL,
        help=f"loopback Redis database the bench owns and flushes (default {DEFAULT_REDIS_URL})",
    )
    parser.add_argument(
        "--pg-admin-url",
        default=DEFAULT_PG_ADMIN_URL,
        help=f"loopback PostgreSQL to create the bench database on (default {DEFAULT_PG_ADMIN_URL})",
    )
    parser.add_argument(
        "--app",
        default=DEFAULT_APP,
        help=f"app factory to serve, to try a candidate change without editing src/ (default {DEFAULT_APP})",
    )
    parser.add_argument("--app-dir", type=Path, default=None, help="directory to import --app from")
    parser.add_argument("--startup-timeout", type=float, default=60.0, help="seconds to wait for the server")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"JSON result (default {DEFAULT_OUTPUT})")
    parser.add_argument("--keep-tmp", action="store_true", help="keep the temp dir (server log, SQLite database)")
    args = parser.parse_args(argv)
    if not 1 <= args.rounds <= 20:
        parser.error("--rounds must be 1..20")
    if not 0 < args.warmup <= 60:
        parser.error("--warmup must be in (0, 60]")
    if not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"--seconds must be in (0, {MAX_SECONDS:g}]")
    if not 0 < args.timeout <= 60:
        parser.error("--timeout must be in (0, 60]")
    for option in ("concurrency", "login_concurrency"):
        if not 1 <= getattr(args, option) <= MAX_CONCURRENCY:
            parser.error(f"--{option.replace('_', '-')} must be 1..{MAX_CONCURRENCY}")
    if not 1 <= args.users <= MAX_USERS:
        parser.error(f"--users must be 1..{MAX_USERS}")
    if not args.max_ratio > 0:
        parser.error("--max-ratio must be positive")
    if not args.sqlite:
        try:
            _loopback_pg_url(args.pg_admin_url)
        except ValueError as exc:
            parser.error(str(exc))
    if args.broker == "redis" and urlsplit(args.redis_url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--redis-url must be a loopback Redis: the bench flushes its database")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # A plain SIGTERM would skip the finally blocks that stop the server and drop the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    tmp = Path(tempfile.mkdtemp(prefix="nexuscore-bench-"))
    server: Server | None = None
    worker: Server | None = None
    try:
        with database(args, tmp) as (database_url, db_label, db_cpu), broker(args) as redis_url:
            try:
                env = nexuscore_env(tmp, database_url, redis_url)
                print(
                    f"database: {db_label}; broker: {args.broker}; migrating and creating {args.users + 1} users",
                    flush=True,
                )
                migrate(env, tmp)
                accounts, reader = make_accounts(args.users, secrets.token_hex(3))
                started = time.perf_counter()
                create_users([*accounts, reader], env, tmp)
                create_s = time.perf_counter() - started
                port = free_port()
                extra = ["--factory"] + (["--app-dir", str(args.app_dir.resolve())] if args.app_dir else [])
                argv = uvicorn_argv(args.app, port, *extra)
                if redis_url is not None:
                    worker = start_worker(env, tmp)
                server = start("nexuscore", argv, env, tmp, port)
                wait_ready(server, args.startup_timeout)
                print(
                    f"nexuscore on :{port}; GET /me x{args.concurrency}, login storm x{args.login_concurrency}"
                    f" over {args.users} accounts; {args.rounds} rounds x {args.seconds:g} s",
                    flush=True,
                )
                phases = measure(server, reader, accounts, args, db_cpu, worker)
                log_tail = server.log_tail(10)
            finally:
                for process in (server, worker):
                    if process is not None:
                        stop(process)  # before the database is dropped
    finally:
        if args.keep_tmp:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    result = report(phases, args, db_label, create_s)
    if log_tail:
        result["server_log_tail"] = log_tail
    print_table(result)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.output}")
    return 0 if result["verdict"]["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
