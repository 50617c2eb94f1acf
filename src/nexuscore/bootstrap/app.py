"""Litestar application factory: every context module's routes, dependencies and state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from advanced_alchemy.extensions.litestar import SQLAlchemyInitPlugin, SQLAlchemySerializationPlugin
from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.di import Provide

from nexuscore.bootstrap.health import PLATFORM_TAG, HealthController
from nexuscore.bootstrap.metrics import metrics
from nexuscore.bootstrap.runtime import Runtime, build_runtime
from nexuscore.platform.database import SessionClosedByRequestContext, sqlalchemy_config
from nexuscore.platform.heap import freeze_startup_heap
from nexuscore.platform.http.cors import cors_for_cross_origin_requests
from nexuscore.platform.http.dependencies import resolve_plain_dependencies_inline
from nexuscore.platform.http.idempotency import idempotency_middleware
from nexuscore.platform.http.middleware import request_context_middleware
from nexuscore.platform.http.openapi import document_idempotency_key, openapi_config
from nexuscore.platform.http.problem_docs import document_problems
from nexuscore.platform.http.problems import EXCEPTION_HANDLERS
from nexuscore.platform.http.screening import screen_bodies
from nexuscore.platform.idempotency import SqlIdempotencyStore
from nexuscore.platform.logging import configure_logging
from nexuscore.platform.metrics import start_metrics_server
from nexuscore.platform.settings import Settings, load_settings


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> Litestar:
    settings = settings or (runtime.settings if runtime else load_settings())
    configure_logging(settings)
    runtime = runtime or build_runtime(settings)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await runtime.startup()
        internal = start_metrics_server(settings)
        freeze_startup_heap()
        try:
            yield
        finally:
            if internal is not None:
                internal.shutdown()
            await runtime.shutdown()

    dependencies: dict[str, Provide] = {}
    state: dict[str, Any] = {}
    identifiers = [m.identify_caller for m in runtime.all_modules if m.identify_caller is not None]
    if len(identifiers) > 1:
        raise ValueError("more than one module identifies callers")
    for module in runtime.all_modules:
        clash = dependencies.keys() & module.dependencies.keys() | state.keys() & module.state.keys()
        if clash:
            raise ValueError(f"module {module.name!r} provides {sorted(clash)} again")
        dependencies.update(module.dependencies)
        state.update(module.state)

    resolve_plain_dependencies_inline()
    db_config = sqlalchemy_config(runtime.engine)
    session_closer = SessionClosedByRequestContext(db_config)  # closed by the request context below
    app = Litestar(
        route_handlers=[HealthController, metrics, *(h for m in runtime.all_modules for h in m.route_handlers)],
        dependencies=dependencies,
        # advanced-alchemy's SQLAlchemyPlugin is these two; listed here so the closer runs after them.
        plugins=[SQLAlchemyInitPlugin(config=db_config), SQLAlchemySerializationPlugin(), session_closer],
        lifespan=[lifespan],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=openapi_config(
            [PLATFORM_TAG, *(t for m in runtime.all_modules for t in m.openapi_tags)],
            {k: v for m in runtime.all_modules for k, v in m.openapi_closed_sets.items()},
        ),
        request_max_body_size=settings.max_body_bytes,
        debug=False,
        logging_config=None,  # configure_logging() owns logging (structlog)
    )
    screen_bodies(app)
    document_idempotency_key(app)
    document_problems(app.routes, {k: v for m in runtime.all_modules for k, v in m.dependency_problems.items()})
    for key, value in state.items():
        app.state[key] = value
    app.state.runtime = runtime
    app.state.settings = settings
    routed = app.asgi_handler
    layered = routed
    if settings.cors_origins:  # in place of Litestar's cors_config, which every request would enter
        cors = CORSConfig(allow_origins=list(settings.cors_origins), allow_credentials=False)
        layered = cors_for_cross_origin_requests(layered, cors)
    # Idempotency-Key on POSTs runs inside the request context (replays get this request's id).
    layered = idempotency_middleware(
        layered,
        store=SqlIdempotencyStore(runtime.engine, runtime.clock),
        identify_caller=identifiers[0] if identifiers else None,
    )
    # Wrap the whole ASGI handler (not only matched routes) so 404/405 carry the request id too.
    # A request with no Origin and no Idempotency-Key skips the two layers that only those concern.
    app.asgi_handler = request_context_middleware(
        layered,
        hsts=settings.is_production,
        plain_app=routed,
        close_session=session_closer.closing,
    )
    return app
