"""EventRecorder + EventQuery contract: what is recorded comes back whole in the audit trail,
newest first, filtered and paged, one tenant at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar
from uuid import UUID

import pytest

from nexuscore.events.domain.stored_event import StoredEvent
from nexuscore.kernel.events import DomainEvent, EventRecord, as_record
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.paging import PageRequest
from tests.contract.events.backends import T0, EventsBackend

HOUR = timedelta(hours=1)
ANN, BEN = new_id(), new_id()


@dataclass(frozen=True, kw_only=True)
class NoteAdded(DomainEvent):
    name: ClassVar[str] = "contract.note_added"

    lead_id: UUID
    body: str
    mentions: tuple[str, ...] = ()
    pinned: bool | None = None

    @property
    def subject(self) -> str | None:
        return f"lead:{self.lead_id}"


def _event(org: UUID | None, type_: str = "lead.created", at_hours: int = 0, actor: UUID | None = ANN) -> EventRecord:
    return EventRecord(
        type=type_, occurred_at=T0 + at_hours * HOUR, organization_id=org, actor_id=actor, payload={"n": at_hours}
    )


async def test_recorded_events_come_back_whole(events: EventsBackend) -> None:
    org = new_id()
    typed = NoteAdded(
        occurred_at=T0, organization_id=org, actor_id=ANN, lead_id=new_id(), body="Met 李 at 9", mentions=("ann", "ben")
    )
    plain = EventRecord(
        type="lead.imported",
        occurred_at=T0 + HOUR,
        organization_id=org,
        subject="import:1",
        payload={"rows": 3, "nested": {"ok": True, "list": [1, "two", None]}, "ratio": 0.5},
    )
    await events.record(typed, plain)
    async with events.query(org) as query:
        page = await query.list_for_organization(org, PageRequest())
    assert list(page.items) == [StoredEvent(plain, recorded_at=T0), StoredEvent(as_record(typed), recorded_at=T0)]
    assert page.items[1].event.payload == {
        "leadId": str(typed.lead_id),
        "body": "Met 李 at 9",
        "mentions": ["ann", "ben"],
    }
    assert page.items[1].event.subject == f"lead:{typed.lead_id}"


async def test_appending_nothing_records_nothing(events: EventsBackend) -> None:
    org = new_id()
    await events.record()
    async with events.query(org) as query:
        assert (await query.list_for_organization(org, PageRequest())).total == 0


async def test_the_trail_is_one_tenants_newest_first(events: EventsBackend) -> None:
    org, other = new_id(), new_id()
    mine = [_event(org, at_hours=h) for h in (2, 0, 1)]  # recorded in id order, not time order
    await events.record(*mine, _event(other), _event(None, "platform.started"))
    async with events.query(org) as query:
        page = await query.list_for_organization(org, PageRequest())
    async with events.query(new_id()) as query:
        nobody = await query.list_for_organization(new_id(), PageRequest())
    assert [s.event.id for s in page.items] == [e.id for e in reversed(mine)]  # by id, newest first
    assert (page.total, page.has_more) == (3, False)
    assert (list(nobody.items), nobody.total) == ([], 0)


@pytest.mark.parametrize(
    ("limit", "offset", "indexes", "has_more"),
    [(2, 0, [4, 3], True), (2, 2, [2, 1], True), (2, 4, [0], False), (3, 3, [1, 0], False), (2, 5, [], False)],
)
async def test_the_trail_pages(
    events: EventsBackend, limit: int, offset: int, indexes: list[int], has_more: bool
) -> None:
    org = new_id()
    recorded = [_event(org, at_hours=h) for h in range(5)]
    await events.record(*recorded)
    async with events.query(org) as query:
        page = await query.list_for_organization(org, PageRequest(limit, offset))
    assert [s.event.id for s in page.items] == [recorded[i].id for i in indexes]
    assert (page.total, page.limit, page.offset, page.has_more) == (5, limit, offset, has_more)


FILTERS = [
    ("none", {}, [0, 1, 2, 3]),
    ("type", {"event_type": "lead.updated"}, [1, 3]),
    ("type without events", {"event_type": "lead.deleted"}, []),
    ("empty type is no filter", {"event_type": ""}, [0, 1, 2, 3]),
    ("actor", {"actor_id": BEN}, [2, 3]),
    ("from (inclusive)", {"occurred_from": T0 + HOUR}, [1, 2, 3]),
    ("to (exclusive)", {"occurred_to": T0 + 2 * HOUR}, [0, 1]),
    ("range", {"occurred_from": T0 + HOUR, "occurred_to": T0 + 3 * HOUR}, [1, 2]),
    ("everything", {"event_type": "lead.updated", "actor_id": BEN, "occurred_from": T0}, [3]),
]


@pytest.mark.parametrize(("filters", "indexes"), [f[1:] for f in FILTERS], ids=[f[0] for f in FILTERS])
async def test_the_trail_filters(events: EventsBackend, filters: dict[str, object], indexes: list[int]) -> None:
    org = new_id()
    recorded = [
        _event(org, "lead.created", 0, ANN),
        _event(org, "lead.updated", 1, ANN),
        _event(org, "lead.created", 2, BEN),
        _event(org, "lead.updated", 3, BEN),
    ]
    await events.record(*recorded, _event(new_id(), "lead.updated", 3, BEN))
    async with events.query(org) as query:
        page = await query.list_for_organization(org, PageRequest(), **filters)  # type: ignore[arg-type]
    assert [s.event.id for s in page.items] == [recorded[i].id for i in reversed(indexes)]
    assert page.total == len(indexes)
