"""Entitlements for other contexts' limit ports: read on a session of their own, so a check
needs nothing of the caller's transaction (the plan is not the caller's data)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.kernel.clock import Clock
from nexuscore.subscriptions.adapters.sql.unit_of_work import SqlSubscriptionsUnitOfWork
from nexuscore.subscriptions.application.entitlements import read_entitlement
from nexuscore.subscriptions.application.services import SubscriptionsServices
from nexuscore.subscriptions.domain.entitlements import Entitlement
from nexuscore.subscriptions.ports.gateway import PaymentGateway


class EntitlementReader:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock, *, grace_days: int) -> None:
        self._sessions = sessions
        self._clock = clock
        # Reading entitlements calls no gateway.
        self._services = SubscriptionsServices(clock, _NO_GATEWAY, "", grace_days)

    async def entitlement(self, org_id: UUID) -> Entitlement:
        async with self._sessions() as session:
            return await read_entitlement(
                SqlSubscriptionsUnitOfWork(session, self._clock), self._services, org_id=org_id
            )


class _NoGateway:
    name = "none"

    def __getattr__(self, item: str) -> object:
        raise RuntimeError("entitlement reads call no payment gateway")


_NO_GATEWAY: PaymentGateway = _NoGateway()  # type: ignore[assignment]
