"""What the webhooks context plugs into the composition root."""

from __future__ import annotations

from datetime import timedelta

import click
from litestar.di import Provide
from litestar.openapi.spec import Tag
from taskiq import AsyncBroker

from nexuscore.platform.http.problem_docs import FORBIDDEN, UNAUTHENTICATED
from nexuscore.platform.modules import ContextModule, Infrastructure
from nexuscore.webhooks.adapters import targets as wiring
from nexuscore.webhooks.adapters.cli.commands import webhooks as webhooks_command
from nexuscore.webhooks.adapters.http.controllers import StripeWebhookController, WebhookInboxController
from nexuscore.webhooks.adapters.http.dependencies import (
    WEBHOOKS_STATE_KEY,
    WebhooksHttpState,
    provide_staff,
    provide_webhooks_services,
    provide_webhooks_uow,
)
from nexuscore.webhooks.adapters.sql import tables
from nexuscore.webhooks.adapters.sql.personal_data import WebhookInboxPersonalData
from nexuscore.webhooks.adapters.sql.repositories import SqlUnitOfWorkFactory
from nexuscore.webhooks.adapters.tasks.tasks import register_webhook_tasks, webhook_subscribers
from nexuscore.webhooks.application.handlers import default_registry
from nexuscore.webhooks.application.services import WebhooksServices
from nexuscore.webhooks.domain.model import RetryPolicy

COMMANDS: list[click.Command] = [webhooks_command]


def build_services(infra: Infrastructure) -> WebhooksServices:
    settings = infra.settings
    return WebhooksServices(
        clock=infra.clock,
        targets=wiring.default_targets(infra),
        handlers=default_registry(),
        retry=RetryPolicy(
            max_attempts=settings.webhook_max_attempts,
            base_seconds=settings.webhook_retry_base_seconds,
            cap_seconds=settings.webhook_retry_cap_seconds,
        ),
        stuck_after=timedelta(seconds=settings.webhook_stuck_after_seconds),
    )


def build(infra: Infrastructure) -> ContextModule:
    services = build_services(infra)
    uows = SqlUnitOfWorkFactory(infra.sessions, infra.clock)

    def register_tasks(broker: AsyncBroker) -> None:
        register_webhook_tasks(broker, uows, services, infra.clock)

    return ContextModule(
        name="webhooks",
        openapi_tags=[Tag(name="webhooks", description="Inbound webhook inbox (Stripe).")],
        route_handlers=[StripeWebhookController, WebhookInboxController],
        dependencies={
            "webhooks_uow": Provide(provide_webhooks_uow),
            "webhooks_services": Provide(provide_webhooks_services, sync_to_thread=False),
            "webhooks_staff": Provide(provide_staff, sync_to_thread=False),
        },
        state={WEBHOOKS_STATE_KEY: WebhooksHttpState(services, infra.settings.stripe_webhook_secrets)},
        register_tasks=register_tasks,
        subscribers=webhook_subscribers(infra.broker),
        tables=[tables],
        dependency_problems={"webhooks_staff": (UNAUTHENTICATED, FORBIDDEN)},
        personal_data_providers=[WebhookInboxPersonalData(infra.sessions)],
    )
