"""Retention of leads data, for the privacy context's daily purge (through leads.api).

The rule, counted and deleted alike (a preview and the purge of the same day agree):
- lost leads: status lost, not archived, last changed before the lost-leads cutoff;
- archived leads (merged-away ones included): archived before the archived-leads cutoff;
- activities: happened before the activities cutoff, or belong to a lead purged above (they
  go with it through the foreign key's cascade).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.leads.adapters.sql.tables import activity_table, lead_table
from nexuscore.leads.domain.model import LeadStatus

_L = lead_table.c
_A = activity_table.c


@dataclass(frozen=True)
class LeadRetentionCutoffs:
    lost_leads: datetime
    archived_leads: datetime
    activities: datetime


@dataclass(frozen=True)
class LeadRetentionCounts:
    lost_leads: int
    archived_leads: int
    activities: int


def _lost(org_id: UUID, cutoffs: LeadRetentionCutoffs) -> ColumnElement[bool]:
    return and_(
        _L.organization_id == org_id,
        _L.status == LeadStatus.LOST.value,
        _L.archived_at.is_(None),
        _L.updated_at < cutoffs.lost_leads,
    )


def _archived(org_id: UUID, cutoffs: LeadRetentionCutoffs) -> ColumnElement[bool]:
    return and_(_L.organization_id == org_id, _L.archived_at.is_not(None), _L.archived_at < cutoffs.archived_leads)


def _activities(org_id: UUID, cutoffs: LeadRetentionCutoffs) -> ColumnElement[bool]:
    purged_leads = select(_L.id).where(or_(_lost(org_id, cutoffs), _archived(org_id, cutoffs)))
    return and_(
        _A.organization_id == org_id,
        or_(_A.occurred_at < cutoffs.activities, _A.lead_id.in_(purged_leads)),
    )


async def _count(session: AsyncSession, table: object, where: ColumnElement[bool]) -> int:
    return int(await session.scalar(select(func.count()).select_from(table).where(where)) or 0)  # type: ignore[arg-type]


async def count_expired(session: AsyncSession, org_id: UUID, cutoffs: LeadRetentionCutoffs) -> LeadRetentionCounts:
    return LeadRetentionCounts(
        lost_leads=await _count(session, lead_table, _lost(org_id, cutoffs)),
        archived_leads=await _count(session, lead_table, _archived(org_id, cutoffs)),
        activities=await _count(session, activity_table, _activities(org_id, cutoffs)),
    )


async def delete_expired(session: AsyncSession, org_id: UUID, cutoffs: LeadRetentionCutoffs) -> LeadRetentionCounts:
    """Delete in the caller's transaction; activities first, so each is counted once."""
    activities = await session.execute(delete(activity_table).where(_activities(org_id, cutoffs)))
    lost = await session.execute(delete(lead_table).where(_lost(org_id, cutoffs)))
    archived = await session.execute(delete(lead_table).where(_archived(org_id, cutoffs)))
    return LeadRetentionCounts(
        lost_leads=int(lost.rowcount or 0),  # type: ignore[attr-defined]
        archived_leads=int(archived.rowcount or 0),  # type: ignore[attr-defined]
        activities=int(activities.rowcount or 0),  # type: ignore[attr-defined]
    )


async def organizations_with_leads(session: AsyncSession) -> list[UUID]:
    """Every organisation holding leads (the caller's scope must see them all: system)."""
    return list((await session.scalars(select(_L.organization_id).distinct().order_by(_L.organization_id))).all())


async def lead_exists(session: AsyncSession, org_id: UUID, lead_id: UUID) -> bool:
    """A lead of this organisation, archived or not (consent history outlives archiving)."""
    found = await session.scalar(select(_L.id).where(_L.organization_id == org_id, _L.id == lead_id))
    return found is not None
