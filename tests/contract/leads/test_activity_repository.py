"""ActivityRepository contract: the timeline (newest first, id tiebreak, paging), engagement,
merges moving activities, and tenant scoping."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nexuscore.kernel.ids import new_id
from nexuscore.kernel.paging import PageRequest
from nexuscore.leads.domain.model import Activity, ActivityKind, Engagement, Lead
from tests.contract.leads.backends import NOW, REFUSED, LeadsBackend, make_activity, make_lead, new_org

HOUR = timedelta(hours=1)


async def _lead_with_timeline(leads: LeadsBackend) -> tuple[Lead, list[Activity]]:
    org = new_org()
    lead = make_lead(org)
    # Made in id order; two share an instant (the id breaks the tie).
    timeline = [
        make_activity(lead, ActivityKind.NOTE, NOW - 3 * HOUR, body="first note"),
        make_activity(lead, ActivityKind.MEETING, NOW - HOUR, body="met", details={"where": "office"}),
        make_activity(lead, ActivityKind.STATUS_CHANGE, NOW - HOUR, details={"from": "new", "to": "contacted"}),
        make_activity(lead, ActivityKind.CALL, NOW - 2 * HOUR, created_by=None),
        make_activity(lead, ActivityKind.MEETING, NOW - 5 * HOUR),
    ]
    async with leads.uow(org) as uow:
        await uow.leads.add(lead)
        await uow.activities.add(timeline[0])
        await uow.activities.add_many(timeline[1:])
        await uow.commit()
    return lead, timeline


def _newest_first(activities: list[Activity]) -> list[Activity]:
    return sorted(activities, key=lambda a: (a.occurred_at, a.id), reverse=True)


async def test_the_timeline_is_newest_first_with_the_id_tiebreak(leads: LeadsBackend) -> None:
    lead, timeline = await _lead_with_timeline(leads)
    async with leads.uow(lead.organization_id) as uow:
        page = await uow.activities.list_for_lead(lead.id, PageRequest(limit=100))
    assert list(page.items) == _newest_first(timeline)  # every field round-trips
    assert (page.total, page.has_more) == (5, False)


@pytest.mark.parametrize(
    ("limit", "offset", "indexes", "has_more"),
    [(2, 0, [0, 1], True), (2, 2, [2, 3], True), (2, 4, [4], False), (3, 3, [3, 4], False), (2, 6, [], False)],
)
async def test_the_timeline_pages(
    leads: LeadsBackend, limit: int, offset: int, indexes: list[int], has_more: bool
) -> None:
    lead, timeline = await _lead_with_timeline(leads)
    expected = _newest_first(timeline)
    async with leads.uow(lead.organization_id) as uow:
        page = await uow.activities.list_for_lead(lead.id, PageRequest(limit, offset))
    assert [a.id for a in page.items] == [expected[i].id for i in indexes]
    assert (page.total, page.limit, page.offset, page.has_more) == (5, limit, offset, has_more)


async def test_a_lead_without_activities_has_an_empty_timeline(leads: LeadsBackend) -> None:
    org = new_org()
    lead = make_lead(org)
    await leads.add(org, lead)
    async with leads.uow(org) as uow:
        page = await uow.activities.list_for_lead(lead.id, PageRequest())
        unknown = await uow.activities.list_for_lead(new_id(), PageRequest())
        assert await uow.activities.engagement(lead.id) == Engagement(0, 0, None)
        await uow.activities.add_many([])
    assert (list(page.items), page.total) == ([], 0)
    assert (list(unknown.items), unknown.total) == ([], 0)


async def test_engagement_counts_the_interactions_a_user_logs(leads: LeadsBackend) -> None:
    lead, _ = await _lead_with_timeline(leads)
    async with leads.uow(lead.organization_id) as uow:
        engagement = await uow.activities.engagement(lead.id)
    # Status changes (and assignments, merges) are recorded by the system: not interactions.
    assert engagement == Engagement(interactions=4, meetings=2, last_interaction_at=NOW - HOUR)


async def test_engagement_ignores_system_activities_for_the_last_interaction(leads: LeadsBackend) -> None:
    org = new_org()
    lead = make_lead(org)
    async with leads.uow(org) as uow:
        await uow.leads.add(lead)
        await uow.activities.add_many(
            [
                make_activity(lead, ActivityKind.EMAIL, NOW - 2 * HOUR),
                make_activity(lead, ActivityKind.ASSIGNMENT, NOW),
                make_activity(lead, ActivityKind.MERGE, NOW),
            ]
        )
        await uow.commit()
    async with leads.uow(org) as uow:
        assert await uow.activities.engagement(lead.id) == Engagement(1, 0, NOW - 2 * HOUR)


async def test_move_repoints_every_activity_of_a_lead(leads: LeadsBackend) -> None:
    lead, timeline = await _lead_with_timeline(leads)
    org = lead.organization_id
    survivor = make_lead(org, "Survivor")
    own = make_activity(survivor, ActivityKind.NOTE, NOW - 4 * HOUR)
    async with leads.uow(org) as uow:
        await uow.leads.add(survivor)
        await uow.activities.add(own)
        await uow.commit()
    async with leads.uow(org) as uow:
        assert await uow.activities.move(lead.id, survivor.id) == 5
        assert await uow.activities.move(lead.id, survivor.id) == 0
        assert await uow.activities.move(new_id(), survivor.id) == 0
        await uow.commit()
    async with leads.uow(org) as uow:
        moved = await uow.activities.list_for_lead(survivor.id, PageRequest(limit=100))
        left = await uow.activities.list_for_lead(lead.id, PageRequest(limit=100))
        engagement = await uow.activities.engagement(survivor.id)
    expected = _newest_first([*timeline, own])
    assert [a.id for a in moved.items] == [a.id for a in expected]
    assert all(a.lead_id == survivor.id for a in moved.items)
    assert left.total == 0
    assert engagement == Engagement(5, 2, NOW - HOUR)


async def test_an_uncommitted_move_is_discarded(leads: LeadsBackend) -> None:
    lead, _ = await _lead_with_timeline(leads)
    org = lead.organization_id
    survivor = make_lead(org, "Survivor")
    await leads.add(org, survivor)
    async with leads.uow(org) as uow:
        assert await uow.activities.move(lead.id, survivor.id) == 5
    async with leads.uow(org) as uow:
        assert (await uow.activities.list_for_lead(lead.id, PageRequest())).total == 5


async def test_activities_of_an_archived_lead_stay_listed(leads: LeadsBackend) -> None:
    lead, _ = await _lead_with_timeline(leads)
    org = lead.organization_id
    async with leads.uow(org) as uow:
        stored = await uow.leads.get(lead.id)
        assert stored is not None
        stored.archived_at = NOW
        await uow.leads.save(stored)
        await uow.commit()
    async with leads.uow(org) as uow:
        assert (await uow.activities.list_for_lead(lead.id, PageRequest())).total == 5
        assert (await uow.activities.engagement(lead.id)).interactions == 4


async def test_an_activity_of_a_missing_lead_or_a_taken_id_is_refused(leads: LeadsBackend) -> None:
    lead, timeline = await _lead_with_timeline(leads)
    async with leads.uow(lead.organization_id) as uow:
        with pytest.raises(REFUSED):
            await uow.activities.add(make_activity(make_lead(lead.organization_id), ActivityKind.NOTE, NOW))
    async with leads.uow(lead.organization_id) as uow:
        with pytest.raises(REFUSED):
            await uow.activities.add(make_activity(lead, ActivityKind.NOTE, NOW, id=timeline[0].id))


async def test_another_tenant_sees_and_moves_none_of_the_activities(leads: LeadsBackend) -> None:
    lead, _ = await _lead_with_timeline(leads)
    org_b = new_org()
    theirs = make_lead(org_b)
    await leads.add(org_b, theirs)
    async with leads.uow(org_b) as uow:
        assert (await uow.activities.list_for_lead(lead.id, PageRequest())).total == 0
        assert await uow.activities.engagement(lead.id) == Engagement(0, 0, None)
        assert await uow.activities.move(lead.id, theirs.id) == 0
        with pytest.raises(ValueError, match="another organisation"):
            await uow.activities.add(make_activity(lead, ActivityKind.NOTE, NOW))
        with pytest.raises(ValueError, match="another organisation"):
            await uow.activities.add_many(
                [make_activity(theirs, ActivityKind.NOTE, NOW), make_activity(lead, ActivityKind.NOTE, NOW)]
            )
        await uow.commit()
    async with leads.uow(org_b) as uow:
        assert (await uow.activities.list_for_lead(theirs.id, PageRequest())).total == 0
    async with leads.uow(lead.organization_id) as uow:
        assert (await uow.activities.list_for_lead(lead.id, PageRequest())).total == 5
