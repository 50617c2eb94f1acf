"""Litestar application factory: the HTTP composition root."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.di import Provide

from nexuscore.identity.api import (
    IDENTITY_ROUTES,
    IDENTITY_STATE_KEY,
    provide_identity_services,
    provide_identity_uow,
    provide_principal,
)
from nexuscore.leads.api import LEADS_ROUTES, provide_lead_entitlements, provide_lead_members, provide_leads_uow
from nexuscore.organizations.api import ORGANIZATION_ROUTES, provide_org_uow, provide_tenant
from nexuscore.platform.database import sqlalchemy_config
from nexuscore.platform.heap import freeze_startup_heap
from nexuscore.platform.http.health import HealthController
from nexuscore.platform.http.middleware import request_context_middleware
from nexuscore.platform.http.openapi import openapi_config
from nexuscore.platform.http.problems import EXCEPTION_HANDLERS
from nexuscore.platform.logging import configure_logging
from nexuscore.platform.runtime import Runtime, build_runtime
from nexuscore.platform.settings import Settings, load_settings


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> Litestar:
    settings = settings or (runtime.settings if runtime else load_settings())
    configure_logging(settings)
    runtime = runtime or build_runtime(settings)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await runtime.startup()
        freeze_startup_heap()
        try:
            yield
        finally:
            await runtime.shutdown()

    app = Litestar(
        route_handlers=[HealthController, *IDENTITY_ROUTES, *ORGANIZATION_ROUTES, *LEADS_ROUTES],
        dependencies={
            "org_uow": Provide(provide_org_uow, sync_to_thread=False),
            "tenant": Provide(provide_tenant),
            "identity_services": Provide(provide_identity_services, sync_to_thread=False),
            "identity_uow": Provide(provide_identity_uow, sync_to_thread=False),
            "principal": Provide(provide_principal),
            "leads_uow": Provide(provide_leads_uow, sync_to_thread=False),
            "lead_members": Provide(provide_lead_members, sync_to_thread=False),
            "lead_entitlements": Provide(provide_lead_entitlements, sync_to_thread=False),
        },
        plugins=[SQLAlchemyPlugin(config=sqlalchemy_config(runtime.engine))],
        lifespan=[lifespan],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=openapi_config(),
        cors_config=CORSConfig(allow_origins=list(settings.cors_origins), allow_credentials=False)
        if settings.cors_origins
        else None,
        request_max_body_size=settings.max_body_bytes,
        debug=False,
        logging_config=None,  # configure_logging() owns logging (structlog)
    )
    app.state.runtime = runtime
    app.state[IDENTITY_STATE_KEY] = runtime.identity.services
    app.state.settings = settings
    # Wrap the whole ASGI handler (not only matched routes) so 404/405 carry the request id too.
    app.asgi_handler = request_context_middleware(app.asgi_handler, hsts=settings.is_production)
    return app
