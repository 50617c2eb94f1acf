"""What the organisations context plugs into the composition root (tenancy for every context)."""

from __future__ import annotations

import click
from litestar.di import Provide
from litestar.openapi.spec import Tag
from taskiq import AsyncBroker

from nexuscore.kernel.events import event_names
from nexuscore.organizations.adapters.http.controllers import InvitationsController, OrganizationsController
from nexuscore.organizations.adapters.http.dependencies import (
    ORGANIZATIONS_STATE_KEY,
    provide_org_services,
    provide_org_uow,
    provide_tenant,
)
from nexuscore.organizations.adapters.plan_entitlements import PlanEntitlements
from nexuscore.organizations.adapters.sql import tables
from nexuscore.organizations.adapters.sql.personal_data import OrganizationsPersonalData
from nexuscore.organizations.adapters.tasks.subscribers import (
    organization_subscribers,
    register_organization_tasks,
)
from nexuscore.organizations.application.services import OrganizationsServices
from nexuscore.platform.http.problem_docs import FORBIDDEN, NOT_FOUND
from nexuscore.platform.modules import ContextModule, Infrastructure

COMMANDS: list[click.Command] = []


def build(infra: Infrastructure) -> ContextModule:
    services = OrganizationsServices(
        clock=infra.clock,
        mailer=infra.mailer,
        app_base_url=infra.settings.app_base_url,
        # The plan's seats, and the read-only standing of an organisation whose payment is overdue.
        entitlements=PlanEntitlements(infra.sessions, infra.clock, grace_days=infra.settings.billing_grace_days),
        max_organizations_per_user=infra.settings.max_organizations_per_user,
    )

    def register_tasks(broker: AsyncBroker) -> None:
        register_organization_tasks(broker, infra.sessions, services)

    return ContextModule(
        name="organizations",
        openapi_tags=[Tag(name="organizations", description="Tenants, members, roles, invitations, audit trail.")],
        route_handlers=[OrganizationsController, InvitationsController],
        dependencies={
            "org_uow": Provide(provide_org_uow, sync_to_thread=False),
            "org_services": Provide(provide_org_services, sync_to_thread=False),
            "tenant": Provide(provide_tenant),
        },
        state={ORGANIZATIONS_STATE_KEY: services},
        register_tasks=register_tasks,
        subscribers=organization_subscribers(services),
        tables=[tables],
        personal_data_providers=[OrganizationsPersonalData(infra.sessions)],
        # Tenant routes: a role below the action's is 403; no such organisation, or not a
        # member, is 404 (another tenant's objects are never confirmed to exist).
        dependency_problems={"tenant": (FORBIDDEN, NOT_FOUND)},
        # The audit trail shows every context's events: their names are known once all are loaded.
        openapi_closed_sets={"AuditEventResponse.type": event_names, "listAuditEvents.type": event_names},
    )
