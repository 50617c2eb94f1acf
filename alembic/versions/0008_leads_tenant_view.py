"""leads: a read-only view of the bound tenant's active leads, for `q` and `tag` lists (PostgreSQL)

`leads_lead_tenant` replaces the search functions of 0007 in GET /leads and exports. Under
row-level security PostgreSQL applies the policy before any condition whose operator is not
LEAKPROOF (`ILIKE`, `@>` on arrays), so those conditions can neither be index conditions nor
filter rows the policy has not passed. 0007's SECURITY DEFINER functions reached the GIN
indexes but returned every matching id, which the list then fetched again one by one under
the policy (8,766 index probes for `q=tan` at 100,000 leads, ~50 ms) and could not stop early
at the page's LIMIT.

A view reads its tables with its owner's rights; the owner (who runs the migrations, is not
bound by the policies and does not FORCE them) sees no policy, so the planner is free: the
trigram or tags index for a selective condition, the sort's index and a filter for a common
one (a newest-first page of `q=tan` reads ~500 rows). The view applies the policy's wall
itself: only leads of the tenant in `app.current_org` (nothing when none is bound, also in
system scope) that are not archived. It joins a one-row sub-select for the setting, which
also makes it not automatically updatable: the application role, granted INSERT, UPDATE and
DELETE on all tables (views included), cannot write through it. Queries add their own tenant
condition on top, as on the table.

It lists the columns of leads_lead as they are now: a migration that adds or drops a column of
leads_lead must recreate it (tests/integration/leads checks the two agree).

The 0007 functions stay (no caller in the application any more); nothing here is part of the
SQLAlchemy metadata. SQLite has neither RLS nor views here and keeps its direct conditions.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VIEW = "leads_lead_tenant"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"CREATE VIEW {VIEW} AS SELECT l.* FROM leads_lead l, "
        "(SELECT NULLIF(pg_catalog.current_setting('app.current_org', true), '')::uuid AS org) bound "
        "WHERE l.organization_id = bound.org AND l.archived_at IS NULL"
    )
    op.execute(
        f"COMMENT ON VIEW {VIEW} IS 'active leads of the tenant bound in app.current_org, read with the "
        "owner''s rights so the trigram and tags indexes serve q and tag lists; read only'"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP VIEW IF EXISTS {VIEW}")
