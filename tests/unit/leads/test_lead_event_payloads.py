"""The stored shape of every leads event: type, subject, organisation, actor and payload.

Subscribers and the audit trail read these records, so each is pinned exactly here (payload keys
in order, values as JSON primitives), through the use cases and the in-memory fakes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.events import EventRecord
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.leads.adapters.entitlements import DefaultLeadEntitlements
from nexuscore.leads.adapters.memory.neighbours import InMemoryMemberDirectory
from nexuscore.leads.adapters.memory.store import (
    InMemoryLeadsUnitOfWork,
    LeadsState,
)
from nexuscore.leads.application import activities, assignment, exports, imports, leads
from nexuscore.leads.application.assignment import AssignStrategy
from nexuscore.leads.application.merge import merge_leads
from nexuscore.leads.application.services import LeadsServices
from nexuscore.leads.domain.editing import LeadInput
from nexuscore.leads.domain.model import ActivityKind, LeadSource, LeadStatus
from nexuscore.leads.ports.repositories import LeadFilter, OrgMember

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ORG = UUID(int=100)
OWNER, ADMIN, MEMBER, OTHER_MEMBER = (UUID(int=i) for i in range(1, 5))
ROLES = {OWNER: Role.OWNER, ADMIN: Role.ADMIN, MEMBER: Role.MEMBER, OTHER_MEMBER: Role.MEMBER}


def as_(user: UUID) -> TenantContext:
    return TenantContext(ORG, user, ROLES[user])


class World:
    def __init__(self) -> None:
        self.state = LeadsState()
        self.clock = FixedClock(T0)
        self.members = InMemoryMemberDirectory()
        for user, role in ROLES.items():
            self.members.add(ORG, OrgMember(user, role))
        self.limit = DefaultLeadEntitlements(None)

    def uow(self) -> InMemoryLeadsUnitOfWork:
        return InMemoryLeadsUnitOfWork(self.state, ORG, self.clock, self.members)

    @property
    def services(self) -> LeadsServices:
        return LeadsServices(self.clock, self.limit)

    def new_events(self, since: int) -> list[EventRecord]:
        return self.state.events[since:]


def shape(event: EventRecord) -> tuple[Any, ...]:
    # list(items()) also pins the key order of the stored JSON.
    return (
        event.type,
        event.subject,
        event.organization_id,
        event.actor_id,
        event.occurred_at,
        list(dict(event.payload).items()),
    )


@pytest.fixture
def world() -> World:
    return World()


async def test_lead_lifecycle_events(world: World) -> None:
    # lead.created (+ lead.assigned via create)
    lead = await leads.create_lead(
        world.uow(),
        world.services,
        tenant=as_(MEMBER),
        data=LeadInput(first_name="Wei Ling", email="wl@kopi.sg", source=LeadSource.REFERRAL, owner_id=MEMBER),
    )
    subject = f"lead:{lead.id}"
    assert [shape(e) for e in world.new_events(0)] == [
        ("lead.created", subject, ORG, MEMBER, T0, [("source", "referral"), ("via", "api")]),
        ("lead.assigned", subject, ORG, MEMBER, T0, [("ownerId", str(MEMBER)), ("via", "create")]),
    ]

    # lead.updated (+ lead.assigned via update, with the previous owner)
    world.clock.advance(timedelta(minutes=1))
    t1 = T0 + timedelta(minutes=1)
    mark = len(world.state.events)
    await leads.update_lead(
        world.uow(),
        world.services,
        tenant=as_(ADMIN),
        lead_id=lead.id,
        data=LeadInput(company="Kopi Pte Ltd", owner_id=OTHER_MEMBER, tags=["vip"]),
    )
    assert [shape(e) for e in world.new_events(mark)] == [
        ("lead.updated", subject, ORG, ADMIN, t1, [("fields", ["company", "tags", "ownerId"])]),
        (
            "lead.assigned",
            subject,
            ORG,
            ADMIN,
            t1,
            [("ownerId", str(OTHER_MEMBER)), ("previousOwnerId", str(MEMBER)), ("via", "update")],
        ),
    ]

    # an owner cleared: ownerId is left out
    mark = len(world.state.events)
    await leads.update_lead(
        world.uow(), world.services, tenant=as_(ADMIN), lead_id=lead.id, data=LeadInput(owner_id=None)
    )
    assert [shape(e) for e in world.new_events(mark)] == [
        ("lead.updated", subject, ORG, ADMIN, t1, [("fields", ["ownerId"])]),
        ("lead.assigned", subject, ORG, ADMIN, t1, [("previousOwnerId", str(OTHER_MEMBER)), ("via", "update")]),
    ]

    # lead.status_changed
    mark = len(world.state.events)
    await leads.change_status(
        world.uow(), world.services, tenant=as_(MEMBER), lead_id=lead.id, status=LeadStatus.CONTACTED
    )
    await leads.change_status(
        world.uow(),
        world.services,
        tenant=as_(MEMBER),
        lead_id=lead.id,
        status=LeadStatus.LOST,
        lost_reason="Chose Tan & Co",
    )
    assert [shape(e) for e in world.new_events(mark)] == [
        ("lead.status_changed", subject, ORG, MEMBER, t1, [("from", "new"), ("to", "contacted")]),
        ("lead.status_changed", subject, ORG, MEMBER, t1, [("from", "contacted"), ("to", "lost")]),
    ]

    # lead.archived
    mark = len(world.state.events)
    await leads.archive_lead(world.uow(), world.services, tenant=as_(ADMIN), lead_id=lead.id)
    assert [shape(e) for e in world.new_events(mark)] == [("lead.archived", subject, ORG, ADMIN, t1, [])]


async def test_merge_events(world: World) -> None:
    keep = await leads.create_lead(world.uow(), world.services, tenant=as_(MEMBER), data=LeadInput(first_name="Keep"))
    other = await leads.create_lead(
        world.uow(),
        world.services,
        tenant=as_(MEMBER),
        data=LeadInput(first_name="Other", email="o@kopi.sg", company="Kopi", tags=["vip"]),
    )
    await activities.log_activity(
        world.uow(), world.services, tenant=as_(MEMBER), lead_id=other.id, kind=ActivityKind.CALL, body="hi"
    )
    await activities.log_activity(
        world.uow(), world.services, tenant=as_(MEMBER), lead_id=other.id, kind=ActivityKind.NOTE, body="yo"
    )
    mark = len(world.state.events)
    await merge_leads(world.uow(), world.services, tenant=as_(ADMIN), lead_id=keep.id, other_lead_id=other.id)
    assert [shape(e) for e in world.new_events(mark)] == [
        (
            "lead.merged",
            f"lead:{keep.id}",
            ORG,
            ADMIN,
            T0,
            [("mergedLeadId", str(other.id)), ("movedActivities", 2), ("fields", ["email", "company", "tags"])],
        ),
        ("lead.archived", f"lead:{other.id}", ORG, ADMIN, T0, [("mergedIntoId", str(keep.id))]),
    ]


async def test_bulk_assignment_events(world: World) -> None:
    one = await leads.create_lead(world.uow(), world.services, tenant=as_(MEMBER), data=LeadInput(first_name="One"))
    two = await leads.create_lead(world.uow(), world.services, tenant=as_(MEMBER), data=LeadInput(first_name="Two"))
    mark = len(world.state.events)
    await assignment.assign_leads(world.uow(), world.services, tenant=as_(ADMIN), lead_ids=[one.id], owner_id=MEMBER)
    await assignment.assign_leads(
        world.uow(), world.services, tenant=as_(ADMIN), lead_ids=[one.id, two.id], strategy=AssignStrategy.ROUND_ROBIN
    )
    assert [shape(e) for e in world.new_events(mark)] == [
        ("lead.assigned", f"lead:{one.id}", ORG, ADMIN, T0, [("ownerId", str(MEMBER)), ("via", "manual")]),
        (
            "lead.assigned",
            f"lead:{one.id}",
            ORG,
            ADMIN,
            T0,
            [("ownerId", str(OWNER)), ("previousOwnerId", str(MEMBER)), ("via", "round_robin")],
        ),
        ("lead.assigned", f"lead:{two.id}", ORG, ADMIN, T0, [("ownerId", str(ADMIN)), ("via", "round_robin")]),
    ]


async def test_import_event(world: World) -> None:
    data = b"First Name,Email\nAnn,ann@kopi.sg\nBob,not-an-email\nAnn Again,ANN@kopi.sg\nCid,cid@kopi.sg\n"
    job = await imports.start_import(world.uow(), world.services, tenant=as_(ADMIN), data=data, filename="a.csv")
    world.clock.advance(timedelta(minutes=2))
    await imports.run_import(world.uow(), world.services, import_id=job.id)
    assert [shape(e) for e in world.state.events] == [
        (
            "lead.imported",
            f"lead_import:{job.id}",
            ORG,
            ADMIN,
            T0 + timedelta(minutes=2),
            [("importId", str(job.id)), ("created", 2), ("duplicates", 1), ("errors", 1)],
        )
    ]


async def test_export_events(world: World) -> None:
    await leads.create_lead(world.uow(), world.services, tenant=as_(MEMBER), data=LeadInput(first_name="Ann"))
    mark = len(world.state.events)
    for purpose, filters, completed in (
        (exports.ExportPurpose.GENERAL, {"status": ["new"], "tag": "vip", "q": None, "ownerId": ""}, True),
        (exports.ExportPurpose.MARKETING, None, False),
    ):
        plan = await exports.plan_export(
            world.services, tenant=as_(OWNER), lead_filter=LeadFilter(), purpose=purpose, filters=filters
        )
        progress = exports.ExportProgress()
        work = world.uow()
        stream = exports.stream_export(work, world.services, plan=plan, progress=progress)
        if completed:
            _ = [chunk async for chunk in stream]
        else:
            await anext(stream)  # the header only: the download was cut short
            await stream.aclose()
        await exports.record_export(work, world.services, plan=plan, progress=progress)
    assert [shape(e) for e in world.new_events(mark)] == [
        (
            "lead.exported",
            f"organization:{ORG}",
            ORG,
            OWNER,
            T0,
            [("purpose", "general"), ("count", 1), ("filters", {"status": ["new"], "tag": "vip"}), ("completed", True)],
        ),
        (
            "lead.exported",
            f"organization:{ORG}",
            ORG,
            OWNER,
            T0,
            [("purpose", "marketing"), ("count", 0), ("filters", {}), ("completed", False)],
        ),
    ]
