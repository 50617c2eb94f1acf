"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.openapi.spec import Tag
from sqlalchemy import text

from nexuscore.bootstrap.runtime import Runtime
from nexuscore.platform.broker import BrokerDegradedError, ping_broker
from nexuscore.platform.http.problems import problem_response
from nexuscore.platform.http.structs import ResponseBody

CHECK_TIMEOUT_SECONDS = 2.0
PLATFORM_TAG = Tag(name="platform", description="Health and operational endpoints.")


class LiveStatus(ResponseBody):
    status: str


class ReadyStatus(ResponseBody):
    status: str
    checks: dict[str, str]


async def _check(coro: Any) -> str:
    try:
        await asyncio.wait_for(coro, timeout=CHECK_TIMEOUT_SECONDS)
    except BrokerDegradedError as exc:  # answers, but no worker can consume: not ready either
        return f"degraded: {exc}"
    except Exception as exc:  # any failure means "not ready"; the reason helps operators
        return f"down: {type(exc).__name__}"
    return "ok"


async def _ping_database(runtime: Runtime) -> None:
    async with runtime.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


class HealthController(Controller):
    path = "/health"
    tags = ["platform"]
    security: list[dict[str, list[str]]] = []

    @get("/live", operation_id="getLiveness", summary="The process is up")
    async def live(self) -> LiveStatus:
        return LiveStatus(status="ok")

    @get(
        "/ready",
        operation_id="getReadiness",
        summary="Database and broker answer",
    )
    async def ready(self, request: Request[Any, Any, Any]) -> Response[Any]:
        runtime: Runtime = request.app.state.runtime
        database, broker = await asyncio.gather(
            _check(_ping_database(runtime)), _check(ping_broker(runtime.broker, runtime.settings))
        )
        checks = {"database": database, "broker": broker}
        down = [name for name, state in checks.items() if state != "ok"]
        if down:
            return problem_response(
                request,
                status=503,
                code="dependency-unavailable",
                title="Service Unavailable",
                detail=f"Not ready: {', '.join(down)} unavailable.",
                extra={"checks": checks},
            )
        return Response(ReadyStatus(status="ok", checks=checks))
