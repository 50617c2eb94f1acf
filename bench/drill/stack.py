"""The drill's production layout: its own Redis, its own PostgreSQL database, an SMTP sink, and
the API, worker and scheduler as `nexuscore` processes in ENVIRONMENT=production.

Everything here is owned by the drill: Redis runs on its own port in a temp dir (so it can be
stopped, restarted and emptied), the database is created and dropped, the processes are
stopped at the end. Loopback only.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

APP_ROLE = "nexuscore_app"  # as tests/conftest.py: may read and write, owns nothing, bypasses no RLS
DEFAULT_PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_PORT = 6393
SCRUBBED_PREFIXES = ("SMTP_", "MAIL_", "STRIPE_")
SCRUBBED = (
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
    "APP_BASE_URL",
    "TRUSTED_PROXIES",
)
GRANT_APP_ROLE_SQL = f"""
DO $$ BEGIN
    CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
GRANT USAGE ON SCHEMA public TO {APP_ROLE};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE};
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {APP_ROLE};
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def process_cpu_seconds(pid: int) -> float | None:
    """utime + stime of one process, from /proc/<pid>/stat (Linux); None elsewhere or when gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------------------------------
# SMTP sink: in-process (aiosmtpd in its own thread), counts mails per recipient


class SmtpSink:
    """Accepts every mail and counts it per recipient; `stop()` closes the port (SMTP down)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.counts: Counter[str] = Counter()
        self.last_arrival: dict[str, float] = {}
        self._lock = threading.Lock()
        self._controller: Any = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        now = time.monotonic()
        with self._lock:
            for rcpt in envelope.rcpt_tos:
                self.counts[rcpt.lower()] += 1
                self.last_arrival[rcpt.lower()] = now
        return "250 OK"

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        if self._controller is None:
            self._controller = Controller(self, hostname="127.0.0.1", port=self.port, ready_timeout=10)
            self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def snapshot(self, addresses: set[str]) -> tuple[dict[str, int], dict[str, float]]:
        with self._lock:
            counts = {a: self.counts[a] for a in addresses if self.counts[a]}
            arrivals = {a: self.last_arrival[a] for a in counts}
        return counts, arrivals


# ---------------------------------------------------------------------------------------------
# Redis of the drill's own: persistence (AOF, fsync always) unless emptied on purpose


@dataclass
class RedisServer:
    port: int
    directory: Path
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, *, empty: bool = False) -> None:
        if self.process is not None and self.process.poll() is None:
            raise RuntimeError("redis-server already running")
        if port_open(self.port):
            raise RuntimeError(f"port {self.port} is taken: the drill needs its own Redis there (--redis-port)")
        if empty:  # restarted without persistence: it comes back with nothing
            shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True, exist_ok=True)
        argv = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)]
        argv += ["--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "yes"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while not port_open(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start; see {self.log}")
            time.sleep(0.05)

    def stop(self) -> None:
        """SIGTERM: Redis flushes its AOF and exits; clients see their connections closed."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None


# ---------------------------------------------------------------------------------------------
# PostgreSQL: a cluster of the drill's own (initdb in the temp dir), so fault 6 can stop it


DEFAULT_PG_PORT = 5440


def _pg_bin(name: str) -> str | None:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else shutil.which(name)


@dataclass
class PgCluster:
    """initdb + pg_ctl on its own port and data dir, trust auth on loopback only. initdb
    refuses to run as root: then every command runs as the `postgres` user (runuser)."""

    port: int
    directory: Path
    running: bool = False

    @staticmethod
    def available() -> bool:
        return _pg_bin("initdb") is not None and _pg_bin("pg_ctl") is not None

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def log(self) -> Path:
        return self.directory / "postgres.log"

    def _run(self, *argv: str, timeout: float = 120) -> None:
        command = list(argv)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed ({done.returncode}): {done.stderr[-2000:]}{done.stdout[-1000:]}")

    def init(self) -> None:
        if port_open(self.port):
            raise RuntimeError(f"port {self.port} is taken: the drill needs its own PostgreSQL there (--pg-port)")
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            # The temp dir is root's (0700): let postgres through to its own directory.
            for parent in [self.directory.parent]:
                parent.chmod(0o711)
            shutil.chown(self.directory, "postgres", "postgres")
        initdb = _pg_bin("initdb")
        assert initdb is not None
        self._run(initdb, "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "-N")

    def start(self) -> None:
        pg_ctl = _pg_bin("pg_ctl")
        assert pg_ctl is not None
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.directory} "
            "-c fsync=off -c max_connections=100"
        )
        self._run(pg_ctl, "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")
        self.running = True

    def stop(self) -> None:
        """Fast shutdown: every backend terminated, then the port closed (a real restart's first half)."""
        if not self.running:
            return
        pg_ctl = _pg_bin("pg_ctl")
        assert pg_ctl is not None
        self._run(pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")
        self.running = False


# ---------------------------------------------------------------------------------------------
# PostgreSQL access


async def pg_execute(admin_url: str, statement: str, *args: Any) -> Any:
    import asyncpg

    conn = await asyncpg.connect(admin_url, timeout=10)
    try:
        if args:
            return await conn.fetch(statement, *args, timeout=60)
        return await conn.execute(statement, timeout=60)
    finally:
        await conn.close(timeout=10)


def with_database(url: str, name: str, *, user: str | None = None, driver: str = "postgresql") -> str:
    parts = urlsplit(url)
    netloc = parts.netloc
    if user is not None:
        netloc = f"{user}@{netloc.rsplit('@', 1)[-1]}"
    return f"{driver}://{netloc}/{name}"


def check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"refusing non-loopback PostgreSQL host {host!r}: the drill runs on loopback only")


# ---------------------------------------------------------------------------------------------
# The nexuscore processes


@dataclass
class Proc:
    name: str
    argv: list[str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0
    log_offset: int = 0  # where this run of the process starts in its log

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_bytes(self) -> int:
        try:
            return self.log.stat().st_size
        except OSError:
            return 0

    def log_text(self, start: int = 0) -> str:
        try:
            with self.log.open("rb") as handle:
                handle.seek(start)
                return handle.read().decode(errors="replace")
        except OSError:
            return ""


@dataclass
class Stack:
    tmp: Path
    pg_admin_url: str
    redis: RedisServer
    sink: SmtpSink
    api_port: int
    pg_cluster: PgCluster | None = None  # the drill's own PostgreSQL; None: a shared server
    db_name: str = field(default_factory=lambda: f"nexuscore_drill_{secrets.token_hex(4)}")
    procs: dict[str, Proc] = field(default_factory=dict)
    db_created: bool = False

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def owner_url(self) -> str:
        return with_database(self.pg_admin_url, self.db_name, driver="postgresql+asyncpg")

    def admin_db_url(self) -> str:
        """libpq URL of the drill database as the admin (superuser: row-level security does not bind it)."""
        return with_database(self.pg_admin_url, self.db_name)

    def env(self, *, database_url: str | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in SCRUBBED and not k.startswith(SCRUBBED_PREFIXES)}
        env.update(
            ENVIRONMENT="production",
            DATABASE_URL=database_url or with_database(self.pg_admin_url, self.db_name, user=APP_ROLE),
            REDIS_URL=self.redis.url,
            SECRET_KEY=self.secret_key,
            # Production refuses to start without one; the drill's faults never reach Stripe.
            STRIPE_SECRET_KEY="sk_test_drill_never_sent",
            # Production refuses to start without the supplier's particulars (every invoice carries them).
            SUPPLIER_NAME="NexusCore Drill Pte. Ltd.",
            SUPPLIER_ADDRESS="1 Drill Road|Singapore 018989",
            SUPPLIER_UEN="201912345K",
            SUPPLIER_GST_REG_NO="M91234567X",
            APP_BASE_URL="https://app.drill.example.sg",
            MAIL_BACKEND="smtp",
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=str(self.sink.port),
            SMTP_SECURITY="none",
            SMTP_TIMEOUT_SECONDS="5",
            LOG_LEVEL="INFO",
            LOG_FORMAT="json",
            NEXUSCORE_VAR_DIR=str(self.tmp / "var"),
            HOST="127.0.0.1",
            PORT=str(self.api_port),
            # The runner stands in for a proxy on loopback: each registration carries its own
            # X-Forwarded-For, so the per-address register limit does not cap the drill.
            TRUSTED_PROXIES="127.0.0.1",
            # Fault 4 waits for the relay's redelivery of dispatches lost with an emptied
            # Redis; production's 60 s would outlast the drill's bound on waiting for mails.
            OUTBOX_REDELIVER_SECONDS="8",
        )
        return env

    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(48))

    # -- set-up and tear-down ----------------------------------------------------------------

    def create_database(self) -> None:
        asyncio.run(pg_execute(self.pg_admin_url, f'CREATE DATABASE "{self.db_name}"'))
        self.db_created = True
        # Migrations run as the owner (the README's "Running against PostgreSQL and Redis").
        done = subprocess.run(
            [sys.executable, "-m", "nexuscore.bootstrap.cli", "migrate"],
            env=self.env(database_url=self.owner_url()),
            cwd=self.tmp,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"nexuscore migrate failed ({done.returncode}):\n{done.stderr[-3000:]}")
        asyncio.run(pg_execute(self.admin_db_url(), GRANT_APP_ROLE_SQL))

    def drop_database(self) -> None:
        if not self.db_created:
            return
        try:
            asyncio.run(pg_execute(self.pg_admin_url, f'ALTER DATABASE "{self.db_name}" ALLOW_CONNECTIONS true'))
            asyncio.run(pg_execute(self.pg_admin_url, f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)'))
            print(f"dropped database {self.db_name}", flush=True)
        except Exception as exc:  # report and go on: the caller's error matters more
            print(f"warning: could not drop database {self.db_name}: {exc!r}; drop it by hand", file=sys.stderr)

    def start(self, name: str) -> Proc:
        cli = [sys.executable, "-m", "nexuscore.bootstrap.cli"]
        argv = {"api": [*cli, "serve"], "worker": [*cli, "worker"], "scheduler": [*cli, "scheduler"]}[name]
        proc = self.procs.get(name) or Proc(name=name, argv=argv, log=self.tmp / f"{name}.log")
        proc.log_offset = proc.log_bytes()
        with proc.log.open("ab") as out:
            # cwd is the temp dir: no developer .env or var/ is picked up.
            proc.process = subprocess.Popen(argv, env=self.env(), cwd=self.tmp, stdout=out, stderr=subprocess.STDOUT)
        proc.starts += 1
        self.procs[name] = proc
        return proc

    def relay_once(self) -> int:
        """One relay pass in a process of its own (bench/drill/relay_once.py); how many it published."""
        done = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("relay_once.py"))],
            env=self.env(),
            cwd=self.tmp,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"relay pass failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return int(done.stdout.strip().splitlines()[-1])

    def pause(self, name: str, paused: bool) -> None:
        """SIGSTOP / SIGCONT: the process holds its connections but does nothing."""
        proc = self.procs[name]
        if proc.alive():
            assert proc.process is not None
            proc.process.send_signal(signal.SIGSTOP if paused else signal.SIGCONT)

    def wait_api_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            api = self.procs["api"]
            if not api.alive():
                raise RuntimeError(f"api exited:\n{api.log_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.api_url}/health/ready", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"api not ready after {timeout:.0f} s:\n{self.procs['api'].log_text()[-3000:]}")

    def wait_logged(self, name: str, needle: str, timeout: float = 60.0) -> None:
        proc = self.procs[name]
        deadline = time.monotonic() + timeout
        while needle not in proc.log_text(proc.log_offset):
            if not proc.alive() or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not log {needle!r}:\n{proc.log_text()[-3000:]}")
            time.sleep(0.1)

    def kill(self, name: str, sig: signal.Signals = signal.SIGKILL) -> None:
        proc = self.procs[name]
        if proc.alive():
            assert proc.process is not None
            proc.process.send_signal(sig)
            try:
                proc.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.process.kill()
                proc.process.wait(timeout=5)

    def stop_all(self) -> None:
        for name in ("api", "scheduler", "worker"):
            if name in self.procs:
                self.kill(name, signal.SIGTERM)
