"""Audit events use case: admins and owners only, always scoped to the caller's tenant."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.errors import PermissionDenied
from nexuscore.kernel.events import EventRecord
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.organizations.adapters.memory.store import (
    FixedSeatLimit,
    InMemoryOrganizationsUnitOfWork,
    OrganizationsState,
)
from nexuscore.organizations.application.audit import AuditFilter, list_audit_events
from nexuscore.organizations.application.services import OrganizationsServices
from nexuscore.platform.mail import RecordingMailer

pytestmark = pytest.mark.unit

CLOCK = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
SERVICES = OrganizationsServices(CLOCK, RecordingMailer(), "https://app.nexuscore.test", FixedSeatLimit(None))


class RecordingTrail:
    def __init__(self) -> None:
        self.calls: list[tuple[UUID, dict[str, Any]]] = []

    async def list_for_organization(self, org_id: UUID, page: PageRequest, **filters: Any) -> Page[EventRecord]:
        self.calls.append((org_id, filters))
        event = EventRecord(type="org.updated", occurred_at=datetime(2026, 1, 1, tzinfo=UTC), organization_id=org_id)
        return Page([event], 1, page.limit, page.offset)


def uow_with(trail: RecordingTrail) -> InMemoryOrganizationsUnitOfWork:
    return InMemoryOrganizationsUnitOfWork(OrganizationsState(), CLOCK, audit_trail=trail)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.OWNER])
async def test_admins_read_their_own_tenants_trail(role: Role) -> None:
    trail, tenant, actor = RecordingTrail(), TenantContext(new_id(), new_id(), role), new_id()
    page = await list_audit_events(
        uow_with(trail),
        SERVICES,
        tenant=tenant,
        page=PageRequest(limit=5),
        filters=AuditFilter(event_type="org.updated", actor_id=actor),
    )
    assert [e.organization_id for e in page.items] == [tenant.org_id]
    assert trail.calls == [
        (tenant.org_id, {"event_type": "org.updated", "actor_id": actor, "occurred_from": None, "occurred_to": None})
    ]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MEMBER])
async def test_members_and_viewers_are_refused_before_any_read(role: Role) -> None:
    trail = RecordingTrail()
    with pytest.raises(PermissionDenied):
        await list_audit_events(
            uow_with(trail), SERVICES, tenant=TenantContext(new_id(), new_id(), role), page=PageRequest()
        )
    assert trail.calls == []
