"""Adversarial tests of the password-check throttles through HTTP, from distinct client addresses."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.e2e.conftest import PASSWORD, bearer, register, signed_in

pytestmark = pytest.mark.e2e


async def from_address(client: AsyncTestClient[Litestar], ip: str, method: str, url: str, **kw: Any) -> httpx.Response:
    """One request whose TCP peer is `ip` (as if from another machine), on the app's own loop."""
    app = client.app

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=(ip, 40000))
        async with httpx.AsyncClient(transport=transport, base_url=str(client.base_url)) as raw:
            return await raw.request(method, url, **kw)

    return await anyio.to_thread.run_sync(client.blocking_portal.call, send)


async def _login(client: AsyncTestClient[Litestar], ip: str, email: str, password: str) -> httpx.Response:
    return await from_address(client, ip, "POST", "/api/v1/auth/login", json={"email": email, "password": password})


async def test_wrong_passwords_from_one_address_cannot_lock_the_owner_out(client: AsyncTestClient[Litestar]) -> None:
    assert (await register(client, "target@example.sg")).status_code == 201
    for _ in range(5):
        assert (await _login(client, "203.0.113.66", "target@example.sg", "wrong password!")).status_code == 401
    assert (await _login(client, "203.0.113.66", "target@example.sg", PASSWORD)).status_code == 429
    # The owner, from another address, signs in.
    assert (await _login(client, "198.51.100.20", "target@example.sg", PASSWORD)).status_code == 200


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/me/password", {"currentPassword": "wrong password!", "newPassword": "a brand new passphrase"}),
        ("/api/v1/me/email", {"newEmail": "elsewhere@example.sg", "password": "wrong password!"}),
    ],
)
async def test_password_checks_when_signed_in_are_throttled_like_sign_in(
    client: AsyncTestClient[Litestar], path: str, body: dict[str, str]
) -> None:
    assert (await register(client, "guessed@example.sg")).status_code == 201
    headers = bearer((await signed_in(client, "guessed@example.sg"))["accessToken"])
    statuses = [(await client.post(path, json=body, headers=headers)).status_code for _ in range(6)]
    assert statuses == [422] * 5 + [429]
    # The same budget as sign-in from this address: the stolen token cannot be used to keep guessing,
    right = {**body, "currentPassword": PASSWORD} if "currentPassword" in body else {**body, "password": PASSWORD}
    assert (await client.post(path, json=right, headers=headers)).status_code == 429
    assert (
        await client.post("/api/v1/auth/login", json={"email": "guessed@example.sg", "password": PASSWORD})
    ).status_code == 429
