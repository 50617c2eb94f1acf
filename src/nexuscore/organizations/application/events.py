"""Organisation domain events (ids and non-secret facts; every one carries organization_id)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from nexuscore.kernel.events import EventRecord

ORG_CREATED = "org.created"
ORG_UPDATED = "org.updated"
ORG_DELETION_REQUESTED = "org.deletion_requested"
ORG_DELETION_CANCELLED = "org.deletion_cancelled"
ORG_PURGED = "org.purged"
MEMBER_JOINED = "org.member_joined"
MEMBER_ROLE_CHANGED = "org.member_role_changed"
MEMBER_REMOVED = "org.member_removed"
MEMBER_LEFT = "org.member_left"
OWNERSHIP_TRANSFERRED = "org.ownership_transferred"
INVITATION_CREATED = "org.invitation_created"
INVITATION_REVOKED = "org.invitation_revoked"
INVITATION_ACCEPTED = "org.invitation_accepted"


def org_event(
    event_type: str, org_id: UUID, actor_id: UUID | None, now: datetime, subject: str, **payload: Any
) -> EventRecord:
    return EventRecord(
        type=event_type,
        occurred_at=now,
        organization_id=org_id,
        actor_id=actor_id,
        subject=subject,
        payload={k: v for k, v in payload.items() if v is not None},
    )
