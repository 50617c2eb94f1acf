"""The SQL lead repository: one tenant's leads, their dedupe, search, export stream and quota lock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Sequence
from datetime import timedelta
from uuid import UUID

from sqlalchemy import and_, delete, insert, or_, select, text, update
from sqlalchemy.exc import IntegrityError

from nexuscore.kernel.clock import Clock, business_date
from nexuscore.kernel.paging import Page, PageRequest, capped_total, count_cap
from nexuscore.leads.adapters.privacy_marketing import record_marketing_facts
from nexuscore.leads.adapters.sql.lead_search import (
    FilterShape,
    active,
    any_of,
    conditions,
    count_active_leads,
    filter_parameters,
    page_statements,
)
from nexuscore.leads.adapters.sql.rows import LEAD_IMMUTABLE, lead_from_row, lead_values
from nexuscore.leads.adapters.sql.scope import TenantScope, is_postgres, page_total
from nexuscore.leads.adapters.sql.tables import lead_table
from nexuscore.leads.domain.model import DNC_CHECK_VALIDITY_DAYS, DncStatus, DuplicateLead, Lead
from nexuscore.leads.ports.repositories import ExportFilter, LeadFilter, LeadSort, total_window
from nexuscore.platform.database import unique_write_scope
from nexuscore.privacy import api as privacy

STREAM_BATCH = 500  # rows per export query: memory stays flat whatever the tenant's size

_L = lead_table.c


def _dedupe_field(exc: IntegrityError) -> str | None:
    """'email' or 'phone' when the error is one of the dedupe indexes (PostgreSQL names the
    index, SQLite the columns), else None."""
    message = str(exc.orig)
    for field in ("email", "phone"):
        if f"uq_leads_lead_active_{field}" in message or f"leads_lead.{field}" in message:
            return field
    return None


_LEAD_QUOTA_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")


class SqlLeadRepository:
    def __init__(self, scope: TenantScope, clock: Clock) -> None:
        self._t = scope
        self._s = scope.session
        self._clock = clock

    async def add(self, lead: Lead) -> None:
        self._t.check(lead.organization_id)
        await self._t.ready()
        try:
            async with unique_write_scope(self._s):
                await self._s.execute(insert(lead_table).values(**lead_values(lead)))
        except IntegrityError as exc:
            await self._raise_duplicate(exc, [lead])
            raise
        await record_marketing_facts(self._s, self._t.org_id, [lead], self._clock)

    async def add_many(self, leads: Sequence[Lead]) -> None:
        if not leads:
            return
        for lead in leads:
            self._t.check(lead.organization_id)
        await self._t.ready()
        try:
            async with unique_write_scope(self._s):
                # executemany: asyncpg pipelines one prepared INSERT for the whole batch.
                await self._s.execute(insert(lead_table), [lead_values(lead) for lead in leads])
        except IntegrityError as exc:
            if not is_postgres(self._s):
                # SQLite keeps the rows inserted before the failing one: take them back so the
                # batch is all or nothing, as the savepoint makes it on PostgreSQL.
                await self._s.execute(delete(lead_table).where(_L.id.in_([lead.id for lead in leads])))
            await self._raise_duplicate(exc, leads)
            raise
        await record_marketing_facts(self._s, self._t.org_id, leads, self._clock)

    async def _raise_duplicate(self, exc: IntegrityError, leads: Sequence[Lead]) -> None:
        """Turn a dedupe-index violation (a concurrent insert won the race past find_duplicate)
        into DuplicateLead naming the lead that holds the email or phone."""
        field = _dedupe_field(exc)
        if field is None:
            return
        values = [value for lead in leads if (value := getattr(lead, field))]
        column = _L[field]
        existing = await self._s.scalar(
            select(_L.id)
            .where(active(self._t), any_of(self._s, column, values), _L.id.not_in([lead.id for lead in leads]))
            .order_by(_L.id)
            .limit(1)
        )
        if existing is not None:
            raise DuplicateLead(existing, matched_on=field) from exc

    async def get(self, lead_id: UUID, *, for_update: bool = False) -> Lead | None:
        await self._t.ready()
        stmt = select(lead_table).where(active(self._t), _L.id == lead_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._s.execute(stmt)).mappings().first()
        return None if row is None else lead_from_row(row)

    async def get_many(self, lead_ids: Collection[UUID], *, for_update: bool = False) -> Sequence[Lead]:
        if not lead_ids:
            return []
        await self._t.ready()
        # Id order: concurrent callers lock rows in the same order, so they cannot deadlock.
        stmt = select(lead_table).where(active(self._t), _L.id.in_(list(set(lead_ids)))).order_by(_L.id)
        if for_update:
            stmt = stmt.with_for_update()
        return [lead_from_row(row) for row in (await self._s.execute(stmt)).mappings()]

    async def save(self, lead: Lead) -> None:
        self._t.check(lead.organization_id)
        await self._t.ready()
        values = {k: v for k, v in lead_values(lead).items() if k not in LEAD_IMMUTABLE}
        try:
            async with unique_write_scope(self._s):
                await self._s.execute(
                    update(lead_table).where(_L.organization_id == self._t.org_id, _L.id == lead.id).values(**values)
                )
        except IntegrityError as exc:
            await self._raise_duplicate(exc, [lead])
            raise
        await record_marketing_facts(self._s, self._t.org_id, [lead], self._clock)

    async def find_duplicate(
        self, *, email: str | None, phone: str | None, exclude_id: UUID | None = None
    ) -> Lead | None:
        matches = [column == value for column, value in ((_L.email, email), (_L.phone, phone)) if value]
        if not matches:
            return None
        await self._t.ready()
        stmt = select(lead_table).where(active(self._t), or_(*matches))
        if exclude_id is not None:
            stmt = stmt.where(_L.id != exclude_id)
        # At most one lead per email and one per phone: two rows at most; the email match wins.
        rows = (await self._s.execute(stmt.order_by(_L.id).limit(2))).mappings().all()
        for row in rows:
            if email and row["email"] == email:
                return lead_from_row(row)
        return lead_from_row(rows[0]) if rows else None

    async def existing_contacts(self, emails: Collection[str], phones: Collection[str]) -> dict[str, UUID]:
        wanted_emails, wanted_phones = sorted({e for e in emails if e}), sorted({p for p in phones if p})
        matches = [
            any_of(self._s, column, values)
            for column, values in ((_L.email, wanted_emails), (_L.phone, wanted_phones))
            if values
        ]
        if not matches:
            return {}
        await self._t.ready()
        rows = await self._s.execute(select(_L.id, _L.email, _L.phone).where(active(self._t), or_(*matches)))
        found: dict[str, UUID] = {}
        email_set, phone_set = set(wanted_emails), set(wanted_phones)
        for lead_id, email, phone in rows:
            if email in email_set:
                found[email] = lead_id
            if phone in phone_set:
                found[phone] = lead_id
        return found

    async def search(self, lead_filter: LeadFilter, sort: LeadSort, page: PageRequest) -> Page[Lead]:
        await self._t.ready()
        postgres = is_postgres(self._s)
        page_stmt, count_stmt = page_statements(
            FilterShape.of(lead_filter, postgres=postgres), sort.field, sort.descending
        )
        window = total_window(lead_filter)
        params = {
            **filter_parameters(lead_filter, self._t.org_id, postgres=postgres),
            "count_limit": count_cap(page, window) + 1,
            "page_limit": page.limit,
            "page_offset": page.offset,
        }
        rows = (await self._s.execute(page_stmt, params)).mappings().all()
        items = [lead_from_row(row) for row in rows]
        total = page_total(page, len(items))
        if total is not None:
            return Page(items=items, total=total, limit=page.limit, offset=page.offset)
        # A page past the end has no row to carry the count: the count alone then (rare).
        found = int(rows[0]["matches_counted"]) if rows else int(await self._s.scalar(count_stmt, params) or 0)
        total, exact = capped_total(page, found, window)
        return Page(items=items, total=total, limit=page.limit, offset=page.offset, total_is_exact=exact)

    async def stream(self, export: ExportFilter) -> AsyncIterator[Lead]:
        await self._t.ready()
        postgres = is_postgres(self._s)
        shape = FilterShape.of(export.lead_filter, postgres=postgres)
        source, where = shape.source, conditions(shape)
        params = filter_parameters(export.lead_filter, self._t.org_id, postgres=postgres)
        c = source.c
        if export.marketing_only:
            # Consent and DNC results as the privacy context holds them (a withdrawal recorded
            # there counts from its commit): every marketing purpose given, the phone's latest
            # DNC check clear and no older than 21 days. A lead without a phone has no number
            # to check: the lead's own DNC entry must then be clear and recent (the leads rule).
            today = export.today or business_date(self._clock.now())
            where += [
                c.id.in_(privacy.marketing_consented_leads(self._t.org_id)),
                or_(
                    c.phone.in_(privacy.dnc_clear_phones(self._t.org_id, today)),
                    and_(
                        c.phone.is_(None),
                        c.dnc_status == DncStatus.CLEAR.value,
                        c.dnc_checked_at >= today - timedelta(days=DNC_CHECK_VALIDITY_DAYS),
                    ),
                ),
            ]
        after: UUID | None = None
        while True:
            stmt = select(source).where(*where).order_by(c.id).limit(STREAM_BATCH)
            if after is not None:
                stmt = stmt.where(c.id > after)  # keyset: each batch starts where the last ended
            rows = (await self._s.execute(stmt, params)).mappings().all()
            for row in rows:
                yield lead_from_row(row)
            if len(rows) < STREAM_BATCH:
                return
            after = rows[-1]["id"]

    async def count_active(self) -> int:
        return await count_active_leads(self._t)

    async def hold_lead_quota(self) -> None:
        # A transaction-scoped advisory lock per organisation (released at commit or rollback).
        # SQLite, the single-user development default, takes none: there the limit is exact
        # only for one writer at a time.
        await self._t.ready()
        if is_postgres(self._s):
            await self._s.execute(_LEAD_QUOTA_LOCK, {"key": f"nexuscore.leads.quota:{self._t.org_id}"})
