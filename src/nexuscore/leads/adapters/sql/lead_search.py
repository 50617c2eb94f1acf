"""Lead search in SQL: the filter conditions, `q` and tag matching, and the sort order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import (
    Column,
    ColumnElement,
    DateTime,
    Text,
    Uuid,
    and_,
    any_,
    column,
    exists,
    func,
    literal,
    or_,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.base import ReadOnlyColumnCollection
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.expression import ColumnClause, TableClause
from sqlalchemy.sql.sqltypes import NullType
from sqlalchemy.sql.type_api import TypeEngine

from nexuscore.leads.adapters.sql.scope import TenantScope, is_postgres
from nexuscore.leads.adapters.sql.tables import lead_table
from nexuscore.leads.ports.repositories import LeadFilter, LeadSortField

MAX_SEARCH_TERMS = 5  # `q` words; each must match one of the searched columns

_L = lead_table.c

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
_SEARCHED_COLUMNS = ("first_name", "last_name", "email", "company")


def _driver_type(col: Column[Any]) -> TypeEngine[Any]:
    # GUID and DateTimeUTC convert each value read (~15 Python calls a row, 50 rows a page):
    # asyncpg already returns what they make (its uuid.UUID subclass, timezone-aware UTC
    # datetimes), so on PostgreSQL the lists read those columns as SQLAlchemy's own Uuid and
    # DateTime(timezone=True), which on asyncpg convert nothing and still type the parameters
    # compared with them (`::UUID`, `::TIMESTAMP WITH TIME ZONE`). text[] is read untyped
    # (asyncpg returns a list of str); the tag filter names its operator (_has_tag).
    if isinstance(col.type, GUID):
        return Uuid()
    if isinstance(col.type, DateTimeUTC):
        return DateTime(timezone=True)
    return NullType() if col.name == "tags" else col.type


def tenant_view_columns() -> list[ColumnClause[Any]]:
    return [column(c.name, _driver_type(c)) for c in lead_table.c]


# Migration 0008's read-only view: the bound tenant's active leads, read with its owner's rights.
lead_tenant_view = table("leads_lead_tenant", *tenant_view_columns())
# The same table as lists read it on PostgreSQL (see _driver_type); SQLite needs the typed one.
lead_list_table = table("leads_lead", *tenant_view_columns())


def leads_source(scope: TenantScope, lead_filter: LeadFilter) -> TableClause:
    """What a list reads: the table, or on PostgreSQL for `q` and `tag` the tenant view.

    Under row-level security PostgreSQL applies the policy before any condition whose operator
    is not LEAKPROOF, so `ILIKE` (trigram GIN index) and `tags @> ARRAY[...]` (GIN index) could
    neither drive a plan nor be checked before the policy: every `q` or `tag` list read the
    tenant's rows one by one. The view applies the policy's wall itself (`app.current_org`,
    active leads) and, read with its owner's rights, leaves the planner free: the trigram index
    for a selective word, the sort's index and a filter for a common one.
    """
    f = lead_filter
    if not is_postgres(scope.session):
        return lead_table
    return lead_tenant_view if f.text or f.tag else lead_list_table


def active(scope: TenantScope, source: TableClause = lead_table) -> ColumnElement[bool]:
    """The bound tenant's leads that are not archived."""
    return and_(source.c.organization_id == scope.org_id, source.c.archived_at.is_(None))


def any_of(session: AsyncSession, col: ColumnElement[Any], values: Sequence[str]) -> ColumnElement[bool]:
    # One array parameter on PostgreSQL (the same statement whatever the batch size).
    if is_postgres(session):
        return col == any_(literal(list(values), ARRAY(Text())))
    return col.in_(values)


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _search_terms(text: str | None) -> list[str]:
    return (text or "").split()[:MAX_SEARCH_TERMS]


def order(
    sort_field: LeadSortField, descending: bool, source: TableClause = lead_table
) -> tuple[UnaryExpression[Any], UnaryExpression[Any]]:
    name = _SORT_COLUMNS[sort_field].name
    primary = source.c[name].desc() if descending else source.c[name].asc()
    if lead_table.c[name].nullable:
        # NULL sorts as the largest value on both engines (PostgreSQL's own rule), so one
        # ascending index serves both directions: last when ascending, first when descending.
        primary = primary.nulls_first() if descending else primary.nulls_last()
    return primary, (source.c.id.desc() if descending else source.c.id.asc())


def conditions(
    scope: TenantScope, lead_filter: LeadFilter, source: TableClause = lead_table
) -> list[ColumnElement[bool]]:
    """The WHERE clauses of GET /leads (and exports) for one filter on `source`, combined with AND."""
    f, c = lead_filter, source.c
    where = [active(scope, source)]
    if f.statuses:
        where.append(c.status.in_(sorted(status.value for status in f.statuses)))
    if f.owner_id is not None:
        where.append(c.owner_id == f.owner_id)
    if f.source is not None:
        where.append(c.source == f.source.value)
    if f.tag is not None:
        where.append(_has_tag(c, f.tag, postgres=is_postgres(scope.session)))  # exact: cleaned as tags are
    for term in _search_terms(f.text):
        pattern = _like_pattern(term)  # one `q` word in any searched column
        where.append(or_(*(c[name].ilike(pattern, escape="\\") for name in _SEARCHED_COLUMNS)))
    if f.created_from is not None:
        where.append(c.created_at >= f.created_from)
    if f.created_to is not None:
        where.append(c.created_at <= f.created_to)
    if f.score_min is not None:
        where.append(c.score >= f.score_min)
    if f.follow_up_before is not None:
        where.append(c.next_follow_up < f.follow_up_before)
    return where


def _has_tag(c: ReadOnlyColumnCollection[str, Any], tag: str, *, postgres: bool) -> ColumnElement[bool]:
    if postgres:
        return c.tags.op("@>", is_comparison=True)(literal([tag], ARRAY(Text())))  # GIN-indexed containment
    each = func.json_each(c.tags).table_valued("value")
    return exists(select(literal(1)).select_from(each).where(each.c.value == tag))


async def count_active_leads(scope: TenantScope) -> int:
    """The leads a plan's limit counts (archived ones do not)."""
    await scope.ready()
    return int(await scope.session.scalar(select(func.count()).select_from(lead_table).where(active(scope))) or 0)
