"""The SQL activity repository: one tenant's lead timelines and engagement."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import case, func, insert, select, update

from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.leads.adapters.sql.rows import activity_from_row, activity_values
from nexuscore.leads.adapters.sql.scope import TenantScope, page_total
from nexuscore.leads.adapters.sql.tables import activity_table
from nexuscore.leads.domain.model import Activity, ActivityKind, Engagement

_A = activity_table.c
_INTERACTIONS = sorted(kind.value for kind in ActivityKind if kind.user_loggable)


class SqlActivityRepository:
    def __init__(self, scope: TenantScope) -> None:
        self._t = scope
        self._s = scope.session

    async def add(self, activity: Activity) -> None:
        await self.add_many([activity])

    async def add_many(self, activities: Sequence[Activity]) -> None:
        if not activities:
            return
        for activity in activities:
            self._t.check(activity.organization_id)
        await self._t.ready()
        await self._s.execute(insert(activity_table), [activity_values(a) for a in activities])

    async def list_for_lead(self, lead_id: UUID, page: PageRequest) -> Page[Activity]:
        await self._t.ready()
        where = (_A.organization_id == self._t.org_id, _A.lead_id == lead_id)
        stmt = (
            select(activity_table)
            .where(*where)
            .order_by(_A.occurred_at.desc(), _A.id.desc())
            .limit(page.limit)
            .offset(page.offset)
        )
        items = [activity_from_row(row) for row in (await self._s.execute(stmt)).mappings()]
        total = page_total(page, len(items))
        if total is None:
            total = int(await self._s.scalar(select(func.count()).select_from(activity_table).where(*where)) or 0)
        return Page(items=items, total=total, limit=page.limit, offset=page.offset)

    async def engagement(self, lead_id: UUID) -> Engagement:
        await self._t.ready()
        row = (
            await self._s.execute(
                select(
                    func.count(),
                    func.count(case((_A.kind == ActivityKind.MEETING.value, 1))),
                    func.max(_A.occurred_at),
                ).where(_A.organization_id == self._t.org_id, _A.lead_id == lead_id, _A.kind.in_(_INTERACTIONS))
            )
        ).one()
        return Engagement(interactions=int(row[0]), meetings=int(row[1]), last_interaction_at=row[2])

    async def move(self, from_lead_id: UUID, to_lead_id: UUID) -> int:
        await self._t.ready()
        result = await self._s.execute(
            update(activity_table)
            .where(_A.organization_id == self._t.org_id, _A.lead_id == from_lead_id)
            .values(lead_id=to_lead_id)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
