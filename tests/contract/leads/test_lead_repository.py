"""LeadRepository contract: add/get/save, every filter and sort key of the search, paging,
dedupe lookups, exports, quota counting and tenant scoping, the same on every backend."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest

from nexuscore.kernel.ids import new_id
from nexuscore.kernel.money import Money
from nexuscore.kernel.paging import EXACT_TOTAL_WINDOW, SEARCH_TOTAL_WINDOW, PageRequest
from nexuscore.leads.domain.model import (
    DncStatus,
    DuplicateLead,
    Lead,
    LeadSource,
    LeadStatus,
    MarketingConsent,
    ScoreReason,
)
from nexuscore.leads.ports.repositories import ExportFilter, LeadFilter, LeadSort, LeadSortField
from tests.contract.conftest import SQLITE
from tests.contract.leads.backends import NOW, REFUSED, TODAY, USER, LeadsBackend, make_lead, new_org

DAY = timedelta(days=1)
U1 = UUID("01900000-0000-7000-8000-0000000000a1")
U2 = UUID("01900000-0000-7000-8000-0000000000a2")


def _full_lead(org_id: UUID) -> Lead:
    return make_lead(
        org_id,
        "Ann",
        "Tan",
        email="ann@alpha.sg",
        phone="+6591234567",
        company="Alpha Pte Ltd",
        company_uen="201912345K",
        job_title="Director",
        source=LeadSource.REFERRAL,
        status=LeadStatus.LOST,
        lost_reason="budget",
        owner_id=U1,
        tags=["vip", "sg", "b2b"],
        estimated_value=Money(123456, "SGD"),
        next_follow_up=date(2026, 12, 24),
        score=42,
        score_reasons=[ScoreReason("completeness", "email and phone", 20), ScoreReason("source", "referral", 22)],
        marketing_consent=MarketingConsent(True, NOW - DAY, "web form"),
        dnc_status=DncStatus.CLEAR,
        dnc_checked_at=TODAY - DAY,
    )


# ---- add / get / save ---------------------------------------------------------------------


async def test_every_field_round_trips_through_add_and_get(leads: LeadsBackend) -> None:
    org = new_org()
    lead = _full_lead(org)
    bare = make_lead(org, "Ben", "Lim")
    await leads.add(org, lead, bare)
    async with leads.uow(org) as uow:
        assert await uow.leads.get(lead.id) == lead
        assert await uow.leads.get(bare.id) == bare


async def test_add_then_read_in_the_same_unit_of_work(leads: LeadsBackend) -> None:
    org = new_org()
    lead = make_lead(org)
    async with leads.uow(org) as uow:
        await uow.leads.add(lead)
        assert await uow.leads.get(lead.id) == lead
        assert await uow.leads.count_active() == 1


async def test_an_uncommitted_add_is_discarded(leads: LeadsBackend) -> None:
    org = new_org()
    lead = make_lead(org)
    async with leads.uow(org) as uow:
        await uow.leads.add(lead)
    async with leads.uow(org) as uow:
        assert await uow.leads.get(lead.id) is None


async def test_a_taken_id_is_refused(leads: LeadsBackend) -> None:
    org = new_org()
    lead = make_lead(org)
    await leads.add(org, lead)
    async with leads.uow(org) as uow:
        with pytest.raises(REFUSED):
            await uow.leads.add(make_lead(org, "Other", id=lead.id))
    async with leads.uow(org) as uow:
        assert await uow.leads.get(lead.id) == lead


async def test_get_is_none_for_unknown_archived_and_other_tenants_leads(leads: LeadsBackend) -> None:
    org, other = new_org(), new_org()
    archived = make_lead(org, archived_at=NOW)
    theirs = make_lead(other)
    await leads.add(org, archived)
    await leads.add(other, theirs)
    async with leads.uow(org) as uow:
        assert await uow.leads.get(new_id()) is None
        assert await uow.leads.get(archived.id) is None
        assert await uow.leads.get(theirs.id) is None
        assert await uow.leads.get(archived.id, for_update=True) is None


async def test_get_many_returns_the_active_ones_in_id_order(leads: LeadsBackend) -> None:
    org, other = new_org(), new_org()
    a, b, c = make_lead(org, "A"), make_lead(org, "B"), make_lead(org, "C", archived_at=NOW)
    theirs = make_lead(other, "T")
    await leads.add(org, a, b, c)
    await leads.add(other, theirs)
    async with leads.uow(org) as uow:
        found = await uow.leads.get_many([b.id, c.id, theirs.id, a.id, new_id(), b.id])
        locked = await uow.leads.get_many([b.id, a.id], for_update=True)
        assert await uow.leads.get_many([]) == []
    assert [x.id for x in found] == [a.id, b.id]
    assert list(found) == [a, b]
    assert [x.id for x in locked] == [a.id, b.id]


async def test_save_writes_every_changed_field(leads: LeadsBackend) -> None:
    org = new_org()
    lead = make_lead(org, email="ann@alpha.sg")
    await leads.add(org, lead)
    changed = dataclasses.replace(
        _full_lead(org),
        id=lead.id,
        email="ann@new.sg",
        updated_by=U2,
        updated_at=NOW + DAY,
        tags=["new"],
        estimated_value=None,
        marketing_consent=None,
        score_reasons=[],
    )
    async with leads.uow(org) as uow:
        await uow.leads.save(changed)
        await uow.commit()
    async with leads.uow(org) as uow:
        assert await uow.leads.get(lead.id) == changed


async def test_save_keeps_the_creation_facts(leads: LeadsBackend) -> None:
    org = new_org()
    lead = make_lead(org)
    await leads.add(org, lead)
    rewritten = dataclasses.replace(lead, created_by=U2, created_at=NOW - 30 * DAY, first_name="Anne")
    async with leads.uow(org) as uow:
        await uow.leads.save(rewritten)
        await uow.commit()
    async with leads.uow(org) as uow:
        stored = await uow.leads.get(lead.id)
    assert stored == dataclasses.replace(lead, first_name="Anne")


async def test_save_of_an_unknown_lead_adds_nothing(leads: LeadsBackend) -> None:
    org = new_org()
    ghost = make_lead(org)
    async with leads.uow(org) as uow:
        await uow.leads.save(ghost)
        await uow.commit()
    async with leads.uow(org) as uow:
        assert await uow.leads.get(ghost.id) is None
        assert await uow.leads.count_active() == 0


async def test_archiving_by_save_hides_the_lead(leads: LeadsBackend) -> None:
    org = new_org()
    lead = make_lead(org, email="ann@alpha.sg")
    await leads.add(org, lead)
    async with leads.uow(org) as uow:
        await uow.leads.save(dataclasses.replace(lead, archived_at=NOW))
        await uow.commit()
    async with leads.uow(org) as uow:
        assert await uow.leads.get(lead.id) is None
        assert await uow.leads.get_many([lead.id]) == []
        assert (await uow.leads.search(LeadFilter(), LeadSort(), PageRequest())).total == 0
        assert [x async for x in uow.leads.stream(ExportFilter())] == []
        assert await uow.leads.find_duplicate(email="ann@alpha.sg", phone=None) is None
        assert await uow.leads.count_active() == 0


# ---- the dedupe indexes (one active lead per email and per phone in a tenant) --------------


@pytest.mark.parametrize("field", ["email", "phone"])
async def test_adding_a_second_active_lead_with_a_taken_contact_is_a_duplicate(leads: LeadsBackend, field: str) -> None:
    org = new_org()
    contact = {"email": "ann@alpha.sg", "phone": "+6591234567"}[field]
    first = make_lead(org, "Ann", **{field: contact})
    await leads.add(org, first)
    async with leads.uow(org) as uow:
        with pytest.raises(DuplicateLead) as caught:
            await uow.leads.add(make_lead(org, "Other", **{field: contact}))
    assert (caught.value.existing_id, caught.value.matched_on) == (first.id, field)


async def test_a_duplicate_leaves_the_unit_of_work_usable(leads: LeadsBackend) -> None:
    org = new_org()
    first = make_lead(org, "Ann", email="ann@alpha.sg")
    await leads.add(org, first)
    kept = make_lead(org, "Ben", email="ben@beta.sg")
    async with leads.uow(org) as uow:
        await uow.leads.add(kept)
        with pytest.raises(DuplicateLead):
            await uow.leads.add(make_lead(org, "Other", email="ann@alpha.sg"))
        await uow.commit()
    async with leads.uow(org) as uow:
        assert await uow.leads.get(kept.id) == kept
        assert await uow.leads.count_active() == 2


async def test_a_lead_taking_two_leads_contacts_is_a_duplicate_of_one_of_them(leads: LeadsBackend) -> None:
    # Which index answers first is the engine's choice (PostgreSQL: email, SQLite: phone).
    org = new_org()
    by_email, by_phone = make_lead(org, "E", email="ann@alpha.sg"), make_lead(org, "P", phone="+6591234567")
    await leads.add(org, by_email, by_phone)
    async with leads.uow(org) as uow:
        with pytest.raises(DuplicateLead) as caught:
            await uow.leads.add(make_lead(org, "Both", email="ann@alpha.sg", phone="+6591234567"))
    holder = {"email": by_email.id, "phone": by_phone.id}
    assert caught.value.existing_id == holder[caught.value.matched_on]


async def test_add_many_with_a_taken_contact_adds_none_of_the_batch(leads: LeadsBackend) -> None:
    org = new_org()
    first = make_lead(org, "Ann", phone="+6591234567")
    await leads.add(org, first)
    batch = [make_lead(org, "B1", email="b1@x.sg"), make_lead(org, "B2", phone="+6591234567")]
    async with leads.uow(org) as uow:
        with pytest.raises(DuplicateLead) as caught:
            await uow.leads.add_many(batch)
        assert (caught.value.existing_id, caught.value.matched_on) == (first.id, "phone")
        assert await uow.leads.get(batch[0].id) is None
        await uow.commit()
    async with leads.uow(org) as uow:
        assert await uow.leads.count_active() == 1


async def test_saving_a_taken_email_is_a_duplicate(leads: LeadsBackend) -> None:
    org = new_org()
    ann, ben = make_lead(org, "Ann", email="ann@alpha.sg"), make_lead(org, "Ben", email="ben@beta.sg")
    await leads.add(org, ann, ben)
    async with leads.uow(org) as uow:
        with pytest.raises(DuplicateLead) as caught:
            await uow.leads.save(dataclasses.replace(ben, email="ann@alpha.sg"))
    assert (caught.value.existing_id, caught.value.matched_on) == (ann.id, "email")


async def test_archived_leads_and_other_tenants_hold_no_contact(leads: LeadsBackend) -> None:
    org, other = new_org(), new_org()
    await leads.add(org, make_lead(org, "Old", email="ann@alpha.sg", phone="+6591234567", archived_at=NOW))
    await leads.add(other, make_lead(other, "Theirs", email="ann@alpha.sg", phone="+6591234567"))
    again = make_lead(org, "Ann", email="ann@alpha.sg", phone="+6591234567")
    await leads.add(org, again)
    async with leads.uow(org) as uow:
        assert await uow.leads.get(again.id) == again


async def test_leads_without_contacts_never_collide(leads: LeadsBackend) -> None:
    org = new_org()
    await leads.add(org, make_lead(org, "A"), make_lead(org, "B"), make_lead(org, "C"))
    async with leads.uow(org) as uow:
        assert await uow.leads.count_active() == 3


async def test_find_duplicate(leads: LeadsBackend) -> None:
    org, other = new_org(), new_org()
    by_email = make_lead(org, "Ann", email="ann@alpha.sg")
    by_phone = make_lead(org, "Ben", phone="+6591234567")
    await leads.add(org, by_email, by_phone, make_lead(org, "Old", email="old@alpha.sg", archived_at=NOW))
    await leads.add(other, make_lead(other, "Theirs", email="theirs@x.sg", phone="+6598765432"))
    async with leads.uow(org) as uow:
        dup = uow.leads.find_duplicate
        assert await dup(email="ann@alpha.sg", phone=None) == by_email
        assert await dup(email=None, phone="+6591234567") == by_phone
        # Both match, different leads: the email match wins.
        assert await dup(email="ann@alpha.sg", phone="+6591234567") == by_email
        assert await dup(email="nobody@x.sg", phone="+6591234567") == by_phone
        assert await dup(email="ann@alpha.sg", phone="+6591234567", exclude_id=by_email.id) == by_phone
        assert await dup(email="ann@alpha.sg", phone=None, exclude_id=by_email.id) is None
        # Exact: the caller normalises first.
        assert await dup(email="ANN@alpha.sg", phone=None) is None
        assert await dup(email="old@alpha.sg", phone=None) is None  # archived
        assert await dup(email="theirs@x.sg", phone="+6598765432") is None  # another tenant
        assert await dup(email=None, phone=None) is None
        assert await dup(email="", phone="") is None


async def test_existing_contacts(leads: LeadsBackend) -> None:
    org, other = new_org(), new_org()
    ann = make_lead(org, "Ann", email="ann@alpha.sg", phone="+6591234567")
    ben = make_lead(org, "Ben", email="ben@beta.sg")
    await leads.add(org, ann, ben, make_lead(org, "Old", email="old@alpha.sg", archived_at=NOW))
    await leads.add(other, make_lead(other, "Theirs", email="theirs@x.sg"))
    async with leads.uow(org) as uow:
        found = await uow.leads.existing_contacts(
            ["ann@alpha.sg", "ben@beta.sg", "old@alpha.sg", "theirs@x.sg", "new@x.sg"], ["+6591234567", "+6500000000"]
        )
        assert await uow.leads.existing_contacts([], []) == {}
        assert await uow.leads.existing_contacts(["BEN@beta.sg"], []) == {}
    assert found == {"ann@alpha.sg": ann.id, "ben@beta.sg": ben.id, "+6591234567": ann.id}


# ---- search ---------------------------------------------------------------------------------


def _dataset(org: UUID) -> list[Lead]:
    """Six active leads with ties and missing values on the sort keys, made in id order, and
    one archived lead that matches everything."""
    return [
        make_lead(
            org,
            "Ann",
            "Tan",
            email="ann@alpha.sg",
            phone="+6591110001",
            company="Alpha Pte Ltd",
            status=LeadStatus.NEW,
            source=LeadSource.WEBSITE,
            owner_id=U1,
            tags=["vip", "sg"],
            score=50,
            estimated_value=Money(1000),
            next_follow_up=date(2026, 12, 1),
            created_at=NOW - 7 * DAY,
            updated_at=NOW - DAY,
        ),
        make_lead(
            org,
            "Ben",
            "Lim",
            email="ben@beta.sg",
            company="Beta Trading",
            status=LeadStatus.CONTACTED,
            source=LeadSource.REFERRAL,
            owner_id=U2,
            tags=["sg"],
            score=50,
            created_at=NOW - 6 * DAY,
            updated_at=NOW - 3 * DAY,
        ),
        make_lead(
            org,
            "Cara",
            "Ng",
            email="cara@gamma.sg",
            status=LeadStatus.QUALIFIED,
            source=LeadSource.WEBSITE,
            owner_id=U1,
            score=80,
            estimated_value=Money(5000),
            next_follow_up=date(2026, 11, 20),
            created_at=NOW - 5 * DAY,
            updated_at=NOW - DAY,
        ),
        make_lead(
            org,
            "Dan",
            "Ong",
            phone="+6591234567",
            company="100% Natural_Foods",
            status=LeadStatus.WON,
            source=LeadSource.EVENT,
            tags=["retail", "vip-gold"],
            score=20,
            estimated_value=Money(1000),
            next_follow_up=date(2026, 12, 1),
            created_at=NOW - 4 * DAY,
            updated_at=NOW - 2 * DAY,
        ),
        make_lead(
            org,
            "Eve",
            "Tan",
            email="eve@delta.sg",
            company="Alpha Pte Ltd",
            status=LeadStatus.LOST,
            lost_reason="budget",
            source=LeadSource.ADS,
            owner_id=U2,
            tags=["vip"],
            score=50,
            next_follow_up=date(2026, 11, 25),
            created_at=NOW - 3 * DAY,
            updated_at=NOW - DAY,
        ),
        make_lead(
            org,
            "Finn",
            "Koh",
            email="finn@epsilon.sg",
            status=LeadStatus.NEW,
            source=LeadSource.OTHER,
            score=0,
            estimated_value=Money(0),
            created_at=NOW - 3 * DAY,
            updated_at=NOW - 5 * DAY,
        ),
        make_lead(
            org,
            "Old",
            "Tan",
            email="old@alpha.sg",
            company="Alpha Pte Ltd",
            owner_id=U1,
            tags=["vip", "sg"],
            score=99,
            next_follow_up=date(2026, 11, 1),
            source=LeadSource.WEBSITE,
            created_at=NOW - 5 * DAY,
            archived_at=NOW,
        ),
    ]


ACTIVE = ["Ann", "Ben", "Cara", "Dan", "Eve", "Finn"]


@pytest.fixture
async def dataset(leads: LeadsBackend) -> tuple[UUID, list[Lead]]:
    org, other = new_org(), new_org()
    rows = _dataset(org)
    await leads.add(org, *rows)
    # The same people in another tenant: never part of this tenant's results.
    await leads.add(other, *[dataclasses.replace(x, id=new_id(), organization_id=other) for x in rows])
    return org, rows


FILTER_CASES: list[tuple[str, LeadFilter, list[str]]] = [
    ("none", LeadFilter(), ACTIVE),
    ("one status", LeadFilter(statuses=[LeadStatus.NEW]), ["Ann", "Finn"]),
    ("several statuses", LeadFilter(statuses=[LeadStatus.NEW, LeadStatus.WON]), ["Ann", "Dan", "Finn"]),
    ("status set", LeadFilter(statuses=frozenset({LeadStatus.LOST, LeadStatus.QUALIFIED})), ["Cara", "Eve"]),
    ("status without leads", LeadFilter(statuses=[LeadStatus.PROPOSAL]), []),
    ("owner", LeadFilter(owner_id=U1), ["Ann", "Cara"]),
    ("owner without leads", LeadFilter(owner_id=USER), []),
    ("source", LeadFilter(source=LeadSource.WEBSITE), ["Ann", "Cara"]),
    ("source other", LeadFilter(source=LeadSource.OTHER), ["Finn"]),
    ("tag", LeadFilter(tag="vip"), ["Ann", "Eve"]),
    ("tag is exact, not a prefix", LeadFilter(tag="vip-gold"), ["Dan"]),
    ("tag is case-sensitive", LeadFilter(tag="VIP"), []),
    ("tag is not a substring", LeadFilter(tag="s"), []),
    ("q on last name, any case", LeadFilter(text="TAN"), ["Ann", "Eve"]),
    ("q on first name substring", LeadFilter(text="ar"), ["Cara"]),
    ("q on email", LeadFilter(text="@gamma"), ["Cara"]),
    ("q on email and company", LeadFilter(text="alpha"), ["Ann", "Eve"]),
    ("q on company", LeadFilter(text="trading"), ["Ben"]),
    ("q does not search the phone", LeadFilter(text="91234567"), []),
    ("q every word must match", LeadFilter(text="ben lim"), ["Ben"]),
    ("q words across columns", LeadFilter(text="eve alpha"), ["Eve"]),
    ("q word matching nothing", LeadFilter(text="ann zebra"), []),
    ("q extra whitespace", LeadFilter(text="  ann   tan  "), ["Ann"]),
    ("q only the first five words count", LeadFilter(text="a a a a a zebra"), ["Ann", "Ben", "Cara", "Dan", "Eve"]),
    ("q blank", LeadFilter(text="   "), ACTIVE),
    ("q percent is literal", LeadFilter(text="%"), ["Dan"]),
    ("q underscore is literal", LeadFilter(text="l_f"), ["Dan"]),
    ("q backslash is literal", LeadFilter(text="\\"), []),
    ("created from (inclusive)", LeadFilter(created_from=NOW - 5 * DAY), ["Cara", "Dan", "Eve", "Finn"]),
    ("created to (inclusive)", LeadFilter(created_to=NOW - 6 * DAY), ["Ann", "Ben"]),
    ("created range", LeadFilter(created_from=NOW - 6 * DAY, created_to=NOW - 4 * DAY), ["Ben", "Cara", "Dan"]),
    ("created range to the microsecond", LeadFilter(created_to=NOW - 7 * DAY - timedelta(microseconds=1)), []),
    ("created from later", LeadFilter(created_from=NOW), []),
    ("score min (inclusive)", LeadFilter(score_min=50), ["Ann", "Ben", "Cara", "Eve"]),
    ("score min zero", LeadFilter(score_min=0), ACTIVE),
    ("score min above all", LeadFilter(score_min=81), []),
    ("follow-up before (exclusive, none excluded)", LeadFilter(follow_up_before=date(2026, 12, 1)), ["Cara", "Eve"]),
    ("follow-up before later", LeadFilter(follow_up_before=date(2027, 1, 1)), ["Ann", "Cara", "Dan", "Eve"]),
    ("combined", LeadFilter(tag="sg", owner_id=U1), ["Ann"]),
    (
        "everything at once",
        LeadFilter(
            statuses=[LeadStatus.NEW, LeadStatus.QUALIFIED],
            owner_id=U1,
            source=LeadSource.WEBSITE,
            text="a",
            created_from=NOW - 7 * DAY,
            created_to=NOW,
            score_min=60,
            follow_up_before=date(2026, 12, 31),
        ),
        ["Cara"],
    ),
]


@pytest.mark.parametrize(("lead_filter", "expected"), [c[1:] for c in FILTER_CASES], ids=[c[0] for c in FILTER_CASES])
async def test_search_filters(
    leads: LeadsBackend, dataset: tuple[UUID, list[Lead]], lead_filter: LeadFilter, expected: list[str]
) -> None:
    org, _ = dataset
    async with leads.uow(org) as uow:
        page = await uow.leads.search(lead_filter, LeadSort(LeadSortField.CREATED_AT, False), PageRequest(limit=100))
    assert [x.first_name for x in page.items] == expected
    assert page.total == len(expected)


async def test_q_folds_case_beyond_ascii(leads: LeadsBackend, request: pytest.FixtureRequest) -> None:
    if leads.backend.name == SQLITE:
        # Reported, not fixed here (src outside the fakes): SQLite's ILIKE (lower() LIKE lower())
        # folds ASCII letters only, so on the embedded default `q=élise` misses "Élise".
        request.applymarker(pytest.mark.xfail(strict=True, reason="SQLite folds the case of ASCII letters only"))
    org = new_org()
    await leads.add(org, make_lead(org, "Élise", "Müller", company="Ärzte GmbH"), make_lead(org, "李", "王"))
    async with leads.uow(org) as uow:
        for q in ("ÉLISE", "élise", "MÜLLER", "ärzte", "李"):
            page = await uow.leads.search(LeadFilter(text=q), LeadSort(), PageRequest())
            assert len(page.items) == 1, q


async def test_text_sorts_by_code_point(leads: LeadsBackend) -> None:
    # Upper case before lower case, letters before CJK: binary order, as SQLite and PostgreSQL's
    # C / C.UTF-8 collations give (the migrations pin no collation: a database created with a
    # linguistic one, en_US.UTF-8 say, would order these otherwise than the fake does).
    org = new_org()
    names = ["zeta", "Müller", "Zeta", "王", "Abel", "abel"]
    await leads.add(org, *[make_lead(org, "X", name) for name in names])
    async with leads.uow(org) as uow:
        page = await uow.leads.search(LeadFilter(), LeadSort(LeadSortField.LAST_NAME, False), PageRequest())
    assert [x.last_name for x in page.items] == ["Abel", "Müller", "Zeta", "abel", "zeta", "王"]


async def test_search_returns_whole_leads(leads: LeadsBackend) -> None:
    org = new_org()
    lead = _full_lead(org)
    await leads.add(org, lead)
    async with leads.uow(org) as uow:
        page = await uow.leads.search(LeadFilter(tag="b2b"), LeadSort(), PageRequest())
    assert list(page.items) == [lead]


def _sort_value(lead: Lead, field: LeadSortField) -> Any:
    return {
        LeadSortField.CREATED_AT: lead.created_at,
        LeadSortField.UPDATED_AT: lead.updated_at,
        LeadSortField.SCORE: lead.score,
        LeadSortField.LAST_NAME: lead.last_name,
        LeadSortField.COMPANY: lead.company,
        LeadSortField.NEXT_FOLLOW_UP: lead.next_follow_up,
        LeadSortField.ESTIMATED_VALUE: lead.estimated_value.amount if lead.estimated_value else None,
        LeadSortField.STATUS: lead.status.value,
    }[field]


def _expected_order(leads: list[Lead], field: LeadSortField, descending: bool) -> list[str]:
    """A missing value sorts as the largest; ties break on id; descending is the exact reverse."""

    def key(lead: Lead) -> tuple[bool, Any, UUID]:
        value = _sort_value(lead, field)
        return (value is None, value if value is not None else 0, lead.id)

    ordered = sorted((x for x in leads if x.archived_at is None), key=key)
    return [x.first_name for x in (reversed(ordered) if descending else ordered)]


@pytest.mark.unit
def test_the_dataset_has_ties_and_gaps_on_every_sort_key() -> None:
    rows = [x for x in _dataset(new_org()) if x.archived_at is None]
    for field in LeadSortField:
        values = [_sort_value(x, field) for x in rows]
        assert len(set(values)) < len(values), f"{field}: no tie to break"
        if field in (LeadSortField.COMPANY, LeadSortField.NEXT_FOLLOW_UP, LeadSortField.ESTIMATED_VALUE):
            assert None in values, f"{field}: no missing value"


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("field", list(LeadSortField))
async def test_search_sorts_on_every_key_with_the_id_tiebreak(
    leads: LeadsBackend, dataset: tuple[UUID, list[Lead]], field: LeadSortField, descending: bool
) -> None:
    org, rows = dataset
    expected = _expected_order(rows, field, descending)
    sort = LeadSort(field, descending)
    async with leads.uow(org) as uow:
        page = await uow.leads.search(LeadFilter(), sort, PageRequest(limit=100))
        # Two at a time gives the same order: the tiebreak keeps pages stable.
        paged: list[str] = []
        for offset in range(0, 8, 2):
            part = await uow.leads.search(LeadFilter(), sort, PageRequest(2, offset))
            assert (part.total, part.limit, part.offset) == (len(ACTIVE), 2, offset)
            paged += [x.first_name for x in part.items]
    assert [x.first_name for x in page.items] == expected
    assert paged == expected


async def test_search_sorts_newest_first_by_default(leads: LeadsBackend, dataset: tuple[UUID, list[Lead]]) -> None:
    org, rows = dataset
    async with leads.uow(org) as uow:
        page = await uow.leads.search(LeadFilter(), LeadSort(), PageRequest(limit=100))
    assert [x.first_name for x in page.items] == _expected_order(rows, LeadSortField.CREATED_AT, True)


PAGE_CASES = [
    # limit, offset, names, total, has_more
    (2, 0, ["Finn", "Eve"], 6, True),
    (4, 2, ["Dan", "Cara", "Ben", "Ann"], 6, False),
    (5, 5, ["Ann"], 6, False),
    (6, 0, ["Finn", "Eve", "Dan", "Cara", "Ben", "Ann"], 6, False),
    (100, 0, ["Finn", "Eve", "Dan", "Cara", "Ben", "Ann"], 6, False),
    (3, 3, ["Cara", "Ben", "Ann"], 6, False),
    (1, 6, [], 6, False),
    (2, 10, [], 6, False),
]


@pytest.mark.parametrize(("limit", "offset", "names", "total", "has_more"), PAGE_CASES)
async def test_search_pages_and_totals(
    leads: LeadsBackend,
    dataset: tuple[UUID, list[Lead]],
    limit: int,
    offset: int,
    names: list[str],
    total: int,
    has_more: bool,
) -> None:
    org, _ = dataset
    async with leads.uow(org) as uow:
        page = await uow.leads.search(LeadFilter(), LeadSort(), PageRequest(limit, offset))
    assert [x.first_name for x in page.items] == names
    assert (page.total, page.limit, page.offset, page.has_more) == (total, limit, offset, has_more)


async def test_search_totals_count_the_filter_not_the_tenant(
    leads: LeadsBackend, dataset: tuple[UUID, list[Lead]]
) -> None:
    org, _ = dataset
    async with leads.uow(org) as uow:
        first = await uow.leads.search(LeadFilter(text="tan"), LeadSort(), PageRequest(limit=1))
        empty = await uow.leads.search(LeadFilter(tag="nothing"), LeadSort(), PageRequest(limit=2))
        beyond = await uow.leads.search(LeadFilter(text="tan"), LeadSort(), PageRequest(limit=2, offset=5))
    assert ([x.first_name for x in first.items], first.total, first.has_more) == (["Eve"], 2, True)
    assert (list(empty.items), empty.total, empty.has_more) == ([], 0, False)
    assert (list(beyond.items), beyond.total, beyond.has_more) == ([], 2, False)


async def test_totals_past_the_counting_window_are_flagged_lower_bounds(leads: LeadsBackend) -> None:
    org = new_org()
    many = [
        make_lead(org, f"P{i}", "Tan" if i % 2 else "Lim", email=f"p{i}@x.sg", tags=["sg"])
        for i in range(EXACT_TOTAL_WINDOW + 60)
    ]
    async with leads.uow(org) as uow:
        await uow.leads.add_many(many)
        await uow.commit()
    async with leads.uow(org) as uow:
        first = await uow.leads.search(LeadFilter(), LeadSort(), PageRequest(limit=50))
        deeper = await uow.leads.search(LeadFilter(), LeadSort(), PageRequest(limit=50, offset=100))
        searched = await uow.leads.search(LeadFilter(text="tan", tag="sg"), LeadSort(), PageRequest(limit=50))
        beyond = await uow.leads.search(LeadFilter(), LeadSort(), PageRequest(limit=50, offset=5000))
    # Counted up to EXACT_TOTAL_WINDOW past the offset: beyond it a lower bound, flagged.
    assert (len(first.items), first.total, first.total_is_exact, first.has_more) == (
        50,
        EXACT_TOTAL_WINDOW,
        False,
        True,
    )
    assert (deeper.total, deeper.total_is_exact, deeper.has_more) == (EXACT_TOTAL_WINDOW + 60, True, True)
    # A `q` (or `tag`) search counts a shorter way (each row read is tested against the pattern).
    assert (searched.total, searched.total_is_exact, searched.has_more) == (SEARCH_TOTAL_WINDOW, False, True)
    assert (list(beyond.items), beyond.total, beyond.total_is_exact, beyond.has_more) == (
        [],
        EXACT_TOTAL_WINDOW + 60,
        True,
        False,
    )


async def test_a_tenant_without_leads_sees_an_empty_list(leads: LeadsBackend, dataset: tuple[UUID, list[Lead]]) -> None:
    async with leads.uow(new_org()) as uow:
        page = await uow.leads.search(LeadFilter(), LeadSort(), PageRequest())
        assert [x async for x in uow.leads.stream(ExportFilter())] == []
        assert await uow.leads.count_active() == 0
    assert (list(page.items), page.total, page.has_more) == ([], 0, False)


# ---- exports -----------------------------------------------------------------------------------


async def test_stream_yields_every_match_oldest_first(leads: LeadsBackend, dataset: tuple[UUID, list[Lead]]) -> None:
    org, rows = dataset
    by_id = sorted((x for x in rows if x.archived_at is None), key=lambda x: x.id)
    async with leads.uow(org) as uow:
        everything = [x async for x in uow.leads.stream(ExportFilter())]
        vip = [x.first_name async for x in uow.leads.stream(ExportFilter(LeadFilter(tag="vip")))]
        tan = [x.first_name async for x in uow.leads.stream(ExportFilter(LeadFilter(text="tan", score_min=50)))]
    assert everything == by_id
    assert vip == ["Ann", "Eve"]
    assert tan == ["Ann", "Eve"]


async def test_marketing_only_export_applies_consent_and_dnc(leads: LeadsBackend) -> None:
    org = new_org()
    yes = MarketingConsent(True, NOW, "form")
    no = MarketingConsent(False, NOW, "form")
    eligible = make_lead(org, "Ok", marketing_consent=yes, dnc_status=DncStatus.CLEAR, dnc_checked_at=TODAY)
    checked_21_days_ago = make_lead(
        org, "Edge", marketing_consent=yes, dnc_status=DncStatus.CLEAR, dnc_checked_at=TODAY - timedelta(days=21)
    )
    stale = make_lead(
        org, "Stale", marketing_consent=yes, dnc_status=DncStatus.CLEAR, dnc_checked_at=TODAY - timedelta(days=22)
    )
    refused = make_lead(org, "Refused", marketing_consent=no, dnc_status=DncStatus.CLEAR, dnc_checked_at=TODAY)
    no_consent = make_lead(org, "None", dnc_status=DncStatus.CLEAR, dnc_checked_at=TODAY)
    registered = make_lead(org, "Dnc", marketing_consent=yes, dnc_status=DncStatus.LISTED, dnc_checked_at=TODAY)
    unchecked = make_lead(org, "Unchecked", marketing_consent=yes)
    archived = make_lead(
        org, "Gone", marketing_consent=yes, dnc_status=DncStatus.CLEAR, dnc_checked_at=TODAY, archived_at=NOW
    )
    await leads.add(org, eligible, checked_21_days_ago, stale, refused, no_consent, registered, unchecked, archived)
    async with leads.uow(org) as uow:
        today = [x.first_name async for x in uow.leads.stream(ExportFilter(marketing_only=True, today=TODAY))]
        by_clock = [x.first_name async for x in uow.leads.stream(ExportFilter(marketing_only=True))]
        later = [
            x.first_name
            async for x in uow.leads.stream(ExportFilter(marketing_only=True, today=TODAY + timedelta(days=1)))
        ]
        filtered = [
            x.first_name
            async for x in uow.leads.stream(ExportFilter(LeadFilter(text="edge"), marketing_only=True, today=TODAY))
        ]
        everyone = [x.first_name async for x in uow.leads.stream(ExportFilter(today=TODAY))]
    assert today == ["Ok", "Edge"]
    assert by_clock == ["Ok", "Edge"]  # today from the unit of work's clock (Singapore date)
    assert later == ["Ok"]
    assert filtered == ["Edge"]
    assert everyone == ["Ok", "Edge", "Stale", "Refused", "None", "Dnc", "Unchecked"]


# ---- quota counting ---------------------------------------------------------------------------


async def test_count_active_counts_this_tenants_active_leads(leads: LeadsBackend) -> None:
    org, other = new_org(), new_org()
    await leads.add(org, make_lead(org, "A"), make_lead(org, "B"), make_lead(org, "Old", archived_at=NOW))
    await leads.add(other, make_lead(other, "T"))
    async with leads.uow(org) as uow:
        await uow.leads.hold_lead_quota()
        assert await uow.leads.count_active() == 2
        await uow.leads.add(make_lead(org, "C"))
        assert await uow.leads.count_active() == 3
        await uow.commit()
    async with leads.uow(org) as uow:
        await uow.leads.hold_lead_quota()
        await uow.leads.hold_lead_quota()  # held twice in one transaction: still fine
        assert await uow.leads.count_active() == 3


# ---- tenant scoping -----------------------------------------------------------------------


async def test_another_tenant_sees_none_of_the_leads(leads: LeadsBackend) -> None:
    org_a, org_b = new_org(), new_org()
    lead = _full_lead(org_a)
    await leads.add(org_a, lead)
    async with leads.uow(org_b) as uow:
        assert await uow.leads.get(lead.id) is None
        assert await uow.leads.get(lead.id, for_update=True) is None
        assert await uow.leads.get_many([lead.id]) == []
        assert await uow.leads.find_duplicate(email=lead.email, phone=lead.phone) is None
        assert await uow.leads.existing_contacts([lead.email or ""], [lead.phone or ""]) == {}
        assert (await uow.leads.search(LeadFilter(), LeadSort(), PageRequest())).total == 0
        assert (await uow.leads.search(LeadFilter(text="ann", tag="vip"), LeadSort(), PageRequest())).total == 0
        assert [x async for x in uow.leads.stream(ExportFilter())] == []
        assert await uow.leads.count_active() == 0


async def test_a_repository_refuses_another_tenants_lead(leads: LeadsBackend) -> None:
    org_a, org_b = new_org(), new_org()
    lead = make_lead(org_a)
    await leads.add(org_a, lead)
    async with leads.uow(org_b) as uow:
        with pytest.raises(ValueError, match="another organisation"):
            await uow.leads.add(make_lead(org_a, "X"))
        with pytest.raises(ValueError, match="another organisation"):
            await uow.leads.add_many([make_lead(org_b, "Mine"), make_lead(org_a, "X")])
        with pytest.raises(ValueError, match="another organisation"):
            await uow.leads.save(dataclasses.replace(lead, first_name="Hacked"))
        await uow.commit()
    async with leads.uow(org_a) as uow:
        assert await uow.leads.get(lead.id) == lead
        assert await uow.leads.count_active() == 1
    async with leads.uow(org_b) as uow:
        assert await uow.leads.count_active() == 0
