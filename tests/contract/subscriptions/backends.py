"""The subscriptions unit of work on each backend: the only place the contract suite names
the adapters."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.ids import new_id
from nexuscore.subscriptions.adapters.memory.store import (
    InMemorySubscriptionsUnitOfWork,
    IntegrityViolation,
    SubscriptionsState,
)
from nexuscore.subscriptions.adapters.sql.unit_of_work import SqlSubscriptionsUnitOfWork
from nexuscore.subscriptions.domain.model import Interval, Subscription, SubscriptionStatus
from nexuscore.subscriptions.ports.repositories import SubscriptionsUnitOfWork
from tests.contract.conftest import Backend

NOW = datetime(2026, 11, 26, 9, 0, 0, 123456, tzinfo=UTC)
REFUSED = (IntegrityError, IntegrityViolation)


class SubscriptionsBackend:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.clock = FixedClock(NOW)
        self._state = SubscriptionsState()

    @asynccontextmanager
    async def uow(self) -> AsyncIterator[SubscriptionsUnitOfWork]:
        database = self.backend.database
        if database is None:
            yield InMemorySubscriptionsUnitOfWork(self._state, self.clock)
            return
        async with database.sessions() as session:
            yield SqlSubscriptionsUnitOfWork(session, self.clock)


def make_subscription(org_id: object, gateway_id: str | None = None, **fields: object) -> Subscription:
    values: dict[str, object] = {
        "organization_id": org_id,
        "gateway_subscription_id": gateway_id or f"sub_{new_id().hex}",
        "gateway_customer_id": "cus_1",
        "plan_code": "starter",
        "interval": Interval.MONTH,
        "status": SubscriptionStatus.ACTIVE,
        "gateway_created": NOW,
        "version_at": NOW,
        "created_at": NOW,
        "updated_at": NOW,
        "current_period_start": NOW,
        "current_period_end": NOW + timedelta(days=30),
        **fields,
    }
    return Subscription(**values)  # type: ignore[arg-type]
