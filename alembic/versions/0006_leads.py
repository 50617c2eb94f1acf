"""leads: leads, activities, CSV imports, round-robin counters (+ row-level security)

Tables of the leads context. GET /leads indexes lead with organization_id and are partial on
`archived_at IS NULL`; `q` is served by one pg_trgm GIN index over the four searched columns;
partial unique indexes keep one active lead per email and per phone in a tenant. Row-level
security as in 0004: a tenant's rows in its own scope (`app.current_org`) or to the system.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 22:34:58.707487+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GUID = advanced_alchemy.types.guid.GUID(length=16)
TS = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)
JSONB = (
    sa.JSON()
    .with_variant(postgresql.JSONB(astext_type=sa.Text()), "cockroachdb")
    .with_variant(advanced_alchemy.types.json.ORA_JSONB(), "oracle")
    .with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
)
ACTIVE = sa.text("archived_at IS NULL")
TRGM_COLUMNS = ("first_name", "last_name", "email", "company")

TABLES = ("leads_lead", "leads_activity", "leads_import", "leads_round_robin")
RLS_RULE = (
    "current_setting('app.system', true) = 'on' "
    "OR organization_id = NULLIF(current_setting('app.current_org', true), '')::uuid"
)


def _active_index(batch_op: BatchOperations, name: str, columns: list[str], **kwargs: object) -> None:
    batch_op.create_index(name, columns, unique=False, postgresql_where=ACTIVE, sqlite_where=ACTIVE, **kwargs)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        # Trigram operator classes for `q`, and btree_gin so GIN indexes can lead with the tenant.
        # Both are trusted extensions: a database owner may create them without superuser.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")

    op.create_table(
        "leads_lead",
        sa.Column("id", GUID, nullable=False),
        sa.Column("organization_id", GUID, nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("company", sa.String(length=200), nullable=True),
        sa.Column("company_uen", sa.String(length=10), nullable=True),
        sa.Column("job_title", sa.String(length=200), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("lost_reason", sa.String(length=500), nullable=True),
        sa.Column("owner_id", GUID, nullable=True),
        sa.Column("tags", postgresql.ARRAY(sa.Text()).with_variant(sa.JSON(), "sqlite"), nullable=False),
        sa.Column("estimated_value_minor", sa.BigInteger(), nullable=True),
        sa.Column("estimated_value_currency", sa.CHAR(length=3), nullable=True),
        sa.Column("next_follow_up", sa.Date(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("score_reasons", JSONB, nullable=False),
        sa.Column("marketing_consent_granted", sa.Boolean(), nullable=True),
        sa.Column("marketing_consent_recorded_at", TS, nullable=True),
        sa.Column("marketing_consent_source", sa.String(length=100), nullable=True),
        sa.Column("dnc_status", sa.String(length=10), nullable=False),
        sa.Column("dnc_checked_at", sa.Date(), nullable=True),
        sa.Column("created_by", GUID, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_by", GUID, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("archived_at", TS, nullable=True),
        sa.Column("merged_into_id", GUID, nullable=True),
        sa.CheckConstraint(
            "(estimated_value_minor IS NULL) = (estimated_value_currency IS NULL)",
            name=op.f("ck_leads_lead_estimated_value_pair"),
        ),
        sa.CheckConstraint(
            "(marketing_consent_granted IS NULL) = (marketing_consent_recorded_at IS NULL) "
            "AND (marketing_consent_granted IS NULL) = (marketing_consent_source IS NULL)",
            name=op.f("ck_leads_lead_marketing_consent_whole"),
        ),
        sa.CheckConstraint("score BETWEEN 0 AND 100", name=op.f("ck_leads_lead_score_range")),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["leads_lead.id"],
            name=op.f("fk_leads_lead_merged_into_id_leads_lead"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads_lead")),
    )
    with op.batch_alter_table("leads_lead", schema=None) as batch_op:
        for column in ("email", "phone"):
            where = sa.text(f"archived_at IS NULL AND {column} IS NOT NULL")
            batch_op.create_index(
                f"uq_leads_lead_active_{column}",
                ["organization_id", column],
                unique=True,
                postgresql_where=where,
                sqlite_where=where,
            )
        for name, column in (
            ("created_at", "created_at"),
            ("updated_at", "updated_at"),
            ("score", "score"),
            ("last_name", "last_name"),
            ("company", "company"),
            ("next_follow_up", "next_follow_up"),
            ("estimated_value", "estimated_value_minor"),
            ("status", "status"),
        ):
            _active_index(batch_op, f"ix_leads_lead_{name}", ["organization_id", column, "id"])
        _active_index(batch_op, "ix_leads_lead_owner", ["organization_id", "owner_id", "created_at"])
        _active_index(batch_op, "ix_leads_lead_source", ["organization_id", "source", "created_at"])
        _active_index(batch_op, "ix_leads_lead_tags", ["organization_id", "tags"], postgresql_using="gin")
        _active_index(
            batch_op,
            "ix_leads_lead_search_trgm",
            ["organization_id", *TRGM_COLUMNS],
            postgresql_using="gin",
            postgresql_ops=dict.fromkeys(TRGM_COLUMNS, "gin_trgm_ops"),
        )
        batch_op.create_index("ix_leads_lead_organization_id", ["organization_id", "id"], unique=False)
        merged = sa.text("merged_into_id IS NOT NULL")
        batch_op.create_index(
            "ix_leads_lead_merged_into_id",
            ["merged_into_id"],
            unique=False,
            postgresql_where=merged,
            sqlite_where=merged,
        )

    op.create_table(
        "leads_activity",
        sa.Column("id", GUID, nullable=False),
        sa.Column("organization_id", GUID, nullable=False),
        sa.Column("lead_id", GUID, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("occurred_at", TS, nullable=False),
        sa.Column("created_by", GUID, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("details", JSONB, nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads_lead.id"], name=op.f("fk_leads_activity_lead_id_leads_lead"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads_activity")),
    )
    with op.batch_alter_table("leads_activity", schema=None) as batch_op:
        batch_op.create_index("ix_leads_activity_lead_timeline", ["lead_id", "occurred_at", "id"], unique=False)
        batch_op.create_index("ix_leads_activity_organization_id", ["organization_id"], unique=False)

    op.create_table(
        "leads_import",
        sa.Column("id", GUID, nullable=False),
        sa.Column("organization_id", GUID, nullable=False),
        sa.Column("created_by", GUID, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("total_rows", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("processed_rows", sa.Integer(), nullable=False),
        sa.Column("created_count", sa.Integer(), nullable=False),
        sa.Column("duplicate_count", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("errors", JSONB, nullable=False),
        sa.Column("started_at", TS, nullable=True),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.Column("csv_text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads_import")),
    )
    with op.batch_alter_table("leads_import", schema=None) as batch_op:
        batch_op.create_index("ix_leads_import_org_created", ["organization_id", "created_at"], unique=False)

    op.create_table(
        "leads_round_robin",
        sa.Column("organization_id", GUID, nullable=False),
        sa.Column("counter", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("organization_id", name=op.f("pk_leads_round_robin")),
    )

    if postgres:  # SQLite (embedded default) relies on repository scoping alone
        for table in TABLES:
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY tenant_isolation ON {table} USING ({RLS_RULE}) WITH CHECK ({RLS_RULE})")


def downgrade() -> None:
    # Dropping a table drops its indexes and policies. The extensions stay: others may use them.
    for table in reversed(TABLES):
        op.drop_table(table)
