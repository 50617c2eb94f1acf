"""The API as deployed: `nexuscore serve` (uvicorn) and `nexuscore worker` (the outbox relay and
the tasks that send mail, on Redis streams) as subprocesses on a PostgreSQL database and Redis,
mails written as .eml files (read through `Inbox`), for clients that speak HTTP over a socket:
the generated SDKs and the fuzzer."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.e2e.conftest import Inbox

NEXUSCORE = str(Path(sys.executable).parent / "nexuscore")
SCRUBBED = ("DATABASE_URL", "REDIS_URL", "ENVIRONMENT", "SECRET_KEY", "MAIL_BACKEND", "NEXUSCORE_VAR_DIR", "PORT")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ServedApi:
    base_url: str
    inbox: Inbox
    log: Path
    process: subprocess.Popen[bytes]
    worker: subprocess.Popen[bytes]


@contextmanager
def served_api(var_dir: Path, database_url: str, redis_url: str, **env: str) -> Iterator[ServedApi]:
    """`nexuscore serve` on a free port and one worker until the block ends (output: var_dir/*.log)."""
    var_dir.mkdir(parents=True, exist_ok=True)
    environ = {k: v for k, v in os.environ.items() if k not in SCRUBBED and not k.startswith(("SMTP_", "MAIL_"))}
    environ.update(
        {
            "ENVIRONMENT": "test",
            "NEXUSCORE_VAR_DIR": str(var_dir),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "OUTBOX_RELAY_IN_PROCESS": "false",
            "OUTBOX_POLL_SECONDS": "0.05",
            "MAIL_BACKEND": "file",
            "APP_BASE_URL": "https://app.example.sg",
            "LOG_LEVEL": "WARNING",
            **env,
        }
    )
    port = free_port()
    log = var_dir / "server.log"
    with log.open("ab") as out, (var_dir / "worker.log").open("ab") as worker_out:
        process = subprocess.Popen(
            [NEXUSCORE, "serve", "--port", str(port)], env=environ, cwd=var_dir, stdout=out, stderr=subprocess.STDOUT
        )
        worker = subprocess.Popen(
            [NEXUSCORE, "worker"], env=environ, cwd=var_dir, stdout=worker_out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:  # waits for the process to listen, not for application time
            try:
                if httpx.get(base + "/health/live", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nexuscore serve did not come up:\n{log.read_text()[-4000:]}")
            time.sleep(0.1)
        yield ServedApi(base, Inbox(var_dir / "mail"), log, process, worker)
    finally:
        for child in (process, worker):
            child.terminate()
        for child in (process, worker):
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=10)
