"""Lead search in SQL: the filter conditions, `q` and tag matching, and the sort order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, any_, exists, func, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import UnaryExpression

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
_SEARCHED_COLUMNS = (_L.first_name, _L.last_name, _L.email, _L.company)


def active(scope: TenantScope) -> ColumnElement[bool]:
    """The bound tenant's leads that are not archived."""
    return and_(_L.organization_id == scope.org_id, _L.archived_at.is_(None))


def any_of(session: AsyncSession, column: ColumnElement[Any], values: Sequence[str]) -> ColumnElement[bool]:
    # One array parameter on PostgreSQL (the same statement whatever the batch size).
    if is_postgres(session):
        return column == any_(literal(list(values), ARRAY(Text())))
    return column.in_(values)


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _search_terms(text: str | None) -> list[str]:
    return (text or "").split()[:MAX_SEARCH_TERMS]


def order(field: LeadSortField, descending: bool) -> tuple[UnaryExpression[Any], UnaryExpression[Any]]:
    column = _SORT_COLUMNS[field]
    primary = column.desc() if descending else column.asc()
    if column.nullable:
        # NULL sorts as the largest value on both engines (PostgreSQL's own rule), so one
        # ascending index serves both directions: last when ascending, first when descending.
        primary = primary.nulls_first() if descending else primary.nulls_last()
    return primary, (_L.id.desc() if descending else _L.id.asc())


def conditions(scope: TenantScope, lead_filter: LeadFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses of GET /leads (and exports) for one filter, combined with AND."""
    f, postgres = lead_filter, is_postgres(scope.session)
    where = [active(scope)]
    if f.statuses:
        where.append(_L.status.in_(sorted(status.value for status in f.statuses)))
    if f.owner_id is not None:
        where.append(_L.owner_id == f.owner_id)
    if f.source is not None:
        where.append(_L.source == f.source.value)
    if f.tag is not None:
        where.append(_has_tag(f.tag, postgres=postgres))  # exact: the use case cleans it as tags are cleaned
    for term in _search_terms(f.text):
        where.append(_matches(_like_pattern(term), postgres=postgres))
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


def _matches(pattern: str, *, postgres: bool) -> ColumnElement[bool]:
    """One `q` word (as an escaped LIKE pattern) in any searched column."""
    if postgres:
        return _L.id.in_(select(func.leads_search_ids(pattern).column_valued("lead_id")))
    return or_(*(column.ilike(pattern, escape="\\") for column in _SEARCHED_COLUMNS))


def _has_tag(tag: str, *, postgres: bool) -> ColumnElement[bool]:
    if postgres:
        return _L.id.in_(select(func.leads_tagged_ids(tag).column_valued("lead_id")))
    each = func.json_each(_L.tags).table_valued("value")
    return exists(select(literal(1)).select_from(each).where(each.c.value == tag))
