"""Client addresses behind proxies: X-Forwarded-For counts only from a configured proxy.

The app runs behind uvicorn's proxy-header middleware exactly as `nexuscore serve` configures
it (`proxy_headers_policy`), and requests arrive from chosen TCP peers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from litestar.testing import AsyncTestClient
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from nexuscore.bootstrap.app import create_app
from nexuscore.bootstrap.cli import proxy_headers_policy
from tests.conftest import make_settings
from tests.e2e.conftest import PASSWORD, bearer

pytestmark = pytest.mark.e2e

SPOOFED = {"X-Forwarded-For": "192.0.2.250"}


async def _session_ips(app_postgres_url: str, tmp_path: Path, peer: str, **env: str) -> list[str]:
    """Register and sign in from `peer` with a spoofed X-Forwarded-For; the IPs the session list shows."""
    settings = make_settings(tmp_path, DATABASE_URL=app_postgres_url, OUTBOX_RELAY_IN_PROCESS="false", **env)
    app = create_app(settings)
    policy = proxy_headers_policy(settings)
    served: Any = ProxyHeadersMiddleware(app, policy["forwarded_allow_ips"]) if policy["proxy_headers"] else app
    async with AsyncTestClient(app) as client:  # runs the app's lifespan

        async def go() -> list[str]:
            transport = httpx.ASGITransport(app=served, client=(peer, 40000))
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as raw:
                body = {"email": "proxied@example.sg", "password": PASSWORD, "fullName": "Pro Xy"}
                assert (await raw.post("/api/v1/auth/register", json=body, headers=SPOOFED)).status_code == 201
                login = await raw.post(
                    "/api/v1/auth/login", json={"email": body["email"], "password": PASSWORD}, headers=SPOOFED
                )
                assert login.status_code == 200, login.text
                listed = await raw.get("/api/v1/me/sessions", headers=bearer(login.json()["accessToken"]))
                return [s["ip"] for s in listed.json()["items"]]

        return await anyio.to_thread.run_sync(client.blocking_portal.call, go)


async def test_a_spoofed_header_from_an_untrusted_peer_changes_nothing(app_postgres_url: str, tmp_path: Path) -> None:
    assert await _session_ips(app_postgres_url, tmp_path, "203.0.113.9") == ["203.0.113.9"]


async def test_loopback_is_not_trusted_by_default(app_postgres_url: str, tmp_path: Path) -> None:
    assert await _session_ips(app_postgres_url, tmp_path, "127.0.0.1") == ["127.0.0.1"]


async def test_a_configured_proxy_is_believed(app_postgres_url: str, tmp_path: Path) -> None:
    ips = await _session_ips(app_postgres_url, tmp_path, "10.1.2.3", TRUSTED_PROXIES="10.0.0.0/8")
    assert ips == ["192.0.2.250"]
