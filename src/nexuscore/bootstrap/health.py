"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, Response, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Tag
from sqlalchemy import text

from nexuscore.bootstrap.runtime import Runtime
from nexuscore.platform.broker import BrokerDegradedError, ping_broker
from nexuscore.platform.http.problem_docs import Problem
from nexuscore.platform.http.problems import PROBLEM_JSON, problem_response
from nexuscore.platform.http.structs import ResponseBody

CHECK_TIMEOUT_SECONDS = 2.0
PLATFORM_TAG = Tag(name="platform", description="Health and operational endpoints.")


class LiveStatus(ResponseBody):
    status: str


_CHECK = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^(ok|degraded: .+|down: .+)$",
        description="ok, or down/degraded with the reason (`down: ConnectionRefusedError`)",
    ),
]


class ReadinessChecks(ResponseBody):
    database: _CHECK
    broker: _CHECK


class ReadyStatus(ResponseBody):
    status: Literal["ok"]
    checks: ReadinessChecks


class NotReadyProblem(Problem, kw_only=True):
    """503 `dependency-unavailable`: `checks` says which dependency is down."""

    checks: ReadinessChecks


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
        responses={
            503: ResponseSpec(
                data_container=NotReadyProblem,
                media_type=PROBLEM_JSON,
                description="`dependency-unavailable`: the database or the broker is down",
                generate_examples=False,
            )
        },
    )
    async def ready(self, request: Request[Any, Any, Any]) -> Response[ReadyStatus]:
        runtime: Runtime = request.app.state.runtime
        database, broker = await asyncio.gather(
            _check(_ping_database(runtime)), _check(ping_broker(runtime.broker, runtime.settings))
        )
        checks = {"database": database, "broker": broker}
        down = [name for name, state in checks.items() if state != "ok"]
        if down:
            # The document types the 200; this problem is the 503 it documents beside it.
            return problem_response(  # type: ignore[return-value]
                request,
                status=503,
                code="dependency-unavailable",
                title="Service Unavailable",
                detail=f"Not ready: {', '.join(down)} unavailable.",
                extra={"checks": checks},
            )
        return Response(ReadyStatus(status="ok", checks=ReadinessChecks(database=database, broker=broker)))
