"""Adversarial tests, one or more per security promise of the identity context."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path
from typing import Any

import asyncpg
import jwt
import pytest
from argon2 import PasswordHasher as Argon2
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.engine import make_url

from nexuscore.bootstrap.app import create_app
from nexuscore.platform.settings import Settings
from tests.conftest import make_settings
from tests.e2e.conftest import PASSWORD, Inbox, bearer, link_token, login, register, signed_in

pytestmark = pytest.mark.e2e


async def _db(database_url: str) -> asyncpg.Connection:
    return await asyncpg.connect(make_url(database_url).set(drivername="postgresql").render_as_string(False))


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def test_passwords_are_argon2id_with_owasp_parameters_and_never_returned(
    client: AsyncTestClient[Litestar], clean_postgres: str
) -> None:
    response = await register(client, "hash@example.sg")
    assert "argon2" not in response.text and PASSWORD not in response.text
    conn = await _db(clean_postgres)
    try:
        stored = await conn.fetchval("SELECT password_hash FROM identity_user WHERE email = 'hash@example.sg'")
    finally:
        await conn.close()
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


async def test_login_rehashes_a_password_stored_with_weaker_parameters(
    client: AsyncTestClient[Litestar], clean_postgres: str
) -> None:
    await register(client, "rehash@example.sg")
    weak = Argon2(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    conn = await _db(clean_postgres)
    try:
        await conn.execute("UPDATE identity_user SET password_hash = $1 WHERE email = 'rehash@example.sg'", weak)
        assert (await login(client, "rehash@example.sg")).status_code == 200
        upgraded = await conn.fetchval("SELECT password_hash FROM identity_user WHERE email = 'rehash@example.sg'")
    finally:
        await conn.close()
    assert upgraded != weak and upgraded.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert (await login(client, "rehash@example.sg")).status_code == 200


async def test_forged_access_tokens_are_refused(client: AsyncTestClient[Litestar], identity_settings: Settings) -> None:
    await register(client, "jwt@example.sg")
    real = await signed_in(client, "jwt@example.sg")
    header, payload, signature = real["accessToken"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))

    none_alg = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}."
    other_key = jwt.encode(claims, "an entirely different secret key!!", algorithm="HS256")
    raw_secret = jwt.encode(claims, identity_settings.secret_key, algorithm="HS256")  # not the derived key
    tampered = f"{header}.{_b64({**claims, 'sub': '01a219b9-657b-73c6-a8a2-cea9469915e9'})}.{signature}"
    for forged in (none_alg, other_key, raw_secret, tampered, real["accessToken"] + "x"):
        response = await client.get("/api/v1/me", headers=bearer(forged))
        assert response.status_code == 401, forged
    assert (await client.get("/api/v1/me", headers=bearer(real["accessToken"]))).status_code == 200


async def test_failed_logins_back_off_per_account_and_success_resets(client: AsyncTestClient[Litestar]) -> None:
    await register(client, "victim@example.sg")
    for _ in range(5):
        assert (await login(client, "victim@example.sg", "wrong password!")).status_code == 401
    blocked = await login(client, "victim@example.sg", "wrong password!")
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) >= 1
    assert blocked.json()["type"].endswith("/rate-limited")
    # Even the right password waits during the backoff (otherwise the throttle leaks the answer).
    during = await login(client, "victim@example.sg")
    assert during.status_code == 429
    # The wait doubles with each further failure instead of locking the account for long.
    await asyncio.sleep(int(during.headers["retry-after"]) + 0.1)
    assert (await login(client, "victim@example.sg")).status_code == 200
    # success reset the account counter: five fresh failures are allowed again
    for _ in range(5):
        assert (await login(client, "victim@example.sg", "wrong password!")).status_code == 401


async def test_failed_logins_from_one_address_are_throttled_across_accounts(client: AsyncTestClient[Litestar]) -> None:
    await register(client, "spray@example.sg")
    statuses = [(await login(client, f"user{i}@example.sg", "guess guess guess")).status_code for i in range(50)]
    assert set(statuses) == {401}
    assert (await login(client, "spray@example.sg")).status_code == 429


async def test_register_and_forgot_password_are_rate_limited(client: AsyncTestClient[Litestar]) -> None:
    statuses = [(await register(client, f"bulk{i}@example.sg")).status_code for i in range(11)]
    assert statuses[:10] == [201] * 10 and statuses[10] == 429
    forgot = [
        (await client.post("/api/v1/auth/forgot-password", json={"email": "bulk1@example.sg"})).status_code
        for _ in range(4)
    ]
    assert forgot == [202, 202, 202, 429]


async def test_throttle_runs_on_redis_when_configured(clean_postgres: str, redis_url: str, tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path, DATABASE_URL=clean_postgres, REDIS_URL=redis_url, OUTBOX_RELAY_IN_PROCESS="false"
    )
    async with AsyncTestClient(create_app(settings)) as redis_client:
        assert (await register(redis_client, "redis@example.sg")).status_code == 201
        for _ in range(5):
            assert (await login(redis_client, "redis@example.sg", "wrong password!")).status_code == 401
        assert (await login(redis_client, "redis@example.sg")).status_code == 429
    from redis.asyncio import Redis

    client = Redis.from_url(redis_url)
    try:
        keys = [k async for k in client.scan_iter(match="nexuscore:throttle:*")]
    finally:
        await client.aclose()
    assert keys and all(b"redis@example.sg" not in k for k in keys)


async def test_event_payloads_and_responses_carry_no_secrets(
    client: AsyncTestClient[Litestar], inbox: Inbox, clean_postgres: str
) -> None:
    secrets_seen: set[str] = {PASSWORD}
    await register(client, "audit@example.sg")
    verify_token = link_token(await inbox.wait_for("audit@example.sg", "Verify"))
    secrets_seen.add(verify_token)
    await client.post("/api/v1/auth/verify-email", json={"token": verify_token})
    await login(client, "audit@example.sg", "wrong password!")
    tokens = await signed_in(client, "audit@example.sg")
    secrets_seen |= {tokens["accessToken"], tokens["refreshToken"]}
    me = await client.get("/api/v1/me", headers=bearer(tokens["accessToken"]))
    sessions = await client.get("/api/v1/me/sessions", headers=bearer(tokens["accessToken"]))
    for response in (me, sessions):
        assert not any(s in response.text for s in secrets_seen)
        assert "argon2" not in response.text and "hash" not in response.text.lower()
    await client.post("/api/v1/auth/forgot-password", json={"email": "audit@example.sg"})
    secrets_seen.add(link_token(await inbox.wait_for("audit@example.sg", "Reset")))
    new_password = "yet another passphrase"
    secrets_seen.add(new_password)
    await client.post(
        "/api/v1/me/password",
        json={"currentPassword": PASSWORD, "newPassword": new_password},
        headers=bearer(tokens["accessToken"]),
    )
    await client.post("/api/v1/auth/logout", json={"refreshToken": tokens["refreshToken"]})

    conn = await _db(clean_postgres)
    try:
        rows = await conn.fetch("SELECT type, payload::text AS payload FROM events_domain_event")
        stored_hash = await conn.fetchval("SELECT password_hash FROM identity_user WHERE email = 'audit@example.sg'")
        token_columns = await conn.fetch(
            "SELECT digest FROM identity_refresh_token UNION SELECT digest FROM identity_action_token"
        )
    finally:
        await conn.close()
    types = {r["type"] for r in rows}
    assert {
        "user.registered",
        "user.email_verified",
        "user.login_failed",
        "user.logged_in",
        "user.password_reset_requested",
        "user.password_changed",
        "user.logged_out",
    } <= types
    for row in rows:
        assert not any(s in row["payload"] for s in secrets_seen), row
        assert stored_hash not in row["payload"]
    # Tokens are stored only as digests.
    assert not any(t["digest"] in secrets_seen for t in token_columns)
