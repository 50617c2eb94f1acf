"""events: a (subject, occurred_at) index on the domain-event store

Every single-lead read now asks whether its viewer already viewed that lead today (lead.viewed
coalescing: type, subject, actor, occurred_at since Singapore midnight), and an access
request reads a subject's events in the 12 months before it (subject IN refs, occurred_at
since). Neither could use the store's (organisation, occurred_at) index under row-level
security's OR-ed policy, nor the type index without walking every lead.viewed ever kept;
this one finds a subject's recent events directly.

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_events_domain_event_subject_occurred"


def upgrade() -> None:
    op.create_index(INDEX, "events_domain_event", ["subject", "occurred_at"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="events_domain_event")
