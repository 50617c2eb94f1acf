"""Published facade of the leads context for other contexts' adapters.

- `count_active_leads(session, org_id)`: the leads a plan's limit counts (archived ones do
  not). Read through the caller's session; on PostgreSQL its row-level security scope must
  cover `org_id`, or the scope is bound here.

- `normalise_phone(raw, field=)`: a phone in E.164 as leads store it (Singapore numbers without
  a country code), or a 422 naming `field`.
- `LeadsPersonalData(sessions)`: this context's `PersonalDataProvider` (kernel.personal_data).

Routes, tasks and wiring are in `module.py`.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.kernel.clock import SystemClock
from nexuscore.leads.adapters.sql.lead_repository import SqlLeadRepository
from nexuscore.leads.adapters.sql.personal_data import LeadsPersonalData
from nexuscore.leads.adapters.sql.scope import TenantScope
from nexuscore.leads.domain.fields import clean_phone as normalise_phone


async def count_active_leads(session: AsyncSession, org_id: UUID) -> int:
    # Counting reads no time; the repository wants a clock for its writes only.
    return await SqlLeadRepository(TenantScope(session, org_id), SystemClock()).count_active()


__all__ = ["LeadsPersonalData", "count_active_leads", "normalise_phone"]
