"""The floor for bench/health_live.py: Litestar with one handler and nothing else.

Same framework, server and response body as NexusCore's /health/live, without its middleware,
plugins and lifespan, so the ratio between the two is what NexusCore adds per request.
"""

from __future__ import annotations

from litestar import Litestar, get


@get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


app = Litestar(route_handlers=[live], openapi_config=None, logging_config=None, debug=False)
