"""`nexuscore plans ...`: the plan catalogue on the command line."""

from __future__ import annotations

import sys
from uuid import uuid4

import click

from nexuscore.kernel.errors import DomainError
from nexuscore.platform.modules import ContextModule, Infrastructure, command_runner
from nexuscore.subscriptions.adapters.http.state import SUBSCRIPTIONS_STATE_KEY, SubscriptionsHttpState
from nexuscore.subscriptions.adapters.sql.unit_of_work import SqlSubscriptionsUnitOfWork
from nexuscore.subscriptions.application.plans import seed_plans, sync_plans_to_gateway


@click.group()
def plans() -> None:
    """Manage the plan catalogue."""


@plans.command("sync")
def sync_plans_command() -> None:
    """Create or update the gateway's products and prices (lookup key = plan code and
    interval); safe to run again."""

    async def sync(infra: Infrastructure, module: ContextModule) -> str:
        state: SubscriptionsHttpState = module.state[SUBSCRIPTIONS_STATE_KEY]
        async with infra.sessions() as session:
            codes = await sync_plans_to_gateway(
                SqlSubscriptionsUnitOfWork(session, infra.clock), state.services, command_id=f"plans-sync:{uuid4()}"
            )
        return f"{state.services.gateway.name}: synced {', '.join(codes) or 'no paid plans'}"

    try:
        line = command_runner().run("subscriptions", sync)
    except DomainError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(1)
    click.echo(line)


@plans.command("seed")
def seed_plans_command() -> None:
    """Add the free, starter, growth and enterprise plans that are missing (any environment:
    the catalogue is not demo data); never changes a plan that exists."""

    async def seed(infra: Infrastructure, module: ContextModule) -> str:
        state: SubscriptionsHttpState = module.state[SUBSCRIPTIONS_STATE_KEY]
        async with infra.sessions() as session:
            created = await seed_plans(SqlSubscriptionsUnitOfWork(session, infra.clock), state.services)
        return f"plans: {'created ' + ', '.join(created) if created else 'already seeded'}"

    click.echo(command_runner().run("subscriptions", seed))
