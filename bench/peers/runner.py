"""The Django peer's environment, server and token; CPU pinning shared by every bench target.

The peer lives in its own virtual environment (`bench/.venv-peers`, from
`bench/peers/django/requirements.txt`, created with uv on first use), never in the product's.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from pathlib import Path

PEERS_DIR = Path(__file__).resolve().parent
DJANGO_DIR = PEERS_DIR / "django"
VENV = PEERS_DIR.parent / ".venv-peers"
SERVER_CPU = 0  # servers (NexusCore, Django, bare Litestar) run here
CLIENT_CPU = 1  # the load generator and the floors' asyncpg clients run here

PEER_TOKEN_TABLE_SQL = (
    "CREATE TABLE IF NOT EXISTS peer_authtoken (key varchar(40) PRIMARY KEY, "
    "user_id uuid NOT NULL REFERENCES identity_user (id), created timestamptz NOT NULL)"
)
PEER_TOKEN_SQL = "INSERT INTO peer_authtoken (key, user_id, created) VALUES ($1, $2, now())"


def peer_python() -> Path:
    """The peer venv's python, installed with uv the first time."""
    python = VENV / "bin" / "python"
    if python.exists():
        return python
    uv = shutil.which("uv") or str(PEERS_DIR.parents[1] / ".tools" / "bin" / "uv")
    print(f"installing the peers' environment into {VENV} (django, djangorestframework, gunicorn, psycopg, matplotlib)")
    subprocess.run([uv, "venv", "-q", str(VENV)], check=True)
    subprocess.run(
        [uv, "pip", "install", "-q", "-r", str(DJANGO_DIR / "requirements.txt")],
        check=True,
        env=os.environ | {"VIRTUAL_ENV": str(VENV)},
    )
    return python


def pinning_available() -> bool:
    return shutil.which("taskset") is not None and len(os.sched_getaffinity(0)) >= 2


def pinned(argv: list[str], pin: bool) -> list[str]:
    """A server's command line on SERVER_CPU (taskset), when pinning."""
    return ["taskset", "-c", str(SERVER_CPU), *argv] if pin else argv


def pin_client(pin: bool) -> None:
    """This process (load generator, floor clients) on CLIENT_CPU, away from the servers."""
    if pin:
        os.sched_setaffinity(0, {CLIENT_CPU})


def gunicorn_argv(port: int) -> list[str]:
    """One sync worker, as the issue asks; no access log."""
    python = peer_python()
    return [
        str(python),
        "-m",
        "gunicorn",
        "--workers",
        "1",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--chdir",
        str(DJANGO_DIR),
        "peer.wsgi:application",
    ]


def peer_env(database_dsn: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    return env | {"PEER_DATABASE_URL": database_dsn, "PEER_SECRET_KEY": secrets.token_hex(16), "PYTHONPATH": ""}


def tree_cpu_seconds(pid: int) -> float | None:
    """utime + stime of a process and its descendants (gunicorn's worker is a child)."""
    total, found = 0.0, False
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            found = True
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total if found else None
