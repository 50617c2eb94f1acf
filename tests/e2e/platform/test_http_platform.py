"""The HTTP platform as a client sees it: problems, request ids, headers, body caps, OpenAPI,
health, on the real app factory against PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar, Response, get, post
from litestar.params import JSONBody
from litestar.testing import AsyncTestClient

from nexuscore.bootstrap.app import create_app
from nexuscore.bootstrap.runtime import build_runtime
from nexuscore.platform.http.middleware import request_context_middleware
from nexuscore.platform.http.screening import screen_bodies
from nexuscore.platform.http.structs import RequestBody
from nexuscore.platform.settings import Settings
from tests.conftest import make_settings

pytestmark = pytest.mark.e2e

PROBLEM = "application/problem+json"


class Widget(RequestBody):
    name: str
    quantity: int = 1


@post("/probe/widgets", sync_to_thread=False, tags=["platform"])
def create_widget(data: JSONBody[Widget]) -> dict[str, Any]:
    return {"name": data.name, "quantity": data.quantity}


@get("/probe/boom", sync_to_thread=False, tags=["platform"])
def explode() -> None:
    raise RuntimeError("database password is hunter2")


def _app(settings: Settings) -> Litestar:
    app = create_app(settings, runtime=build_runtime(settings, await_inplace=True))
    # Probe routes exercise request decoding; the product's own routes come with later contexts.
    app.register(create_widget)
    app.register(explode)
    screen_bodies(app)  # routes registered after the app was built get the body screen too
    return app


@pytest.fixture
async def client(pg_settings: Settings) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(_app(pg_settings), raise_server_exceptions=False) as c:
        yield c


def _assert_problem(response: Any, status: int, type_suffix: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].endswith("/" + type_suffix)
    assert body["title"]
    assert body["requestId"] == response.headers["x-request-id"]
    return body


async def test_live_and_ready(client: AsyncTestClient[Litestar]) -> None:
    live = await client.get("/health/live")
    assert live.status_code == 200 and live.json() == {"status": "ok"}
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


async def test_request_id_is_echoed_when_valid_and_generated_otherwise(client: AsyncTestClient[Litestar]) -> None:
    given = await client.get("/health/live", headers={"X-Request-ID": "req-abc.123"})
    assert given.headers["x-request-id"] == "req-abc.123"
    generated = await client.get("/health/live")
    assert re.fullmatch(r"[0-9a-f]{32}", generated.headers["x-request-id"])
    hostile = await client.get("/health/live", headers={"X-Request-ID": "x" * 500})
    assert hostile.headers["x-request-id"] != "x" * 500


DOCUMENT_ONLY_HEADERS = ("referrer-policy", "cross-origin-opener-policy", "permissions-policy")


async def test_security_headers(client: AsyncTestClient[Litestar]) -> None:
    for response in (await client.get("/health/live"), await client.get("/api/v1/nothing-here")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert response.headers["cache-control"] == "no-store"
        assert "strict-transport-security" not in response.headers  # only in production
        # What a page may do is no question for a JSON body: no browser renders it as a document.
        assert not [name for name in DOCUMENT_ONLY_HEADERS if name in response.headers]


async def test_documents_get_the_document_headers_and_keep_their_own_policy(
    client: AsyncTestClient[Litestar],
) -> None:
    ui = await client.get("/schema")
    assert "html" in ui.headers["content-type"]
    assert ui.headers["x-content-type-options"] == "nosniff" and ui.headers["x-frame-options"] == "DENY"
    assert ui.headers["referrer-policy"] == "no-referrer"
    assert ui.headers["cross-origin-opener-policy"] == "same-origin"
    assert ui.headers["permissions-policy"] == "camera=(), microphone=(), geolocation=()"
    assert "content-security-policy" not in ui.headers  # the UI loads its own scripts

    page = _header_probe(media_type="text/html; charset=utf-8", policy="default-src 'self'")
    async with AsyncTestClient(page) as c:
        html = await c.get("/page")
    assert html.headers.get_list("content-security-policy") == ["default-src 'self'"]  # the page's own
    assert html.headers["referrer-policy"] == "no-referrer" and html.headers["cache-control"] == "no-store"
    assert html.headers["x-frame-options"] == "DENY"


def _header_probe(*, media_type: str, policy: str) -> Litestar:
    @get("/page", media_type=media_type)
    async def page() -> Response[str]:
        return Response("<p>hi</p>", media_type=media_type, headers={"Content-Security-Policy": policy})

    app = Litestar([page], openapi_config=None)
    app.asgi_handler = request_context_middleware(app.asgi_handler)
    return app


async def test_unknown_route_and_method(client: AsyncTestClient[Litestar]) -> None:
    _assert_problem(await client.get("/api/v1/nothing-here"), 404, "not-found")
    body = _assert_problem(await client.delete("/health/live"), 405, "method-not-allowed")
    assert "DELETE" in body["detail"]


@pytest.mark.parametrize("raw", [b'{"name": "x",', b"{bad", b"\xff\xfe{}", b"not json at all"])
async def test_malformed_json_is_400(client: AsyncTestClient[Litestar], raw: bytes) -> None:
    response = await client.post("/probe/widgets", content=raw, headers={"content-type": "application/json"})
    body = _assert_problem(response, 400, "malformed-request")
    assert "not valid json" in body["detail"].lower()


async def test_wrong_content_type_is_415(client: AsyncTestClient[Litestar]) -> None:
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        response = await client.post("/probe/widgets", content=b"name=x", headers={"content-type": content_type})
        _assert_problem(response, 415, "unsupported-media-type")


async def test_validation_errors_name_each_field(client: AsyncTestClient[Litestar]) -> None:
    body = _assert_problem(await client.post("/probe/widgets", json={"name": 42}), 422, "validation-error")
    assert body["errors"] == [{"field": "name", "message": "Expected `str`, got `int`", "source": "body"}]
    missing = _assert_problem(await client.post("/probe/widgets", json={}), 422, "validation-error")
    assert "name" in missing["errors"][0]["message"]


async def test_unknown_fields_are_refused_not_mass_assigned(client: AsyncTestClient[Litestar]) -> None:
    body = _assert_problem(
        await client.post("/probe/widgets", json={"name": "x", "organizationId": "other"}), 422, "validation-error"
    )
    assert body["errors"][0]["field"] == "organizationId"


async def test_oversized_body_is_413(pg_settings: Settings, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=pg_settings.database_url, MAX_BODY_BYTES="2048")
    async with AsyncTestClient(_app(settings)) as small:
        ok = await small.post("/probe/widgets", json={"name": "x" * 1000})
        assert ok.status_code == 201
        _assert_problem(await small.post("/probe/widgets", json={"name": "x" * 5000}), 413, "payload-too-large")


async def test_unhandled_error_is_500_without_internals(client: AsyncTestClient[Litestar]) -> None:
    body = _assert_problem(await client.get("/probe/boom"), 500, "internal-error")
    assert "hunter2" not in str(body) and "Traceback" not in str(body) and "RuntimeError" not in str(body)


async def test_cors_allows_configured_origin_only(pg_settings: Settings, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=pg_settings.database_url, CORS_ORIGINS="https://app.example.sg")
    async with AsyncTestClient(_app(settings)) as c:
        preflight = await c.options(
            "/health/live",
            headers={"Origin": "https://app.example.sg", "Access-Control-Request-Method": "GET"},
        )
        assert preflight.headers.get("access-control-allow-origin") == "https://app.example.sg"
        assert "GET" in preflight.headers.get("access-control-allow-methods", "")
        allowed = await c.get("/health/live", headers={"Origin": "https://app.example.sg"})
        assert allowed.headers.get("access-control-allow-origin") == "https://app.example.sg"
        assert allowed.headers.get("vary") == "Origin"
        other = await c.get("/health/live", headers={"Origin": "https://evil.example"})
        assert other.headers.get("access-control-allow-origin") is None
        # No Origin, not a cross-origin request: no CORS headers at all (and no preflight answer).
        plain = await c.get("/health/live")
        assert plain.status_code == 200
        assert not [name for name in plain.headers if name.lower().startswith("access-control-")]
        bare_options = await c.options("/health/live", headers={"Access-Control-Request-Method": "GET"})
        assert bare_options.headers.get("access-control-allow-origin") is None


async def test_openapi_document(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.1")
    tag_names = {t["name"] for t in spec["tags"]}
    operations = [op for path in spec["paths"].values() for op in path.values() if isinstance(op, dict)]
    # The tags of the contexts that have routes, and no others (no empty groups in the docs).
    assert tag_names == {tag for op in operations for tag in op["tags"]}
    assert {"platform", "identity", "organizations", "leads"} <= tag_names
    ids = [op["operationId"] for op in operations]
    assert len(ids) == len(set(ids)), "operation ids must be unique"
    assert spec["paths"]["/health/live"]["get"]["operationId"] == "getLiveness"
    assert spec["paths"]["/probe/widgets"]["post"]["operationId"] == "createWidget"
    for op in operations:
        assert op.get("tags"), f"{op['operationId']} has no context tag"
    ui = await client.get("/schema")
    assert ui.status_code == 200 and "html" in ui.headers["content-type"]


async def test_ready_names_the_database_when_it_is_down(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, DATABASE_URL="postgresql+asyncpg://postgres@127.0.0.1:1/nowhere")
    async with AsyncTestClient(_app(settings)) as c:
        body = _assert_problem(await c.get("/health/ready"), 503, "dependency-unavailable")
        assert body["checks"]["database"].startswith("down")
        assert body["checks"]["broker"] == "ok"
        assert "database" in body["detail"]
        assert (await c.get("/health/live")).status_code == 200


async def test_ready_names_the_broker_when_redis_is_down(pg_settings: Settings, tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path,
        DATABASE_URL=pg_settings.database_url,
        REDIS_URL="redis://127.0.0.1:1/0",
        OUTBOX_RELAY_IN_PROCESS="false",
    )
    app = create_app(settings)  # RedisStreamBroker: startup connects lazily
    async with AsyncTestClient(app) as c:
        body = _assert_problem(await c.get("/health/ready"), 503, "dependency-unavailable")
        assert body["checks"] == {"database": "ok", "broker": body["checks"]["broker"]}
        assert body["checks"]["broker"].startswith("down")
        assert (await c.get("/health/live")).status_code == 200
