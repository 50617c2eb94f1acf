"""Fault drills on the production layout (issue 17): its own Redis, its own PostgreSQL database,
one API, one worker, one scheduler and an in-process SMTP sink, ENVIRONMENT=production.

Each fault runs registrations around an outage; work is the verification mail of every
committed registration (rows in identity_user). After the fault the drill waits, bounded, for
the mails and prints one table row:

    fault | requests | 2xx | 503 | 5xx | other | expected | delivered | lost | dup | recovery s
          | wlog KB | wcpu % | notes

`other` is 4xx and requests that got no answer (timeouts, refused connections); `recovery s`
is from the dependency's return until every committed mail arrived and, when traffic
continued, the API answered 2xx again ("never" when mails were still missing at the bound).
Worker log and CPU (from /proc/<pid>/stat) are measured over the outage window.

Exit status: 0 when every invariant holds (0 lost, no 5xx, no process died, worker log and CPU
bounded during the broker outage), 1 when one does not, 2 when the harness itself failed.

    .venv/bin/python bench/drill/run.py              # full durations (~15 min)
    .venv/bin/python bench/drill/run.py --quick      # CI: shorter outages, fewer requests
    .venv/bin/python bench/drill/run.py --quick --faults 1,5 --scale 2
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import secrets
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DRILL_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(DRILL_DIR))

from faults import FAULTS, Observed, Params  # noqa: E402
from stack import (  # noqa: E402
    DEFAULT_PG_PORT,
    DEFAULT_REDIS_PORT,
    PgCluster,
    RedisServer,
    SmtpSink,
    Stack,
    check_loopback,
    free_port,
    pg_execute,
    process_cpu_seconds,
)

REGISTER_PATH = "/api/v1/auth/register"
PASSWORD = "Kestrel-orbit-9942-Lantern"  # unrelated to the addresses: the API refuses those
REQUEST_TIMEOUT = 15.0
LOG_BOUND_BYTES = 32 * 1024  # fault 7: "one log line per state change", not tracebacks by the thousand
CPU_BOUND_PERCENT = 25.0
MARKERS = ("Task exception was never retrieved", "NOGROUP")
DEFAULT_OUTPUT = DRILL_DIR.parent / "results" / "drill.json"


@dataclass
class Row:
    fault: str
    title: str
    requests: int = 0
    ok: int = 0
    unavailable: int = 0
    server_error: int = 0
    other: int = 0
    expected: int = 0
    delivered: int = 0
    lost: int = 0
    duplicated: int = 0
    recovery_s: float | None = None
    worker_log_kb: float | None = None
    worker_cpu_percent: float | None = None
    died: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None


class Drill:
    def __init__(self, stack: Stack, params: Params, run_id: str) -> None:
        self.stack = stack
        self.params = params
        self.run_id = run_id
        self._ip = 0
        self._client: Any = None
        self.first_refusal: str | None = None  # the first 4xx body: a drill sending bad input says so

    # -- traffic -----------------------------------------------------------------------------

    def _next_ip(self) -> str:
        # Register is throttled per client IP (10/h); the drill's API trusts X-Forwarded-For from loopback.
        self._ip += 1
        return f"10.{(self._ip >> 16) & 255}.{(self._ip >> 8) & 255}.{self._ip & 255}"

    async def _register(self, email: str, start_at: float) -> tuple[str, float, float, int | str]:
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        sent = time.monotonic()
        body = {"email": email, "password": PASSWORD, "fullName": "Drill User"}
        try:
            response = await self._client.post(
                REGISTER_PATH, json=body, headers={"X-Forwarded-For": self._next_ip()}, timeout=REQUEST_TIMEOUT
            )
            status: int | str = response.status_code
            if 400 <= response.status_code < 500 and self.first_refusal is None:
                self.first_refusal = response.text[:300]
        except Exception as exc:  # no answer at all: counted as "other"
            status = type(exc).__name__
        return email, sent, time.monotonic(), status

    async def register_spread(
        self, key: str, n: int, seconds: float, *, first: int = 0
    ) -> list[tuple[str, float, float, int | str]]:
        """n registrations sent evenly over `seconds` (open loop: an outage does not slow the sending)."""
        t0 = time.monotonic()
        step = seconds / n if n else 0.0
        emails = [f"d{self.run_id}f{key}n{i}@mail.example.sg" for i in range(first, first + n)]
        return list(await asyncio.gather(*(self._register(e, t0 + i * step) for i, e in enumerate(emails))))

    async def ready_status(self) -> str:
        try:
            response = await self._client.get("/health/ready", timeout=5)
            return str(response.status_code)
        except Exception as exc:
            return type(exc).__name__

    # -- PostgreSQL ---------------------------------------------------------------------------

    async def pg_refuse(self, refuse: bool) -> None:
        value = "false" if refuse else "true"
        await pg_execute(self.stack.pg_admin_url, f'ALTER DATABASE "{self.stack.db_name}" ALLOW_CONNECTIONS {value}')

    async def pg_terminate(self) -> None:
        await pg_execute(
            self.stack.pg_admin_url,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            self.stack.db_name,
        )

    async def committed(self, key: str) -> set[str]:
        rows = await pg_execute(
            self.stack.admin_db_url(),
            "SELECT lower(email) AS email FROM identity_user WHERE email LIKE $1",
            f"d{self.run_id}f{key}n%",
        )
        return {row["email"] for row in rows}

    # -- one fault ------------------------------------------------------------------------------

    async def run_fault(self, key: str) -> Row:
        title, fault = FAULTS[key]
        row = Row(fault=key, title=title)
        worker = self.stack.procs["worker"]
        worker_pid, log_start = worker.pid, {n: p.log_bytes() for n, p in self.stack.procs.items()}
        samples: dict[float, tuple[int, float | None]] = {}
        sampler = asyncio.create_task(self._sample_worker(samples))
        try:
            seen = await fault(self, key)
        finally:
            sampler.cancel()
        self._worker_window(row, seen, samples, worker_pid)
        await self._settle(row, key, seen)
        for name, proc in self.stack.procs.items():
            text = proc.log_text(log_start.get(name, 0))
            for marker in MARKERS:
                if count := text.count(marker):
                    row.notes.append(f"{name}: {count}x {marker!r}")
            if not proc.alive():
                row.died.append(name)
        row.notes = seen.notes + row.notes
        return row

    async def _sample_worker(self, samples: dict[float, tuple[int, float | None]]) -> None:
        while True:
            worker = self.stack.procs["worker"]
            if worker.alive():
                samples[time.monotonic()] = (worker.log_bytes(), process_cpu_seconds(worker.pid))
            await asyncio.sleep(0.25)

    def _worker_window(self, row: Row, seen: Observed, samples: dict[float, Any], pid: int) -> None:
        start, end = seen.window
        inside = sorted(t for t in samples if start <= t <= end)
        if len(inside) < 2 or self.stack.procs["worker"].pid != pid:
            return  # the worker was replaced (fault 3): no single process to measure
        (log0, cpu0), (log1, cpu1) = samples[inside[0]], samples[inside[-1]]
        row.worker_log_kb = round((log1 - log0) / 1024, 1)
        if cpu0 is not None and cpu1 is not None:
            row.worker_cpu_percent = round(100 * (cpu1 - cpu0) / (inside[-1] - inside[0]), 1)

    async def _settle(self, row: Row, key: str, seen: Observed) -> None:
        statuses = [status for *_, status in seen.results]
        row.requests = len(statuses)
        row.ok = sum(1 for s in statuses if isinstance(s, int) and 200 <= s < 300)
        row.unavailable = sum(1 for s in statuses if s == 503)
        row.server_error = sum(1 for s in statuses if isinstance(s, int) and s >= 500 and s != 503)
        row.other = row.requests - row.ok - row.unavailable - row.server_error
        others = Counter(str(s) for s in statuses if not (isinstance(s, int) and (s < 300 or s >= 500)))
        if others:
            row.notes.append("other: " + ", ".join(f"{n}x {s}" for s, n in sorted(others.items())))
        expected = await self.committed(key)  # committed registrations: their mails are owed
        row.expected = len(expected)
        bound = seen.wait if seen.wait is not None else self.params.wait
        deadline = time.monotonic() + bound
        counts: dict[str, int] = {}
        arrivals: dict[str, float] = {}
        while True:
            counts, arrivals = self.stack.sink.snapshot(expected)
            if len(counts) == len(expected) or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.25)
        row.delivered = len(counts)
        row.lost = row.expected - row.delivered
        row.duplicated = sum(c - 1 for c in counts.values())
        after = [(done, status) for _, sent, done, status in seen.results if sent >= seen.restored_at]
        if any(isinstance(s, int) and s >= 500 for _, s in after):
            row.notes.append("5xx after the dependency returned")
        if row.lost == 0:
            ends = [*arrivals.values()]
            first_ok = [done for done, s in after if isinstance(s, int) and 200 <= s < 300]
            if after:
                ends.append(min(first_ok) if first_ok else float("inf"))
            end = max(ends, default=seen.restored_at)
            row.recovery_s = round(max(0.0, end - seen.restored_at), 1) if end != float("inf") else None
        if row.lost or row.recovery_s is None:
            row.notes.append(f"waited {bound:g} s for the mails")

    async def run(self, keys: list[str]) -> list[Row]:
        import httpx

        rows: list[Row] = []
        async with httpx.AsyncClient(base_url=self.stack.api_url, limits=httpx.Limits(max_connections=64)) as client:
            self._client = client
            for key in keys:
                print(f"fault {key}: {FAULTS[key][0]} ...", flush=True)
                try:
                    row = await self.run_fault(key)
                except Exception as exc:
                    row = Row(fault=key, title=FAULTS[key][0], error=f"{type(exc).__name__}: {exc}")
                    traceback.print_exc()
                rows.append(row)
                print(format_table([row], header=False), flush=True)
                await asyncio.to_thread(self._heal, row)
        return rows

    def _heal(self, row: Row) -> None:
        """Put the layout back for the next fault; a restart here is reported, never hidden."""
        stack = self.stack
        if not stack.sink.running:
            stack.sink.start()
        if stack.pg_cluster is not None and not stack.pg_cluster.running:
            stack.pg_cluster.start()
        if stack.redis.process is None or stack.redis.process.poll() is not None:
            stack.redis.process = None
            stack.redis.start()
        if row.lost and not row.error:
            # A fault that lost work may leave the worker wedged (e.g. its group gone): restart the
            # worker and scheduler so the next row measures its own fault, and say so.
            row.notes.append("worker+scheduler restarted after the row, to isolate the next fault")
            for name in ("worker", "scheduler"):
                stack.kill(name, signal.SIGTERM)
                stack.start(name)
            stack.wait_logged("worker", "worker started")
        for name in ("worker", "scheduler", "api"):
            if not stack.procs[name].alive():
                row.notes.append(f"{name} restarted by the drill")
                stack.start(name)
        stack.wait_api_ready()


# ---------------------------------------------------------------------------------------------
# Table and verdict


def _cell(value: float | None, none: str = "-") -> str:
    return none if value is None else f"{value:g}"


COLUMNS = (
    "fault",
    "requests",
    "2xx",
    "503",
    "5xx",
    "other",
    "expected",
    "delivered",
    "lost",
    "dup",
    "recovery s",
    "wlog KB",
    "wcpu %",
    "notes",
)


def _cells(row: Row) -> list[str]:
    if row.error:
        return [f"{row.fault} {row.title}", *["-"] * 12, f"HARNESS ERROR {row.error}"]
    notes = [*row.notes, *(f"{n} died" for n in row.died)]
    return [
        f"{row.fault} {row.title}",
        str(row.requests),
        str(row.ok),
        str(row.unavailable),
        str(row.server_error),
        str(row.other),
        str(row.expected),
        str(row.delivered),
        str(row.lost),
        str(row.duplicated),
        _cell(row.recovery_s, "never"),
        _cell(row.worker_log_kb),
        _cell(row.worker_cpu_percent),
        "; ".join(notes),
    ]


def format_table(rows: list[Row], *, header: bool = True) -> str:
    body = [_cells(r) for r in rows]
    widths = [max([len(c), *(len(b[i]) for b in body)]) for i, c in enumerate(COLUMNS)]
    widths[0] = max(widths[0], 38)
    lines = []
    if header:
        lines.append(" | ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True)).rstrip())
        lines.append("-+-".join("-" * w for w in widths[:-1]) + "-+-" + "-" * 5)
    lines += [" | ".join(c.ljust(w) for c, w in zip(b, widths, strict=True)).rstrip() for b in body]
    return "\n".join(lines)


def verdict(rows: list[Row]) -> dict[str, list[str]]:
    """Each invariant of issue 17 with the faults that break it (empty: it holds)."""
    broken: dict[str, list[str]] = {
        "harness": [],
        "lost": [],
        "5xx": [],
        "died": [],
        "recovery": [],
        "bounded": [],
        "cut": [],
    }
    for r in rows:
        if r.error:
            broken["harness"].append(r.fault)
            continue
        if r.lost:
            broken["lost"].append(r.fault)
        if r.server_error:
            broken["5xx"].append(r.fault)
        if r.died or any("restarted by the drill" in n for n in r.notes):
            broken["died"].append(r.fault)
        if r.recovery_s is None:
            broken["recovery"].append(r.fault)
        if r.fault == "8" and r.other:
            broken["cut"].append(r.fault)  # a request in flight at SIGTERM got no answer
        if r.fault == "7" and (
            r.worker_log_kb is None
            or r.worker_log_kb * 1024 > LOG_BOUND_BYTES
            or (r.worker_cpu_percent or 0.0) > CPU_BOUND_PERCENT
        ):
            broken["bounded"].append(r.fault)
    return broken


# ---------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="CI: shorter outages and waits, fewer requests")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every duration (not the counts)")
    parser.add_argument("--faults", default=",".join(FAULTS), help="comma-separated fault numbers (default: all)")
    parser.add_argument("--wait", type=float, default=None, help="bound on waiting for the mails, per fault (s)")
    parser.add_argument("--kill-wait", type=float, default=None, help="fault 3's bound (reclaim of idle messages)")
    parser.add_argument("--redis-port", type=int, default=DEFAULT_REDIS_PORT, help="the drill's own Redis port")
    parser.add_argument(
        "--pg-admin-url",
        default=None,
        help="use this shared server instead of a cluster of the drill's own (fault 6 is then simulated)",
    )
    parser.add_argument("--pg-port", type=int, default=DEFAULT_PG_PORT, help="the drill's own PostgreSQL port")
    parser.add_argument("--json", type=Path, default=DEFAULT_OUTPUT, help="write rows and verdict here")
    parser.add_argument("--keep-tmp", action="store_true", help="keep the temp dir with every process's log")
    args = parser.parse_args(argv)
    unknown = [k for k in args.faults.split(",") if k not in FAULTS]
    if unknown:
        parser.error(f"unknown fault(s) {unknown}; known: {', '.join(FAULTS)}")
    if args.scale <= 0:
        parser.error("--scale must be positive")
    return args


def params_from(args: argparse.Namespace) -> Params:
    params = Params.quick() if args.quick else Params()
    scaled = {
        f.name: getattr(params, f.name) * args.scale
        for f in dataclasses.fields(params)
        if isinstance(getattr(params, f.name), float)
    }
    params = dataclasses.replace(params, **scaled)
    if args.wait is not None:
        params = dataclasses.replace(params, wait=args.wait)
    if args.kill_wait is not None:
        params = dataclasses.replace(params, kill_wait=args.kill_wait)
    return params


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.pg_admin_url is not None:
        check_loopback(args.pg_admin_url)
    if shutil.which("redis-server") is None:
        print("redis-server is not installed: the drill needs its own Redis", file=sys.stderr)
        return 2
    if args.pg_admin_url is None and not PgCluster.available():
        print("initdb/pg_ctl not found: pass --pg-admin-url to run on a shared server", file=sys.stderr)
        return 2
    params = params_from(args)
    keys = args.faults.split(",")
    tmp = Path(tempfile.mkdtemp(prefix="nexuscore-drill-"))
    started = time.monotonic()
    redis = RedisServer(port=args.redis_port, directory=tmp / "redis", log=tmp / "redis.log")
    cluster = None if args.pg_admin_url else PgCluster(port=args.pg_port, directory=tmp / "pg")
    stack = Stack(
        tmp=tmp,
        pg_admin_url=args.pg_admin_url or (cluster.admin_url if cluster else ""),
        redis=redis,
        sink=SmtpSink(free_port()),
        api_port=free_port(),
        pg_cluster=cluster,
    )
    rows: list[Row] = []
    drill: Drill | None = None
    status = 2
    try:
        if cluster is not None:
            cluster.init()
            cluster.start()
        redis.start()
        stack.sink.start()
        stack.create_database()
        for name in ("worker", "scheduler", "api"):
            stack.start(name)
        stack.wait_api_ready()
        stack.wait_logged("worker", "worker started")
        stack.wait_logged("scheduler", "scheduler started")
        print(
            f"layout up in {time.monotonic() - started:.1f} s: {stack.api_url}, redis :{redis.port}, "
            f"database {stack.db_name}, smtp sink :{stack.sink.port}; params {params}",
            flush=True,
        )
        drill = Drill(stack, params, secrets.token_hex(3))
        rows = asyncio.run(drill.run(keys))
        broken = verdict(rows)
        status = 2 if broken["harness"] else (1 if any(broken.values()) else 0)
    except Exception:
        traceback.print_exc()
        broken = {"harness": ["setup"]}
    finally:
        stack.stop_all()
        stack.sink.stop()
        redis.stop()
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.stop()  # the whole cluster goes with the temp dir
        else:
            stack.drop_database()
        if args.keep_tmp:
            print(f"logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    elapsed = time.monotonic() - started
    print()
    if cluster is not None:
        print(f"Fault drill, production layout (ENVIRONMENT=production; PostgreSQL: own cluster on :{cluster.port},")
        print("stopped and started for real in fault 6)")
    else:
        print("Fault drill, production layout (ENVIRONMENT=production; PostgreSQL restart simulated by")
        print("pg_terminate_backend of the drill database's backends + ALLOW_CONNECTIONS false;")
        print("the shared server stays up)")
    print(format_table(rows))
    if drill is not None and drill.first_refusal:
        print(f"first 4xx answer: {drill.first_refusal}")
    print(f"\ninvariants broken: { {k: v for k, v in broken.items() if v} or 'none' }; {elapsed:.0f} s in all")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "params": dataclasses.asdict(params),
                "rows": [dataclasses.asdict(r) for r in rows],
                "broken": broken,
                "seconds": round(elapsed, 1),
                "status": status,
            },
            indent=2,
        )
        + "\n"
    )
    return status


if __name__ == "__main__":
    sys.exit(main())
