"""lead.viewed: recorded when a member opens one lead's record or timeline, at most once per
(viewer, lead) per Singapore day; the paged list records nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from nexuscore.kernel.paging import PageRequest
from nexuscore.leads.application import activities, leads, search
from nexuscore.leads.domain.editing import LeadInput
from nexuscore.leads.domain.model import Lead
from nexuscore.leads.domain.views import view_window_start
from nexuscore.leads.ports.repositories import LeadFilter, LeadSort
from tests.unit.leads.test_lead_event_payloads import MEMBER, ORG, OTHER_MEMBER, OWNER, T0, World, as_, shape

pytestmark = pytest.mark.unit


@pytest.fixture
def world() -> World:
    return World()


def _views(world: World) -> list[tuple[object, ...]]:
    return [shape(e) for e in world.state.events if e.type == "lead.viewed"]


async def _lead(world: World, first_name: str = "Ann") -> Lead:
    return await leads.create_lead(
        world.uow(), world.services, tenant=as_(OWNER), data=LeadInput(first_name=first_name)
    )


def test_the_window_is_the_singapore_day() -> None:
    # 15:59 UTC is 23:59 in Singapore; 16:00 UTC is the next day's midnight there.
    assert view_window_start(datetime(2026, 3, 2, 15, 59, tzinfo=UTC)) == datetime(2026, 3, 1, 16, 0, tzinfo=UTC)
    assert view_window_start(datetime(2026, 3, 2, 16, 0, tzinfo=UTC)) == datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
    assert view_window_start(datetime(2026, 3, 1, 16, 0, tzinfo=UTC)) == datetime(2026, 3, 1, 16, 0, tzinfo=UTC)


async def test_a_view_is_recorded_with_ids_and_role_only(world: World) -> None:
    ann = await _lead(world)
    await leads.get_lead(world.uow(), world.services, tenant=as_(MEMBER), lead_id=ann.id)
    assert _views(world) == [("lead.viewed", f"lead:{ann.id}", ORG, MEMBER, T0, [("role", "member")])]


async def test_views_coalesce_per_viewer_lead_and_singapore_day(world: World) -> None:
    ann, bob = await _lead(world), await _lead(world, "Bob")
    member = as_(MEMBER)
    page = PageRequest(limit=20, offset=0)
    await leads.get_lead(world.uow(), world.services, tenant=member, lead_id=ann.id)
    world.clock.advance(timedelta(hours=6))  # 15:00 UTC: 23:00 the same day in Singapore
    await leads.get_lead(world.uow(), world.services, tenant=member, lead_id=ann.id)
    await activities.list_activities(world.uow(), world.services, tenant=member, lead_id=ann.id, page=page)
    assert len(_views(world)) == 1
    # Another viewer, another lead: their own views.
    await leads.get_lead(world.uow(), world.services, tenant=as_(OTHER_MEMBER), lead_id=ann.id)
    await activities.list_activities(world.uow(), world.services, tenant=member, lead_id=bob.id, page=page)
    assert len(_views(world)) == 3
    # An hour later it is the next day in Singapore (16:00 UTC): a new view.
    world.clock.advance(timedelta(hours=1))
    await leads.get_lead(world.uow(), world.services, tenant=member, lead_id=ann.id)
    viewed = _views(world)
    assert len(viewed) == 4
    assert [(v[1], v[3], v[4]) for v in viewed] == [
        (f"lead:{ann.id}", MEMBER, T0),
        (f"lead:{ann.id}", OTHER_MEMBER, T0 + timedelta(hours=6)),
        (f"lead:{bob.id}", MEMBER, T0 + timedelta(hours=6)),
        (f"lead:{ann.id}", MEMBER, T0 + timedelta(hours=7)),
    ]


async def test_the_paged_list_and_a_missing_lead_record_no_view(world: World) -> None:
    ann = await _lead(world)
    uow = world.uow()
    found = await search.list_leads(
        uow, world.services, tenant=as_(MEMBER), lead_filter=LeadFilter(), sort=LeadSort(), page=PageRequest(20, 0)
    )
    assert [lead.id for lead in found.items] == [ann.id] and uow.commits == 0
    with pytest.raises(Exception, match="not found"):
        await leads.get_lead(world.uow(), world.services, tenant=as_(MEMBER), lead_id=ORG)
    assert _views(world) == []
