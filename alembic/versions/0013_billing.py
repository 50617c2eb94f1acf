"""billing: invoices, credit notes, number series (+ row-level security on the tenant tables,
and a trigger refusing deletes: documents of record are kept)

Invoices and credit notes are tenant rows with the `tenant_isolation` policy in 0007's form;
the number series are platform-wide.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 05:45:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013"
# The lead re-chains this at merge if another branch took 0013.
down_revision: str | None = "0012"
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
TENANT_TABLES = ("billing_invoice", "billing_credit_note")
RLS_RULE = (
    "(SELECT current_setting('app.system', true)) = 'on' "
    "OR organization_id = (SELECT NULLIF(current_setting('app.current_org', true), '')::uuid)"
)
REFUSE_DELETE = """
CREATE OR REPLACE FUNCTION billing_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'billing documents are kept: % rows are never deleted', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;
"""


def upgrade() -> None:
    op.create_table(
        "billing_invoice",
        sa.Column("id", _GUID, nullable=False),
        sa.Column("organization_id", _GUID, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("gateway_invoice_id", sa.String(length=255), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("lines", _JSON, nullable=False),
        sa.Column("due_days", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("exchange_rate", sa.String(length=32), nullable=True),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("issuer", sa.String(length=20), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("time_of_supply", sa.Date(), nullable=True),
        sa.Column("finalized_at", _UTC, nullable=True),
        sa.Column("title", sa.String(length=40), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("tax_rate", sa.String(length=16), nullable=True),
        sa.Column("breakdown", _JSON, nullable=True),
        sa.Column("total_excluding_gst", sa.BigInteger(), nullable=True),
        sa.Column("gst_amount", sa.BigInteger(), nullable=True),
        sa.Column("total_including_gst", sa.BigInteger(), nullable=True),
        sa.Column("sgd_exchange_rate", sa.String(length=32), nullable=True),
        sa.Column("supplier", _JSON, nullable=True),
        sa.Column("customer", _JSON, nullable=True),
        sa.Column("sent_at", _UTC, nullable=True),
        sa.Column("paid_at", _UTC, nullable=True),
        sa.Column("payment_method", sa.String(length=40), nullable=True),
        sa.Column("payment_reference", sa.String(length=200), nullable=True),
        sa.Column("last_payment_failed_at", _UTC, nullable=True),
        sa.Column("voided_at", _UTC, nullable=True),
        sa.Column("void_reason", sa.String(length=500), nullable=True),
        sa.Column("uncollectible_at", _UTC, nullable=True),
        sa.Column("tax_mismatch", sa.Boolean(), nullable=False),
        sa.Column("gateway_tax_amount", sa.BigInteger(), nullable=True),
        sa.Column("gateway_version_at", _UTC, nullable=True),
        sa.Column("credited", _JSON, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("updated_at", _UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_invoice")),
        sa.UniqueConstraint("gateway_invoice_id", name=op.f("uq_billing_invoice_gateway_invoice_id")),
        sa.UniqueConstraint("issuer", "number", name="uq_billing_invoice_issuer_number"),
    )
    with op.batch_alter_table("billing_invoice", schema=None) as batch_op:
        batch_op.create_index("ix_billing_invoice_org_created", ["organization_id", "created_at"], unique=False)
        batch_op.create_index("ix_billing_invoice_status_created", ["status", "created_at"], unique=False)
        batch_op.create_index("ix_billing_invoice_time_of_supply", ["time_of_supply"], unique=False)
        batch_op.create_index(batch_op.f("ix_billing_invoice_issue_date"), ["issue_date"], unique=False)
    op.create_table(
        "billing_credit_note",
        sa.Column("id", _GUID, nullable=False),
        sa.Column("organization_id", _GUID, nullable=False),
        sa.Column("invoice_id", _GUID, nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("issuer", sa.String(length=20), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("lines", _JSON, nullable=False),
        sa.Column("tax_rate", sa.String(length=16), nullable=False),
        sa.Column("breakdown", _JSON, nullable=False),
        sa.Column("total_excluding_gst", sa.BigInteger(), nullable=False),
        sa.Column("gst_amount", sa.BigInteger(), nullable=False),
        sa.Column("total_including_gst", sa.BigInteger(), nullable=False),
        sa.Column("original_number", sa.String(length=40), nullable=False),
        sa.Column("original_issue_date", sa.Date(), nullable=False),
        sa.Column("sgd_exchange_rate", sa.String(length=32), nullable=True),
        sa.Column("supplier", _JSON, nullable=False),
        sa.Column("customer", _JSON, nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("gateway_credit_note_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", _UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["billing_invoice.id"],
            name=op.f("fk_billing_credit_note_invoice_id_billing_invoice"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_credit_note")),
        sa.UniqueConstraint("gateway_credit_note_id", name=op.f("uq_billing_credit_note_gateway_credit_note_id")),
        sa.UniqueConstraint("issuer", "number", name="uq_billing_credit_note_issuer_number"),
    )
    with op.batch_alter_table("billing_credit_note", schema=None) as batch_op:
        batch_op.create_index("ix_billing_credit_note_org_created", ["organization_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_billing_credit_note_invoice_id"), ["invoice_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_billing_credit_note_issue_date"), ["issue_date"], unique=False)
    op.create_table(
        "billing_number_sequence",
        sa.Column("issuer", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("issuer", "kind", "year", name=op.f("pk_billing_number_sequence")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(REFUSE_DELETE)
        for table in TENANT_TABLES:
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY tenant_isolation ON {table} USING ({RLS_RULE}) WITH CHECK ({RLS_RULE})")
            op.execute(
                f"CREATE TRIGGER {table}_kept BEFORE DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION billing_refuse_delete()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TENANT_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_kept ON {table}")
            op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.execute("DROP FUNCTION IF EXISTS billing_refuse_delete()")
    op.drop_table("billing_number_sequence")
    with op.batch_alter_table("billing_credit_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_billing_credit_note_issue_date"))
        batch_op.drop_index(batch_op.f("ix_billing_credit_note_invoice_id"))
        batch_op.drop_index("ix_billing_credit_note_org_created")
    op.drop_table("billing_credit_note")
    with op.batch_alter_table("billing_invoice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_billing_invoice_issue_date"))
        batch_op.drop_index("ix_billing_invoice_time_of_supply")
        batch_op.drop_index("ix_billing_invoice_status_created")
        batch_op.drop_index("ix_billing_invoice_org_created")
    op.drop_table("billing_invoice")
