"""`nexuscore webhooks ...`: the inbox's commands."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from nexuscore.platform.modules import ContextModule, Infrastructure, command_runner
from nexuscore.webhooks.adapters.http.dependencies import WEBHOOKS_STATE_KEY, WebhooksHttpState
from nexuscore.webhooks.adapters.sql.repositories import SqlUnitOfWorkFactory
from nexuscore.webhooks.adapters.stripe.signature import DeliveryRejected, incoming_from_data
from nexuscore.webhooks.application.operations import backfill_event
from nexuscore.webhooks.application.services import WebhooksServices


@click.group()
def webhooks() -> None:
    """The webhook inbox."""


async def backfill(services: WebhooksServices, uows: SqlUnitOfWorkFactory, *, since: datetime) -> tuple[int, int, int]:
    """Ingest every event the gateway lists since `since` that the inbox lacks, through the
    same ingest as a delivery; (stored, already there, refused)."""
    stored = known = refused = 0
    async for listed in services.targets.gateway.list_events(since=since):
        try:
            incoming = incoming_from_data(listed.data, listed.payload)
        except DeliveryRejected:
            refused += 1
            continue
        async with uows() as uow:
            result = await backfill_event(uow, services, incoming=incoming)
        if result.duplicate:
            known += 1
        else:
            stored += 1
    return stored, known, refused


@webhooks.command("backfill")
@click.option("--since", required=True, type=click.DateTime(), help="UTC; Stripe lists the last 30 days.")
def backfill_command(since: datetime) -> None:
    """Ingest the gateway's events since SINCE that the inbox does not have."""

    async def run(infra: Infrastructure, module: ContextModule) -> tuple[int, int, int]:
        state: WebhooksHttpState = module.state[WEBHOOKS_STATE_KEY]
        return await backfill(
            state.services, SqlUnitOfWorkFactory(infra.sessions, infra.clock), since=since.replace(tzinfo=UTC)
        )

    stored, known, refused = command_runner().run("webhooks", run)
    click.echo(f"backfill: {stored} stored, {known} already in the inbox, {refused} refused")
