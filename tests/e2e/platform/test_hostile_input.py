"""Nothing a client sends makes the server fail (issue 15): each hostile input gets a 4xx
`application/problem+json` and changes nothing. Through HTTP, on the real app and PostgreSQL."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import httpx
import jwt
import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from nexuscore.bootstrap.app import create_app
from nexuscore.identity.adapters.crypto.jwt_tokens import JwtAccessTokens
from nexuscore.kernel.clock import SystemClock
from nexuscore.platform.settings import Settings
from tests.e2e.conftest import PASSWORD, Inbox, auth, register, verified_user

pytestmark = pytest.mark.e2e
Client = AsyncTestClient[Litestar]
PROBLEM = "application/problem+json"
PROBLEMS = "https://nexuscore.sg/problems/"
JSON = {"Content-Type": "application/json"}


@pytest.fixture
async def client(identity_settings: Settings) -> AsyncIterator[Client]:
    async with AsyncTestClient(create_app(identity_settings), raise_server_exceptions=False) as c:
        yield c


def _problem(response: Any, status: int | tuple[int, ...], code: str | None = None) -> dict[str, Any]:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, response.text
    assert response.headers["content-type"].startswith(PROBLEM), response.headers["content-type"]
    body: dict[str, Any] = response.json()
    if code is not None:
        assert body["type"] == PROBLEMS + code, body
    return body


async def _org(client: Client, user: dict[str, str], name: str = "Kopi Tiam Pte Ltd") -> str:
    response = await client.post("/api/v1/orgs", json={"name": name}, headers=auth(user))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _lead(client: Client, oid: str, user: dict[str, str]) -> str:
    response = await client.post(
        f"/api/v1/orgs/{oid}/leads", json={"firstName": "Mei", "email": "mei@example.sg"}, headers=auth(user)
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _routes(app: Litestar, *, body: bool | None = None, secured: bool | None = None) -> Iterator[tuple[str, str]]:
    """(method, path pattern) of every route, optionally only those taking a JSON body / a token."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            data = handler.parsed_fn_signature.parameters.get("data")
            media = getattr(getattr(data, "kwarg_definition", None), "media_type", None)
            takes_json = data is not None and (media is None or media.value == "application/json")
            if body is not None and takes_json != body:
                continue
            if secured is not None and bool(handler.resolve_security()) != secured:
                continue
            for method in sorted(handler.http_methods - {"HEAD", "OPTIONS"}):
                yield method, route.path_format


def _fill(pattern: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids.get(m.group(1), str(uuid.uuid4())), pattern)


async def _world(client: Client, inbox: Inbox) -> tuple[dict[str, str], dict[str, str]]:
    user = await verified_user(client, inbox, "ann@example.sg")
    oid = await _org(client, user)
    return user, {"org_id": oid, "lead_id": await _lead(client, oid, user)}


# ---- bodies that cannot be decoded -------------------------------------------------------------

UNDECODABLE = {
    "invalid UTF-8 in a string": (b'{"email":"\xff@x.sg","password":"xxxxxxxxxxxxxxxx","fullName":"A"}', "UTF-8"),
    "nested 100,000 deep": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "nested 100,000 deep in a field": (b'{"fullName":' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
}


@pytest.mark.parametrize("case", list(UNDECODABLE))
async def test_an_undecodable_json_body_is_a_400_on_every_json_route(client: Client, inbox: Inbox, case: str) -> None:
    body, reason = UNDECODABLE[case]
    user, ids = await _world(client, inbox)
    routes = list(_routes(client.app, body=True))
    assert len(routes) >= 20, routes
    for method, pattern in routes:
        for headers in ({}, auth(user)):  # unauthenticated callers too: decoding comes first
            response = await client.request(method, _fill(pattern, ids), content=body, headers={**JSON, **headers})
            problem = _problem(response, 400, "malformed-request")
            assert reason in problem["detail"], (method, pattern, problem)
    # Nothing changed: the account still has its one organisation and its name.
    assert (await client.get("/api/v1/me", headers=auth(user))).json()["fullName"] == "Ann"
    assert len((await client.get("/api/v1/orgs", headers=auth(user))).json()["items"]) == 1


async def test_a_truncated_body_still_says_why_it_is_malformed(client: Client) -> None:
    response = await client.post("/api/v1/auth/login", content=b'{"email":', headers=JSON)
    assert "not valid JSON" in _problem(response, 400, "malformed-request")["detail"]


# ---- NUL characters --------------------------------------------------------------------------


def _nul_fields(response: Any, source: str) -> list[str]:
    problem = _problem(response, 422, "validation-error")
    assert all(e["source"] == source and "NUL" in e["message"] for e in problem["errors"]), problem
    return [e["field"] for e in problem["errors"]]


async def test_nul_in_a_body_string_is_a_422_naming_the_field_and_stores_nothing(client: Client, inbox: Inbox) -> None:
    refused = await register(client, "nul@example.sg", name="Ann\x00Tan")
    assert _nul_fields(refused, "body") == ["fullName"]
    assert (await register(client, "nul@example.sg", name="Ann Tan")).status_code == 201  # nothing was created

    user, ids = await _world(client, inbox)
    renamed = await client.patch("/api/v1/me", json={"fullName": "A\x00"}, headers=auth(user))
    assert _nul_fields(renamed, "body") == ["fullName"]
    assert (await client.get("/api/v1/me", headers=auth(user))).json()["fullName"] == "Ann"

    org = await client.post("/api/v1/orgs", json={"name": "Kopi\x00"}, headers=auth(user))
    assert _nul_fields(org, "body") == ["name"]
    assert len((await client.get("/api/v1/orgs", headers=auth(user))).json()["items"]) == 1

    lead = await client.post(
        f"/api/v1/orgs/{ids['org_id']}/leads", json={"firstName": "Wei", "tags": ["ok", "b\x00d"]}, headers=auth(user)
    )
    assert _nul_fields(lead, "body") == ["tags[1]"]
    assert (await client.get(f"/api/v1/orgs/{ids['org_id']}/leads", headers=auth(user))).json()["total"] == 1


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/leads", "q=a%00b", "q"),
        ("/leads/export", "q=a%00b", "q"),  # was a 200 whose stream was cut
        ("/audit-events", "type=lead.%00created", "type"),
        ("/leads", "status=new&q=fine&sort=%00", "sort"),
    ],
)
async def test_nul_in_a_query_parameter_is_a_422_naming_it(
    client: Client, inbox: Inbox, path: str, query: str, field: str
) -> None:
    user, ids = await _world(client, inbox)
    response = await client.get(f"/api/v1/orgs/{ids['org_id']}{path}?{query}", headers=auth(user))
    assert _nul_fields(response, "query") == [field]


# ---- multipart parts that are not text ---------------------------------------------------------


def _multipart(part_headers: bytes, value: bytes) -> tuple[bytes, dict[str, str]]:
    boundary = "b0undary"
    body = (
        b"--b0undary\r\n"
        b'Content-Disposition: form-data; name="file"; filename="l.csv"\r\nContent-Type: text/csv\r\n\r\n'
        b"First Name\r\nMei\r\n\r\n"
        b'--b0undary\r\nContent-Disposition: form-data; name="dryRun"\r\n' + part_headers + b"\r\n" + value + b"\r\n"
        b"--b0undary--\r\n"
    )
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


@pytest.mark.parametrize(
    ("part_headers", "value"),
    [
        (b"", b"\xff\xfe"),  # not UTF-8
        (b"Content-Type: text/plain; charset=no-such-charset\r\n", b"true"),
    ],
)
async def test_a_multipart_part_that_is_not_text_is_a_400_before_and_after_sign_in(
    client: Client, inbox: Inbox, part_headers: bytes, value: bytes
) -> None:
    user, ids = await _world(client, inbox)
    body, headers = _multipart(part_headers, value)
    url = f"/api/v1/orgs/{ids['org_id']}/leads/imports"
    _problem(await client.post(url, content=body, headers=headers), 400, "malformed-request")
    _problem(await client.post(url, content=body, headers={**headers, **auth(user)}), 400, "malformed-request")
    assert (await client.get(f"/api/v1/orgs/{ids['org_id']}/leads", headers=auth(user))).json()["total"] == 1


async def test_nul_in_a_multipart_field_is_a_422(client: Client, inbox: Inbox) -> None:
    user, ids = await _world(client, inbox)
    body, headers = _multipart(b"", b"tr\x00ue")
    response = await client.post(
        f"/api/v1/orgs/{ids['org_id']}/leads/imports", content=body, headers={**headers, **auth(user)}
    )
    assert _nul_fields(response, "body") == ["dryRun"]


# ---- offsets past the database's integer -------------------------------------------------------

MAX_OFFSET = 2**53 - 1  # Number.MAX_SAFE_INTEGER


@pytest.mark.parametrize("path", ["/leads", "/audit-events", "/leads/{lead_id}/activities"])
@pytest.mark.parametrize("offset", [str(2**63), str(MAX_OFFSET + 1), "9" * 40])
async def test_an_offset_past_the_max_is_a_422_naming_the_max(
    client: Client, inbox: Inbox, path: str, offset: str
) -> None:
    user, ids = await _world(client, inbox)
    url = _fill("/api/v1/orgs/{org_id}" + path, ids)
    problem = _problem(await client.get(f"{url}?offset={offset}", headers=auth(user)), 422, "validation-error")
    assert [e["field"] for e in problem["errors"]] == ["offset"]
    assert str(MAX_OFFSET) in problem["errors"][0]["message"], problem
    assert (await client.get(f"{url}?offset={MAX_OFFSET}", headers=auth(user))).json()["items"] == []


async def test_the_document_carries_the_offset_maximum(client: Client) -> None:
    spec = (await client.get("/schema/openapi.json")).json()
    offsets = [
        p["schema"]
        for item in spec["paths"].values()
        for operation in item.values()
        for p in operation.get("parameters", [])
        if p["name"] == "offset"
    ]
    assert len(offsets) >= 3
    assert all(s.get("maximum") == MAX_OFFSET and s.get("minimum") == 0 for s in offsets), offsets


# ---- client addresses --------------------------------------------------------------------------


async def _from_proxy(client: Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """A request through uvicorn's proxy-header handling as deployed (every proxy trusted):
    the app then sees whatever the client put in X-Forwarded-For as the peer's address."""
    app = ProxyHeadersMiddleware(client.app, trusted_hosts="*")  # type: ignore[arg-type]

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 41000))  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url=str(client.base_url)) as raw:
            return await raw.request(method, url, **kwargs)

    return await anyio.to_thread.run_sync(client.blocking_portal.call, send)


@pytest.mark.parametrize(
    ("forwarded", "stored"),
    [
        ("x" * 100, None),
        ("not-an-ip", None),
        ("203.0.113.7", "203.0.113.7"),
        ("2001:DB8:0:0::1", "2001:db8::1"),
    ],
)
async def test_login_stores_the_client_address_only_when_it_is_an_ip(
    client: Client, forwarded: str, stored: str | None
) -> None:
    assert (await register(client, "ip@example.sg")).status_code == 201
    login = await _from_proxy(
        client,
        "POST",
        "/api/v1/auth/login",
        json={"email": "ip@example.sg", "password": PASSWORD},
        headers={"X-Forwarded-For": forwarded},
    )
    assert login.status_code == 200, login.text
    sessions = await client.get(
        "/api/v1/me/sessions", headers={"Authorization": f"Bearer {login.json()['accessToken']}"}
    )
    assert [s["ip"] for s in sessions.json()["items"]] == [stored]


# ---- signed tokens with absurd times -----------------------------------------------------------


def _forged(settings: Settings, real: str, **claims: Any) -> str:
    """The real token's claims with some replaced, signed with the server's own key (a token
    the server would mint, except for its times)."""
    original = jwt.decode(real, options={"verify_signature": False})
    key = JwtAccessTokens(settings.secret_key, SystemClock())._key
    return jwt.encode({**original, **claims}, key, algorithm="HS256", headers={"typ": "at+jwt"})


ABSURD = [
    {"exp": 10**20},
    {"iat": 10**20},
    {"exp": -(10**20)},
    {"exp": float("inf")},
    {"iat": float("nan")},
    {"exp": "tomorrow"},
    {"exp": True},
]


@pytest.mark.parametrize("claims", ABSURD, ids=[str(c) for c in ABSURD])
async def test_a_signed_token_with_absurd_times_is_a_401(
    client: Client, inbox: Inbox, identity_settings: Settings, claims: dict[str, Any]
) -> None:
    user, _ = await _world(client, inbox)
    token = _forged(identity_settings, user["Authorization"].split()[1], **claims)
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    _problem(response, 401, "authentication-required")


async def test_a_token_expiring_in_the_year_3_trillion_is_a_401_on_every_secured_route(
    client: Client, inbox: Inbox, identity_settings: Settings
) -> None:
    user, ids = await _world(client, inbox)
    token = _forged(identity_settings, user["Authorization"].split()[1], exp=10**20)
    routes = list(_routes(client.app, secured=True))
    assert len(routes) >= 30, routes
    for method, pattern in routes:
        response = await client.request(method, _fill(pattern, ids), headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, (method, pattern, response.text)
    assert (await client.get("/api/v1/me", headers=auth(user))).status_code == 200  # the real token still works


# ---- long query strings ----------------------------------------------------------------------


async def test_a_query_string_past_16_kb_is_a_414_problem(client: Client, inbox: Inbox) -> None:
    user, ids = await _world(client, inbox)
    url = f"/api/v1/orgs/{ids['org_id']}/leads?q=" + "a" * 20_000
    _problem(await client.get(url, headers=auth(user)), 414, "uri-too-long")
    _problem(await client.get("/health/live?x=" + "a" * 20_000), 414, "uri-too-long")
