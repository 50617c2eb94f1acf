"""The leads unit of work on SQL (PostgreSQL; SQLite for the embedded default): one tenant's
repositories on one session, one transaction, committed explicitly.

Every repository is bound to one organisation when it is built and filters each statement on
it; PostgreSQL row-level security (migration 0006) is the second wall. Rows are read and
written with Core statements rather than ORM objects: lists and exports turn result rows
straight into domain objects, a save is one UPDATE, and no identity map can serve stale rows.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.events.api import sql_event_recorder
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.events import EventRecorder
from nexuscore.leads.adapters.organization_members import OrganizationMemberDirectory
from nexuscore.leads.adapters.privacy_marketing import PrivacyMarketingPermissions
from nexuscore.leads.adapters.sql.activities import SqlActivityRepository
from nexuscore.leads.adapters.sql.imports import SqlImportRepository
from nexuscore.leads.adapters.sql.lead_repository import SqlLeadRepository
from nexuscore.leads.adapters.sql.lead_views import SqlLeadViewLog
from nexuscore.leads.adapters.sql.scope import TenantScope, is_postgres
from nexuscore.leads.adapters.sql.tables import round_robin_table


class SqlLeadsUnitOfWork:
    """The leads repositories of one tenant on one session: one transaction, committed explicitly."""

    def __init__(self, session: AsyncSession, org_id: UUID, clock: Clock) -> None:
        self.session = session
        self.clock = clock
        self._scope = TenantScope(session, org_id)
        self._leads = SqlLeadRepository(self._scope, clock)
        self._activities = SqlActivityRepository(self._scope)
        self._imports = SqlImportRepository(self._scope)
        self._events = sql_event_recorder(session, clock)
        self._members = OrganizationMemberDirectory(session)
        self._marketing = PrivacyMarketingPermissions(session, org_id, clock)
        self._views = SqlLeadViewLog(session)

    @property
    def org_id(self) -> UUID:
        return self._scope.org_id

    @property
    def leads(self) -> SqlLeadRepository:
        return self._leads

    @property
    def activities(self) -> SqlActivityRepository:
        return self._activities

    @property
    def imports(self) -> SqlImportRepository:
        return self._imports

    @property
    def events(self) -> EventRecorder:
        return self._events

    @property
    def members(self) -> OrganizationMemberDirectory:
        return self._members

    @property
    def marketing(self) -> PrivacyMarketingPermissions:
        return self._marketing

    @property
    def views(self) -> SqlLeadViewLog:
        return self._views

    async def advance_round_robin(self, steps: int) -> int:
        if steps < 0:
            raise ValueError("steps must be zero or more")
        await self._scope.ready()
        table = round_robin_table
        make_insert = pg_insert if is_postgres(self.session) else sqlite_insert
        # One statement: the row lock serialises concurrent callers, each reads the last committed
        # counter and gets its own `steps` turns.
        stmt = (
            make_insert(table)
            .values(organization_id=self.org_id, counter=steps)
            .on_conflict_do_update(index_elements=[table.c.organization_id], set_={"counter": table.c.counter + steps})
            .returning(table.c.counter - steps)
        )
        return int(await self.session.scalar(stmt) or 0)

    async def commit(self) -> None:
        await self.session.commit()
