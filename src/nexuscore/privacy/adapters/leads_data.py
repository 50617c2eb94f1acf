"""The privacy context's door to the leads context (leads.api), on the caller's session:
whether a lead exists in the tenant, and what retention removes from its data."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.leads import api as leads
from nexuscore.privacy.domain.retention import PurgeCounts, PurgeCutoffs


class TenantLeadSubjects:
    def __init__(self, session: AsyncSession, org_id: UUID) -> None:
        self._s = session
        self._org = org_id

    async def exists(self, lead_id: UUID) -> bool:
        return await leads.lead_exists(self._s, self._org, lead_id)


def _cutoffs(cutoffs: PurgeCutoffs) -> leads.LeadRetentionCutoffs:
    return leads.LeadRetentionCutoffs(
        lost_leads=cutoffs.lost_leads, archived_leads=cutoffs.archived_leads, activities=cutoffs.activities
    )


def _counts(counts: leads.LeadRetentionCounts) -> PurgeCounts:
    return PurgeCounts(lost_leads=counts.lost_leads, archived_leads=counts.archived_leads, activities=counts.activities)


class LeadsRetentionTargets:
    def __init__(self, session: AsyncSession, org_id: UUID) -> None:
        self._s = session
        self._org = org_id

    async def preview(self, cutoffs: PurgeCutoffs) -> PurgeCounts:
        return _counts(await leads.count_expired(self._s, self._org, _cutoffs(cutoffs)))

    async def purge(self, cutoffs: PurgeCutoffs) -> PurgeCounts:
        return _counts(await leads.delete_expired(self._s, self._org, _cutoffs(cutoffs)))


async def organizations_with_leads(session: AsyncSession) -> list[UUID]:
    return await leads.organizations_with_leads(session)
