"""drop 0007's lead search functions: no statement calls them since 0008's tenant view

`leads_search_ids(pattern)` and `leads_tagged_ids(tag)` (SECURITY DEFINER, migration 0007) were
how `q` and `tag` lists reached the GIN indexes under RLS until migration 0008's view
`leads_lead_tenant` took their place (`lead_search.leads_source`). Nothing calls them since:
they stay only as an owner-rights entry point the application role may execute, which is
attack surface with no use. The downgrade recreates them as 0007 made them.

Revision ID: 0016
Revises: 0012
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SEARCHED = ("first_name", "last_name", "email", "company")
# 0007's definitions, for the downgrade: the wall of the policy, applied by the function itself.
_FUNCTION_WALL = (
    "l.organization_id = (SELECT NULLIF(pg_catalog.current_setting('app.current_org', true), '')::uuid) "
    "AND l.archived_at IS NULL"
)


def _functions(schema: str) -> dict[str, tuple[str, str]]:
    """name(signature) -> (its comment, the WHERE condition beside the tenant wall), as in 0007."""
    any_column = " OR ".join(f"l.{column} ILIKE pattern" for column in _SEARCHED)
    return {
        f"{schema}.leads_search_ids(pattern text)": (
            "ids of the active leads of the bound tenant whose first name, last name, email or company "
            "is ILIKE the pattern (escaped by the caller); served by the trigram GIN index",
            f"({any_column})",
        ),
        f"{schema}.leads_tagged_ids(tag text)": (
            "ids of the active leads of the bound tenant carrying the tag; served by the tags GIN index",
            "l.tags @> ARRAY[tag]",
        ),
    }


def _schema() -> str:
    """The schema of the leads tables (where 0006 created them, and 0007 its functions), quoted."""
    bind = op.get_bind()
    name = bind.execute(
        sa.text(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.oid = 'leads_lead'::regclass"
        )
    ).scalar_one()
    return str(bind.dialect.identifier_preparer.quote(name))


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # 0007 created them on PostgreSQL only
    for signature in _functions(_schema()):
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    schema = _schema()
    for signature, (purpose, condition) in _functions(schema).items():
        op.execute(
            f"CREATE FUNCTION {signature} RETURNS SETOF uuid "
            "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp "
            f"AS $$ SELECT l.id FROM {schema}.leads_lead l WHERE {_FUNCTION_WALL} AND {condition} $$"
        )
        comment = purpose.replace("'", "''")
        op.execute(f"COMMENT ON FUNCTION {signature} IS '{comment}'")
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
