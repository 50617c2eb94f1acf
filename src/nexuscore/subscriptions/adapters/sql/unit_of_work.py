"""The subscriptions unit of work on SQL: the repositories on one session, one transaction.

`bind_tenant` scopes the session to one organisation for row-level security (PostgreSQL);
the catalogue tables have no policy. Usage (members, leads) is injected: its reader
(`adapters/usage.py`) calls the organisations and leads facades, and the subscriptions facade,
which those contexts call, must not import them back.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.events.api import sql_event_recorder
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.events import EventRecorder
from nexuscore.platform.database import RLS_INFO_KEY, bind_rls_scope
from nexuscore.subscriptions.adapters.sql.repositories import (
    SqlBillingProfileRepository,
    SqlPlanRepository,
    SqlSubscriptionRepository,
)
from nexuscore.subscriptions.ports.repositories import UsageReader


class SqlSubscriptionsUnitOfWork:
    def __init__(self, session: AsyncSession, clock: Clock, usage: UsageReader | None = None) -> None:
        self.session = session
        self.clock = clock
        self._plans = SqlPlanRepository(session)
        self._subscriptions = SqlSubscriptionRepository(session)
        self._profiles = SqlBillingProfileRepository(session, clock)
        self._usage = usage
        self._events = sql_event_recorder(session, clock)

    @property
    def plans(self) -> SqlPlanRepository:
        return self._plans

    @property
    def subscriptions(self) -> SqlSubscriptionRepository:
        return self._subscriptions

    @property
    def billing_profiles(self) -> SqlBillingProfileRepository:
        return self._profiles

    @property
    def usage(self) -> UsageReader:
        if self._usage is None:
            raise LookupError("this unit of work was given no usage reader")
        return self._usage

    @property
    def events(self) -> EventRecorder:
        return self._events

    async def bind_tenant(self, org_id: UUID) -> None:
        if self.session.info.get(RLS_INFO_KEY, {}).get("org") != org_id:
            await bind_rls_scope(self.session, org_id=org_id)

    async def bind_system(self) -> None:
        """Staff reading every organisation's subscriptions."""
        await bind_rls_scope(self.session, system=True)

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()
