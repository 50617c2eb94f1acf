"""Tables of the leads context (every row carries organization_id; RLS policies in 0006).

Index notes: GET /leads always filters on organization_id and hides archived leads, so its
indexes lead with organization_id and are partial on `archived_at IS NULL`; each sort key is
indexed with id as the tiebreak so a page is an index range scan read forwards or backwards.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from sqlalchemy import (
    CHAR,
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from nexuscore.platform.database import Base

TS = DateTimeUTC(timezone=True)
# A native text[] on PostgreSQL (GIN-indexable, `@>` for the tag filter); JSON on SQLite.
TAGS = ARRAY(Text()).with_variant(JSON(), "sqlite")
ACTIVE = "archived_at IS NULL"


def _active_index(name: str, *columns: str, **kwargs: Any) -> Index:
    """An index over active (not archived) leads only: archived rows never appear in lists."""
    return Index(name, *columns, postgresql_where=text(ACTIVE), sqlite_where=text(ACTIVE), **kwargs)


def _dedupe_index(column: str) -> Index:
    where = text(f"{ACTIVE} AND {column} IS NOT NULL")
    return Index(
        f"uq_leads_lead_active_{column}",
        "organization_id",
        column,
        unique=True,
        postgresql_where=where,
        sqlite_where=where,
    )


class LeadRow(Base):
    __tablename__ = "leads_lead"

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)  # UUIDv7: id order is creation order
    organization_id: Mapped[UUID] = mapped_column(GUID)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164: at most 16 characters
    company: Mapped[str | None] = mapped_column(String(200))
    company_uen: Mapped[str | None] = mapped_column(String(10))
    job_title: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    lost_reason: Mapped[str | None] = mapped_column(String(500))
    owner_id: Mapped[UUID | None] = mapped_column(GUID)  # a member's user id (no cross-context FK)
    tags: Mapped[list[str]] = mapped_column(TAGS)
    estimated_value_minor: Mapped[int | None] = mapped_column(BigInteger)
    estimated_value_currency: Mapped[str | None] = mapped_column(CHAR(3))
    next_follow_up: Mapped[date | None] = mapped_column(Date)
    score: Mapped[int] = mapped_column(Integer)
    score_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JsonB)
    marketing_consent_granted: Mapped[bool | None] = mapped_column(Boolean)
    marketing_consent_recorded_at: Mapped[datetime | None] = mapped_column(TS)
    marketing_consent_source: Mapped[str | None] = mapped_column(String(100))
    dnc_status: Mapped[str] = mapped_column(String(10))
    dnc_checked_at: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[UUID] = mapped_column(GUID)
    created_at: Mapped[datetime] = mapped_column(TS)
    updated_by: Mapped[UUID] = mapped_column(GUID)
    updated_at: Mapped[datetime] = mapped_column(TS)
    archived_at: Mapped[datetime | None] = mapped_column(TS)
    merged_into_id: Mapped[UUID | None] = mapped_column(GUID, ForeignKey("leads_lead.id", ondelete="SET NULL"))

    __table_args__ = (
        CheckConstraint(
            "(estimated_value_minor IS NULL) = (estimated_value_currency IS NULL)", name="estimated_value_pair"
        ),
        # A consent is stored whole (granted, when, how) or not at all.
        CheckConstraint(
            "(marketing_consent_granted IS NULL) = (marketing_consent_recorded_at IS NULL) "
            "AND (marketing_consent_granted IS NULL) = (marketing_consent_source IS NULL)",
            name="marketing_consent_whole",
        ),
        CheckConstraint("score BETWEEN 0 AND 100", name="score_range"),
        # Dedupe: one active lead per email and per phone in a tenant (the race behind find_duplicate).
        _dedupe_index("email"),
        _dedupe_index("phone"),
        # Sort keys of GET /leads (LeadSortField), id as the tiebreak; they also serve the range
        # filters on the same column (createdFrom/To, scoreMin, followUpBefore).
        _active_index("ix_leads_lead_created_at", "organization_id", "created_at", "id"),
        _active_index("ix_leads_lead_updated_at", "organization_id", "updated_at", "id"),
        # INCLUDE (migration 0018): a capped total over scoreMin + createdFrom tests the date on the
        # index entry instead of fetching each row.
        _active_index("ix_leads_lead_score", "organization_id", "score", "id", postgresql_include=["created_at"]),
        _active_index("ix_leads_lead_last_name", "organization_id", "last_name", "id"),
        _active_index("ix_leads_lead_company", "organization_id", "company", "id"),
        _active_index("ix_leads_lead_next_follow_up", "organization_id", "next_follow_up", "id"),
        _active_index("ix_leads_lead_estimated_value", "organization_id", "estimated_value_minor", "id"),
        _active_index("ix_leads_lead_status", "organization_id", "status", "id"),
        # Equality filters, ordered by the default sort (newest first).
        _active_index("ix_leads_lead_owner", "organization_id", "owner_id", "created_at"),
        # "My leads by follow-up" (ownerId + sort=nextFollowUp, any other filter on top): the
        # page and its capped count walk one member's leads in order and stop (migration 0014).
        # INCLUDE (migration 0018): a tag on top is tested on the index entry, not the row.
        _active_index(
            "ix_leads_lead_owner_follow_up",
            "organization_id",
            "owner_id",
            "next_follow_up",
            "id",
            postgresql_include=["tags"],
        ),
        _active_index("ix_leads_lead_source", "organization_id", "source", "created_at"),
        # GIN indexes carry organization_id too (btree_gin), so a popular tag or trigram reads
        # this tenant's entries only, not every tenant's.
        # Tag filter: `tags @> ARRAY[tag]`.
        _active_index("ix_leads_lead_tags", "organization_id", "tags", postgresql_using="gin"),
        # `q`: ILIKE '%term%' on any of the four columns, a BitmapOr over this one index.
        _active_index(
            "ix_leads_lead_search_trgm",
            "organization_id",
            "first_name",
            "last_name",
            "email",
            "company",
            postgresql_using="gin",
            postgresql_ops={c: "gin_trgm_ops" for c in ("first_name", "last_name", "email", "company")},
        ),
        # Exports (keyset on id), tenant purges and archived rows: not partial.
        Index("ix_leads_lead_organization_id", "organization_id", "id"),
        # The self-FK's ON DELETE SET NULL looks up merged leads by target: without it, deleting
        # each lead would scan the table.
        Index(
            "ix_leads_lead_merged_into_id",
            "merged_into_id",
            postgresql_where=text("merged_into_id IS NOT NULL"),
            sqlite_where=text("merged_into_id IS NOT NULL"),
        ),
    )


class ActivityRow(Base):
    __tablename__ = "leads_activity"

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    organization_id: Mapped[UUID] = mapped_column(GUID)
    lead_id: Mapped[UUID] = mapped_column(GUID, ForeignKey("leads_lead.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime] = mapped_column(TS)
    created_by: Mapped[UUID | None] = mapped_column(GUID)
    created_at: Mapped[datetime] = mapped_column(TS)
    body: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JsonB)

    __table_args__ = (
        # Timeline newest first, engagement, merges and the FK cascade all look activities up by
        # lead; a lead id belongs to one tenant, so organization_id would add nothing in front.
        Index("ix_leads_activity_lead_timeline", "lead_id", "occurred_at", "id"),
        Index("ix_leads_activity_organization_id", "organization_id"),
    )


class ImportRow(Base):
    __tablename__ = "leads_import"

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    organization_id: Mapped[UUID] = mapped_column(GUID)
    created_by: Mapped[UUID] = mapped_column(GUID)
    created_at: Mapped[datetime] = mapped_column(TS)
    filename: Mapped[str] = mapped_column(String(255))
    total_rows: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))
    processed_rows: Mapped[int] = mapped_column(Integer)
    created_count: Mapped[int] = mapped_column(Integer)
    duplicate_count: Mapped[int] = mapped_column(Integer)
    error_count: Mapped[int] = mapped_column(Integer)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JsonB)
    started_at: Mapped[datetime | None] = mapped_column(TS)
    finished_at: Mapped[datetime | None] = mapped_column(TS)
    failure: Mapped[str | None] = mapped_column(Text)
    csv_text: Mapped[str] = mapped_column(Text)  # the upload, read by the background worker

    __table_args__ = (Index("ix_leads_import_org_created", "organization_id", "created_at"),)


class RoundRobinRow(Base):
    """Per-organisation counter of lead assignments (the next owner is counter mod members)."""

    __tablename__ = "leads_round_robin"

    organization_id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    counter: Mapped[int] = mapped_column(BigInteger)


# Core handles for the repositories, which read and write rows without the ORM identity map.
lead_table = cast(Table, LeadRow.__table__)
activity_table = cast(Table, ActivityRow.__table__)
import_table = cast(Table, ImportRow.__table__)
round_robin_table = cast(Table, RoundRobinRow.__table__)
