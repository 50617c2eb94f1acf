"""leads: an (organisation, owner, follow-up) index; drop 0007's unused search functions

1. `ix_leads_lead_owner_follow_up` (organization_id, owner_id, next_follow_up, id), active leads
   only: "a member's leads by next follow-up" (ownerId + sort=nextFollowUp, a tag or other
   filter on top) walks that member's leads in order and stops after the page (and the capped
   total after its window), whatever the tenant's size. Before, the page walked every owner's
   leads in follow-up order (4x the rows) and the total read the GIN bitmap of every lead with
   the tag, which grows with the tenant (issue 16's 10k -> 1M curve).

2. `leads_search_ids(pattern)` and `leads_tagged_ids(tag)` (SECURITY DEFINER, migration 0007)
   were how `q` and `tag` lists reached the GIN indexes under RLS until migration 0008's view
   `leads_lead_tenant` took their place (`lead_search.leads_source`). Nothing calls them since
   (grep): they stay only as an owner-rights entry point the application role may execute,
   attack surface with no use. The downgrade recreates them as 0007 made them.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
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


_INDEX = "ix_leads_lead_owner_follow_up"
_ACTIVE = sa.text("archived_at IS NULL")


def upgrade() -> None:
    op.create_index(
        _INDEX,
        "leads_lead",
        ["organization_id", "owner_id", "next_follow_up", "id"],
        postgresql_where=_ACTIVE,
        sqlite_where=_ACTIVE,
    )
    if op.get_bind().dialect.name != "postgresql":
        return  # 0007 created the functions on PostgreSQL only
    for signature in _functions(_schema()):
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")


def downgrade() -> None:
    op.drop_index(_INDEX, table_name="leads_lead")
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
