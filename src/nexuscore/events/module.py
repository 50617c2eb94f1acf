"""What the events context plugs into the composition root.

Unlike the other contexts it is built last, with every subscriber the others declared: it
runs them (the dispatch task) and relays the outbox that every context writes to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import click
from litestar.openapi.spec import Tag
from taskiq import AsyncBroker

from nexuscore.events.adapters.sql import tables
from nexuscore.events.adapters.tasks.dispatch import OutboxRelayLoop, register_dispatch_task
from nexuscore.events.application.subscribers import SubscriberRegistry
from nexuscore.kernel.events import Subscriber
from nexuscore.platform.modules import ContextModule, Infrastructure

__all__ = ["COMMANDS", "EventsModule", "OutboxRelayLoop", "SubscriberRegistry", "build"]

COMMANDS: list[click.Command] = []


@dataclass(frozen=True)
class EventsModule:
    context: ContextModule
    subscribers: SubscriberRegistry
    relay: OutboxRelayLoop


def build(infra: Infrastructure, subscribers: Sequence[Subscriber]) -> EventsModule:
    registry = SubscriberRegistry(subscribers)
    relay = OutboxRelayLoop(
        infra.sessions,
        infra.broker,
        infra.clock,
        poll_seconds=infra.settings.outbox_poll_seconds,
        # Redelivery recovers messages a Redis lost; the in-process broker hands each event
        # straight to its subscribers (inline in tests), so it has none to recover.
        redeliver_after=infra.settings.outbox_redeliver_seconds if infra.settings.uses_redis else None,
        # The in-process broker dispatches right here: events nobody here subscribes to stay
        # unsent. A Redis broker's consumers may run other code, so every event goes out.
        local_subscribers=None if infra.settings.uses_redis else registry,
    )

    def register_tasks(broker: AsyncBroker) -> None:
        register_dispatch_task(broker, infra.sessions, registry, infra.clock)

    context = ContextModule(
        name="events",
        openapi_tags=[Tag(name="events", description="Audit trail of domain events.")],
        register_tasks=register_tasks,
        tables=[tables],
    )
    return EventsModule(context=context, subscribers=registry, relay=relay)
