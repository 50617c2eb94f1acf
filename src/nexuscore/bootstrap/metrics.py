"""GET /metrics: Prometheus text for operators, never public in production.

- METRICS_TOKEN set: the route answers only `Authorization: Bearer <token>` (else 404, so it
  is not even confirmed to exist).
- production without a token: the route answers 404; set METRICS_PORT to serve the same text
  on an internal port (prometheus-client's own HTTP server, bound to HOST) instead.
- development and tests without a token: open.
"""

from __future__ import annotations

import hmac
from typing import Any

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from prometheus_client import Gauge
from sqlalchemy import func, select

from nexuscore.bootstrap.runtime import Runtime
from nexuscore.events.adapters.sql.tables import DomainEventRow
from nexuscore.platform.database import bind_rls_scope
from nexuscore.platform.metrics import exposition

OUTBOX_LAG = Gauge(
    "outbox_oldest_unpublished_age_seconds",
    "Age of the oldest committed domain event the relay has not published (read at scrape).",
    multiprocess_mode="max",
)


def metrics_allowed(request: Request[Any, Any, Any]) -> bool:
    runtime: Runtime = request.app.state.runtime
    token = runtime.settings.metrics_token
    if token:
        given = request.headers.get("authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    return not runtime.settings.is_production


async def refresh_outbox_lag(runtime: Runtime) -> None:
    async with runtime.sessions() as session:
        await bind_rls_scope(session, system=True)
        oldest = await session.scalar(
            select(func.min(DomainEventRow.recorded_at)).where(DomainEventRow.published_at.is_(None))
        )
    OUTBOX_LAG.set((runtime.clock.now() - oldest).total_seconds() if oldest else 0.0)


@get("/metrics", include_in_schema=False)
async def metrics(request: Request[Any, Any, Any]) -> Response[bytes]:
    if not metrics_allowed(request):
        raise NotFoundException()
    await refresh_outbox_lag(request.app.state.runtime)
    body, content_type = exposition()
    return Response(content=body, media_type=content_type)
