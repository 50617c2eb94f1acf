"""Adversarial tests of the public privacy intake's limits through HTTP, from distinct client
addresses: a flood from one address is refused (429 with Retry-After) before anything is stored
or mailed, and the limits never tell a known address from an unknown one."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.bootstrap.app import create_app
from nexuscore.bootstrap.runtime import Runtime
from nexuscore.privacy.adapters.sql.tables import PrivacyRequestRow
from tests.conftest import make_settings
from tests.e2e.conftest import Inbox, verified_user
from tests.e2e.identity.test_identity_throttles import from_address
from tests.e2e.privacy.conftest import Client, lead, org, system_read

pytestmark = pytest.mark.e2e
PROBLEMS = "https://nexuscore.sg/problems/"


async def _tenant(client: Client, inbox: Inbox) -> str:
    owner = await verified_user(client, inbox, "owner@kopi.sg")
    org_id = await org(client, owner, "Kopi Tiam Pte Ltd")
    await lead(client, org_id, owner, firstName="Ann", lastName="Tan", email="ann@mail.sg")
    return org_id


async def _ask(client: Client, ip: str, org_id: str, email: str) -> httpx.Response:
    return await from_address(
        client, ip, "POST", f"/api/v1/public/orgs/{org_id}/privacy/requests", json={"kind": "access", "email": email}
    )


async def _stored_requests(client: Client, runtime: Runtime) -> int:
    async def count(session: AsyncSession) -> int:
        return int((await session.execute(select(func.count()).select_from(PrivacyRequestRow))).scalar_one())

    return await system_read(client, runtime, count)


def _assert_rate_limited(response: httpx.Response) -> int:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] == PROBLEMS + "rate-limited"
    wait = int(response.headers["retry-after"])
    assert wait >= 1 and body["retryAfter"] == wait
    return wait


def _shape(response: httpx.Response) -> tuple[Any, ...]:
    """What a client can compare between two answers: all but the ids minted per request."""
    body = {k: v for k, v in response.json().items() if k not in ("requestId",)}
    headers = {k: v for k, v in response.headers.items() if k not in ("x-request-id", "content-length", "date")}
    return response.status_code, body, headers


async def test_a_flood_from_one_address_is_refused_before_anything_is_stored_or_mailed(
    client: Client, inbox: Inbox, runtime: Runtime
) -> None:
    org_id = await _tenant(client, inbox)
    statuses = [(await _ask(client, "203.0.113.9", org_id, f"p{i}@mail.sg")).status_code for i in range(10)]
    assert statuses == [202] * 10
    refused = await _ask(client, "203.0.113.9", org_id, "p10@mail.sg")
    assert _assert_rate_limited(refused) == 60
    # Refused before the organisation is even looked up: an unknown one is refused alike.
    nowhere = await _ask(client, "203.0.113.9", "01900000-0000-7000-8000-00000000abcd", "p11@mail.sg")
    assert nowhere.status_code == 429
    assert await _stored_requests(client, runtime) == 10
    await inbox.wait_for("p9@mail.sg", "confirmation code")
    assert inbox.count("p10@mail.sg", "confirmation code") == 0
    # Another address is not held up by the flood.
    assert (await _ask(client, "198.51.100.20", org_id, "p10@mail.sg")).status_code == 202


async def test_known_and_unknown_addresses_get_identical_answers_under_the_limit_too(
    client: Client, inbox: Inbox, runtime: Runtime
) -> None:
    org_id = await _tenant(client, inbox)
    # From distinct client addresses: the limit per address asked about, not per client, decides.
    known = [await _ask(client, f"203.0.113.{10 + i}", org_id, "ann@mail.sg") for i in range(4)]
    unknown = [await _ask(client, f"203.0.113.{20 + i}", org_id, "nobody@mail.sg") for i in range(4)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [202, 202, 202, 429]
    for k, u in zip(known, unknown, strict=True):
        assert _shape(k) == _shape(u)
    _assert_rate_limited(known[3])
    assert known[3].json()["instance"] == unknown[3].json()["instance"]
    # The address is normalised first: another spelling does not get round the limit.
    assert (await _ask(client, "203.0.113.30", org_id, "ANN@Mail.SG")).status_code == 429
    assert await _stored_requests(client, runtime) == 6
    await inbox.wait_for("ann@mail.sg", "confirmation code", count=3)
    await inbox.wait_for("nobody@mail.sg", "confirmation code", count=3)
    assert inbox.count("ann@mail.sg", "confirmation code") == inbox.count("nobody@mail.sg", "confirmation code") == 3


async def test_code_guesses_from_one_address_are_refused_across_requests(client: Client, inbox: Inbox) -> None:
    org_id = await _tenant(client, inbox)
    asked = await _ask(client, "198.51.100.7", org_id, "ann@mail.sg")
    assert asked.status_code == 202
    code = re.search(
        r"code is (\d{6})",
        (await inbox.wait_for("ann@mail.sg", "confirmation code")).get_body(("plain",)).get_content(),  # type: ignore[union-attr]
    ).group(1)  # type: ignore[union-attr]
    base = f"/api/v1/public/orgs/{org_id}/privacy/requests"
    # 20 attempts an hour from one address, whatever request they name (unknown ids count too).
    for i in range(20):
        guess = await from_address(
            client, "203.0.113.66", "POST", f"{base}/01900000-0000-7000-8000-{i:012d}/verify", json={"code": "123456"}
        )
        assert guess.status_code == 404, guess.text
    verify = f"{base}/{asked.json()['requestId']}/verify"
    refused = await from_address(client, "203.0.113.66", "POST", verify, json={"code": code})
    _assert_rate_limited(refused)
    # The refused attempt did not spend one of the request's 5; the subject, elsewhere, verifies.
    wrong = "000000" if code != "000000" else "111111"
    bad = await from_address(client, "198.51.100.7", "POST", verify, json={"code": wrong})
    assert bad.status_code == 422 and "4 attempts left" in bad.json()["errors"][0]["message"]
    ok = await from_address(client, "198.51.100.7", "POST", verify, json={"code": code})
    assert ok.status_code == 200 and ok.json()["status"] == "pending"


async def test_the_limits_are_in_the_api_document(client: Client) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    base = "/api/v1/public/orgs/{orgId}/privacy/requests"
    for path in (base, base + "/{requestId}/verify"):
        limited = document["paths"][path]["post"]["responses"]["429"]
        assert "application/problem+json" in limited["content"]
        assert limited["headers"]["Retry-After"]["schema"]["type"] == "integer"


async def test_the_limits_count_on_redis_when_configured(clean_postgres: str, redis_url: str, tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path, DATABASE_URL=clean_postgres, REDIS_URL=redis_url, OUTBOX_RELAY_IN_PROCESS="false"
    )
    nowhere = "01900000-0000-7000-8000-00000000abcd"
    async with AsyncTestClient(create_app(settings)) as redis_client:
        statuses = [(await _ask(redis_client, "203.0.113.9", nowhere, "a@b.sg")).status_code for _ in range(11)]
    assert statuses == [404] * 10 + [429]
    client = Redis.from_url(redis_url)
    try:
        keys = [k async for k in client.scan_iter(match="nexuscore:throttle:*")]
    finally:
        await client.aclose()
    assert keys and all(b"203.0.113.9" not in k for k in keys)
