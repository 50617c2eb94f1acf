"""What the leads context plugs into the composition root."""

from __future__ import annotations

import click
from litestar.di import Provide
from litestar.openapi.spec import Tag
from taskiq import AsyncBroker

from nexuscore.leads.adapters.http.controllers import LeadsController
from nexuscore.leads.adapters.http.dependencies import (
    LEADS_STATE_KEY,
    LeadsHttpState,
    provide_leads_services,
    provide_leads_uow,
)
from nexuscore.leads.adapters.http.imports_controllers import LeadImportsController
from nexuscore.leads.adapters.plan_entitlements import PlanLeadEntitlements
from nexuscore.leads.adapters.sql import tables
from nexuscore.leads.adapters.sql.personal_data import LeadsPersonalData
from nexuscore.leads.adapters.tasks.imports import register_leads_tasks
from nexuscore.leads.application.services import LeadsServices
from nexuscore.platform.modules import ContextModule, Infrastructure

COMMANDS: list[click.Command] = []


def build(infra: Infrastructure) -> ContextModule:
    # The plan's lead limit and features (LEADS_DEFAULT_LIMIT while the catalogue is not seeded).
    entitlements = PlanLeadEntitlements(
        infra.sessions,
        infra.clock,
        grace_days=infra.settings.billing_grace_days,
        uncatalogued_limit=infra.settings.leads_default_limit,
    )
    services = LeadsServices(infra.clock, entitlements)

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
        personal_data_providers=[LeadsPersonalData(infra.sessions)],
    )
