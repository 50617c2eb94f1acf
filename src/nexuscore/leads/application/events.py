"""Lead domain events (ids and non-secret facts; personal data stays in the lead rows)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from nexuscore.kernel.events import EventRecord
from nexuscore.kernel.tenancy import TenantContext

LEAD_CREATED = "lead.created"
LEAD_UPDATED = "lead.updated"
LEAD_STATUS_CHANGED = "lead.status_changed"
LEAD_ASSIGNED = "lead.assigned"
LEAD_MERGED = "lead.merged"
LEAD_ARCHIVED = "lead.archived"
LEAD_IMPORTED = "lead.imported"  # one per import job, with counts (not one per row)
LEAD_EXPORTED = "lead.exported"  # feeds the PDPA disclosure log: who exported how many, for what


def lead_event(event_type: str, tenant: TenantContext, now: datetime, subject: str, **payload: Any) -> EventRecord:
    return EventRecord(
        type=event_type,
        occurred_at=now,
        organization_id=tenant.org_id,
        actor_id=tenant.user_id,
        subject=subject,
        payload={k: v for k, v in payload.items() if v is not None},
    )
