"""events: the consumer records a dispatch; the relay redelivers what none recorded in time

`published_at` only said the relay handed an event to Redis; a Redis restarted empty lost
what it held and nothing sent it again (issue 17, row 4). `dispatched_at` is set by the
consumer once every subscriber ran; `redeliveries` counts the relay's re-publishes of events
published over OUTBOX_REDELIVER_SECONDS ago with no dispatch recorded (capped). Events
published before this migration are taken as dispatched (their `published_at`), so the
upgrade re-sends nothing.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNDISPATCHED = "published_at IS NOT NULL AND dispatched_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("events_domain_event") as batch:
        batch.add_column(sa.Column("dispatched_at", advanced_alchemy.types.DateTimeUTC(timezone=True), nullable=True))
        batch.add_column(sa.Column("redeliveries", sa.SmallInteger(), server_default=sa.text("0"), nullable=False))
    op.execute("UPDATE events_domain_event SET dispatched_at = published_at WHERE published_at IS NOT NULL")
    op.create_index(
        "ix_events_domain_event_undispatched",
        "events_domain_event",
        ["published_at"],
        unique=False,
        postgresql_where=sa.text(UNDISPATCHED),
        sqlite_where=sa.text(UNDISPATCHED),
    )


def downgrade() -> None:
    op.drop_index("ix_events_domain_event_undispatched", table_name="events_domain_event")
    with op.batch_alter_table("events_domain_event") as batch:
        batch.drop_column("redeliveries")
        batch.drop_column("dispatched_at")
