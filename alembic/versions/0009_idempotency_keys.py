"""platform: idempotency keys (the Idempotency-Key header on POSTs under /api/v1)

One row per (caller, method, path, key), looked up by the sha256 of the four. Not a tenant
table (the scope is the caller), so no row-level security. `expires_at` is indexed for the
hourly purge. Numbered 0009 to follow the subscriptions branch's 0008; until it lands it
follows 0007.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 23:55:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)
JSONB = (
    sa.JSON()
    .with_variant(postgresql.JSONB(astext_type=sa.Text()), "cockroachdb")
    .with_variant(advanced_alchemy.types.json.ORA_JSONB(), "oracle")
    .with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
)


def upgrade() -> None:
    op.create_table(
        "platform_idempotency_key",
        sa.Column("lookup", sa.String(length=64), nullable=False),
        sa.Column("caller", sa.String(length=128), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempt", sa.String(length=32), nullable=False),
        sa.Column("locked_at", TS, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_headers", JSONB, nullable=True),
        sa.Column("response_body", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("lookup", name=op.f("pk_platform_idempotency_key")),
    )
    op.create_index(
        op.f("ix_platform_idempotency_key_expires_at"), "platform_idempotency_key", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_platform_idempotency_key_expires_at"), table_name="platform_idempotency_key")
    op.drop_table("platform_idempotency_key")
