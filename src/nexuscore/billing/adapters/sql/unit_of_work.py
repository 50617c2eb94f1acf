"""The billing unit of work on SQL: the repositories on one session, one transaction."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.billing.adapters.customers import SubscriptionsCustomerDirectory
from nexuscore.billing.adapters.sql.repositories import SqlCreditNoteRepository, SqlInvoiceRepository, SqlNumberSeries
from nexuscore.events.api import sql_event_recorder
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.events import EventRecorder
from nexuscore.platform.database import RLS_INFO_KEY, bind_rls_scope


class SqlBillingUnitOfWork:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self._invoices = SqlInvoiceRepository(session)
        self._credit_notes = SqlCreditNoteRepository(session)
        self._numbers = SqlNumberSeries(session)
        self._customers = SubscriptionsCustomerDirectory(session)
        self._events = sql_event_recorder(session, clock)

    @property
    def invoices(self) -> SqlInvoiceRepository:
        return self._invoices

    @property
    def credit_notes(self) -> SqlCreditNoteRepository:
        return self._credit_notes

    @property
    def numbers(self) -> SqlNumberSeries:
        return self._numbers

    @property
    def customers(self) -> SubscriptionsCustomerDirectory:
        return self._customers

    @property
    def events(self) -> EventRecorder:
        return self._events

    async def bind_tenant(self, org_id: UUID) -> None:
        if self.session.info.get(RLS_INFO_KEY, {}).get("org") != org_id:
            await bind_rls_scope(self.session, org_id=org_id)

    async def bind_system(self) -> None:
        await bind_rls_scope(self.session, system=True)

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()
