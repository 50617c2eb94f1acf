"""What the leads context plugs into the composition root."""

from __future__ import annotations

import click
from litestar.di import Provide
from litestar.openapi.spec import Tag
from taskiq import AsyncBroker

from nexuscore.leads.adapters.entitlements import DefaultLeadEntitlements
from nexuscore.leads.adapters.http.controllers import LeadsController
from nexuscore.leads.adapters.http.dependencies import (
    LEADS_STATE_KEY,
    LeadsHttpState,
    provide_leads_services,
    provide_leads_uow,
)
from nexuscore.leads.adapters.http.imports_controllers import LeadImportsController
from nexuscore.leads.adapters.sql import tables
from nexuscore.leads.adapters.tasks.imports import register_leads_tasks
from nexuscore.leads.application.services import LeadsServices
from nexuscore.platform.modules import ContextModule, Infrastructure

COMMANDS: list[click.Command] = []


def build(infra: Infrastructure) -> ContextModule:
    # Until the subscriptions context sets per-plan limits: one limit for every organisation.
    services = LeadsServices(infra.clock, DefaultLeadEntitlements(infra.settings.leads_default_limit))

    def register_tasks(broker: AsyncBroker) -> None:
        register_leads_tasks(broker, infra.sessions, services)

    return ContextModule(
        name="leads",
        openapi_tags=[Tag(name="leads", description="Lead CRM: leads, pipeline, activities, import and export.")],
        route_handlers=[LeadsController, LeadImportsController],
        dependencies={
            "leads_uow": Provide(provide_leads_uow, sync_to_thread=False),
            "leads_services": Provide(provide_leads_services, sync_to_thread=False),
        },
        state={LEADS_STATE_KEY: LeadsHttpState(services=services, sessions=infra.sessions, broker=infra.broker)},
        register_tasks=register_tasks,
        tables=[tables],
    )
