"""Published facade of the leads context for other contexts' adapters.

- `count_active_leads(session, org_id)`: the leads a plan's limit counts (archived ones do
  not). Read through the caller's session; on PostgreSQL its row-level security scope must
  cover `org_id`, or the scope is bound here.

- retention, for the privacy context's purge (caller's session and scope):
  `count_expired` / `delete_expired(session, org_id, LeadRetentionCutoffs)` count or delete
  lost leads, archived leads and activities past their cutoffs by one rule;
  `organizations_with_leads(session)`; `lead_exists(session, org_id, lead_id)`.
- `normalise_phone(raw, field=)`: a phone in E.164 as leads store it (Singapore numbers without
  a country code), or a 422 naming `field`.
- `LeadsPersonalData(sessions)`: this context's `PersonalDataProvider` (kernel.personal_data).

Routes, tasks and wiring are in `module.py`.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.leads.adapters.sql.lead_search import count_active_leads as _count_active
from nexuscore.leads.adapters.sql.personal_data import LeadsPersonalData
from nexuscore.leads.adapters.sql.retention import (
    LeadRetentionCounts,
    LeadRetentionCutoffs,
    count_expired,
    delete_expired,
    lead_exists,
    organizations_with_leads,
)
from nexuscore.leads.adapters.sql.scope import TenantScope
from nexuscore.leads.domain.fields import clean_phone as normalise_phone


async def count_active_leads(session: AsyncSession, org_id: UUID) -> int:
    # Not through the repository: it writes consent through privacy.api, and the privacy
    # context reads this facade (one context's adapters would reach its own facade round the
    # houses, which the layers contract refuses).
    return await _count_active(TenantScope(session, org_id))


__all__ = [
    "LeadRetentionCounts",
    "LeadRetentionCutoffs",
    "LeadsPersonalData",
    "count_active_leads",
    "count_expired",
    "delete_expired",
    "lead_exists",
    "normalise_phone",
    "organizations_with_leads",
]
