"""row-level security: settings read once per query; tenant-bound lead search functions (PostgreSQL)

1. Every policy of 0004, 0005 and 0006 is dropped and recreated with the same logic, each
   `current_setting(...)` expression wrapped in a scalar sub-select. PostgreSQL then evaluates
   it once per query (an InitPlan) instead of once per row: a full count of 100,000 leads
   went from ~110 ms to ~27 ms as the application role.

2. `leads_search_ids(pattern)` and `leads_tagged_ids(tag)`: under RLS PostgreSQL applies the
   policy before any condition whose operator is not LEAKPROOF, so `ILIKE` (trigram GIN index)
   and `tags @> ARRAY[...]` (GIN index) cannot be index conditions for the application role and
   every `q` or `tag` list read the tenant's whole table. These SECURITY DEFINER functions run
   the same conditions as the migrating (owner) role, whom RLS does not bind, so the GIN indexes
   serve them; they apply the policy's wall themselves: only active leads of the tenant bound in
   `app.current_org`, nothing when none is bound (also in system scope). The repository uses
   them as `id IN (SELECT leads_search_ids(:pattern))`; the pattern is a LIKE pattern the
   caller has already escaped (`\\` is the escape character, PostgreSQL's default).
   `search_path` is pinned to pg_catalog (then pg_temp) and the table schema-qualified, so no
   object another role creates can be called with the owner's rights. EXECUTE is revoked from
   PUBLIC: the functions bypass table privileges, so any role that may connect would otherwise
   get an id (and pattern-probing) oracle over every tenant's leads. The application role is
   granted EXECUTE with its other grants after each migration (`GRANT EXECUTE ON ALL FUNCTIONS
   IN SCHEMA public TO <app role>`, see README and tests/conftest.py).

Nothing here is part of the SQLAlchemy metadata (policies, functions): the drift check is
unaffected. SQLite has no RLS and keeps its direct conditions.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SYSTEM = "current_setting('app.system', true)"
_ORG = "NULLIF(current_setting('app.current_org', true), '')::uuid"
_USER = "NULLIF(current_setting('app.current_user', true), '')::uuid"
LEADS_TABLES = ("leads_lead", "leads_activity", "leads_import", "leads_round_robin")


def policies(*, once: bool) -> dict[str, tuple[str, str]]:
    """table -> (USING, WITH CHECK) of its `tenant_isolation` policy: the definitions of 0004,
    0005 and 0006 (`once=False`, for the downgrade) or the same with every setting read in a
    scalar sub-select (`once=True`)."""
    system, org, user = (f"(SELECT {x})" if once else x for x in (_SYSTEM, _ORG, _USER))
    system = f"{system} = 'on'"
    tenant = f"{system} OR organization_id = {org}"
    rules = {
        # 0004
        "organizations_organization": (
            f"{system} OR id = {org} OR EXISTS (SELECT 1 FROM organizations_membership m "
            f"WHERE m.organization_id = organizations_organization.id AND m.user_id = {user})",
            f"{system} OR id = {org}",
        ),
        "organizations_membership": (f"{tenant} OR user_id = {user}", tenant),
        "organizations_invitation": (tenant, tenant),
        # 0005: platform-wide events (no organisation) stay readable
        "events_domain_event": (f"organization_id IS NULL OR {tenant}",) * 2,
    }
    # 0006
    return rules | {table: (tenant, tenant) for table in LEADS_TABLES}


# The wall of the policy, applied by the functions themselves (they bypass RLS as the owner).
# The setting is read in a sub-select here too: once per call, not once per rechecked row.
_FUNCTION_WALL = (
    "l.organization_id = (SELECT NULLIF(pg_catalog.current_setting('app.current_org', true), '')::uuid) "
    "AND l.archived_at IS NULL"
)
_SEARCHED = ("first_name", "last_name", "email", "company")


def _functions(schema: str) -> dict[str, tuple[str, str]]:
    """name(signature) -> (what it is for, the WHERE condition beside the tenant wall)."""
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
    """The schema of the leads tables (where 0006 created them), quoted."""
    bind = op.get_bind()
    name = bind.execute(
        sa.text(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.oid = 'leads_lead'::regclass"
        )
    ).scalar_one()
    return str(bind.dialect.identifier_preparer.quote(name))


def _replace_policies(*, once: bool) -> None:
    for table, (using, check) in policies(once=once).items():
        op.execute(f"DROP POLICY tenant_isolation ON {table}")
        op.execute(f"CREATE POLICY tenant_isolation ON {table} USING ({using}) WITH CHECK ({check})")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite (embedded default) relies on repository scoping alone
    _replace_policies(once=True)
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


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for signature in _functions(_schema()):
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    _replace_policies(once=False)
