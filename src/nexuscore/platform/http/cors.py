"""CORS for the requests it concerns: those that carry an Origin header.

Litestar's CORS middleware (preflight answers, the allow headers on responses) parses every
request's headers to look for an Origin. Calls without one (same-origin pages, SDKs, Stripe,
probes, server-to-server) cannot be cross-origin, so they skip it after a scan of the raw
header names; what a cross-origin request gets is exactly Litestar's answer.
"""

from __future__ import annotations

from litestar.config.cors import CORSConfig
from litestar.enums import ScopeType

# Litestar wraps its app in this class when given a cors_config; public only through a
# deprecated alias since 2.9. Built here so the check for an Origin header can come first.
from litestar.middleware._internal.cors import CORSMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send


def cors_for_cross_origin_requests(app: ASGIApp, config: CORSConfig) -> ASGIApp:
    with_cors = CORSMiddleware(app=app, config=config)

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            # ASGI servers send header names lower-cased.
            for name, _ in scope["headers"]:
                if name == b"origin":
                    await with_cors(scope, receive, send)
                    return
        await app(scope, receive, send)

    return middleware
