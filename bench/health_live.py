"""Scenario 1: GET /health/live, NexusCore against a bare Litestar floor, in the same run.

Absolute numbers depend on the machine; the ratio to a floor measured in the same run, on
the same server settings, alternating between the two, is what is comparable over time.
Each app runs as one uvicorn worker on a free 127.0.0.1 port: NexusCore through `nexuscore serve`
as deployed, the floor with the same per-request server options; both are always stopped.

    .venv/bin/python bench/health_live.py --seconds 5 --rounds 3 --concurrency 32
    .venv/bin/python bench/health_live.py --instructions 1000   # and callgrind's count, see asgi_instructions.py
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import asgi_instructions  # noqa: E402
from http_load import MAX_CONCURRENCY, MAX_SECONDS, LoadResult, merge, run_load_sync  # noqa: E402

PATH = "/health/live"
DEFAULT_OUTPUT = BENCH_DIR / "results" / "health_live.json"
# Variables that would change which NexusCore is measured (Redis broker, production checks, ...).
SCRUBBED_ENV = (
    "DATABASE_URL",
    "REDIS_URL",
    "ENVIRONMENT",
    "SECRET_KEY",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "CORS_ORIGINS",
    "OUTBOX_RELAY_IN_PROCESS",
    "NEXUSCORE_VAR_DIR",
    "HOST",
    "PORT",
)


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PATH}"

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_argv(port: int) -> list[str]:
    """NexusCore as it is deployed: `nexuscore serve` (its uvicorn options: no Server header, no
    proxy headers trusted, no uvicorn access log, its own HTTP protocol class) with one worker."""
    return [sys.executable, "-m", "nexuscore.bootstrap.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]


# The uvicorn options of `nexuscore serve` that touch each request, for the floor: the same
# server work per request, whatever the app.
FLOOR_SERVER_OPTIONS = ("--no-server-header", "--no-proxy-headers")


def uvicorn_argv(app: str, port: int, *extra: str) -> list[str]:
    """One worker, no access log, warnings only."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        *extra,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--no-access-log",
        "--log-level",
        "warning",
    ]


def bare_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}


def nexuscore_env(tmp: Path) -> dict[str, str]:
    env = bare_env()
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp / 'bench.db'}",
        NEXUSCORE_VAR_DIR=str(tmp),
        LOG_LEVEL="WARNING",
        ENVIRONMENT="development",
    )
    return env


def migrate(env: dict[str, str], cwd: Path) -> None:
    """The in-process outbox relay polls the events table, so the schema must exist first."""
    done = subprocess.run(
        [sys.executable, "-m", "nexuscore.bootstrap.cli", "migrate"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"nexuscore migrate failed ({done.returncode}):\n{done.stderr[-3000:]}")


def start(name: str, argv: list[str], env: dict[str, str], cwd: Path, port: int) -> Server:
    log = cwd / f"{name}.log"
    with log.open("wb") as out:
        # cwd is the temp dir: NexusCore must not pick up the developer's .env or var/.
        process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    return Server(name=name, process=process, port=port, log=log)


def wait_ready(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.url, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{server.name} did not answer {PATH} within {timeout:g} s:\n{server.log_tail()}")


def stop(server: Server) -> None:
    """SIGTERM (graceful lifespan shutdown), then SIGKILL if it lingers."""
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


@contextmanager
def servers(tmp: Path, startup_timeout: float, pin: bool = False, peer: bool = False) -> Iterator[dict[str, Server]]:
    from peers.runner import gunicorn_argv, peer_env, pinned

    started: dict[str, Server] = {}
    try:
        env = nexuscore_env(tmp)
        migrate(env, tmp)
        port = free_port()
        started["nexuscore"] = start("nexuscore", pinned(serve_argv(port), pin), env, tmp, port)
        port = free_port()
        argv = uvicorn_argv("bare_app:app", port, "--app-dir", str(BENCH_DIR), *FLOOR_SERVER_OPTIONS)
        started["bare"] = start("bare", pinned(argv, pin), bare_env(), tmp, port)
        if peer:  # /health/live touches no database: the peer's URL only has to parse
            port = free_port()
            started["django"] = start("django", pinned(gunicorn_argv(port), pin), peer_env(""), tmp, port)
        for server in started.values():
            wait_ready(server, startup_timeout)
        yield started
    finally:
        for server in started.values():
            stop(server)


def process_cpu_seconds(pid: int) -> float | None:
    """utime + stime of one process, from /proc (Linux); None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def host_busy_seconds() -> float | None:
    """CPU seconds the whole machine spent busy (all cores), from /proc/stat; None elsewhere."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return None
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


def tree_cpu(pid: int) -> float | None:
    from peers.runner import tree_cpu_seconds

    return tree_cpu_seconds(pid)  # gunicorn's worker is a child of the master


_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class WrkResult:
    """What `wrk --latency` printed for one run, in the shape the report reads."""

    requests: int
    duration_s: float
    percentiles: dict[int, float]  # 50, 75, 90, 99 -> ms
    errors: int
    client_cpu_share: float

    @property
    def rps(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0

    def percentile_ms(self, p: int) -> float:
        return self.percentiles[p]

    def summary(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "rps": round(self.rps, 1),
            "p50_ms": self.percentiles[50],
            "p90_ms": self.percentiles[90],
            "p99_ms": self.percentiles[99],
            "errors": self.errors,
        }


def run_wrk(url: str, *, seconds: float, connections: int, pin: bool) -> WrkResult:
    """`wrk` (Debian package) in its own process, one thread, on the client core when pinning."""
    from peers.runner import CLIENT_CPU

    argv = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", url]
    if pin:
        argv = ["taskset", "-c", str(CLIENT_CPU), *argv]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 30, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = done.stdout
    requests = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", out)
    if requests is None:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    duration = float(requests.group(2)) * _WRK_UNITS[requests.group(3)] / 1000.0
    percentiles = {
        int(p): float(v) * _WRK_UNITS[u]
        for p, v, u in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)", out, re.M)
    }
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    errors += int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return WrkResult(int(requests.group(1)), duration, percentiles, errors, cpu / duration if duration else 0.0)


def cpu_shares(server: Server, result: Any, before: tuple[float | None, float | None]) -> dict[str, float]:
    """Cores used by the server, the client and everything else while one run lasted.

    A server well below one core while saturated means something else limits it; a large
    "others" share means another workload shared the machine and absolute figures are noisy.
    """
    server_before, host_before = before
    server_after, host_after = tree_cpu(server.process.pid), host_busy_seconds()
    shares: dict[str, float] = {"client": result.client_cpu_share}
    if server_before is not None and server_after is not None:
        shares["server"] = (server_after - server_before) / result.duration_s
    if host_before is not None and host_after is not None and "server" in shares:
        busy = (host_after - host_before) / result.duration_s
        shares["others"] = max(0.0, busy - shares["server"] - shares["client"])
    return shares


def measure(
    servers_: dict[str, Server], args: argparse.Namespace
) -> tuple[dict[str, list[LoadResult]], dict[str, list[dict[str, float]]]]:
    """Warm both up, then alternate which goes first each round so drift hits both alike."""
    load = {"concurrency": args.concurrency, "timeout": args.timeout}
    for server in servers_.values():
        if args.load == "wrk":
            run_wrk(server.url, seconds=args.warmup, connections=args.concurrency, pin=args.pin)
        else:
            run_load_sync(server.url, seconds=args.warmup, **load)
    rounds: dict[str, list[LoadResult]] = {name: [] for name in servers_}
    cpu: dict[str, list[dict[str, float]]] = {name: [] for name in servers_}
    names = list(servers_)
    for number in range(args.rounds):
        for name in names if number % 2 == 0 else reversed(names):
            server = servers_[name]
            before = (tree_cpu(server.process.pid), host_busy_seconds())
            if args.load == "wrk":
                result = run_wrk(server.url, seconds=args.seconds, connections=args.concurrency, pin=args.pin)
            else:
                result = run_load_sync(server.url, seconds=args.seconds, **load)
            rounds[name].append(result)
            cpu[name].append(cpu_shares(server, result, before))
            s = result.summary()
            print(
                f"  round {number + 1}/{args.rounds} {name:<9} {s['rps']:>9.0f} req/s  p99 {s['p99_ms']:>7.2f} ms"
                f"  errors {s['errors']}",
                flush=True,
            )
    return rounds, cpu


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b else None


def combined(results: list[Any]) -> Any:
    """The rounds of one target as one result: http_load's merge, or wrk's rounds summed (the
    percentiles are the median of the rounds': wrk prints no histogram to merge)."""
    if not results or not isinstance(results[0], WrkResult):
        return merge(results)
    middle = sorted(results, key=lambda r: r.percentiles[50])[len(results) // 2]
    return WrkResult(
        sum(r.requests for r in results),
        sum(r.duration_s for r in results),
        {p: sorted(r.percentiles[p] for r in results)[len(results) // 2] for p in middle.percentiles},
        sum(r.errors for r in results),
        sum(r.client_cpu_share * r.duration_s for r in results) / max(1e-9, sum(r.duration_s for r in results)),
    )


def loadavg() -> list[float] | None:
    try:
        return [float(v) for v in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return None


def mean_shares(samples: list[dict[str, float]]) -> dict[str, float]:
    keys = set.intersection(*(set(sample) for sample in samples)) if samples else set()
    return {key: round(sum(sample[key] for sample in samples) / len(samples), 3) for key in sorted(keys)}


def report(
    rounds: dict[str, list[LoadResult]], cpu: dict[str, list[dict[str, float]]], args: argparse.Namespace
) -> dict[str, Any]:
    totals = {
        name: combined(results).summary() | {"cpu_cores": mean_shares(cpu[name])} for name, results in rounds.items()
    }
    nexus, bare = totals["nexuscore"], totals["bare"]
    django = totals.get("django")
    per_round = [
        {
            "round": i + 1,
            "throughput_ratio": ratio(n.rps, b.rps),
            "p99_ratio": ratio(n.percentile_ms(99), b.percentile_ms(99)),
        }
        for i, (n, b) in enumerate(zip(rounds["nexuscore"], rounds["bare"], strict=True))
    ]
    return {
        "scenario": "health_live",
        "path": PATH,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "params": {
            "concurrency": args.concurrency,
            "seconds_per_round": args.seconds,
            "rounds": args.rounds,
            "warmup_seconds": args.warmup,
            "uvicorn_workers": 1,
            "load_generator": args.load,
            "pinned": args.pin,
            "loadavg_before": args.loadavg_before,
            "loadavg_after": loadavg(),
        },
        "environment": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "litestar": version("litestar"),
            "uvicorn": version("uvicorn"),
            "git_commit": git_commit(),
        },
        "results": totals,
        "ratios": {
            "throughput_nexuscore_over_bare": ratio(nexus["rps"], bare["rps"]),
            "throughput_nexuscore_over_django": ratio(nexus["rps"], django["rps"]) if django else None,
            "p99_nexuscore_over_bare": ratio(nexus["p99_ms"], bare["p99_ms"]),
            "per_round": per_round,
        },
    }


def git_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=5, check=False
        )
    except OSError:
        return None
    return done.stdout.strip() or None


def print_table(result: dict[str, Any]) -> None:
    def cores(s: dict[str, Any], key: str) -> str:
        value = s["cpu_cores"].get(key)
        return "n/a" if value is None else f"{value:.2f}"

    print()
    print(
        f"{'target':<10} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
        f" {'cpu: server':>12} {'client':>7} {'others':>7}"
    )
    for name, s in result["results"].items():
        print(
            f"{name:<10} {s['rps']:>10.0f} {s['p50_ms']:>8.2f} {s['p99_ms']:>8.2f} {s['errors']:>7}"
            f" {cores(s, 'server'):>12} {cores(s, 'client'):>7} {cores(s, 'others'):>7}"
        )
    r = result["ratios"]

    def per_cpu(name: str) -> float | None:
        s = result["results"].get(name)
        cores_ = s and s["cpu_cores"].get("server")
        return s["rps"] / cores_ if s and cores_ else None

    n, b, d = per_cpu("nexuscore"), per_cpu("bare"), per_cpu("django")
    if n and b:
        # Requests per second of server CPU: steadier than req/s when others' work shares the cores.
        extra = f", nexuscore/django {n / d:.3f}" if d else ""
        print(f"requests per server CPU-second: nexuscore/bare {n / b:.3f}{extra}")
    if r.get("throughput_nexuscore_over_django"):
        print(f"nexuscore/django: throughput {r['throughput_nexuscore_over_django']:.3f}")
    p = result["params"]
    print(
        f"load generator {p['load_generator']}, pinned {p['pinned']}; load average before/after: "
        f"{p['loadavg_before']} / {p['loadavg_after']} on {os.cpu_count()} CPUs"
    )
    print(
        f"nexuscore/bare: throughput {r['throughput_nexuscore_over_bare']:.3f}, "
        f"p99 {r['p99_nexuscore_over_bare']:.3f}  (per round throughput: "
        + ", ".join(f"{p['throughput_ratio']:.3f}" for p in r["per_round"])
        + ")"
    )
    others = max((s["cpu_cores"].get("others", 0.0) for s in result["results"].values()), default=0.0)
    if others > 0.2:
        print(f"note: other processes used ~{others:.1f} cores during the runs: absolute figures are noisy")


def count_instructions(requests: int, tmp: Path) -> dict[str, Any] | None:
    """callgrind's instructions per request for both apps; None (with a notice) without valgrind.

    A failed count is reported in the result rather than raised, so the load phase's figures
    are still written.
    """
    if not asgi_instructions.valgrind_available():
        print(f"instructions per request skipped: valgrind is not installed ({asgi_instructions.INSTALL_HINT})")
        return None
    try:
        return asgi_instructions.compare(requests, nexuscore_env(tmp), bare_env(), tmp)
    except asgi_instructions.InstructionCountError as exc:
        return {"error": f"instruction count failed: {exc}", "requests": requests}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="GET /health/live: NexusCore vs a bare Litestar floor.")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per round and target (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    parser.add_argument("--concurrency", type=int, default=32, help="keep-alive connections (default 32)")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per target (default 2)")
    parser.add_argument("--timeout", type=float, default=5.0, help="per-request timeout in seconds (default 5)")
    parser.add_argument("--startup-timeout", type=float, default=60.0, help="seconds to wait for both servers")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"JSON result (default {DEFAULT_OUTPUT})")
    parser.add_argument("--keep-tmp", action="store_true", help="keep the temp dir (database, server logs)")
    parser.add_argument(
        "--load",
        choices=("wrk", "python"),
        default="wrk" if shutil.which("wrk") else "python",
        help="load generator: wrk (Debian package, default when installed) or http_load.py",
    )
    parser.add_argument("--no-pin", dest="pin", action="store_false", help="do not pin servers and client to cores")
    parser.add_argument("--no-peer", dest="peer", action="store_false", help="skip the Django peer")
    parser.add_argument(
        "--instructions",
        type=int,
        default=0,
        metavar="N",
        help="after the load phase, count CPU instructions per request under callgrind over N requests"
        " (try 1000; needs valgrind; default 0 = off)",
    )
    args = parser.parse_args(argv)
    args.loadavg_before = loadavg()
    if not 1 <= args.rounds <= 20:
        parser.error("--rounds must be 1..20")
    if not 0 < args.warmup <= 60:
        parser.error("--warmup must be in (0, 60]")
    if not 1 <= args.concurrency <= MAX_CONCURRENCY:
        parser.error(f"--concurrency must be 1..{MAX_CONCURRENCY}")
    if not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"--seconds must be in (0, {MAX_SECONDS:g}]")
    if not 0 <= args.instructions <= asgi_instructions.MAX_REQUESTS:
        parser.error(f"--instructions must be 0..{asgi_instructions.MAX_REQUESTS}")
    # A plain SIGTERM would skip the finally blocks that stop the servers; make it an exit.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    tmp = Path(tempfile.mkdtemp(prefix="nexuscore-bench-"))
    try:
        from peers.runner import pin_client, pinning_available

        args.pin = args.pin and pinning_available()
        pin_client(args.pin)
        with servers(tmp, args.startup_timeout, pin=args.pin, peer=args.peer) as running:
            ports = ", ".join(f"{name} on :{server.port}" for name, server in running.items())
            print(f"{ports}; measuring with {args.load}", flush=True)
            rounds, cpu = measure(running, args)
            logs = {name: server.log_tail(10) for name, server in running.items()}
        # After the servers have stopped, on the same migrated database and environment.
        instructions = count_instructions(args.instructions, tmp) if args.instructions else None
    finally:
        if args.keep_tmp:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    result = report(rounds, cpu, args)
    result["server_log_tail"] = {name: tail for name, tail in logs.items() if tail}
    if instructions is not None:
        result["instructions_per_request"] = instructions
    print_table(result)
    if instructions is not None:
        print(instructions.get("error") or asgi_instructions.describe(instructions))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.output}")
    total_errors = sum(s["errors"] for s in result["results"].values())
    return 1 if total_errors or (instructions and "error" in instructions) else 0


if __name__ == "__main__":
    raise SystemExit(main())
