"""What the organisations context plugs into the composition root (tenancy for every context)."""

from __future__ import annotations

import click
from litestar.di import Provide
from litestar.openapi.spec import Tag
from taskiq import AsyncBroker

from nexuscore.organizations.adapters.http.controllers import InvitationsController, OrganizationsController
from nexuscore.organizations.adapters.http.dependencies import CLOCK_STATE_KEY, provide_org_uow, provide_tenant
from nexuscore.organizations.adapters.sql import tables
from nexuscore.organizations.adapters.tasks.subscribers import (
    organization_subscribers,
    register_organization_tasks,
)
from nexuscore.platform.modules import ContextModule, Infrastructure

COMMANDS: list[click.Command] = []


def build(infra: Infrastructure) -> ContextModule:
    def register_tasks(broker: AsyncBroker) -> None:
        register_organization_tasks(broker, infra.sessions, infra.clock)

    return ContextModule(
        name="organizations",
        openapi_tags=[Tag(name="organizations", description="Tenants, members, roles, invitations, audit trail.")],
        route_handlers=[OrganizationsController, InvitationsController],
        dependencies={
            "org_uow": Provide(provide_org_uow, sync_to_thread=False),
            "tenant": Provide(provide_tenant),
        },
        state={CLOCK_STATE_KEY: infra.clock},
        register_tasks=register_tasks,
        subscribers=organization_subscribers(infra.mailer, infra.clock, infra.settings.app_base_url),
        tables=[tables],
    )
