"""OutboxStore contract: a relay pass claims the unpublished events oldest first and marks
them published; only a committed pass counts."""

from __future__ import annotations

from datetime import timedelta

from nexuscore.kernel.events import EventRecord
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.paging import PageRequest
from tests.contract.events.backends import T0, EventsBackend

LATER = T0 + timedelta(minutes=5)


def _events(count: int) -> list[EventRecord]:
    orgs = [new_id(), new_id(), None]  # every tenant's events, and the platform's
    return [
        EventRecord(type="lead.created", occurred_at=T0 - timedelta(minutes=i), organization_id=orgs[i % 3])
        for i in range(count)
    ]


async def test_claim_is_oldest_first_up_to_the_limit(events: EventsBackend) -> None:
    await events.clear()
    recorded = _events(5)
    await events.record(*recorded)
    async with events.outbox().transaction() as tx:
        first = await tx.claim_unpublished(3)
        everything = await tx.claim_unpublished(100)
    assert [s.event for s in first] == recorded[:3]  # by id: the order they were recorded
    assert [s.event for s in everything] == recorded
    assert all(s.recorded_at == T0 and s.published_at is None for s in everything)


async def test_a_committed_pass_is_not_claimed_again(events: EventsBackend) -> None:
    await events.clear()
    recorded = _events(4)
    await events.record(*recorded)
    async with events.outbox().transaction() as tx:
        claimed = await tx.claim_unpublished(2)
        await tx.mark_published([s.event.id for s in claimed], LATER)
        await tx.commit()
    async with events.outbox().transaction() as tx:
        rest = await tx.claim_unpublished(100)
        await tx.mark_published([], LATER)  # nothing to mark: nothing happens
        await tx.commit()
    assert [s.event for s in rest] == recorded[2:]
    org = recorded[0].organization_id
    assert org is not None
    async with events.query(org) as query:
        page = await query.list_for_organization(org, PageRequest())
    # This tenant's events are recorded[0] and recorded[3]: the first was published, not the other.
    assert [(s.event, s.published_at) for s in page.items] == [(recorded[3], None), (recorded[0], LATER)]


async def test_an_uncommitted_pass_is_claimed_again(events: EventsBackend) -> None:
    await events.clear()
    recorded = _events(2)
    await events.record(*recorded)
    async with events.outbox().transaction() as tx:
        await tx.mark_published([e.id for e in recorded], LATER)
    async with events.outbox().transaction() as tx:
        assert [s.event for s in await tx.claim_unpublished(10)] == recorded


async def test_what_a_pass_marks_it_does_not_claim_again(events: EventsBackend) -> None:
    await events.clear()
    recorded = _events(3)
    await events.record(*recorded)
    async with events.outbox().transaction() as tx:
        await tx.mark_published([recorded[0].id], LATER)
        assert [s.event for s in await tx.claim_unpublished(10)] == recorded[1:]


async def test_an_empty_outbox_claims_nothing(events: EventsBackend) -> None:
    await events.clear()
    async with events.outbox().transaction() as tx:
        assert list(await tx.claim_unpublished(10)) == []


async def _publish(events: EventsBackend, recorded: list[EventRecord], at: object) -> None:
    async with events.outbox().transaction() as tx:
        await tx.claim_unpublished(100)
        await tx.mark_published([e.id for e in recorded], at)  # type: ignore[arg-type]
        await tx.commit()


async def test_published_but_undispatched_events_are_claimed_for_redelivery_after_the_bound(
    events: EventsBackend,
) -> None:
    await events.clear()
    recorded = _events(4)
    await events.record(*recorded)
    await _publish(events, recorded[:3], T0)
    async with events.dispatch().transaction() as tx:
        await tx.mark_dispatched(recorded[1].id, LATER)  # a consumer ran its subscribers
        await tx.commit()
    async with events.outbox().transaction() as tx:
        assert list(await tx.claim_undispatched(T0, 100, 10)) == []  # not older than the bound yet
        stale = await tx.claim_undispatched(LATER, 100, 10)
    # Unpublished (recorded[3]) is the relay's; dispatched (recorded[1]) is done.
    assert [s.event for s in stale] == [recorded[0], recorded[2]]
    assert all(s.dispatched_at is None and s.redeliveries == 0 for s in stale)


async def test_a_redelivery_restarts_the_bound_and_counts_up_to_the_cap(events: EventsBackend) -> None:
    await events.clear()
    recorded = _events(2)
    await events.record(*recorded)
    await _publish(events, recorded, T0)
    much_later = LATER + timedelta(minutes=5)
    async with events.outbox().transaction() as tx:
        await tx.mark_republished([recorded[0].id], LATER)
        await tx.commit()
    async with events.outbox().transaction() as tx:
        assert [s.event for s in await tx.claim_undispatched(LATER, 100, 10)] == [recorded[1]]
        again = await tx.claim_undispatched(much_later, 100, 10)
        assert [(s.event, s.redeliveries) for s in again] == [(recorded[1], 0), (recorded[0], 1)]
        assert [s.event for s in await tx.claim_undispatched(much_later, 100, 1)] == [recorded[1]]


async def test_events_marked_dispatched_by_the_relay_are_not_redelivered(events: EventsBackend) -> None:
    await events.clear()
    recorded = _events(2)
    await events.record(*recorded)
    async with events.outbox().transaction() as tx:
        await tx.claim_unpublished(100)
        await tx.mark_published([e.id for e in recorded], T0)
        await tx.mark_dispatched([recorded[0].id], T0)  # nobody subscribes: nothing to dispatch
        await tx.commit()
    async with events.outbox().transaction() as tx:
        assert [s.event for s in await tx.claim_undispatched(LATER, 100, 10)] == [recorded[1]]
