"""privacy: data subject requests, their per-provider steps, access bundles, the suppression
list (+ row-level security)

A user's request about their account has no organisation: only the system scope sees it. A
lead's request, its steps and bundle are tenant rows with the `tenant_isolation` policy in
0007's form. The suppression list is the tenant's (or `platform` for erased accounts).

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
# The lead re-chains this at merge (0013-0016 are other branches' migrations).
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GUID = advanced_alchemy.types.guid.GUID(length=16)
_UTC = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)
_JSON = (
    sa.JSON()
    .with_variant(postgresql.JSONB(astext_type=sa.Text()), "cockroachdb")
    .with_variant(advanced_alchemy.types.json.ORA_JSONB(), "oracle")
    .with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
)
TENANT_TABLES = ("privacy_request", "privacy_request_step", "privacy_bundle", "privacy_suppression")
RLS_RULE = (
    "(SELECT current_setting('app.system', true)) = 'on' "
    "OR organization_id = (SELECT NULLIF(current_setting('app.current_org', true), '')::uuid)"
)


def upgrade() -> None:
    op.create_table(
        "privacy_request",
        sa.Column("id", _GUID, nullable=False),
        sa.Column("organization_id", _GUID, nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject_kind", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("received_via", sa.String(length=20), nullable=False),
        sa.Column("received_at", _UTC, nullable=False),
        sa.Column("due_at", _UTC, nullable=False),
        sa.Column("user_id", _GUID, nullable=True),
        sa.Column("lead_id", _GUID, nullable=True),
        sa.Column("subject_email", sa.String(length=254), nullable=True),
        sa.Column("subject_phone", sa.String(length=80), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("extended_days", sa.Integer(), nullable=False),
        sa.Column("history", _JSON, nullable=False),
        sa.Column("verification_digest", sa.String(length=64), nullable=True),
        sa.Column("verification_expires_at", _UTC, nullable=True),
        sa.Column("verification_attempts_left", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("completed_at", _UTC, nullable=True),
        sa.Column("erased", sa.Boolean(), nullable=False),
        sa.Column("created_by", _GUID, nullable=True),
        sa.Column("lead_ids", _JSON, nullable=False),
        sa.Column("subject_names", _JSON, nullable=False),
        sa.Column("subject_emails", _JSON, nullable=False),
        sa.Column("subject_phones", _JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_request")),
    )
    with op.batch_alter_table("privacy_request", schema=None) as batch_op:
        batch_op.create_index("ix_privacy_request_org_due", ["organization_id", "due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_privacy_request_user_id"), ["user_id"], unique=False)

    op.create_table(
        "privacy_request_step",
        sa.Column("request_id", _GUID, nullable=False),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("organization_id", _GUID, nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("result", _JSON, nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("finished_at", _UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["privacy_request.id"],
            name=op.f("fk_privacy_request_step_request_id_privacy_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", "provider", name=op.f("pk_privacy_request_step")),
    )
    op.create_table(
        "privacy_bundle",
        sa.Column("id", _GUID, nullable=False),
        sa.Column("request_id", _GUID, nullable=False),
        sa.Column("organization_id", _GUID, nullable=True),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("expires_at", _UTC, nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["privacy_request.id"],
            name=op.f("fk_privacy_bundle_request_id_privacy_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_bundle")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_privacy_bundle_token_digest")),
    )
    with op.batch_alter_table("privacy_bundle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_privacy_bundle_request_id"), ["request_id"], unique=False)

    op.create_table(
        "privacy_suppression",
        sa.Column("digest", sa.String(length=80), nullable=False),
        sa.Column("scope", sa.String(length=36), nullable=False),
        sa.Column("organization_id", _GUID, nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("request_id", _GUID, nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.PrimaryKeyConstraint("digest", "scope", name=op.f("pk_privacy_suppression")),
    )
    if op.get_bind().dialect.name == "postgresql":
        for table in TENANT_TABLES:
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY tenant_isolation ON {table} USING ({RLS_RULE}) WITH CHECK ({RLS_RULE})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TENANT_TABLES:
            op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.drop_table("privacy_suppression")
    with op.batch_alter_table("privacy_bundle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_privacy_bundle_request_id"))
    op.drop_table("privacy_bundle")
    op.drop_table("privacy_request_step")
    with op.batch_alter_table("privacy_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_privacy_request_user_id"))
        batch_op.drop_index("ix_privacy_request_org_due")
    op.drop_table("privacy_request")
