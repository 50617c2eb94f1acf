"""privacy: consent records, Do Not Call checks, retention schedules, breach register; the
leads' existing consent flags and DNC results copied into records

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 05:45:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

from nexuscore.kernel.ids import new_id

revision: str = "0016"
# The lead re-chains this at merge.
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GUID = advanced_alchemy.types.guid.GUID(length=16)
_UTC = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)
_SYSTEM = "(SELECT current_setting('app.system', true)) = 'on'"
_ORG = "organization_id = (SELECT NULLIF(current_setting('app.current_org', true), '')::uuid)"
_USER = "subject_id = (SELECT NULLIF(current_setting('app.current_user', true), '')::uuid)"
TENANT_RULE = f"{_SYSTEM} OR {_ORG}"
POLICIES = {
    "privacy_dnc_check": TENANT_RULE,
    "privacy_retention_schedule": TENANT_RULE,
    # A platform breach (no organisation) is the system's (staff routes) only.
    "privacy_breach": TENANT_RULE,
    # A user's own consents (no organisation) are theirs to read and write.
    "privacy_consent_record": f"{TENANT_RULE} OR (organization_id IS NULL AND subject_kind = 'user' AND {_USER})",
}
_MARKETING = ("marketing_email", "marketing_sms", "marketing_call")
_BATCH = 1000


def upgrade() -> None:
    op.create_table(
        "privacy_consent_record",
        sa.Column("id", _GUID, nullable=False),
        sa.Column("organization_id", _GUID, nullable=True),
        sa.Column("subject_kind", sa.String(length=10), nullable=False),
        sa.Column("subject_id", _GUID, nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("given", sa.Boolean(), nullable=False),
        sa.Column("notice_version", sa.String(length=40), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("at", _UTC, nullable=False),
        sa.Column("recorded_at", _UTC, nullable=False),
        sa.Column("recorded_by", _GUID, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(subject_kind = 'lead') = (organization_id IS NOT NULL)",
            name=op.f("ck_privacy_consent_record_subject_scope"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_consent_record")),
    )
    with op.batch_alter_table("privacy_consent_record", schema=None) as batch_op:
        batch_op.create_index("ix_privacy_consent_record_organization_id", ["organization_id", "purpose"], unique=False)
        batch_op.create_index("ix_privacy_consent_record_subject", ["subject_id", "purpose", "at"], unique=False)

    op.create_table(
        "privacy_dnc_check",
        sa.Column("id", _GUID, nullable=False),
        sa.Column("organization_id", _GUID, nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("result", sa.String(length=10), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", _UTC, nullable=False),
        sa.Column("recorded_by", _GUID, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_dnc_check")),
    )
    with op.batch_alter_table("privacy_dnc_check", schema=None) as batch_op:
        batch_op.create_index("ix_privacy_dnc_check_checked_on", ["organization_id", "checked_on"], unique=False)
        batch_op.create_index("ix_privacy_dnc_check_phone", ["organization_id", "phone", "checked_on"], unique=False)

    op.create_table(
        "privacy_retention_schedule",
        sa.Column("id", _GUID, nullable=False),
        sa.Column("organization_id", _GUID, nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("updated_at", _UTC, nullable=False),
        sa.Column("updated_by", _GUID, nullable=True),
        sa.CheckConstraint("months BETWEEN 1 AND 120", name=op.f("ck_privacy_retention_schedule_months_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_retention_schedule")),
        sa.UniqueConstraint("organization_id", "category", name="uq_privacy_retention_schedule_organization_category"),
    )

    op.create_table(
        "privacy_breach",
        sa.Column("id", _GUID, nullable=False),
        sa.Column("organization_id", _GUID, nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("discovered_at", _UTC, nullable=False),
        sa.Column("assessed_at", _UTC, nullable=True),
        sa.Column("affected_count", sa.Integer(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("significant_harm", sa.Boolean(), nullable=False),
        sa.Column("pdpc_notified_at", _UTC, nullable=True),
        sa.Column("individuals_notified_at", _UTC, nullable=True),
        sa.Column("created_by", _GUID, nullable=True),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("updated_at", _UTC, nullable=False),
        sa.CheckConstraint("affected_count >= 0", name=op.f("ck_privacy_breach_affected_count_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_breach")),
    )
    with op.batch_alter_table("privacy_breach", schema=None) as batch_op:
        batch_op.create_index("ix_privacy_breach_organization_id", ["organization_id"], unique=False)

    _copy_lead_flags()

    if op.get_bind().dialect.name == "postgresql":
        for table, rule in POLICIES.items():
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY tenant_isolation ON {table} USING ({rule}) WITH CHECK ({rule})")


def _copy_lead_flags() -> None:
    """Every lead's consent flag becomes a record of each marketing purpose, and its DNC
    result a check of its phone (ids in Python: UUIDv7, which PostgreSQL 15 cannot make)."""
    bind = op.get_bind()
    leads = sa.table(
        "leads_lead",
        sa.column("id", _GUID),
        sa.column("organization_id", _GUID),
        sa.column("phone", sa.String()),
        sa.column("source", sa.String()),
        sa.column("updated_by", _GUID),
        sa.column("marketing_consent_granted", sa.Boolean()),
        sa.column("marketing_consent_recorded_at", _UTC),
        sa.column("marketing_consent_source", sa.String()),
        sa.column("dnc_status", sa.String()),
        sa.column("dnc_checked_at", sa.Date()),
    )
    # Typed columns: the GUID and UTC types bind ids and times on SQLite as on PostgreSQL.
    consents = sa.table(
        "privacy_consent_record",
        *(sa.column(n, _GUID) for n in ("id", "organization_id", "subject_id", "recorded_by")),
        *(sa.column(n, sa.String()) for n in ("subject_kind", "purpose", "notice_version", "method", "note")),
        sa.column("given", sa.Boolean()),
        *(sa.column(n, _UTC) for n in ("at", "recorded_at")),
    )
    checks = sa.table(
        "privacy_dnc_check",
        *(sa.column(n, _GUID) for n in ("id", "organization_id", "recorded_by")),
        *(sa.column(n, sa.String()) for n in ("phone", "result")),
        sa.column("checked_on", sa.Date()),
        sa.column("recorded_at", _UTC),
    )
    now = datetime.now(UTC)
    rows = bind.execute(
        sa.select(leads).where(
            sa.or_(leads.c.marketing_consent_granted.is_not(None), leads.c.dnc_checked_at.is_not(None))
        )
    ).mappings()
    consent_rows: list[dict[str, object]] = []
    check_rows: list[dict[str, object]] = []
    seen_checks: set[tuple[object, object, object, object]] = set()

    def flush(force: bool = False) -> None:
        if consent_rows and (force or len(consent_rows) >= _BATCH):
            bind.execute(sa.insert(consents), consent_rows)
            consent_rows.clear()
        if check_rows and (force or len(check_rows) >= _BATCH):
            bind.execute(sa.insert(checks), check_rows)
            check_rows.clear()

    for lead in rows:
        if lead["marketing_consent_granted"] is not None:
            for purpose in _MARKETING:
                consent_rows.append(
                    {
                        "id": new_id(),
                        "organization_id": lead["organization_id"],
                        "subject_kind": "lead",
                        "subject_id": lead["id"],
                        "purpose": purpose,
                        "given": lead["marketing_consent_granted"],
                        "notice_version": "unrecorded",
                        "method": "import" if lead["source"] == "import" else "api",
                        "at": lead["marketing_consent_recorded_at"],
                        "recorded_at": now,
                        "recorded_by": lead["updated_by"],
                        "note": lead["marketing_consent_source"],
                    }
                )
        key = (lead["organization_id"], lead["phone"], lead["dnc_checked_at"], lead["dnc_status"])
        if (
            lead["phone"]
            and lead["dnc_checked_at"]
            and lead["dnc_status"] in ("clear", "listed")
            and key not in seen_checks
        ):
            seen_checks.add(key)
            check_rows.append(
                {
                    "id": new_id(),
                    "organization_id": lead["organization_id"],
                    "phone": lead["phone"],
                    "result": lead["dnc_status"],
                    "checked_on": lead["dnc_checked_at"],
                    "recorded_at": now,
                    "recorded_by": lead["updated_by"],
                }
            )
        flush()
    flush(force=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in POLICIES:
            op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    with op.batch_alter_table("privacy_breach", schema=None) as batch_op:
        batch_op.drop_index("ix_privacy_breach_organization_id")
    op.drop_table("privacy_breach")
    op.drop_table("privacy_retention_schedule")
    with op.batch_alter_table("privacy_dnc_check", schema=None) as batch_op:
        batch_op.drop_index("ix_privacy_dnc_check_phone")
        batch_op.drop_index("ix_privacy_dnc_check_checked_on")
    op.drop_table("privacy_dnc_check")
    with op.batch_alter_table("privacy_consent_record", schema=None) as batch_op:
        batch_op.drop_index("ix_privacy_consent_record_subject")
        batch_op.drop_index("ix_privacy_consent_record_organization_id")
    op.drop_table("privacy_consent_record")
