"""Tables of the billing context. Invoices and credit notes are tenant rows (organization_id,
row-level security in migration 0013) and never deleted (a trigger refuses it on PostgreSQL);
the number series are platform-wide (one per issuer, kind and year)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nexuscore.platform.database import Base

TS = DateTimeUTC(timezone=True)


class InvoiceRow(Base):
    __tablename__ = "billing_invoice"
    __table_args__ = (
        UniqueConstraint("issuer", "number", name="uq_billing_invoice_issuer_number"),
        Index("ix_billing_invoice_org_created", "organization_id", "created_at"),
        Index("ix_billing_invoice_status_created", "status", "created_at"),
        Index("ix_billing_invoice_time_of_supply", "time_of_supply"),
    )

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    organization_id: Mapped[UUID] = mapped_column(GUID)
    status: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(10))
    gateway_invoice_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    currency: Mapped[str] = mapped_column(String(3))
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JsonB)
    due_days: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    exchange_rate: Mapped[str | None] = mapped_column(String(32))
    # Fixed at finalisation.
    number: Mapped[str | None] = mapped_column(String(40))
    issuer: Mapped[str | None] = mapped_column(String(20))
    issue_date: Mapped[date | None] = mapped_column(Date, index=True)
    time_of_supply: Mapped[date | None] = mapped_column(Date)
    finalized_at: Mapped[datetime | None] = mapped_column(TS)
    title: Mapped[str | None] = mapped_column(String(40))
    due_date: Mapped[date | None] = mapped_column(Date)
    tax_rate: Mapped[str | None] = mapped_column(String(16))
    breakdown: Mapped[list[dict[str, Any]] | None] = mapped_column(JsonB)
    total_excluding_gst: Mapped[int | None] = mapped_column(BigInteger)
    gst_amount: Mapped[int | None] = mapped_column(BigInteger)
    total_including_gst: Mapped[int | None] = mapped_column(BigInteger)
    sgd_exchange_rate: Mapped[str | None] = mapped_column(String(32))
    supplier: Mapped[dict[str, Any] | None] = mapped_column(JsonB)
    customer: Mapped[dict[str, Any] | None] = mapped_column(JsonB)
    # What happened after.
    sent_at: Mapped[datetime | None] = mapped_column(TS)
    paid_at: Mapped[datetime | None] = mapped_column(TS)
    payment_method: Mapped[str | None] = mapped_column(String(40))
    payment_reference: Mapped[str | None] = mapped_column(String(200))
    last_payment_failed_at: Mapped[datetime | None] = mapped_column(TS)
    voided_at: Mapped[datetime | None] = mapped_column(TS)
    void_reason: Mapped[str | None] = mapped_column(String(500))
    uncollectible_at: Mapped[datetime | None] = mapped_column(TS)
    tax_mismatch: Mapped[bool] = mapped_column(Boolean)
    gateway_tax_amount: Mapped[int | None] = mapped_column(BigInteger)
    gateway_version_at: Mapped[datetime | None] = mapped_column(TS)
    credited: Mapped[list[dict[str, Any]]] = mapped_column(JsonB)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(TS)
    updated_at: Mapped[datetime] = mapped_column(TS)


class CreditNoteRow(Base):
    __tablename__ = "billing_credit_note"
    __table_args__ = (
        UniqueConstraint("issuer", "number", name="uq_billing_credit_note_issuer_number"),
        Index("ix_billing_credit_note_org_created", "organization_id", "created_at"),
    )

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    organization_id: Mapped[UUID] = mapped_column(GUID)
    invoice_id: Mapped[UUID] = mapped_column(GUID, ForeignKey("billing_invoice.id", ondelete="RESTRICT"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    issuer: Mapped[str] = mapped_column(String(20))
    issue_date: Mapped[date] = mapped_column(Date, index=True)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(String(500))
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JsonB)
    tax_rate: Mapped[str] = mapped_column(String(16))
    breakdown: Mapped[list[dict[str, Any]]] = mapped_column(JsonB)
    total_excluding_gst: Mapped[int] = mapped_column(BigInteger)
    gst_amount: Mapped[int] = mapped_column(BigInteger)
    total_including_gst: Mapped[int] = mapped_column(BigInteger)
    original_number: Mapped[str] = mapped_column(String(40))
    original_issue_date: Mapped[date] = mapped_column(Date)
    sgd_exchange_rate: Mapped[str | None] = mapped_column(String(32))
    supplier: Mapped[dict[str, Any]] = mapped_column(JsonB)
    customer: Mapped[dict[str, Any]] = mapped_column(JsonB)
    source: Mapped[str] = mapped_column(String(10))
    gateway_credit_note_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(TS)


class NumberSequenceRow(Base):
    """The last number taken in one series; its row lock serialises finalisations (gapless)."""

    __tablename__ = "billing_number_sequence"

    issuer: Mapped[str] = mapped_column(String(20), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer)
