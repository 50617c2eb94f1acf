"""SQL repositories and unit of work of the leads context (PostgreSQL; SQLite for the embedded default).

Every repository is bound to one organisation when it is built and filters each statement on
it; PostgreSQL row-level security (migration 0006) is the second wall. Rows are read and
written with Core statements rather than ORM objects: lists and exports turn result rows
straight into domain objects, a save is one UPDATE, and no identity map can serve stale rows.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from dataclasses import asdict
from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Text,
    and_,
    any_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import UnaryExpression

from nexuscore.events.api import sql_event_recorder
from nexuscore.kernel.clock import Clock, business_date
from nexuscore.kernel.events import EventRecorder
from nexuscore.kernel.money import Money
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.leads.adapters.organization_members import OrganizationMemberDirectory
from nexuscore.leads.adapters.sql.tables import activity_table, import_table, lead_table, round_robin_table
from nexuscore.leads.domain.model import (
    DNC_CHECK_VALIDITY_DAYS,
    Activity,
    ActivityKind,
    DncStatus,
    DuplicateLead,
    DuplicateRow,
    Engagement,
    ImportStatus,
    Lead,
    LeadImport,
    LeadSource,
    LeadStatus,
    MarketingConsent,
    ReportEntry,
    RowError,
    ScoreReason,
)
from nexuscore.leads.ports.repositories import ExportFilter, LeadFilter, LeadSort, LeadSortField
from nexuscore.platform.database import RLS_INFO_KEY, bind_rls_scope, unique_write_scope

STREAM_BATCH = 500  # rows per export query: memory stays flat whatever the tenant's size
MAX_SEARCH_TERMS = 5  # `q` words; each must match one of the searched columns

_L = lead_table.c
_A = activity_table.c
_I = import_table.c

_SORT_COLUMNS = {
    LeadSortField.CREATED_AT: _L.created_at,
    LeadSortField.UPDATED_AT: _L.updated_at,
    LeadSortField.SCORE: _L.score,
    LeadSortField.LAST_NAME: _L.last_name,
    LeadSortField.COMPANY: _L.company,
    LeadSortField.NEXT_FOLLOW_UP: _L.next_follow_up,
    LeadSortField.ESTIMATED_VALUE: _L.estimated_value_minor,
    LeadSortField.STATUS: _L.status,
}
_SEARCHED_COLUMNS = (_L.first_name, _L.last_name, _L.email, _L.company)
_INTERACTIONS = sorted(kind.value for kind in ActivityKind if kind.user_loggable)

# Lead attributes stored as they are; the rest (enums, money, consent, reasons) are converted.
_LEAD_PLAIN = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "company_uen",
    "job_title",
    "lost_reason",
    "owner_id",
    "next_follow_up",
    "score",
    "dnc_checked_at",
    "created_by",
    "created_at",
    "updated_by",
    "updated_at",
    "archived_at",
    "merged_into_id",
)
_LEAD_IMMUTABLE = ("id", "organization_id", "created_by", "created_at")
_ACTIVITY_PLAIN = ("organization_id", "lead_id", "occurred_at", "created_by", "created_at", "body")
_IMPORT_PLAIN = (
    "created_by",
    "created_at",
    "filename",
    "total_rows",
    "processed_rows",
    "created_count",
    "duplicate_count",
    "error_count",
    "started_at",
    "finished_at",
    "failure",
)
_IMPORT_COLUMNS = [column for column in import_table.c if column.name != "csv_text"]  # the job without the upload


# ---- row <-> domain ---------------------------------------------------------------------


def _lead_values(lead: Lead) -> dict[str, Any]:
    consent, value = lead.marketing_consent, lead.estimated_value
    return {
        "id": lead.id,
        "organization_id": lead.organization_id,
        **{f: getattr(lead, f) for f in _LEAD_PLAIN},
        "source": lead.source.value,
        "status": lead.status.value,
        "tags": list(lead.tags),
        "estimated_value_minor": None if value is None else value.amount,
        "estimated_value_currency": None if value is None else value.currency,
        "score_reasons": [asdict(reason) for reason in lead.score_reasons],
        "marketing_consent_granted": None if consent is None else consent.granted,
        "marketing_consent_recorded_at": None if consent is None else consent.recorded_at,
        "marketing_consent_source": None if consent is None else consent.source,
        "dnc_status": lead.dnc_status.value,
    }


def _lead(row: RowMapping) -> Lead:
    amount, granted = row["estimated_value_minor"], row["marketing_consent_granted"]
    return Lead(
        id=row["id"],
        organization_id=row["organization_id"],
        **{f: row[f] for f in _LEAD_PLAIN},
        source=LeadSource(row["source"]),
        status=LeadStatus(row["status"]),
        tags=list(row["tags"] or ()),
        estimated_value=None if amount is None else Money(int(amount), row["estimated_value_currency"]),
        score_reasons=[ScoreReason(**reason) for reason in row["score_reasons"] or ()],
        marketing_consent=None
        if granted is None
        else MarketingConsent(bool(granted), row["marketing_consent_recorded_at"], row["marketing_consent_source"]),
        dnc_status=DncStatus(row["dnc_status"]),
    )


def _activity_values(activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.id,
        "kind": activity.kind.value,
        "details": dict(activity.details),
        **{f: getattr(activity, f) for f in _ACTIVITY_PLAIN},
    }


def _activity(row: RowMapping) -> Activity:
    return Activity(
        id=row["id"],
        kind=ActivityKind(row["kind"]),
        details=dict(row["details"] or {}),
        **{f: row[f] for f in _ACTIVITY_PLAIN},
    )


# The stored report (the `errors` JSON column) keeps one shape for both kinds of entry,
# {row, field, message}; a duplicate is the entry with field email or phone and this message.
_DUPLICATE_MESSAGE = re.compile(r"^Duplicate of (?:existing lead (?P<lead>[0-9a-f-]{36})|row (?P<row>\d+))$")


def report_entry_values(entry: ReportEntry) -> dict[str, Any]:
    return {"row": entry.row, "field": entry.field, "message": entry.message}


def report_entry(stored: Mapping[str, Any]) -> ReportEntry:
    row, field, message = stored["row"], stored["field"], stored["message"]
    found = _DUPLICATE_MESSAGE.match(message) if field in ("email", "phone") else None
    if found is None:
        return RowError(row, field, message)
    lead, of_row = found.group("lead"), found.group("row")
    return DuplicateRow(
        row, field, existing_lead_id=UUID(lead) if lead else None, duplicate_of_row=int(of_row) if of_row else None
    )


def _import_values(lead_import: LeadImport) -> dict[str, Any]:
    return {
        "status": lead_import.status.value,
        "errors": [report_entry_values(entry) for entry in lead_import.errors],
        **{f: getattr(lead_import, f) for f in _IMPORT_PLAIN},
    }


def _import(row: RowMapping) -> LeadImport:
    return LeadImport(
        id=row["id"],
        organization_id=row["organization_id"],
        status=ImportStatus(row["status"]),
        errors=[report_entry(entry) for entry in row["errors"] or ()],
        **{f: row[f] for f in _IMPORT_PLAIN},
    )


# ---- helpers ---------------------------------------------------------------------------


def _is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _dedupe_field(exc: IntegrityError) -> str | None:
    """'email' or 'phone' when the error is one of the dedupe indexes (PostgreSQL names the
    index, SQLite the columns), else None."""
    message = str(exc.orig)
    for field in ("email", "phone"):
        if f"uq_leads_lead_active_{field}" in message or f"leads_lead.{field}" in message:
            return field
    return None


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _search_terms(text: str | None) -> list[str]:
    return (text or "").split()[:MAX_SEARCH_TERMS]


def _order(field: LeadSortField, descending: bool) -> tuple[UnaryExpression[Any], UnaryExpression[Any]]:
    column = _SORT_COLUMNS[field]
    primary = column.desc() if descending else column.asc()
    if column.nullable:
        # NULL sorts as the largest value on both engines (PostgreSQL's own rule), so one
        # ascending index serves both directions: last when ascending, first when descending.
        primary = primary.nulls_first() if descending else primary.nulls_last()
    return primary, (_L.id.desc() if descending else _L.id.asc())


def _page_total(page: PageRequest, found: int) -> int | None:
    """The total when this page shows it is the last one (no count query needed), else None."""
    if (found and found < page.limit) or (not found and page.offset == 0):
        return page.offset + found
    return None


_LEAD_QUOTA_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")


class _TenantScope:
    """The tenant a unit of work is bound to, and its row-level-security scope on the session.

    Built outside a transaction, the scope is recorded at once (what `bind_rls_scope` does then):
    the after-begin hook applies it to every transaction of the session, at no extra statement.
    Built inside a transaction bound to another tenant (or none), the first repository call
    applies it.
    """

    def __init__(self, session: AsyncSession, org_id: UUID) -> None:
        self.session = session
        self.org_id = org_id
        scope: dict[str, Any] = session.info.setdefault(RLS_INFO_KEY, {})
        self._bound = scope.get("org") == org_id  # e.g. the request's tenant dependency bound it
        if not self._bound and not session.in_transaction():
            scope["org"] = org_id
            self._bound = True

    async def ready(self) -> None:
        if not self._bound:
            await bind_rls_scope(self.session, org_id=self.org_id)
            self._bound = True

    def check(self, org_id: UUID) -> None:
        if org_id != self.org_id:
            raise ValueError("this repository is bound to another organisation")


# ---- repositories -----------------------------------------------------------------------


class SqlLeadRepository:
    def __init__(self, scope: _TenantScope, clock: Clock) -> None:
        self._t = scope
        self._s = scope.session
        self._clock = clock

    def _active(self) -> ColumnElement[bool]:
        return and_(_L.organization_id == self._t.org_id, _L.archived_at.is_(None))

    def _any(self, column: ColumnElement[Any], values: Sequence[str]) -> ColumnElement[bool]:
        # One array parameter on PostgreSQL (the same statement whatever the batch size).
        if _is_postgres(self._s):
            return column == any_(literal(list(values), ARRAY(Text())))
        return column.in_(values)

    async def add(self, lead: Lead) -> None:
        self._t.check(lead.organization_id)
        await self._t.ready()
        try:
            async with unique_write_scope(self._s):
                await self._s.execute(insert(lead_table).values(**_lead_values(lead)))
        except IntegrityError as exc:
            await self._raise_duplicate(exc, [lead])
            raise

    async def add_many(self, leads: Sequence[Lead]) -> None:
        if not leads:
            return
        for lead in leads:
            self._t.check(lead.organization_id)
        await self._t.ready()
        try:
            async with unique_write_scope(self._s):
                # executemany: asyncpg pipelines one prepared INSERT for the whole batch.
                await self._s.execute(insert(lead_table), [_lead_values(lead) for lead in leads])
        except IntegrityError as exc:
            if not _is_postgres(self._s):
                # SQLite keeps the rows inserted before the failing one: take them back so the
                # batch is all or nothing, as the savepoint makes it on PostgreSQL.
                await self._s.execute(delete(lead_table).where(_L.id.in_([lead.id for lead in leads])))
            await self._raise_duplicate(exc, leads)
            raise

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
            .where(self._active(), self._any(column, values), _L.id.not_in([lead.id for lead in leads]))
            .order_by(_L.id)
            .limit(1)
        )
        if existing is not None:
            raise DuplicateLead(existing, matched_on=field) from exc

    async def get(self, lead_id: UUID, *, for_update: bool = False) -> Lead | None:
        await self._t.ready()
        stmt = select(lead_table).where(self._active(), _L.id == lead_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._s.execute(stmt)).mappings().first()
        return None if row is None else _lead(row)

    async def get_many(self, lead_ids: Collection[UUID], *, for_update: bool = False) -> Sequence[Lead]:
        if not lead_ids:
            return []
        await self._t.ready()
        # Id order: concurrent callers lock rows in the same order, so they cannot deadlock.
        stmt = select(lead_table).where(self._active(), _L.id.in_(list(set(lead_ids)))).order_by(_L.id)
        if for_update:
            stmt = stmt.with_for_update()
        return [_lead(row) for row in (await self._s.execute(stmt)).mappings()]

    async def save(self, lead: Lead) -> None:
        self._t.check(lead.organization_id)
        await self._t.ready()
        values = {k: v for k, v in _lead_values(lead).items() if k not in _LEAD_IMMUTABLE}
        try:
            async with unique_write_scope(self._s):
                await self._s.execute(
                    update(lead_table).where(_L.organization_id == self._t.org_id, _L.id == lead.id).values(**values)
                )
        except IntegrityError as exc:
            await self._raise_duplicate(exc, [lead])
            raise

    async def find_duplicate(
        self, *, email: str | None, phone: str | None, exclude_id: UUID | None = None
    ) -> Lead | None:
        matches = [column == value for column, value in ((_L.email, email), (_L.phone, phone)) if value]
        if not matches:
            return None
        await self._t.ready()
        stmt = select(lead_table).where(self._active(), or_(*matches))
        if exclude_id is not None:
            stmt = stmt.where(_L.id != exclude_id)
        # At most one lead per email and one per phone: two rows at most; the email match wins.
        rows = (await self._s.execute(stmt.order_by(_L.id).limit(2))).mappings().all()
        for row in rows:
            if email and row["email"] == email:
                return _lead(row)
        return _lead(rows[0]) if rows else None

    async def existing_contacts(self, emails: Collection[str], phones: Collection[str]) -> dict[str, UUID]:
        wanted_emails, wanted_phones = sorted({e for e in emails if e}), sorted({p for p in phones if p})
        matches = [
            self._any(column, values)
            for column, values in ((_L.email, wanted_emails), (_L.phone, wanted_phones))
            if values
        ]
        if not matches:
            return {}
        await self._t.ready()
        rows = await self._s.execute(select(_L.id, _L.email, _L.phone).where(self._active(), or_(*matches)))
        found: dict[str, UUID] = {}
        email_set, phone_set = set(wanted_emails), set(wanted_phones)
        for lead_id, email, phone in rows:
            if email in email_set:
                found[email] = lead_id
            if phone in phone_set:
                found[phone] = lead_id
        return found

    def _where(self, lead_filter: LeadFilter) -> list[ColumnElement[bool]]:
        f = lead_filter
        where = [self._active()]
        if f.statuses:
            where.append(_L.status.in_(sorted(status.value for status in f.statuses)))
        if f.owner_id is not None:
            where.append(_L.owner_id == f.owner_id)
        if f.source is not None:
            where.append(_L.source == f.source.value)
        if f.tag is not None:
            where.append(self._has_tag(f.tag))  # exact: the use case cleans it as tags are cleaned
        for term in _search_terms(f.text):
            where.append(self._matches(_like_pattern(term)))
        if f.created_from is not None:
            where.append(_L.created_at >= f.created_from)
        if f.created_to is not None:
            where.append(_L.created_at <= f.created_to)
        if f.score_min is not None:
            where.append(_L.score >= f.score_min)
        if f.follow_up_before is not None:
            where.append(_L.next_follow_up < f.follow_up_before)
        return where

    # On PostgreSQL `q` and `tag` go through the SECURITY DEFINER functions of migration 0007:
    # under row-level security ILIKE and `@>` (not LEAKPROOF) may only filter rows the policy
    # has passed, so their GIN indexes were out of reach and every such list read the tenant's
    # whole table. The functions use the indexes and apply the policy's wall themselves (the
    # bound tenant's active leads only); this statement's own conditions and RLS still apply.

    def _matches(self, pattern: str) -> ColumnElement[bool]:
        """One `q` word (as an escaped LIKE pattern) in any searched column."""
        if _is_postgres(self._s):
            return _L.id.in_(select(func.leads_search_ids(pattern).column_valued("lead_id")))
        return or_(*(column.ilike(pattern, escape="\\") for column in _SEARCHED_COLUMNS))

    def _has_tag(self, tag: str) -> ColumnElement[bool]:
        if _is_postgres(self._s):
            return _L.id.in_(select(func.leads_tagged_ids(tag).column_valued("lead_id")))
        each = func.json_each(_L.tags).table_valued("value")
        return exists(select(literal(1)).select_from(each).where(each.c.value == tag))

    async def search(self, lead_filter: LeadFilter, sort: LeadSort, page: PageRequest) -> Page[Lead]:
        await self._t.ready()
        where = self._where(lead_filter)
        stmt = (
            select(lead_table)
            .where(*where)
            .order_by(*_order(sort.field, sort.descending))
            .limit(page.limit)
            .offset(page.offset)
        )
        items = [_lead(row) for row in (await self._s.execute(stmt)).mappings()]
        total = _page_total(page, len(items))
        if total is None:
            total = int(await self._s.scalar(select(func.count()).select_from(lead_table).where(*where)) or 0)
        return Page(items=items, total=total, limit=page.limit, offset=page.offset)

    async def stream(self, export: ExportFilter) -> AsyncIterator[Lead]:
        await self._t.ready()
        where = self._where(export.lead_filter)
        if export.marketing_only:
            # Lead.marketing_eligible in SQL: consent, DNC clear, checked within the last 21 days.
            today = export.today or business_date(self._clock.now())
            where += [
                _L.marketing_consent_granted.is_(True),
                _L.dnc_status == DncStatus.CLEAR.value,
                _L.dnc_checked_at >= today - timedelta(days=DNC_CHECK_VALIDITY_DAYS),
            ]
        after: UUID | None = None
        while True:
            stmt = select(lead_table).where(*where).order_by(_L.id).limit(STREAM_BATCH)
            if after is not None:
                stmt = stmt.where(_L.id > after)  # keyset: each batch starts where the last ended
            rows = (await self._s.execute(stmt)).mappings().all()
            for row in rows:
                yield _lead(row)
            if len(rows) < STREAM_BATCH:
                return
            after = rows[-1]["id"]

    async def count_active(self) -> int:
        await self._t.ready()
        return int(await self._s.scalar(select(func.count()).select_from(lead_table).where(self._active())) or 0)

    async def hold_lead_quota(self) -> None:
        # A transaction-scoped advisory lock per organisation (released at commit or rollback).
        # SQLite, the single-user development default, takes none: there the limit is exact
        # only for one writer at a time.
        await self._t.ready()
        if _is_postgres(self._s):
            await self._s.execute(_LEAD_QUOTA_LOCK, {"key": f"nexuscore.leads.quota:{self._t.org_id}"})


class SqlActivityRepository:
    def __init__(self, scope: _TenantScope) -> None:
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
        await self._s.execute(insert(activity_table), [_activity_values(a) for a in activities])

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
        items = [_activity(row) for row in (await self._s.execute(stmt)).mappings()]
        total = _page_total(page, len(items))
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


class SqlImportRepository:
    def __init__(self, scope: _TenantScope) -> None:
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
                **_import_values(lead_import),
            )
        )

    async def get(self, import_id: UUID, *, for_update: bool = False) -> LeadImport | None:
        await self._t.ready()
        stmt = select(*_IMPORT_COLUMNS).where(_I.organization_id == self._t.org_id, _I.id == import_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._s.execute(stmt)).mappings().first()
        return None if row is None else _import(row)

    async def csv_text(self, import_id: UUID) -> str | None:
        await self._t.ready()
        text: str | None = await self._s.scalar(
            select(_I.csv_text).where(_I.organization_id == self._t.org_id, _I.id == import_id)
        )
        return text

    async def save(self, lead_import: LeadImport) -> None:
        self._t.check(lead_import.organization_id)
        await self._t.ready()
        values = {k: v for k, v in _import_values(lead_import).items() if k not in ("created_by", "created_at")}
        await self._s.execute(
            update(import_table).where(_I.organization_id == self._t.org_id, _I.id == lead_import.id).values(**values)
        )


class SqlLeadsUnitOfWork:
    """The leads repositories of one tenant on one session: one transaction, committed explicitly."""

    def __init__(self, session: AsyncSession, org_id: UUID, clock: Clock) -> None:
        self.session = session
        self.clock = clock
        self._scope = _TenantScope(session, org_id)
        self._leads = SqlLeadRepository(self._scope, clock)
        self._activities = SqlActivityRepository(self._scope)
        self._imports = SqlImportRepository(self._scope)
        self._events = sql_event_recorder(session, clock)
        self._members = OrganizationMemberDirectory(session)

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

    async def advance_round_robin(self, steps: int) -> int:
        if steps < 0:
            raise ValueError("steps must be zero or more")
        await self._scope.ready()
        table = round_robin_table
        make_insert = pg_insert if _is_postgres(self.session) else sqlite_insert
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
