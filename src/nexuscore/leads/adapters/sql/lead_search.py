"""Lead search in SQL: the filter conditions, `q` and tag matching, and the sort order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    DateTime,
    Select,
    Text,
    Uuid,
    and_,
    any_,
    bindparam,
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
from sqlalchemy.sql.elements import BindParameter, UnaryExpression
from sqlalchemy.sql.expression import ColumnClause, FromClause, TableClause
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


@dataclass(frozen=True)
class FilterShape:
    """Which filters a LeadFilter sets, not their values, and on which engine.

    The statements of one shape differ only in their parameters, so a list's page statement is
    built once per shape and sort (`page_statements`): SQLAlchemy then finds its compiled form
    by the cache key it memoised on that object, where a statement built per request cost ~600
    Python calls (~0.23 ms) to construct and key before any SQL ran.
    """

    postgres: bool
    statuses: bool = False
    owner: bool = False
    source_set: bool = False
    tag: bool = False
    terms: int = 0
    created_from: bool = False
    created_to: bool = False
    score_min: bool = False
    follow_up_before: bool = False

    @classmethod
    def of(cls, lead_filter: LeadFilter, *, postgres: bool) -> FilterShape:
        f = lead_filter
        return cls(
            postgres=postgres,
            statuses=bool(f.statuses),
            owner=f.owner_id is not None,
            source_set=f.source is not None,
            tag=f.tag is not None,
            terms=len(_search_terms(f.text)),
            created_from=f.created_from is not None,
            created_to=f.created_to is not None,
            score_min=f.score_min is not None,
            follow_up_before=f.follow_up_before is not None,
        )

    @property
    def searches(self) -> bool:
        return self.tag or self.terms > 0

    @property
    def source(self) -> TableClause:
        """What a list reads: the table, or on PostgreSQL for `q` and `tag` the tenant view.

        Under row-level security PostgreSQL applies the policy before any condition whose
        operator is not LEAKPROOF, so `ILIKE` (trigram GIN index) and `tags @> ARRAY[...]` (GIN
        index) could neither drive a plan nor be checked before the policy: every `q` or `tag`
        list read the tenant's rows one by one. The view applies the policy's wall itself
        (`app.current_org`, active leads) and, read with its owner's rights, leaves the planner
        free: the trigram index for a selective word, the sort's index and a filter for a common one.
        """
        if not self.postgres:
            return lead_table
        return lead_tenant_view if self.searches else lead_list_table


def filter_parameters(lead_filter: LeadFilter, org_id: UUID, *, postgres: bool) -> dict[str, Any]:
    """The values of `conditions`' parameters for this filter (those its shape uses)."""
    f = lead_filter
    params: dict[str, Any] = {
        "org_id": org_id,
        "statuses": sorted(status.value for status in f.statuses),
        "owner_id": f.owner_id,
        "lead_source": None if f.source is None else f.source.value,
        "tag": None if f.tag is None else [f.tag] if postgres else f.tag,
        "created_from": f.created_from,
        "created_to": f.created_to,
        "score_min": f.score_min,
        "follow_up_before": f.follow_up_before,
    }
    params.update({f"term_{i}": _like_pattern(term) for i, term in enumerate(_search_terms(f.text))})
    return params


def _active(source: TableClause, org: Any) -> ColumnElement[bool]:
    return and_(source.c.organization_id == org, source.c.archived_at.is_(None))


def active(scope: TenantScope, source: TableClause = lead_table) -> ColumnElement[bool]:
    """The bound tenant's leads that are not archived."""
    return _active(source, scope.org_id)


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
    sort_field: LeadSortField, descending: bool, source: FromClause = lead_table
) -> tuple[UnaryExpression[Any], UnaryExpression[Any]]:
    name = _SORT_COLUMNS[sort_field].name
    primary = source.c[name].desc() if descending else source.c[name].asc()
    if lead_table.c[name].nullable:
        # NULL sorts as the largest value on both engines (PostgreSQL's own rule), so one
        # ascending index serves both directions: last when ascending, first when descending.
        primary = primary.nulls_first() if descending else primary.nulls_last()
    return primary, (source.c.id.desc() if descending else source.c.id.asc())


def conditions(shape: FilterShape) -> list[ColumnElement[bool]]:
    """The WHERE clauses of GET /leads (and exports) for one filter shape on `shape.source`,
    combined with AND; their values are bound by `filter_parameters`."""
    c = shape.source.c
    where = [_active(shape.source, bindparam("org_id"))]
    if shape.statuses:
        where.append(c.status.in_(bindparam("statuses", expanding=True)))
    if shape.owner:
        where.append(c.owner_id == bindparam("owner_id"))
    if shape.source_set:
        where.append(c.source == bindparam("lead_source"))
    if shape.tag:
        where.append(_has_tag(c, postgres=shape.postgres))  # exact: cleaned as tags are
    for i in range(shape.terms):
        pattern = bindparam(f"term_{i}", type_=Text())  # one `q` word in any searched column
        where.append(or_(*(c[name].ilike(pattern, escape="\\") for name in _SEARCHED_COLUMNS)))
    if shape.created_from:
        where.append(c.created_at >= bindparam("created_from"))
    if shape.created_to:
        where.append(c.created_at <= bindparam("created_to"))
    if shape.score_min:
        where.append(c.score >= bindparam("score_min"))
    if shape.follow_up_before:
        where.append(c.next_follow_up < bindparam("follow_up_before"))
    return where


@lru_cache(maxsize=512)
def page_statements(shape: FilterShape, sort_field: LeadSortField, descending: bool) -> tuple[Select[Any], Select[Any]]:
    """A list page with its capped total (`matches_counted`), and that total alone (for a page
    past the end). Parameters: `filter_parameters`, `count_limit`, `page_limit`, `page_offset`.

    The total rides on the page statement (one round trip): an uncorrelated sub-select, run
    once, counting at most `count_limit` matches, so its cost is bounded whatever the tenant's
    size; past the cap the total is a lower bound.
    """
    source, where = shape.source, conditions(shape)
    page_limit = bindparam("page_limit", type_=BigInteger())
    page_offset = bindparam("page_offset", type_=BigInteger())
    count_limit = bindparam("count_limit", type_=BigInteger())
    if shape.searches:
        return _search_statements(source, where, sort_field, descending, count_limit, page_limit, page_offset)
    sort_order = order(sort_field, descending, source)
    matches = select(source.c.id).where(*where).limit(count_limit).subquery()
    counted = select(func.count()).select_from(matches).scalar_subquery().label("matches_counted")
    page = select(source, counted).where(*where).order_by(*sort_order).limit(page_limit).offset(page_offset)
    return page, select(func.count()).select_from(matches)


def _search_statements(
    source: TableClause,
    where: list[ColumnElement[bool]],
    sort_field: LeadSortField,
    descending: bool,
    count_limit: BindParameter[int],
    page_limit: BindParameter[int],
    page_offset: BindParameter[int],
) -> tuple[Select[Any], Select[Any]]:
    """`q` and `tag`: one walk of the matches serves both the page and its total.

    A match is found by testing rows (every searched column's ILIKE, the tag), so the walk is
    the work. The first `count_limit` matches in the page's order (the page lies within them:
    `count_cap`) are kept as (id, sort key) and counted; the page's ids are cut from them and
    its rows read by primary key. Before, the total and the page each walked the sort's index,
    testing the same leading rows twice. In the page's order, so the walk stops at the cap:
    unordered, a tag's total came from the GIN bitmap of every tagged lead of the tenant.
    """
    sort_order = order(sort_field, descending, source)
    first = (
        select(source.c.id, source.c[_SORT_COLUMNS[sort_field].name])
        .where(*where)
        .order_by(*sort_order)
        .limit(count_limit)
        .cte("first_matches")
    )
    counted = select(func.count()).select_from(first).scalar_subquery().label("matches_counted")
    page_ids = (
        select(first.c.id)
        .order_by(*order(sort_field, descending, first))
        .limit(page_limit)
        .offset(page_offset)
        .subquery("page_ids")
    )
    page = select(source, counted).join(page_ids, source.c.id == page_ids.c.id).order_by(*sort_order)
    return page, select(func.count()).select_from(first)


def _has_tag(c: ReadOnlyColumnCollection[str, Any], *, postgres: bool) -> ColumnElement[bool]:
    if postgres:  # GIN-indexed containment
        return c.tags.op("@>", is_comparison=True)(bindparam("tag", type_=ARRAY(Text())))
    each = func.json_each(c.tags).table_valued("value")
    return exists(select(literal(1)).select_from(each).where(each.c.value == bindparam("tag", type_=Text())))


async def count_active_leads(scope: TenantScope) -> int:
    """The leads a plan's limit counts (archived ones do not)."""
    await scope.ready()
    return int(await scope.session.scalar(select(func.count()).select_from(lead_table).where(active(scope))) or 0)
