"""leads: two sort indexes carry the column their usual second filter tests (PostgreSQL INCLUDE)

A list's capped total walks a sort or filter index until it has counted its window, testing
every other filter on the row. Where that filter's column was not in the index, each entry
read cost a heap fetch; with it included, PostgreSQL tests it on the index entry (an index-only
scan on a vacuumed table), and the count stops after the window as before:

- `ix_leads_lead_score` + INCLUDE (created_at): `scoreMin` with `createdFrom`/`createdTo`
  (issue 16's "hot recent leads by value": the count read 13.5k rows to find 1,001).
- `ix_leads_lead_owner_follow_up` + INCLUDE (tags): "my leads by follow-up" with a `tag`
  (the count fetched 2,641 rows to find 201).

The key columns are unchanged, so every sort these indexes serve is served as before. SQLite
has no INCLUDE: there the indexes are recreated as they were.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACTIVE = sa.text("archived_at IS NULL")
# name -> (key columns, included columns)
_INDEXES = {
    "ix_leads_lead_score": (["organization_id", "score", "id"], ["created_at"]),
    "ix_leads_lead_owner_follow_up": (["organization_id", "owner_id", "next_follow_up", "id"], ["tags"]),
}


def _recreate(*, covering: bool) -> None:
    for name, (columns, included) in _INDEXES.items():
        op.drop_index(name, table_name="leads_lead")
        op.create_index(
            name,
            "leads_lead",
            columns,
            postgresql_where=_ACTIVE,
            sqlite_where=_ACTIVE,
            postgresql_include=included if covering else [],
        )


def upgrade() -> None:
    _recreate(covering=True)


def downgrade() -> None:
    _recreate(covering=False)
