"""What the subscriptions context plugs into the composition root."""

from __future__ import annotations

import click
from litestar.di import Provide
from litestar.openapi.spec import Tag
from taskiq import AsyncBroker

from nexuscore.platform.modules import ContextModule, Infrastructure
from nexuscore.subscriptions.adapters.cli.commands import plans
from nexuscore.subscriptions.adapters.gateways.factory import build_gateway
from nexuscore.subscriptions.adapters.gateways.local import LocalPaymentGateway
from nexuscore.subscriptions.adapters.http.controllers import (
    AdminPlansController,
    BillingController,
    PlansController,
)
from nexuscore.subscriptions.adapters.http.dependencies import provide_subscriptions_services, provide_subscriptions_uow
from nexuscore.subscriptions.adapters.http.dev_checkout import DevCheckoutController, DevPortalController
from nexuscore.subscriptions.adapters.http.state import SUBSCRIPTIONS_STATE_KEY, SubscriptionsHttpState
from nexuscore.subscriptions.adapters.shared import register_services
from nexuscore.subscriptions.adapters.sql import tables
from nexuscore.subscriptions.adapters.sql.personal_data import BillingProfilePersonalData
from nexuscore.subscriptions.adapters.sql.unit_of_work import SqlSubscriptionsUnitOfWork
from nexuscore.subscriptions.adapters.tasks.local_gateway import register_local_gateway_tasks
from nexuscore.subscriptions.application.plans import seed_plans
from nexuscore.subscriptions.application.services import SubscriptionsServices

COMMANDS: list[click.Command] = [plans]


def build(infra: Infrastructure) -> ContextModule:
    settings = infra.settings
    gateway = build_gateway(settings, infra.sessions, infra.clock, infra.stripe)
    services = SubscriptionsServices(infra.clock, gateway, settings.app_base_url, settings.billing_grace_days)
    register_services(infra.sessions, services)
    local = gateway if isinstance(gateway, LocalPaymentGateway) else None
    handlers: list[type] = [PlansController, BillingController, AdminPlansController]
    if local is not None and not settings.is_production:
        handlers += [DevCheckoutController, DevPortalController]

    async def seed_catalogue() -> str:
        async with infra.sessions() as session:
            created = await seed_plans(SqlSubscriptionsUnitOfWork(session, infra.clock), services)
        return f"plans: {'created ' + ', '.join(created) if created else 'already seeded'}"

    def register_tasks(broker: AsyncBroker) -> None:
        if local is not None:
            register_local_gateway_tasks(broker, local)

    return ContextModule(
        name="subscriptions",
        openapi_tags=[Tag(name="subscriptions", description="Plans, subscriptions, billing profile, entitlements.")],
        route_handlers=handlers,
        dependencies={
            "subscriptions_uow": Provide(provide_subscriptions_uow, sync_to_thread=False),
            "subscriptions_services": Provide(provide_subscriptions_services, sync_to_thread=False),
        },
        state={SUBSCRIPTIONS_STATE_KEY: SubscriptionsHttpState(services=services, local_gateway=local)},
        seeders=[seed_catalogue],
        register_tasks=register_tasks,
        tables=[tables],
        personal_data_providers=[BillingProfilePersonalData(infra.sessions, gateway, infra.clock)],
    )
