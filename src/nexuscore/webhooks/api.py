"""Published facade of the webhooks context, for other contexts' adapters.

- `LocalEventIngest(sessions, clock)`: `await ingest.ingest_stripe_event(event)` stores a
  Stripe-shaped event produced in this process (the local payment gateway's, which stands for
  Stripe in development) exactly as a verified delivery is stored: read by the same envelope
  parser, once per event id, with its outbox message in the same commit, then processed by the
  worker through the same handlers. No signature: nothing crossed a network. Returns whether
  it was new (a duplicate id stores nothing).
- `WebhookInboxPersonalData(sessions)`: this context's `PersonalDataProvider`
  (kernel.personal_data): payloads and errors naming a user subject.

Routes, tasks and wiring are in `module.py`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.kernel.clock import Clock
from nexuscore.webhooks.adapters.sql.personal_data import WebhookInboxPersonalData
from nexuscore.webhooks.adapters.sql.repositories import SqlUnitOfWorkFactory
from nexuscore.webhooks.adapters.stripe.signature import DeliveryRejected, incoming_from_data
from nexuscore.webhooks.application.handlers import HandlerRegistry, default_registry
from nexuscore.webhooks.application.ingest import ingest_event


class _IngestServices:
    def __init__(self, clock: Clock, handlers: HandlerRegistry) -> None:
        self.clock = clock
        self.handlers = handlers


class LocalEventIngest:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._uows = SqlUnitOfWorkFactory(sessions, clock)
        self._services = _IngestServices(clock, default_registry())

    async def ingest_stripe_event(self, event: Mapping[str, Any]) -> bool:
        text = json.dumps(event, separators=(",", ":"))
        try:
            incoming = incoming_from_data(json.loads(text), text)
        except DeliveryRejected as rejected:
            raise ValueError(f"not a Stripe event: {rejected.detail}") from None
        async with self._uows() as uow:
            result = await ingest_event(uow, self._services, incoming=incoming)
        return not result.duplicate


__all__ = ["LocalEventIngest", "WebhookInboxPersonalData"]
