"""The SQL import repository: one tenant's CSV import jobs and their uploads."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, insert, select, update

from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.leads.adapters.sql.rows import IMPORT_COLUMNS, import_from_row, import_values
from nexuscore.leads.adapters.sql.scope import TenantScope, page_total
from nexuscore.leads.adapters.sql.tables import import_table
from nexuscore.leads.domain.model import LeadImport

_I = import_table.c


class SqlImportRepository:
    def __init__(self, scope: TenantScope) -> None:
        self._t = scope
        self._s = scope.session

    async def add(self, lead_import: LeadImport, csv_text: str) -> None:
        self._t.check(lead_import.organization_id)
        await self._t.ready()
        await self._s.execute(
            insert(import_table).values(
                id=lead_import.id,
                organization_id=lead_import.organization_id,
                csv_text=csv_text,
                **import_values(lead_import),
            )
        )

    async def get(self, import_id: UUID, *, for_update: bool = False) -> LeadImport | None:
        await self._t.ready()
        stmt = select(*IMPORT_COLUMNS).where(_I.organization_id == self._t.org_id, _I.id == import_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._s.execute(stmt)).mappings().first()
        return None if row is None else import_from_row(row)

    async def csv_text(self, import_id: UUID) -> str | None:
        await self._t.ready()
        text: str | None = await self._s.scalar(
            select(_I.csv_text).where(_I.organization_id == self._t.org_id, _I.id == import_id)
        )
        return text

    async def list(self, page: PageRequest) -> Page[LeadImport]:
        await self._t.ready()
        where = _I.organization_id == self._t.org_id
        stmt = (
            select(*IMPORT_COLUMNS)
            .where(where)
            .order_by(_I.created_at.desc(), _I.id.desc())
            .limit(page.limit)
            .offset(page.offset)
        )
        items = [import_from_row(row) for row in (await self._s.execute(stmt)).mappings()]
        total = page_total(page, len(items))
        if total is None:
            total = int(await self._s.scalar(select(func.count()).select_from(import_table).where(where)) or 0)
        return Page(items=items, total=total, limit=page.limit, offset=page.offset)

    async def save(self, lead_import: LeadImport) -> None:
        self._t.check(lead_import.organization_id)
        await self._t.ready()
        values = {k: v for k, v in import_values(lead_import).items() if k not in ("created_by", "created_at")}
        await self._s.execute(
            update(import_table).where(_I.organization_id == self._t.org_id, _I.id == lead_import.id).values(**values)
        )
