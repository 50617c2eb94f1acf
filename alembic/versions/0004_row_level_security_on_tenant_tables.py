"""row-level security on tenant tables (PostgreSQL)

The second tenant wall under repository scoping. Policies read transaction-local settings
(`set_config(..., true)`, see nexuscore.platform.database.bind_rls_scope):
- app.current_org: the tenant of the request;
- app.current_user: the signed-in user (sees their own memberships across tenants);
- app.system = 'on': trusted background work (outbox subscribers, purge).
RLS is enabled, not forced: the owner role that runs migrations bypasses it; the application
connects as a role that does not own the tables, so the policies bind it.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SYSTEM = "current_setting('app.system', true) = 'on'"
ORG = "NULLIF(current_setting('app.current_org', true), '')::uuid"
USER = "NULLIF(current_setting('app.current_user', true), '')::uuid"

POLICIES = {
    "organizations_organization": (
        f"{SYSTEM} OR id = {ORG} OR EXISTS (SELECT 1 FROM organizations_membership m "
        f"WHERE m.organization_id = organizations_organization.id AND m.user_id = {USER})",
        f"{SYSTEM} OR id = {ORG}",
    ),
    "organizations_membership": (
        f"{SYSTEM} OR organization_id = {ORG} OR user_id = {USER}",
        f"{SYSTEM} OR organization_id = {ORG}",
    ),
    "organizations_invitation": (
        f"{SYSTEM} OR organization_id = {ORG}",
        f"{SYSTEM} OR organization_id = {ORG}",
    ),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite (embedded default) relies on repository scoping alone
    for table, (using, check) in POLICIES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tenant_isolation ON {table} USING ({using}) WITH CHECK ({check})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in POLICIES:
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
