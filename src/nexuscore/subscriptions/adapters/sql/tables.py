"""Tables of the subscriptions context. The catalogue (plans, prices) and the local gateway's
objects are platform-wide; subscriptions, billing profiles and customers are tenant rows
(organization_id, row-level security in migration 0011)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from nexuscore.platform.database import Base

TS = DateTimeUTC(timezone=True)


class PlanRow(Base):
    __tablename__ = "subscriptions_plan"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(1000))
    trial_days: Mapped[int] = mapped_column(Integer)
    seat_limit: Mapped[int | None] = mapped_column(Integer)
    lead_limit: Mapped[int | None] = mapped_column(Integer)
    features: Mapped[list[str]] = mapped_column(JsonB)
    archived: Mapped[bool] = mapped_column(Boolean)
    gateway_product_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(TS)
    updated_at: Mapped[datetime] = mapped_column(TS)


class PlanPriceRow(Base):
    """Every price a plan ever had; `replaced_at` NULL for the current one per interval."""

    __tablename__ = "subscriptions_plan_price"
    __table_args__ = (Index("ix_subscriptions_plan_price_plan_code", "plan_code", "interval"),)

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    plan_code: Mapped[str] = mapped_column(String(32), ForeignKey("subscriptions_plan.code", ondelete="RESTRICT"))
    interval: Mapped[str] = mapped_column(String(5))
    amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    gateway_price_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(TS)
    replaced_at: Mapped[datetime | None] = mapped_column(TS)


class SubscriptionRow(Base):
    __tablename__ = "subscriptions_subscription"
    __table_args__ = (Index("ix_subscriptions_subscription_org", "organization_id", "gateway_created"),)

    id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    organization_id: Mapped[UUID] = mapped_column(GUID)
    gateway_subscription_id: Mapped[str] = mapped_column(String(255), unique=True)
    gateway_customer_id: Mapped[str] = mapped_column(String(255))
    plan_code: Mapped[str] = mapped_column(String(32), index=True)
    interval: Mapped[str] = mapped_column(String(5))
    status: Mapped[str] = mapped_column(String(20), index=True)
    gateway_created: Mapped[datetime] = mapped_column(TS)
    version_at: Mapped[datetime] = mapped_column(TS)
    current_period_start: Mapped[datetime | None] = mapped_column(TS)
    current_period_end: Mapped[datetime | None] = mapped_column(TS)
    trial_start: Mapped[datetime | None] = mapped_column(TS)
    trial_end: Mapped[datetime | None] = mapped_column(TS)
    cancel_at_period_end: Mapped[bool] = mapped_column(Boolean)
    canceled_at: Mapped[datetime | None] = mapped_column(TS)
    ended_at: Mapped[datetime | None] = mapped_column(TS)
    past_due_since: Mapped[datetime | None] = mapped_column(TS)
    pending_plan_code: Mapped[str | None] = mapped_column(String(32))
    pending_interval: Mapped[str | None] = mapped_column(String(5))
    trial_ending_noted_at: Mapped[datetime | None] = mapped_column(TS)
    created_at: Mapped[datetime] = mapped_column(TS, index=True)
    updated_at: Mapped[datetime] = mapped_column(TS)


class BillingProfileRow(Base):
    __tablename__ = "subscriptions_billing_profile"

    organization_id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(200))
    billing_email: Mapped[str] = mapped_column(String(254))
    address_lines: Mapped[list[str]] = mapped_column(JsonB)
    postal_code: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2))
    uen: Mapped[str | None] = mapped_column(String(10))
    gst_registration_number: Mapped[str | None] = mapped_column(String(10))
    belonging_country: Mapped[str | None] = mapped_column(String(2))
    belonging_evidence: Mapped[str | None] = mapped_column(String(30))
    updated_at: Mapped[datetime] = mapped_column(TS)


class CustomerRow(Base):
    """The organisation's one gateway customer."""

    __tablename__ = "subscriptions_customer"

    organization_id: Mapped[UUID] = mapped_column(GUID, primary_key=True)
    gateway_customer_id: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(TS)


class LocalGatewayObjectRow(Base):
    """The local (development) gateway's Stripe-shaped objects."""

    __tablename__ = "subscriptions_local_gateway_object"
    __table_args__ = (Index("ix_subscriptions_local_gateway_object_kind", "kind", "created_at"),)

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, Any]] = mapped_column(JsonB)
    created_at: Mapped[datetime] = mapped_column(TS)
