"""Leads use cases against the in-memory adapters and a FixedClock."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.errors import (
    BusinessRuleViolation,
    Conflict,
    NotFound,
    PermissionDenied,
    QuotaExceeded,
    ValidationError,
)
from nexuscore.kernel.events import EventRecord
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.paging import PageRequest
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.kernel.unset import UNSET
from nexuscore.leads.adapters.entitlements import DefaultLeadEntitlements
from nexuscore.leads.adapters.memory.neighbours import InMemoryMemberDirectory
from nexuscore.leads.adapters.memory.store import (
    InMemoryLeadsUnitOfWork,
    LeadsState,
)
from nexuscore.leads.application import activities, assignment, leads
from nexuscore.leads.application.assignment import AssignStrategy
from nexuscore.leads.application.merge import merge_leads
from nexuscore.leads.application.search import build_filter, list_leads, parse_sort
from nexuscore.leads.application.services import LeadsServices
from nexuscore.leads.domain import events as ev
from nexuscore.leads.domain.editing import ConsentInput, LeadInput
from nexuscore.leads.domain.model import (
    ActivityKind,
    DncStatus,
    DuplicateLead,
    Lead,
    LeadSource,
    LeadStatus,
    MarketingConsent,
)
from nexuscore.leads.ports.repositories import LeadSort, LeadSortField, OrgMember

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # 17:00 in Singapore
ORG, OTHER_ORG = UUID(int=100), UUID(int=200)
ANN, BEN, CAT, DAN, EVE, FAY = (UUID(int=i) for i in range(1, 7))  # owner, admin, member, viewer, outsider, member
ROLES = {ANN: Role.OWNER, BEN: Role.ADMIN, CAT: Role.MEMBER, DAN: Role.VIEWER, FAY: Role.MEMBER}


@dataclass
class World:
    state: LeadsState = field(default_factory=LeadsState)
    clock: FixedClock = field(default_factory=lambda: FixedClock(T0))
    members: InMemoryMemberDirectory = field(default_factory=InMemoryMemberDirectory)
    limit: DefaultLeadEntitlements = field(default_factory=lambda: DefaultLeadEntitlements(None))

    def __post_init__(self) -> None:
        # Joined in this order: ANN, BEN, CAT, DAN, FAY (the round-robin order, viewer skipped).
        for user, role in ROLES.items():
            self.members.add(ORG, OrgMember(user, role))
        self.members.add(OTHER_ORG, OrgMember(EVE, Role.OWNER))

    def uow(self, org: UUID = ORG) -> InMemoryLeadsUnitOfWork:
        return InMemoryLeadsUnitOfWork(self.state, org, self.clock, self.members)

    @property
    def services(self) -> LeadsServices:
        return LeadsServices(self.clock, self.limit)

    def advance(self, **delta: float) -> None:
        self.clock.advance(timedelta(**delta))

    def events(self, event_type: str | None = None) -> list[EventRecord]:
        return [e for e in self.state.events if event_type is None or e.type == event_type]

    def snapshot(self) -> LeadsState:
        return copy.deepcopy(self.state)

    async def create(self, by: UUID = CAT, org: UUID = ORG, **fields: Any) -> Lead:
        fields.setdefault("first_name", "Wei Ling")
        return await leads.create_lead(self.uow(org), self.services, tenant=as_(by, org), data=LeadInput(**fields))

    async def get(self, lead_id: UUID) -> Lead:
        return await leads.get_lead(self.uow(), self.services, tenant=as_(DAN), lead_id=lead_id)

    async def update(self, lead_id: UUID, by: UUID = CAT, **fields: Any) -> Lead:
        return await leads.update_lead(
            self.uow(), self.services, tenant=as_(by), lead_id=lead_id, data=LeadInput(**fields)
        )

    async def log(self, lead_id: UUID, kind: ActivityKind = ActivityKind.CALL, by: UUID = CAT, **kw: Any) -> Any:
        return await activities.log_activity(
            self.uow(), self.services, tenant=as_(by), lead_id=lead_id, kind=kind, **kw
        )

    async def timeline(self, lead_id: UUID) -> list[Any]:
        return list(
            (
                await activities.list_activities(
                    self.uow(), self.services, tenant=as_(DAN), lead_id=lead_id, page=PageRequest(100)
                )
            ).items
        )


def as_(user: UUID, org: UUID = ORG) -> TenantContext:
    role = ROLES.get(user, Role.OWNER) if org == ORG else Role.OWNER
    return TenantContext(org, user, role)


@pytest.fixture
def world() -> World:
    return World()


# ---- create ------------------------------------------------------------------------------


async def test_create_cleans_fields_scores_and_records(world: World) -> None:
    lead = await world.create(
        first_name=" Wei Ling ",
        last_name="Tan",
        email="WeiLing@Kopi.SG",
        phone="9123 4567",
        company="Kopi Tiam Pte Ltd",
        company_uen="201912345k",
        source=LeadSource.REFERRAL,
        tags=["VIP", "f&b", "vip"],
        estimated_value="12,500.50",
        owner_id=FAY,
        marketing_consent=ConsentInput(granted=True, source="website form"),
    )
    assert (lead.first_name, lead.email, lead.phone, lead.company_uen) == (
        "Wei Ling",
        "weiling@kopi.sg",
        "+6591234567",
        "201912345K",
    )
    assert lead.tags == ["vip", "f&b"] and lead.estimated_value and lead.estimated_value.amount == 1_250_050
    assert lead.status is LeadStatus.NEW and (lead.created_by, lead.updated_by) == (CAT, CAT)
    assert lead.marketing_consent == MarketingConsent(True, T0, "website form")  # the server's time
    assert lead.score == 4 * 6 + 20 and {r.factor for r in lead.score_reasons} == {"completeness", "source"}
    assert world.state.leads[lead.id] == lead
    created = world.events(ev.LeadCreated.name)
    assert [(e.subject, e.actor_id, e.organization_id) for e in created] == [(f"lead:{lead.id}", CAT, ORG)]
    assert "weiling@kopi.sg" not in str(created[0].payload)  # no personal data in events
    assert [e.payload["ownerId"] for e in world.events(ev.LeadAssigned.name)] == [str(FAY)]
    assert [(a.kind, a.details["ownerId"]) for a in await world.timeline(lead.id)] == [
        (ActivityKind.ASSIGNMENT, str(FAY))
    ]


async def test_create_collects_every_field_error_and_writes_nothing(world: World) -> None:
    before = world.snapshot()
    with pytest.raises(ValidationError) as caught:
        await world.create(
            first_name="  ",
            email="nope",
            phone="123",
            company_uen="x",
            estimated_value="-5",
            tags=["<b>"],
            owner_id=DAN,
            marketing_consent=ConsentInput(granted=True, source=" "),
        )
    assert {e.field for e in caught.value.errors} == {
        "firstName",
        "email",
        "phone",
        "companyUen",
        "estimatedValue",
        "tags",
        "ownerId",
        "marketingConsent.source",
    }
    assert world.state == before


@pytest.mark.parametrize("owner", [DAN, EVE, UUID(int=999)])
async def test_only_members_who_may_edit_can_own_leads(world: World, owner: UUID) -> None:
    with pytest.raises(ValidationError) as caught:
        await world.create(owner_id=owner)
    assert [e.field for e in caught.value.errors] == ["ownerId"]


async def test_a_duplicate_email_or_phone_is_a_conflict_naming_the_existing_lead(world: World) -> None:
    first = await world.create(email="ann@kopi.sg", phone="91234567")
    with pytest.raises(DuplicateLead) as by_email:
        await world.create(email=" ANN@kopi.sg")
    assert by_email.value.existing_id == first.id and by_email.value.extra == {
        "existingLeadId": str(first.id),
        "matchedOn": "email",
    }
    with pytest.raises(DuplicateLead) as by_phone:
        await world.create(email="other@kopi.sg", phone="+65 9123 4567")
    assert by_phone.value.matched_on == "phone"
    assert isinstance(by_phone.value, Conflict)
    assert len(world.state.leads) == 1


async def test_archived_leads_and_other_tenants_do_not_count_as_duplicates(world: World) -> None:
    first = await world.create(email="ann@kopi.sg")
    await world.create(org=OTHER_ORG, by=EVE, email="ann@kopi.sg")  # another tenant: no clash
    await leads.archive_lead(world.uow(), world.services, tenant=as_(BEN), lead_id=first.id)
    again = await world.create(email="ann@kopi.sg")
    assert again.id != first.id


async def test_creating_past_the_lead_limit_is_a_quota_error(world: World) -> None:
    world.limit.limit = 2
    a = await world.create(email="a@x.sg")
    await world.create(email="b@x.sg")
    with pytest.raises(QuotaExceeded) as caught:
        await world.create(email="c@x.sg")
    assert caught.value.extra == {"limit": 2}
    assert len(world.state.leads) == 2
    await leads.archive_lead(world.uow(), world.services, tenant=as_(BEN), lead_id=a.id)  # archiving frees a place
    await world.create(email="c@x.sg")


async def test_dnc_result_without_a_date_was_checked_today_in_singapore(world: World) -> None:
    world.clock.set(datetime(2026, 3, 2, 17, 0, tzinfo=UTC))  # already 3 March in Singapore
    lead = await world.create(phone="91234567", dnc_status=DncStatus.CLEAR)
    assert (lead.dnc_status, lead.dnc_checked_at) == (DncStatus.CLEAR, date(2026, 3, 3))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"dnc_status": DncStatus.CLEAR, "dnc_checked_at": date(2026, 3, 10)}, "dncCheckedAt"),
        ({"dnc_status": DncStatus.UNCHECKED, "dnc_checked_at": date(2026, 3, 1)}, "dncCheckedAt"),
        ({"dnc_checked_at": date(2026, 3, 1)}, "dncCheckedAt"),
    ],
)
async def test_dnc_fields_stay_consistent(world: World, fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        await world.create(**fields)
    assert [e.field for e in caught.value.errors] == [field]


# ---- permissions per role ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "allowed"),
    [(ANN, {"edit", "archive", "merge"}), (BEN, {"edit", "archive", "merge"}), (CAT, {"edit"}), (DAN, set())],
)
async def test_permissions_per_role(world: World, user: UUID, allowed: set[str]) -> None:
    a = await world.create(email="a@x.sg")
    b = await world.create(email="b@x.sg")
    me = as_(user)
    calls = {
        "edit": [
            lambda: leads.create_lead(world.uow(), world.services, tenant=me, data=LeadInput("X")),
            lambda: leads.update_lead(
                world.uow(), world.services, tenant=me, lead_id=a.id, data=LeadInput(company="K")
            ),
            lambda: leads.change_status(
                world.uow(), world.services, tenant=me, lead_id=a.id, status=LeadStatus.CONTACTED
            ),
            lambda: activities.log_activity(
                world.uow(), world.services, tenant=me, lead_id=a.id, kind=ActivityKind.NOTE, body="hi"
            ),
            lambda: assignment.assign_leads(world.uow(), world.services, tenant=me, lead_ids=[a.id], owner_id=CAT),
        ],
        "merge": [lambda: merge_leads(world.uow(), world.services, tenant=me, lead_id=a.id, other_lead_id=b.id)],
        "archive": [lambda: leads.archive_lead(world.uow(), world.services, tenant=me, lead_id=a.id)],
    }
    # Everyone reads.
    assert (await leads.get_lead(world.uow(), world.services, tenant=me, lead_id=a.id)).id == a.id
    sort, page = LeadSort(), PageRequest()
    assert (
        await list_leads(world.uow(), world.services, tenant=me, lead_filter=build_filter(), sort=sort, page=page)
    ).total == 2
    assert (
        await activities.list_activities(world.uow(), world.services, tenant=me, lead_id=a.id, page=page)
    ).total == 0
    for group in ("edit", "merge", "archive"):  # archive last: it removes `a`
        for call in calls[group]:
            if group in allowed:
                await call()
            else:
                with pytest.raises(PermissionDenied):
                    await call()


# ---- read, update, archive -----------------------------------------------------------------


async def test_other_tenants_leads_are_not_found(world: World) -> None:
    theirs = await world.create(org=OTHER_ORG, by=EVE)
    with pytest.raises(NotFound):
        await world.get(theirs.id)
    with pytest.raises(NotFound):
        await world.update(theirs.id, company="Mine now")
    with pytest.raises(NotFound):
        await world.log(theirs.id)
    with pytest.raises(NotFound):
        await world.timeline(theirs.id)
    # The lead resolves before the body is judged: a bad body on a foreign id is still a 404.
    with pytest.raises(NotFound):
        await world.log(theirs.id, ActivityKind.STATUS_CHANGE, body="")
    with pytest.raises(NotFound):
        await leads.change_status(
            world.uow(),
            world.services,
            tenant=as_(CAT),
            lead_id=theirs.id,
            status=LeadStatus.CONTACTED,
            lost_reason="why",
        )
    with pytest.raises(NotFound):
        await merge_leads(world.uow(), world.services, tenant=as_(BEN), lead_id=theirs.id, other_lead_id=theirs.id)


async def test_patch_changes_only_the_given_fields_and_reports_their_names(world: World) -> None:
    lead = await world.create(email="a@x.sg", company="Kopi", job_title="Boss", tags=["vip"])
    world.advance(hours=1)
    updated = await world.update(lead.id, by=BEN, company=None, job_title="CEO", tags=UNSET)
    assert (updated.company, updated.job_title, updated.email, updated.tags) == (None, "CEO", "a@x.sg", ["vip"])
    assert (updated.updated_by, updated.updated_at, updated.created_at) == (BEN, T0 + timedelta(hours=1), T0)
    [event] = world.events(ev.LeadUpdated.name)
    assert event.payload == {"fields": ["company", "jobTitle"]}
    assert updated.score == lead.score - 6  # company gone, job title kept


async def test_patch_without_changes_records_nothing(world: World) -> None:
    lead = await world.create(company="Kopi")
    count = len(world.state.events)
    same = await world.update(lead.id, company=" Kopi ")
    assert same.updated_at == T0 and len(world.state.events) == count


async def test_patch_to_another_leads_contact_is_a_duplicate(world: World) -> None:
    a = await world.create(email="a@x.sg")
    b = await world.create(email="b@x.sg")
    with pytest.raises(DuplicateLead) as caught:
        await world.update(b.id, email="A@x.sg")
    assert caught.value.existing_id == a.id
    assert (await world.update(a.id, email="a@x.sg", company="K")).email == "a@x.sg"  # its own contact is fine


async def test_patching_the_owner_records_an_assignment(world: World) -> None:
    lead = await world.create()
    await world.update(lead.id, owner_id=FAY)
    await world.update(lead.id, owner_id=None)
    assigned = world.events(ev.LeadAssigned.name)
    assert [e.payload.get("ownerId") for e in assigned] == [str(FAY), None]
    assert [a.kind for a in await world.timeline(lead.id)] == [ActivityKind.ASSIGNMENT] * 2


async def test_a_new_phone_needs_a_new_dnc_check(world: World) -> None:
    lead = await world.create(phone="91234567", dnc_status=DncStatus.CLEAR)
    moved = await world.update(lead.id, phone="81234567")
    assert (moved.dnc_status, moved.dnc_checked_at) == (DncStatus.UNCHECKED, None)
    assert world.events(ev.LeadUpdated.name)[-1].payload["fields"] == ["phone", "dncStatus", "dncCheckedAt"]


async def test_consent_is_restated_with_the_server_time_and_never_cleared_silently(world: World) -> None:
    lead = await world.create(marketing_consent=ConsentInput(True, "event"))
    world.advance(days=3)
    withdrawn = await world.update(lead.id, marketing_consent=ConsentInput(False, "email reply"))
    assert withdrawn.marketing_consent == MarketingConsent(False, T0 + timedelta(days=3), "email reply")


async def test_archived_leads_disappear(world: World) -> None:
    lead = await world.create()
    await leads.archive_lead(world.uow(), world.services, tenant=as_(ANN), lead_id=lead.id)
    assert world.state.leads[lead.id].archived_at == T0
    with pytest.raises(NotFound):
        await world.get(lead.id)
    with pytest.raises(NotFound):
        await leads.archive_lead(world.uow(), world.services, tenant=as_(ANN), lead_id=lead.id)
    page = await list_leads(
        world.uow(),
        world.services,
        tenant=as_(ANN),
        lead_filter=build_filter(),
        sort=LeadSort(),
        page=PageRequest(),
    )
    assert page.total == 0
    assert [e.subject for e in world.events(ev.LeadArchived.name)] == [f"lead:{lead.id}"]


# ---- status --------------------------------------------------------------------------------


async def test_status_changes_are_recorded(world: World) -> None:
    lead = await world.create()
    world.advance(minutes=5)
    moved = await leads.change_status(
        world.uow(), world.services, tenant=as_(CAT), lead_id=lead.id, status=LeadStatus.QUALIFIED
    )
    assert moved.status is LeadStatus.QUALIFIED
    lost = await leads.change_status(
        world.uow(),
        world.services,
        tenant=as_(CAT),
        lead_id=lead.id,
        status=LeadStatus.LOST,
        lost_reason="  Chose a competitor ",
    )
    assert lost.lost_reason == "Chose a competitor"
    assert [e.payload for e in world.events(ev.LeadStatusChanged.name)] == [
        {"from": "new", "to": "qualified"},
        {"from": "qualified", "to": "lost"},
    ]
    timeline = await world.timeline(lead.id)
    assert [(a.kind, a.details) for a in timeline] == [
        (ActivityKind.STATUS_CHANGE, {"from": "qualified", "to": "lost"}),
        (ActivityKind.STATUS_CHANGE, {"from": "new", "to": "qualified"}),
    ]
    assert timeline[0].body == "Chose a competitor"


async def test_illegal_moves_and_missing_reasons_change_nothing(world: World) -> None:
    lead = await world.create()
    before = world.snapshot()
    with pytest.raises(BusinessRuleViolation) as caught:
        await leads.change_status(world.uow(), world.services, tenant=as_(CAT), lead_id=lead.id, status=LeadStatus.WON)
    assert caught.value.extra == {"from": "new", "to": "won"}
    with pytest.raises(ValidationError):
        await leads.change_status(world.uow(), world.services, tenant=as_(CAT), lead_id=lead.id, status=LeadStatus.LOST)
    with pytest.raises(ValidationError) as reason_for_open:
        await leads.change_status(
            world.uow(),
            world.services,
            tenant=as_(CAT),
            lead_id=lead.id,
            status=LeadStatus.CONTACTED,
            lost_reason="why",
        )
    assert reason_for_open.value.errors[0].field == "lostReason"
    assert world.state == before


# ---- activities and score -----------------------------------------------------------------


async def test_logging_interactions_rescores_the_lead(world: World) -> None:
    lead = await world.create()
    assert lead.score == 4
    await world.log(lead.id, ActivityKind.MEETING, body="Coffee at Tiong Bahru")
    await world.log(lead.id, ActivityKind.CALL, occurred_at=T0 - timedelta(days=1))
    scored = await world.get(lead.id)
    assert scored.score == 4 + 6 + 10 + 20
    assert {r.factor: r.points for r in scored.score_reasons} == {"source": 4, "engagement": 16, "recency": 20}
    assert scored.updated_at == T0  # logging is not an edit of the lead


async def test_the_timeline_is_newest_first_and_paged(world: World) -> None:
    lead = await world.create()
    for days in (3, 1, 2):
        await world.log(lead.id, ActivityKind.NOTE, body=f"{days} days ago", occurred_at=T0 - timedelta(days=days))
    page = await activities.list_activities(
        world.uow(), world.services, tenant=as_(DAN), lead_id=lead.id, page=PageRequest(limit=2)
    )
    assert [a.body for a in page.items] == ["1 days ago", "2 days ago"] and page.total == 3 and page.has_more


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"kind": ActivityKind.STATUS_CHANGE}, "kind"),
        ({"kind": ActivityKind.ASSIGNMENT}, "kind"),
        ({"kind": ActivityKind.MERGE}, "kind"),
        ({"kind": ActivityKind.NOTE, "body": "  "}, "body"),
        ({"kind": ActivityKind.NOTE, "body": "x" * 10_001}, "body"),
        ({"kind": ActivityKind.NOTE, "body": "bell\x07"}, "body"),
        ({"kind": ActivityKind.CALL, "occurred_at": T0 + timedelta(hours=1)}, "occurredAt"),
        ({"kind": ActivityKind.CALL, "occurred_at": datetime(2026, 3, 1, 9, 0)}, "occurredAt"),
    ],
)
async def test_activity_validation(world: World, kw: dict[str, Any], field: str) -> None:
    lead = await world.create()
    with pytest.raises(ValidationError) as caught:
        await activities.log_activity(world.uow(), world.services, tenant=as_(CAT), lead_id=lead.id, **kw)
    assert [e.field for e in caught.value.errors] == [field]


async def test_a_little_clock_skew_is_tolerated(world: World) -> None:
    lead = await world.create()
    logged = await world.log(lead.id, body="multi\nline", occurred_at=T0 + timedelta(minutes=2))
    assert logged.occurred_at == T0 and logged.body == "multi\nline"


# ---- search --------------------------------------------------------------------------------


async def test_search_filters_sort_and_pages(world: World) -> None:
    a = await world.create(
        first_name="Alice", last_name="Ng", company="Kopi Tiam", tags=["vip"], source=LeadSource.EVENT
    )
    world.advance(hours=1)
    b = await world.create(
        first_name="Bob", last_name="Lim", email="bob@teh.sg", owner_id=FAY, next_follow_up=date(2026, 3, 5)
    )
    world.advance(hours=1)
    c = await world.create(first_name="Chen", last_name="Ong", estimated_value="500", next_follow_up=date(2026, 3, 9))
    await leads.change_status(world.uow(), world.services, tenant=as_(CAT), lead_id=c.id, status=LeadStatus.CONTACTED)

    async def ids(sort: str | None = None, page: PageRequest = PageRequest(), **filters: Any) -> list[UUID]:
        found = await list_leads(
            world.uow(),
            world.services,
            tenant=as_(DAN),
            lead_filter=build_filter(**filters),
            sort=parse_sort(sort),
            page=page,
        )
        return [lead.id for lead in found.items]

    assert await ids() == [c.id, b.id, a.id]  # newest first by default
    assert await ids("createdAt") == [a.id, b.id, c.id]
    assert await ids(statuses=["new"]) == [b.id, a.id]
    assert await ids(statuses=["contacted,won"]) == [c.id]
    assert await ids(statuses=["new", "contacted"]) == [c.id, b.id, a.id]
    assert await ids(owner_id=FAY) == [b.id]
    assert await ids(source=LeadSource.EVENT) == [a.id]
    assert await ids(tag=" VIP ") == [a.id]
    assert await ids(q="kopi") == [a.id]
    assert await ids(q="BOB@TEH") == [b.id]
    assert await ids(q="chen ong") == [c.id]
    assert await ids(created_from=T0 + timedelta(hours=1)) == [c.id, b.id]
    assert await ids(created_to=T0 + timedelta(hours=1)) == [b.id, a.id]  # inclusive
    assert await ids(q="kopi alice") == [a.id] and await ids(q="kopi bob") == []  # every word matches
    # Scores: a = company 6 + event 14 = 20; b = email 6 + other 4 = 10; c = other 4.
    assert await ids(score_min=10) == [b.id, a.id]
    assert await ids(score_min=11) == [a.id]
    assert await ids("-score") == [a.id, b.id, c.id]
    assert await ids(follow_up_before=date(2026, 3, 9)) == [b.id]
    assert await ids("-estimatedValue") == [b.id, a.id, c.id]  # missing is largest: first descending
    assert await ids("nextFollowUp") == [b.id, c.id, a.id]  # missing values last ascending
    assert await ids("-nextFollowUp") == [a.id, c.id, b.id]
    assert await ids("lastName") == [b.id, a.id, c.id]
    first = await list_leads(
        world.uow(),
        world.services,
        tenant=as_(DAN),
        lead_filter=build_filter(),
        sort=LeadSort(),
        page=PageRequest(limit=2),
    )
    assert (first.total, len(first.items), first.has_more) == (3, 2, True)
    assert await ids(page=PageRequest(limit=2, offset=2)) == [a.id]


@pytest.mark.parametrize("raw", ["email", "-id", "score,createdAt", "--score", "Score"])
def test_unknown_sort_keys_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_sort(raw)
    assert caught.value.errors[0].field == "sort"


def test_sort_keys_parse() -> None:
    assert parse_sort("-score") == LeadSort(LeadSortField.SCORE, True)
    assert parse_sort("lastName") == LeadSort(LeadSortField.LAST_NAME, False)
    assert parse_sort(None) == LeadSort(LeadSortField.CREATED_AT, True)


def test_unknown_statuses_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        build_filter(statuses=["new,closed"])
    assert caught.value.errors[0].field == "status"


# ---- merge ---------------------------------------------------------------------------------


async def test_merge_fills_empty_fields_moves_activities_and_archives_the_other(world: World) -> None:
    keep = await world.create(
        first_name="Wei Ling",
        email="wl@kopi.sg",
        tags=["vip"],
        source=LeadSource.OTHER,
        marketing_consent=ConsentInput(True, "event"),
    )
    world.advance(days=1)
    dup = await world.create(
        first_name="W.L.",
        last_name="Tan",
        email="weiling@gmail.com",
        phone="91234567",
        company="Kopi Tiam",
        source=LeadSource.REFERRAL,
        tags=["f&b", "vip"],
        owner_id=FAY,
        dnc_status=DncStatus.CLEAR,
        marketing_consent=ConsentInput(False, "unsubscribe link"),
    )
    await world.log(dup.id, ActivityKind.MEETING, body="Met at FHA")
    world.advance(hours=1)

    result = await merge_leads(world.uow(), world.services, tenant=as_(BEN), lead_id=keep.id, other_lead_id=dup.id)

    merged = result.lead
    assert merged.email == "wl@kopi.sg"  # kept
    assert (merged.last_name, merged.phone, merged.company, merged.owner_id) == ("Tan", "+6591234567", "Kopi Tiam", FAY)
    assert merged.source is LeadSource.REFERRAL and merged.tags == ["vip", "f&b"]
    assert merged.marketing_consent is not None and not merged.marketing_consent.granted  # the later statement
    assert (merged.dnc_status, merged.dnc_checked_at) == (DncStatus.CLEAR, date(2026, 3, 3))  # came with the phone
    assert result.moved_activities == 2  # the meeting and the assignment
    assert set(result.filled_fields) >= {"lastName", "phone", "company", "source", "ownerId", "tags"}
    gone = world.state.leads[dup.id]
    assert (gone.archived_at, gone.merged_into_id) == (T0 + timedelta(days=1, hours=1), keep.id)
    timeline = await world.timeline(keep.id)
    assert timeline[0].kind is ActivityKind.MERGE and timeline[0].details["mergedLeadId"] == str(dup.id)
    assert ActivityKind.MEETING in {a.kind for a in timeline}
    assert merged.score > keep.score  # the meeting and the new fields count now
    [merged_event] = world.events(ev.LeadMerged.name)
    assert merged_event.subject == f"lead:{keep.id}" and merged_event.payload["mergedLeadId"] == str(dup.id)
    assert world.events(ev.LeadArchived.name)[-1].payload == {"mergedIntoId": str(keep.id)}
    with pytest.raises(NotFound):
        await world.get(dup.id)
    # The duplicate's contact is free again, and now belongs to the survivor.
    with pytest.raises(DuplicateLead) as caught:
        await world.create(phone="+6591234567")
    assert caught.value.existing_id == keep.id


async def test_merge_refuses_itself_archived_and_foreign_leads(world: World) -> None:
    a = await world.create(email="a@x.sg")
    b = await world.create(email="b@x.sg")
    theirs = await world.create(org=OTHER_ORG, by=EVE)
    await leads.archive_lead(world.uow(), world.services, tenant=as_(BEN), lead_id=b.id)
    before = world.snapshot()

    async def merge(into: UUID, other: UUID) -> Any:
        return await merge_leads(world.uow(), world.services, tenant=as_(BEN), lead_id=into, other_lead_id=other)

    with pytest.raises(Conflict):
        await merge(a.id, a.id)
    with pytest.raises(NotFound):
        await merge(a.id, b.id)
    with pytest.raises(NotFound):
        await merge(b.id, a.id)
    with pytest.raises(NotFound):
        await merge(a.id, theirs.id)
    assert world.state == before


async def test_merge_keeps_the_survivors_values_and_newer_consent(world: World) -> None:
    keep = await world.create(company="Keep", marketing_consent=ConsentInput(False, "call"))
    world.advance(days=1)
    dup = await world.create(company="Dup", marketing_consent=ConsentInput(True, "form"))
    result = await merge_leads(world.uow(), world.services, tenant=as_(ANN), lead_id=keep.id, other_lead_id=dup.id)
    assert result.lead.company == "Keep"
    assert result.lead.marketing_consent == MarketingConsent(True, T0 + timedelta(days=1), "form")


# ---- assignment ----------------------------------------------------------------------------


async def test_assign_to_one_owner(world: World) -> None:
    a, b = await world.create(email="a@x.sg"), await world.create(email="b@x.sg", owner_id=FAY)
    done = await assignment.assign_leads(
        world.uow(), world.services, tenant=as_(CAT), lead_ids=[a.id, b.id, a.id], owner_id=FAY
    )
    assert [(x.lead_id, x.owner_id, x.changed) for x in done] == [(a.id, FAY, True), (b.id, FAY, False)]
    assert (await world.get(a.id)).owner_id == FAY
    assigned = [e for e in world.events(ev.LeadAssigned.name) if e.payload.get("via") == "manual"]
    assert [e.subject for e in assigned] == [f"lead:{a.id}"]


async def test_round_robin_takes_turns_among_members_by_join_order(world: World) -> None:
    created = [await world.create(email=f"{i}@x.sg") for i in range(6)]
    ids = [lead.id for lead in created]
    first = await assignment.assign_leads(
        world.uow(), world.services, tenant=as_(CAT), lead_ids=ids[:3], strategy=AssignStrategy.ROUND_ROBIN
    )
    second = await assignment.assign_leads(
        world.uow(), world.services, tenant=as_(CAT), lead_ids=ids[3:], strategy=AssignStrategy.ROUND_ROBIN
    )
    # ANN, BEN, CAT, FAY take turns (DAN is a viewer); the second call continues where the first stopped.
    assert [x.owner_id for x in first + second] == [ANN, BEN, CAT, FAY, ANN, BEN]
    assert world.state.round_robin[ORG] == 6
    timeline = await world.timeline(ids[3])
    assert timeline[0].details == {"ownerId": str(FAY), "previousOwnerId": "", "via": "round_robin"}


async def test_assignment_is_all_or_nothing(world: World) -> None:
    a = await world.create(email="a@x.sg")
    archived = await world.create(email="b@x.sg")
    theirs = await world.create(org=OTHER_ORG, by=EVE)
    await leads.archive_lead(world.uow(), world.services, tenant=as_(BEN), lead_id=archived.id)
    before = world.snapshot()
    for bad in (UUID(int=4242), archived.id, theirs.id):
        with pytest.raises(NotFound) as caught:
            await assignment.assign_leads(
                world.uow(), world.services, tenant=as_(CAT), lead_ids=[a.id, bad], strategy=AssignStrategy.ROUND_ROBIN
            )
        assert caught.value.extra == {"missingLeadIds": [str(bad)]}
    assert world.state == before  # the round-robin counter did not move either


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"owner_id": DAN}, "ownerId"),
        ({"owner_id": EVE}, "ownerId"),
        ({}, "ownerId"),
        ({"owner_id": CAT, "strategy": AssignStrategy.ROUND_ROBIN}, "ownerId"),
        ({"owner_id": CAT, "lead_ids": []}, "leadIds"),
        ({"owner_id": CAT, "lead_ids": [new_id() for _ in range(501)]}, "leadIds"),
    ],
)
async def test_assignment_validation(world: World, kw: dict[str, Any], field: str) -> None:
    lead = await world.create()
    kw.setdefault("lead_ids", [lead.id])
    with pytest.raises(ValidationError) as caught:
        await assignment.assign_leads(world.uow(), world.services, tenant=as_(CAT), **kw)
    assert [e.field for e in caught.value.errors] == [field]
