"""webhook inbox

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 23:40:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision: str = "0012"
# The lead re-chains this at merge (0008 and 0009 are other branches' migrations).
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GUID = advanced_alchemy.types.guid.GUID(length=16)
_UTC = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)
_UNFINISHED = "status IN ('received', 'processing', 'failed')"


def upgrade() -> None:
    op.create_table(
        "webhooks_inbox_event",
        sa.Column("id", _GUID, nullable=False),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("livemode", sa.Boolean(), nullable=False),
        sa.Column("created", _UTC, nullable=False),
        sa.Column("api_version", sa.String(length=40), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("received_at", _UTC, nullable=False),
        sa.Column("next_attempt_at", _UTC, nullable=True),
        sa.Column("claimed_at", _UTC, nullable=True),
        sa.Column("claim_token", _GUID, nullable=True),
        sa.Column("processed_at", _UTC, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks_inbox_event")),
        sa.UniqueConstraint("provider", "event_id", name="uq_webhooks_inbox_event_provider_event_id"),
    )
    with op.batch_alter_table("webhooks_inbox_event", schema=None) as batch_op:
        batch_op.create_index("ix_webhooks_inbox_event_received_at", ["received_at"], unique=False)
        batch_op.create_index("ix_webhooks_inbox_event_status_type", ["status", "type"], unique=False)
        batch_op.create_index(
            "ix_webhooks_inbox_event_unfinished",
            ["status", "next_attempt_at"],
            unique=False,
            postgresql_where=sa.text(_UNFINISHED),
            sqlite_where=sa.text(_UNFINISHED),
        )
    op.create_table(
        "webhooks_attempt",
        sa.Column("id", _GUID, nullable=False),
        sa.Column("inbox_id", _GUID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("started_at", _UTC, nullable=False),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["inbox_id"],
            ["webhooks_inbox_event.id"],
            name=op.f("fk_webhooks_attempt_inbox_id_webhooks_inbox_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks_attempt")),
        sa.UniqueConstraint("inbox_id", "number", name="uq_webhooks_attempt_inbox_id_number"),
    )
    op.create_table(
        "webhooks_replay_job",
        sa.Column("id", _GUID, nullable=False),
        sa.Column("status_filter", sa.String(length=20), nullable=False),
        sa.Column("type_filter", sa.String(length=100), nullable=True),
        sa.Column("since", _UTC, nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("replayed", sa.Integer(), nullable=False),
        sa.Column("cursor", _GUID, nullable=True),
        sa.Column("requested_by", _GUID, nullable=True),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("finished_at", _UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks_replay_job")),
    )


def downgrade() -> None:
    op.drop_table("webhooks_replay_job")
    op.drop_table("webhooks_attempt")
    with op.batch_alter_table("webhooks_inbox_event", schema=None) as batch_op:
        batch_op.drop_index("ix_webhooks_inbox_event_unfinished")
        batch_op.drop_index("ix_webhooks_inbox_event_status_type")
        batch_op.drop_index("ix_webhooks_inbox_event_received_at")
    op.drop_table("webhooks_inbox_event")
