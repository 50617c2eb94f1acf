from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.subscriptions.adapters.gateways.local import LocalPaymentGateway
from nexuscore.subscriptions.adapters.gateways.local_store import MemoryLocalGatewayStore
from nexuscore.subscriptions.adapters.memory.store import (
    FixedUsage,
    InMemorySubscriptionsUnitOfWork,
    SubscriptionsState,
)
from nexuscore.subscriptions.application.plans import seed_plans
from nexuscore.subscriptions.application.services import SubscriptionsServices

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class World:
    def __init__(self) -> None:
        self.clock = FixedClock(NOW)
        self.state = SubscriptionsState()
        self.usage = FixedUsage()
        self.gateway = LocalPaymentGateway(MemoryLocalGatewayStore(), self.clock, api_base_url="http://api.test")
        self.services = SubscriptionsServices(self.clock, self.gateway, "https://app.test", grace_days=7)
        self.org = new_id()
        self.owner = TenantContext(self.org, new_id(), Role.OWNER)

    def uow(self) -> InMemorySubscriptionsUnitOfWork:
        return InMemorySubscriptionsUnitOfWork(self.state, self.clock, usage=self.usage)

    def tenant(self, role: Role, org: UUID | None = None) -> TenantContext:
        return TenantContext(org or self.org, self.owner.user_id, role)

    def event_types(self) -> list[str]:
        return [e.type for e in self.state.events]


@pytest.fixture
async def world() -> World:
    w = World()
    await seed_plans(w.uow(), w.services)
    return w
