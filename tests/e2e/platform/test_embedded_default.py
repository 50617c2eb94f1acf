"""The whole app on the embedded default (SQLite, in-process broker, in-process outbox relay),
started through the real CLI as a user would: `nexuscore migrate` then `nexuscore serve`."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from nexuscore.bootstrap.runtime import build_runtime
from nexuscore.events.adapters.sql.store import SqlEventRecorder
from nexuscore.kernel.events import EventRecord
from nexuscore.platform.migrations import upgrade_head
from tests.conftest import make_settings

pytestmark = pytest.mark.e2e

NEXUSCORE = str(Path(sys.executable).parent / "nexuscore")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "NEXUSCORE_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'var' / 'nexuscore.db'}",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
    }
    migrate = subprocess.run([NEXUSCORE, "migrate"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert migrate.returncode == 0, migrate.stderr
    port = _free_port()
    proc = subprocess.Popen(
        [NEXUSCORE, "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/health/live", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail("nexuscore serve did not come up")
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_on_sqlite_answers_health_and_problems_and_logs_json_with_request_id(
    served: tuple[str, subprocess.Popen[str]],
) -> None:
    base, proc = served
    ready = httpx.get(base + "/health/ready", timeout=5)
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "broker": "ok"}
    missing = httpx.get(base + "/nope", headers={"X-Request-ID": "trace-me-42"}, timeout=5)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert missing.json()["requestId"] == "trace-me-42"
    spec = httpx.get(base + "/schema/openapi.json", timeout=5)
    assert spec.status_code == 200 and spec.json()["openapi"].startswith("3.1")

    proc.terminate()
    _, stderr = proc.communicate(timeout=30)
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    access = [entry for entry in lines if entry.get("event") == "request" and entry.get("path") == "/nope"]
    assert access and access[0]["request_id"] == "trace-me-42" and access[0]["status"] == 404
    assert all(entry.get("timestamp") and entry.get("level") for entry in lines)


def _raw_get(base: str, target: bytes) -> tuple[bytes, bytes]:
    """A GET sent over a plain socket (httpx refuses URLs this long): (status line+headers, body)."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: " + host.encode() + b"\r\nConnection: close\r\n\r\n")
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return head, body


def test_the_servers_own_refusals_are_problems_too(served: tuple[str, subprocess.Popen[str]]) -> None:
    base, _ = served
    # Past uvicorn's parser limit the app never sees the request: the server answers it.
    head, body = _raw_get(base, b"/api/v1/me?q=" + b"a" * 100_000)
    assert head.startswith(b"HTTP/1.1 400"), head
    assert b"content-type: application/problem+json" in head.lower()
    problem = json.loads(body)
    assert problem["status"] == 400 and problem["type"].endswith("/malformed-request")
    # Below it, the app refuses a query string no route takes.
    head, body = _raw_get(base, b"/api/v1/me?q=" + b"a" * 20_000)
    assert head.startswith(b"HTTP/1.1 414"), head
    assert json.loads(body)["type"].endswith("/uri-too-long")


def _header_counts(head: bytes) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        found.setdefault(name.strip().lower(), []).append(value.strip())
    return found


def test_every_response_kind_carries_each_security_header_once(served: tuple[str, subprocess.Popen[str]]) -> None:
    """Through `nexuscore serve`, on the wire: each header once, with its value, by response kind."""
    base, _ = served
    api = _header_counts(_raw_get(base, b"/health/live")[0])
    assert api["x-content-type-options"] == ["nosniff"] and api["x-frame-options"] == ["DENY"]
    assert api["content-security-policy"] == ["default-src 'none'; frame-ancestors 'none'"]
    assert api["cache-control"] == ["no-store"] and len(api["x-request-id"]) == 1
    assert "server" not in api and "referrer-policy" not in api
    problem = _header_counts(_raw_get(base, b"/nope")[0])
    assert problem["x-content-type-options"] == ["nosniff"] and problem["x-frame-options"] == ["DENY"]
    ui_head, ui_body = _raw_get(base, b"/schema")
    ui = _header_counts(ui_head)
    assert b"<html" in ui_body.lower()
    assert ui["x-content-type-options"] == ["nosniff"] and ui["x-frame-options"] == ["DENY"]
    assert ui["referrer-policy"] == ["no-referrer"] and "default-src 'none'" not in str(
        ui.get("content-security-policy")
    )
    refused = _header_counts(_raw_get(base, b"/api/v1/me?q=" + b"a" * 100_000)[0])  # uvicorn's own 400
    assert refused["x-content-type-options"] == ["nosniff"] and refused["cache-control"] == ["no-store"]


async def test_outbox_relays_in_process_on_sqlite(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'app.db'}")
    await asyncio.to_thread(upgrade_head, settings.database_url)  # alembic runs its own loop
    runtime = build_runtime(settings)  # in-process relay and broker, as in development
    handled: list[Any] = []

    async def on_ping(event: EventRecord, session: Any) -> None:
        handled.append(event.id)

    runtime.subscribers.subscribe("test.ping", "platform.pinged", on_ping)
    # The app's lifespan would start the same runtime; started here so the test shares its loop.
    await runtime.startup()
    try:
        async with runtime.sessions() as session:
            event = EventRecord(type="platform.pinged", occurred_at=datetime.now(UTC))
            await SqlEventRecorder(session, runtime.clock).append(event)
            await session.commit()
        for _ in range(200):  # the relay polls every 0.5 s
            if handled:
                break
            await asyncio.sleep(0.05)
        assert handled == [event.id]
    finally:
        await runtime.shutdown()
