"""CPU instructions per `GET /health/live`, counted by callgrind, for NexusCore and bare Litestar.

Why: on a shared VM (steal time, other workloads) wrk's throughput ratio moves by ±15 % between
rounds, so a change of a few per cent cannot be seen in it. The number of instructions a
request executes does not depend on load, core speed or neighbours: it repeats to about 0.5 % and is
the figure to compare between two commits.

What is counted: everything one uvicorn worker runs in user space for a request on a
keep-alive connection, from the raw request bytes to the last response byte handed to the
transport: uvicorn's own HTTP protocol (httptools parsing, the scope, its per-header work on the
response, the keep-alive timer), the event loop it would pick (uvloop when installed), the ASGI
app with all its middleware, and any thread the app wakes. What is not: the kernel (sockets,
epoll), since the driver feeds the protocol through an in-memory transport, and work done per
second rather than per request: uvicorn's 100 ms server tick and NexusCore's in-process outbox
relay (switched off for the count; under callgrind's slowdown its polls would be billed ~50x).

The driver (`drive`) runs under `valgrind --tool=callgrind --instr-atstart=no`: it loads the app
as uvicorn does (`uvicorn.config.Config`, same app string, factory flag and log settings as
health_live.py's servers), runs the ASGI lifespan start-up, warms up, checks the answer, then
tells the controller it is ready. The controller switches instrumentation on with
`callgrind_control`, lets it run N requests, switches it off again and divides callgrind's
total by N. The handshake is four empty files in a temp dir.

    .venv/bin/python bench/asgi_instructions.py count --requests 1000      # both apps
    .venv/bin/python bench/asgi_instructions.py drive --app bare --requests 20000  # no valgrind: us/request

Needs Debian's `valgrind` package (which provides `callgrind_control`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from email.utils import formatdate
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
APPS = {
    "nexuscore": "nexuscore.bootstrap.app:create_app",
    "bare": "bare_app:app",
}
# What wrk sends (checked against Debian's wrk 4.1): the request line and a Host header, nothing else.
REQUEST = b"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n\r\n"
EXPECTED_BODY = b'{"status":"ok"}'
WARMUP_REQUESTS = 300
MAX_REQUESTS = 100_000
INSTALL_HINT = "apt-get install valgrind"

# Under valgrind, Python's start-up and the app factory take 10-20 s; instrumented requests run
# about 50x slower than natively. Generous, so a loaded machine does not trip them.
STARTUP_TIMEOUT_S = 300.0
SECONDS_PER_REQUEST_BOUND = 0.2
CONTROL_TIMEOUT_S = 60.0
# The driver gives up waiting for a controller that has vanished without telling it.
DRIVER_WAIT_TIMEOUT_S = 900.0


class InstructionCountError(RuntimeError):
    """The count could not be made: the driver died, timed out or gave a wrong answer."""


class ValgrindMissingError(InstructionCountError):
    def __init__(self) -> None:
        super().__init__(f"valgrind/callgrind_control not found: {INSTALL_HINT}")


# ---------------------------------------------------------------------------------------------
# Driver: runs inside valgrind.


class MemoryTransport(asyncio.Transport):
    """What uvicorn's protocol needs from a socket transport, without the socket."""

    def __init__(self) -> None:
        super().__init__(extra={"peername": ("127.0.0.1", 50000), "sockname": ("127.0.0.1", 8000)})
        self.written: list[bytes] = []
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written.append(bytes(data))

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        pass


def make_config(app: str) -> Any:
    """The uvicorn Config health_live.py's servers get: `nexuscore serve`'s options for NexusCore,
    the same per-request options for bare Litestar (no Server header, no proxy headers)."""
    from uvicorn.config import Config

    # lifespan="on" rather than uvicorn's "auto": a failing start-up must stop the count.
    if app == "nexuscore":
        from nexuscore.bootstrap.cli import server_options
        from nexuscore.platform.settings import load_settings

        return Config(**server_options(load_settings()), lifespan="on", log_level="warning")
    sys.path.insert(0, str(BENCH_DIR))  # what `--app-dir bench` does
    return Config(
        APPS[app], lifespan="on", access_log=False, log_level="warning", server_header=False, proxy_headers=False
    )


def check_response(raw: bytes, what: str) -> None:
    head, _, body = raw.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200 ") or body != EXPECTED_BODY:
        raise InstructionCountError(f"{what}: expected 200 with {EXPECTED_BODY!r}, got {raw[:800]!r}")


def wait_for_file(path: Path, timeout: float) -> None:
    """Blocks the event loop on purpose: nothing of the app should run between the phases."""
    parent = os.getppid()
    deadline = time.monotonic() + timeout
    while not path.exists():
        if os.getppid() != parent:
            raise InstructionCountError("the controller went away")
        if time.monotonic() > deadline:
            raise InstructionCountError(f"no {path.name} from the controller within {timeout:g} s")
        time.sleep(0.01)


async def drive_requests(config: Any, app: str, requests: int, warmup: int, handshake: Path | None) -> None:
    from uvicorn.lifespan.on import LifespanOn
    from uvicorn.server import ServerState

    config.load()  # inside the running loop, as uvicorn's Server does
    loop = asyncio.get_running_loop()
    lifespan = LifespanOn(config)
    await lifespan.startup()
    if lifespan.should_exit:
        raise InstructionCountError(f"{app}: lifespan start-up failed (see the log above)")

    state = ServerState()
    # uvicorn's server tick sets these (Date, Server); a fixed Date is the same per-request work.
    state.default_headers = [(b"date", formatdate(usegmt=True).encode()), *config.encoded_headers]
    protocol = config.http_protocol_class(config=config, server_state=state, app_state=lifespan.state, _loop=loop)
    transport = MemoryTransport()
    protocol.connection_made(transport)
    print(f"{app}: {type(protocol).__module__}.{type(protocol).__name__} on {type(loop).__module__}", flush=True)

    async def one() -> None:
        transport.written.clear()
        protocol.data_received(REQUEST)
        # The protocol started one task for the request (RequestResponseCycle.run_asgi); awaiting
        # it waits until the app has returned, not only until the last byte was written.
        (task,) = state.tasks
        await task

    for number in range(warmup):
        await one()
        check_response(b"".join(transport.written), f"{app}: warm-up request {number + 1}")

    if handshake is not None:
        (handshake / "ready").touch()
        wait_for_file(handshake / "go", DRIVER_WAIT_TIMEOUT_S)
    started = time.perf_counter()
    for _ in range(requests):
        await one()
    elapsed = time.perf_counter() - started
    if handshake is not None:
        (handshake / "finished").touch()
        wait_for_file(handshake / "end", DRIVER_WAIT_TIMEOUT_S)

    # The counted requests must all have been answered, on the same keep-alive connection.
    check_response(b"".join(transport.written), f"{app}: last counted request")
    if state.total_requests != warmup + requests or transport.closed:
        raise InstructionCountError(
            f"{app}: {state.total_requests} responses for {warmup + requests} requests, closed={transport.closed}"
        )
    print(f"{app}: {requests} requests, {elapsed / requests * 1e6:.1f} us/request (wall clock)", flush=True)
    protocol.connection_lost(None)
    await lifespan.shutdown()


def drive(app: str, requests: int, warmup: int, handshake: Path | None) -> None:
    config = make_config(app)
    # The loop uvicorn itself would run (loop="auto": uvloop when installed).
    with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:
        runner.run(drive_requests(config, app, requests, warmup, handshake))


# ---------------------------------------------------------------------------------------------
# Controller.


def valgrind_available() -> bool:
    return shutil.which("valgrind") is not None and shutil.which("callgrind_control") is not None


def _log_tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _wait_for(path: Path, process: subprocess.Popen[bytes], timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if process.poll() is not None:
            raise InstructionCountError(
                f"the driver exited with {process.returncode} before {path.name}:\n{_log_tail(log)}"
            )
        if time.monotonic() > deadline:
            raise InstructionCountError(f"no {path.name} from the driver within {timeout:g} s:\n{_log_tail(log)}")
        time.sleep(0.1)


def _callgrind_control(pid: int, state: str, log: Path) -> None:
    done = subprocess.run(
        ["callgrind_control", f"--instr={state}", str(pid)],
        capture_output=True,
        text=True,
        timeout=CONTROL_TIMEOUT_S,
        check=False,
    )
    # callgrind_control exits 0 even when it found no such run; it then says so.
    if done.returncode != 0 or "Error" in done.stdout + done.stderr:
        raise InstructionCountError(
            f"callgrind_control --instr={state} {pid} failed:\n{done.stdout}{done.stderr}\n{_log_tail(log)}"
        )


def _total_instructions(out: Path) -> int:
    text = out.read_text(errors="replace")
    found = re.search(r"^totals:\s*(\d+)", text, re.M) or re.search(r"^summary:\s*(\d+)", text, re.M)
    if found is None:
        raise InstructionCountError(f"no totals line in {out}")
    return int(found.group(1))


def count_instructions(app: str, requests: int, env: dict[str, str], cwd: Path) -> int:
    """Instructions one request of `app` executes (callgrind's Ir over `requests`, divided).

    `env` and `cwd` are the server's: for NexusCore, health_live.nexuscore_env() and its temp dir
    with the migrated database, so the counted app is configured as the one wrk measured.
    """
    if app not in APPS:
        raise ValueError(f"app must be one of {sorted(APPS)}, not {app!r}")
    if not 1 <= requests <= MAX_REQUESTS:
        raise ValueError(f"requests must be 1..{MAX_REQUESTS}")
    if not valgrind_available():
        raise ValgrindMissingError()
    env = {
        **env,
        # A fixed hash seed gives every run the same dict and set layouts, one less source of drift.
        "PYTHONHASHSEED": env.get("PYTHONHASHSEED", "0"),
        # The in-process outbox relay polls every 0.5 s: work per second, not per request. Under
        # callgrind's ~50x slowdown it would be billed ~50x too often, and unevenly (+4 %, ±1 %).
        "OUTBOX_RELAY_IN_PROCESS": "false",
    }
    with tempfile.TemporaryDirectory(prefix="callgrind-") as name:
        handshake = Path(name)
        out, log = handshake / "callgrind.out", handshake / "driver.log"
        argv = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={out}",
            sys.executable,
            str(Path(__file__).resolve()),
            "drive",
            "--app",
            app,
            "--requests",
            str(requests),
            "--handshake",
            str(handshake),
        ]
        with log.open("wb") as sink:
            process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT)
        try:
            _wait_for(handshake / "ready", process, STARTUP_TIMEOUT_S, log)
            _callgrind_control(process.pid, "on", log)
            (handshake / "go").touch()
            _wait_for(handshake / "finished", process, 60 + requests * SECONDS_PER_REQUEST_BOUND, log)
            _callgrind_control(process.pid, "off", log)
            (handshake / "end").touch()
            try:
                process.wait(timeout=STARTUP_TIMEOUT_S)  # lifespan shutdown, then callgrind's dump
            except subprocess.TimeoutExpired:
                raise InstructionCountError(f"the driver did not exit:\n{_log_tail(log)}") from None
            if process.returncode != 0:
                raise InstructionCountError(f"the driver exited with {process.returncode}:\n{_log_tail(log)}")
            return round(_total_instructions(out) / requests)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)


def compare(requests: int, nexuscore_env: dict[str, str], bare_env: dict[str, str], cwd: Path) -> dict[str, Any]:
    """Both apps, one after the other: the JSON health_live.py stores."""
    counts: dict[str, int] = {}
    for app, env in (("nexuscore", nexuscore_env), ("bare", bare_env)):
        print(f"  counting instructions: {app} under callgrind, {requests} requests ...", flush=True)
        counts[app] = count_instructions(app, requests, env, cwd)
    return {
        **counts,
        "ratio_bare_over_nexuscore": round(counts["bare"] / counts["nexuscore"], 3),
        "requests": requests,
    }


def describe(result: dict[str, Any]) -> str:
    return (
        "instructions per request (callgrind, in-process through uvicorn's HTTP protocol, "
        f"{result['requests']} requests): nexuscore {result['nexuscore']:,}  bare {result['bare']:,}  "
        f"bare/nexuscore {result['ratio_bare_over_nexuscore']:.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="CPU instructions per GET /health/live (callgrind).")
    commands = parser.add_subparsers(dest="command", required=True)
    count = commands.add_parser("count", help="count under callgrind (migrates a temp SQLite database first)")
    count.add_argument("--app", choices=(*APPS, "both"), default="both")
    count.add_argument("--requests", type=int, default=1000, help="counted requests (default 1000)")
    driver = commands.add_parser("drive", help="the in-process driver (the controller runs it under valgrind)")
    driver.add_argument("--app", choices=tuple(APPS), required=True)
    driver.add_argument("--requests", type=int, required=True)
    driver.add_argument("--warmup", type=int, default=WARMUP_REQUESTS, help=f"default {WARMUP_REQUESTS}")
    driver.add_argument("--handshake", type=Path, help="directory for the controller's files")
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= MAX_REQUESTS:
        parser.error(f"--requests must be 1..{MAX_REQUESTS}")

    if args.command == "drive":
        drive(args.app, args.requests, args.warmup, args.handshake)
        return 0

    from health_live import bare_env, migrate, nexuscore_env

    if not valgrind_available():
        print(f"valgrind not installed: {INSTALL_HINT}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="nexuscore-instructions-") as name:
        tmp = Path(name)
        envs = {"nexuscore": nexuscore_env(tmp), "bare": bare_env()}
        if args.app == "both":
            migrate(envs["nexuscore"], tmp)
            print(describe(compare(args.requests, envs["nexuscore"], envs["bare"], tmp)))
            return 0
        if args.app == "nexuscore":
            migrate(envs["nexuscore"], tmp)
        count_ = count_instructions(args.app, args.requests, envs[args.app], tmp)
        print(f"{args.app}: {count_:,} instructions per request ({args.requests} requests)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
