"""The leads SQL repositories and unit of work on real PostgreSQL, as the application role."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from nexuscore.kernel.ids import new_id
from nexuscore.kernel.money import Money
from nexuscore.kernel.paging import PageRequest
from nexuscore.leads.adapters.sql.lead_repository import STREAM_BATCH
from nexuscore.leads.domain.model import (
    ActivityKind,
    DncStatus,
    DuplicateLead,
    Engagement,
    ImportStatus,
    Lead,
    LeadImport,
    LeadSource,
    LeadStatus,
    MarketingConsent,
    RowError,
    ScoreReason,
)
from nexuscore.leads.ports.repositories import ExportFilter, LeadFilter, LeadSort, LeadSortField
from tests.integration.leads.support import (
    NOW,
    TODAY,
    USER,
    Sessions,
    add_leads,
    make_activity,
    make_lead,
    new_org,
    open_uow,
)

pytestmark = pytest.mark.integration

ORG = UUID("01900000-0000-7000-8000-00000000000a")
OTHER_ORG = UUID("01900000-0000-7000-8000-00000000000b")
U1 = UUID("01900000-0000-7000-8000-0000000000a1")
U2 = UUID("01900000-0000-7000-8000-0000000000a2")
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


@contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


def full_lead(org_id: UUID = ORG) -> Lead:
    """A lead with every field set to something other than its default."""
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
        lost_reason="No budget this year",
        owner_id=U1,
        tags=["vip", "f&b", "sg"],
        estimated_value=Money(1_250_050),
        next_follow_up=date(2026, 12, 1),
        score=57,
        score_reasons=[ScoreReason("completeness", "Has email, phone", 12), ScoreReason("source", "Referral", 20)],
        marketing_consent=MarketingConsent(True, NOW - DAY, "event sign-up"),
        dnc_status=DncStatus.CLEAR,
        dnc_checked_at=TODAY - 3 * DAY,
        created_at=NOW - 2 * DAY,
        updated_by=U2,
        updated_at=NOW - DAY,
    )


# ---- add / get / save ---------------------------------------------------------------------


async def test_every_field_round_trips_through_add_get_and_save(sessions: Sessions) -> None:
    lead = full_lead()
    await add_leads(sessions, ORG, lead)
    async with open_uow(sessions, ORG) as uow:
        assert await uow.leads.get(lead.id) == lead

    target = make_lead(ORG, "Target", "Lead")
    await add_leads(sessions, ORG, target)
    changed = dataclasses.replace(
        lead,
        first_name="Anna",
        last_name="Tan-Lim",
        email="anna@beta.sg",
        phone="+6581234567",
        company="Beta Trading",
        company_uen="53312345A",
        job_title="CEO",
        source=LeadSource.PARTNER,
        status=LeadStatus.NEW,
        lost_reason=None,
        owner_id=U2,
        tags=["renewal"],
        estimated_value=Money(99, "USD"),
        next_follow_up=date(2027, 1, 5),
        score=88,
        score_reasons=[ScoreReason("engagement", "3 logged interaction(s), 1 meeting(s)", 22)],
        marketing_consent=MarketingConsent(False, NOW, "unsubscribe link"),
        dnc_status=DncStatus.LISTED,
        dnc_checked_at=TODAY,
        updated_by=U1,
        updated_at=NOW,
        archived_at=NOW,
        merged_into_id=target.id,
    )
    async with open_uow(sessions, ORG) as uow:
        await uow.leads.save(changed)
        await uow.commit()
    async with open_uow(sessions, ORG) as uow:
        assert await uow.leads.get(lead.id) is None  # archived now: hidden from get and exports
        assert [x.id async for x in uow.leads.stream(ExportFilter())] == [target.id]
        archived = await uow.session.execute(
            text("SELECT archived_at, merged_into_id FROM leads_lead WHERE id = :id"), {"id": lead.id}
        )
        assert archived.one() == (NOW, target.id)

    restored = dataclasses.replace(changed, archived_at=None, merged_into_id=None, marketing_consent=None)
    restored.estimated_value = None
    restored.tags = []
    restored.score_reasons = []
    async with open_uow(sessions, ORG) as uow:
        await uow.leads.save(restored)
        await uow.commit()
    async with open_uow(sessions, ORG) as uow:
        assert await uow.leads.get(lead.id) == restored


async def test_save_with_changed_fields_keeps_creation_facts(sessions: Sessions) -> None:
    lead = full_lead()
    await add_leads(sessions, ORG, lead)
    async with open_uow(sessions, ORG) as uow:
        loaded = await uow.leads.get(lead.id, for_update=True)
        assert loaded is not None
        loaded.move_to(LeadStatus.NEW, lost_reason=None, actor_id=U2, now=NOW + DAY)
        await uow.leads.save(loaded)
        await uow.commit()
    async with open_uow(sessions, ORG) as uow:
        stored = await uow.leads.get(lead.id)
    assert stored is not None
    assert (stored.status, stored.lost_reason, stored.updated_by, stored.updated_at) == (
        LeadStatus.NEW,
        None,
        U2,
        NOW + DAY,
    )
    assert (stored.created_by, stored.created_at) == (lead.created_by, lead.created_at)


async def test_get_many_returns_active_leads_in_id_order(sessions: Sessions) -> None:
    a, b, c = make_lead(ORG, "A", "A"), make_lead(ORG, "B", "B"), make_lead(ORG, "C", "C", archived_at=NOW)
    await add_leads(sessions, ORG, a, b, c)
    async with open_uow(sessions, ORG) as uow:
        found = await uow.leads.get_many([c.id, b.id, a.id, new_id()], for_update=True)
        assert [x.id for x in found] == [a.id, b.id]
        assert await uow.leads.get_many([]) == []
        assert await uow.leads.count_active() == 2


async def test_get_for_update_locks_the_row(sessions: Sessions) -> None:
    lead = make_lead(ORG)
    await add_leads(sessions, ORG, lead)
    async with open_uow(sessions, ORG) as first, open_uow(sessions, ORG) as second:
        assert await first.leads.get(lead.id, for_update=True) is not None
        await second.session.execute(text("SET LOCAL lock_timeout = '200ms'"))
        with pytest.raises(Exception, match="lock timeout"):
            await second.leads.get(lead.id, for_update=True)


# ---- search -------------------------------------------------------------------------------


def _dataset() -> list[Lead]:
    """Five active leads with ties on several sort keys, one archived, made in id order."""
    return [
        make_lead(
            ORG,
            "Ann",
            "Tan",
            email="ann@alpha.sg",
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
            ORG,
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
            ORG,
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
            ORG,
            "Dan",
            "Ong",
            phone="+6591234567",
            company="100% Natural_Foods",
            status=LeadStatus.WON,
            source=LeadSource.EVENT,
            tags=["retail"],
            score=20,
            estimated_value=Money(1000),
            next_follow_up=date(2026, 12, 1),
            created_at=NOW - 4 * DAY,
            updated_at=NOW - 2 * DAY,
        ),
        make_lead(
            ORG,
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
            ORG,
            "Fay",
            "Tan",
            email="fay@alpha.sg",
            company="Alpha Pte Ltd",
            owner_id=U1,
            tags=["vip", "sg"],
            score=99,
            archived_at=NOW,
        ),
    ]


@pytest.fixture
async def dataset(sessions: Sessions) -> list[Lead]:
    leads = _dataset()
    await add_leads(sessions, ORG, *leads)
    # The same people in another tenant: never part of ORG's results.
    await add_leads(
        sessions, OTHER_ORG, *[dataclasses.replace(x, id=new_id(), organization_id=OTHER_ORG) for x in leads]
    )
    return leads


FILTER_CASES: list[tuple[str, LeadFilter, list[str]]] = [
    ("none", LeadFilter(), ["Ann", "Ben", "Cara", "Dan", "Eve"]),
    ("statuses", LeadFilter(statuses=[LeadStatus.NEW, LeadStatus.WON]), ["Ann", "Dan"]),
    ("owner", LeadFilter(owner_id=U1), ["Ann", "Cara"]),
    ("source", LeadFilter(source=LeadSource.WEBSITE), ["Ann", "Cara"]),
    ("tag", LeadFilter(tag="vip"), ["Ann", "Eve"]),
    ("tag is exact", LeadFilter(tag="VIP"), []),
    ("q on last name, any case", LeadFilter(text="TAN"), ["Ann", "Eve"]),
    ("q on email and company", LeadFilter(text="alpha"), ["Ann", "Eve"]),
    ("q on first name", LeadFilter(text="car"), ["Cara"]),
    ("q every word must match", LeadFilter(text="ben lim"), ["Ben"]),
    ("q words across columns", LeadFilter(text="eve alpha"), ["Eve"]),
    ("q percent is literal", LeadFilter(text="%"), ["Dan"]),
    ("q underscore is literal", LeadFilter(text="l_f"), ["Dan"]),
    ("q backslash is literal", LeadFilter(text="\\"), []),
    ("created from (inclusive)", LeadFilter(created_from=NOW - 5 * DAY), ["Cara", "Dan", "Eve"]),
    ("created to (inclusive)", LeadFilter(created_to=NOW - 6 * DAY), ["Ann", "Ben"]),
    ("created range", LeadFilter(created_from=NOW - 6 * DAY, created_to=NOW - 4 * DAY), ["Ben", "Cara", "Dan"]),
    ("score min", LeadFilter(score_min=50), ["Ann", "Ben", "Cara", "Eve"]),
    ("follow-up before (exclusive)", LeadFilter(follow_up_before=date(2026, 12, 1)), ["Cara", "Eve"]),
    ("combined", LeadFilter(tag="sg", owner_id=U1), ["Ann"]),
]


@pytest.mark.parametrize(("lead_filter", "expected"), [c[1:] for c in FILTER_CASES], ids=[c[0] for c in FILTER_CASES])
async def test_search_filters(
    sessions: Sessions, dataset: list[Lead], lead_filter: LeadFilter, expected: list[str]
) -> None:
    async with open_uow(sessions, ORG) as uow:
        page = await uow.leads.search(lead_filter, LeadSort(LeadSortField.CREATED_AT, False), PageRequest(limit=100))
    assert [x.first_name for x in page.items] == expected
    assert page.total == len(expected)


@pytest.mark.parametrize(
    ("lead_filter", "expected"),
    [
        # An hour past Cara's creation: read as Singapore wall time the bound would fall 8 hours
        # earlier, before Cara.
        (LeadFilter(created_from=NOW - 5 * DAY + HOUR), ["Dan", "Eve"]),
        (LeadFilter(created_to=NOW - 5 * DAY + HOUR), ["Ann", "Ben", "Cara"]),
        (LeadFilter(created_from=NOW - 5 * DAY + HOUR, text="a"), ["Dan", "Eve"]),  # the tenant view too
    ],
)
async def test_created_bounds_are_instants_whatever_the_sessions_time_zone(
    sessions: Sessions, dataset: list[Lead], lead_filter: LeadFilter, expected: list[str]
) -> None:
    """The bounds reach PostgreSQL as timestamptz: sent as a `timestamp` they would be read in the
    session's TimeZone (8 hours off in Singapore) and the bounds would move."""
    async with open_uow(sessions, ORG) as uow:
        await uow.session.execute(text("SET LOCAL TIME ZONE 'Asia/Singapore'"))
        page = await uow.leads.search(lead_filter, LeadSort(LeadSortField.CREATED_AT, False), PageRequest(limit=100))
    assert [x.first_name for x in page.items] == expected


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
    """NULL sorts as the largest value; ties break on id; descending is the exact reverse."""

    def key(lead: Lead) -> tuple[bool, Any, UUID]:
        value = _sort_value(lead, field)
        return (value is None, value if value is not None else 0, lead.id)

    ordered = sorted((x for x in leads if x.archived_at is None), key=key)
    return [x.first_name for x in (reversed(ordered) if descending else ordered)]


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("field", list(LeadSortField))
async def test_search_sorts_on_every_key_with_a_stable_tiebreak(
    sessions: Sessions, dataset: list[Lead], field: LeadSortField, descending: bool
) -> None:
    expected = _expected_order(dataset, field, descending)
    async with open_uow(sessions, ORG) as uow:
        page = await uow.leads.search(LeadFilter(), LeadSort(field, descending), PageRequest(limit=100))
        # Paging through two at a time gives the same order: the tiebreak keeps pages stable.
        paged: list[str] = []
        for offset in range(0, 6, 2):
            part = await uow.leads.search(LeadFilter(), LeadSort(field, descending), PageRequest(2, offset))
            assert part.total == 5
            paged += [x.first_name for x in part.items]
    assert [x.first_name for x in page.items] == expected
    assert paged == expected


async def test_search_pages_and_totals(sessions: Sessions, dataset: list[Lead]) -> None:
    async with open_uow(sessions, ORG) as uow:
        first = await uow.leads.search(LeadFilter(), LeadSort(), PageRequest(limit=2))
        last = await uow.leads.search(LeadFilter(), LeadSort(), PageRequest(limit=2, offset=4))
        beyond = await uow.leads.search(LeadFilter(), LeadSort(), PageRequest(limit=2, offset=10))
        empty = await uow.leads.search(LeadFilter(tag="nothing"), LeadSort(), PageRequest(limit=2))
    assert ([x.first_name for x in first.items], first.total, first.has_more) == (["Eve", "Dan"], 5, True)
    assert ([x.first_name for x in last.items], last.total, last.has_more) == (["Ann"], 5, False)
    assert (list(beyond.items), beyond.total) == ([], 5)
    assert (list(empty.items), empty.total) == ([], 0)


async def test_search_issues_a_fixed_number_of_statements(sessions: Sessions, app_engine: AsyncEngine) -> None:
    leads = [make_lead(ORG, f"P{i}", f"L{i}", email=f"p{i}@x.sg", tags=["sg"]) for i in range(60)]
    async with open_uow(sessions, ORG) as uow:
        await uow.leads.add_many(leads)
        await uow.commit()
    counts = []
    for limit in (5, 50):
        async with open_uow(sessions, ORG) as uow:
            await uow.session.execute(text("SELECT 1"))  # the transaction (and its RLS scope) is open
            with count_statements(app_engine) as statements:
                page = await uow.leads.search(LeadFilter(tag="sg", text="p"), LeadSort(), PageRequest(limit=limit))
            assert (len(page.items), page.total) == (limit, 60)
            counts.append(len(statements))
    assert counts == [1, 1]  # the page carries its (capped) count: one statement whatever the page size


async def test_q_and_tag_read_the_tenant_view(sessions: Sessions, app_engine: AsyncEngine) -> None:
    """Under RLS a direct ILIKE or `@>` on the table cannot use its GIN index (migration 0008):
    `q` and `tag` lists read the tenant view, the page with its count and the export alike."""
    await add_leads(sessions, ORG, *[make_lead(ORG, f"Ann{i}", "Tan", tags=["vip"]) for i in range(3)])
    lead_filter = LeadFilter(text="ann tan a", tag="vip")
    async with open_uow(sessions, ORG) as uow:
        with count_statements(app_engine) as statements:
            page = await uow.leads.search(lead_filter, LeadSort(), PageRequest(limit=2))
            exported = [x async for x in uow.leads.stream(ExportFilter(lead_filter))]
            plain = await uow.leads.search(LeadFilter(text=None), LeadSort(), PageRequest(limit=2))
    assert (len(page.items), page.total, len(exported), plain.total) == (2, 3, 3, 3)
    view_statements = [s for s in statements if "FROM leads_lead_tenant" in s]
    assert len(view_statements) == 2  # the page (with its count) and the export batch
    # Three words in four columns and the tag, once in the page: one walk of the matches serves
    # the page and its count (they tested the same leading rows twice before).
    matching = [(s.upper().count("ILIKE"), s.count("@>")) for s in view_statements]
    assert matching == [(3 * 4, 1), (3 * 4, 1)]
    assert any("FROM leads_lead " in s or s.rstrip().endswith("FROM leads_lead") for s in statements)


# ---- dedupe ---------------------------------------------------------------------------------


async def test_a_second_active_lead_with_the_same_email_or_phone_is_a_duplicate(sessions: Sessions) -> None:
    first = make_lead(ORG, email="ann@alpha.sg", phone="+6591234567")
    await add_leads(sessions, ORG, first)
    async with open_uow(sessions, ORG) as uow:
        with pytest.raises(DuplicateLead) as by_email:
            await uow.leads.add(make_lead(ORG, email="ann@alpha.sg"))
        with pytest.raises(DuplicateLead) as by_phone:
            await uow.leads.add(make_lead(ORG, phone="+6591234567"))
        # The savepoint kept the transaction alive: other writes still commit.
        other = make_lead(ORG, email="other@alpha.sg")
        await uow.leads.add(other)
        await uow.commit()
    assert (by_email.value.existing_id, by_email.value.matched_on) == (first.id, "email")
    assert (by_phone.value.existing_id, by_phone.value.matched_on) == (first.id, "phone")
    assert by_email.value.extra == {"existingLeadId": str(first.id), "matchedOn": "email"}
    async with open_uow(sessions, ORG) as uow:
        assert await uow.leads.count_active() == 2


async def test_holding_the_lead_quota_makes_a_second_adder_of_the_same_org_wait(sessions: Sessions) -> None:
    async with (
        open_uow(sessions, ORG) as first,
        open_uow(sessions, ORG) as second,
        open_uow(sessions, OTHER_ORG) as elsewhere,
    ):
        await first.leads.hold_lead_quota()
        await elsewhere.leads.hold_lead_quota()  # another organisation is not held up
        await second.session.execute(text("SET LOCAL lock_timeout = '200ms'"))
        with pytest.raises(Exception, match="lock timeout"):
            await second.leads.hold_lead_quota()
    async with open_uow(sessions, ORG) as third:
        await third.session.execute(text("SET LOCAL lock_timeout = '200ms'"))
        await third.leads.hold_lead_quota()  # released when the first transaction ended


async def test_archived_leads_and_other_tenants_do_not_count_as_duplicates(sessions: Sessions) -> None:
    await add_leads(sessions, ORG, make_lead(ORG, email="ann@alpha.sg", phone="+6591234567", archived_at=NOW))
    await add_leads(sessions, OTHER_ORG, make_lead(OTHER_ORG, email="ann@alpha.sg", phone="+6591234567"))
    await add_leads(sessions, ORG, make_lead(ORG, email="ann@alpha.sg", phone="+6591234567"))
    async with open_uow(sessions, ORG) as uow:
        assert await uow.leads.count_active() == 1


async def test_changing_email_to_a_taken_one_is_a_duplicate(sessions: Sessions) -> None:
    ann, ben = make_lead(ORG, email="ann@alpha.sg"), make_lead(ORG, email="ben@beta.sg")
    await add_leads(sessions, ORG, ann, ben)
    async with open_uow(sessions, ORG) as uow:
        ben.email = "ann@alpha.sg"
        with pytest.raises(DuplicateLead) as caught:
            await uow.leads.save(ben)
    assert (caught.value.existing_id, caught.value.matched_on) == (ann.id, "email")


async def test_concurrent_inserts_of_one_email_end_in_duplicate_lead(sessions: Sessions) -> None:
    winner, loser = make_lead(ORG, "Win", email="race@alpha.sg"), make_lead(ORG, "Lose", email="race@alpha.sg")
    async with open_uow(sessions, ORG) as first, open_uow(sessions, ORG) as second:
        # Both passed find_duplicate before either inserted.
        assert await first.leads.find_duplicate(email="race@alpha.sg", phone=None) is None
        assert await second.leads.find_duplicate(email="race@alpha.sg", phone=None) is None
        await first.leads.add(winner)
        racing = asyncio.create_task(second.leads.add(loser))
        await asyncio.sleep(0.2)
        assert not racing.done()  # waiting on the winner's uncommitted index entry
        await first.commit()
        with pytest.raises(DuplicateLead) as caught:
            await racing
        assert caught.value.existing_id == winner.id
        await second.commit()
    async with open_uow(sessions, ORG) as uow:
        page = await uow.leads.search(LeadFilter(), LeadSort(), PageRequest())
    assert [x.id for x in page.items] == [winner.id]


async def test_find_duplicate(sessions: Sessions) -> None:
    by_email = make_lead(ORG, "E", email="e@x.sg")
    by_phone = make_lead(ORG, "P", phone="+6591234567")
    archived = make_lead(ORG, "A", email="a@x.sg", archived_at=NOW)
    await add_leads(sessions, ORG, by_email, by_phone, archived)
    async with open_uow(sessions, ORG) as uow:
        found = uow.leads.find_duplicate
        assert await found(email=None, phone=None) is None
        assert await found(email="e@x.sg", phone=None) == by_email
        assert await found(email=None, phone="+6591234567") == by_phone
        assert (await found(email="e@x.sg", phone="+6591234567")) == by_email  # the email match wins
        assert await found(email="e@x.sg", phone="+6591234567", exclude_id=by_email.id) == by_phone
        assert await found(email="e@x.sg", phone=None, exclude_id=by_email.id) is None
        assert await found(email="a@x.sg", phone=None) is None


async def test_existing_contacts(sessions: Sessions) -> None:
    ann = make_lead(ORG, email="ann@x.sg", phone="+6591234567")
    ben = make_lead(ORG, email="ben@x.sg")
    gone = make_lead(ORG, email="gone@x.sg", archived_at=NOW)
    await add_leads(sessions, ORG, ann, ben, gone)
    await add_leads(sessions, OTHER_ORG, make_lead(OTHER_ORG, email="other@x.sg"))
    async with open_uow(sessions, ORG) as uow:
        found = await uow.leads.existing_contacts(
            ["ann@x.sg", "ben@x.sg", "gone@x.sg", "other@x.sg", "new@x.sg"], ["+6591234567", "+6581234567"]
        )
        assert await uow.leads.existing_contacts([], []) == {}
    assert found == {"ann@x.sg": ann.id, "ben@x.sg": ben.id, "+6591234567": ann.id}


# ---- bulk insert and export -----------------------------------------------------------------


async def test_add_many_inserts_a_batch_and_is_all_or_nothing(sessions: Sessions, app_engine: AsyncEngine) -> None:
    batch = [make_lead(ORG, f"P{i}", "Import", email=f"p{i}@x.sg", source=LeadSource.IMPORT) for i in range(1000)]
    async with open_uow(sessions, ORG) as uow:
        with count_statements(app_engine) as statements:
            await uow.leads.add_many(batch)
        await uow.commit()
    assert len([s for s in statements if s.startswith("INSERT")]) == 1  # one executemany
    async with open_uow(sessions, ORG) as uow:
        assert await uow.leads.count_active() == 1000
        clash = [make_lead(ORG, "New", email="new@x.sg"), make_lead(ORG, "Clash", phone=None, email="p500@x.sg")]
        with pytest.raises(DuplicateLead) as caught:
            await uow.leads.add_many(clash)
        await uow.commit()
    assert caught.value.existing_id == batch[500].id
    async with open_uow(sessions, ORG) as uow:
        assert await uow.leads.count_active() == 1000  # nothing of the clashing batch


async def test_stream_yields_every_match_in_batches_oldest_first(sessions: Sessions, app_engine: AsyncEngine) -> None:
    leads = [
        make_lead(ORG, f"P{i}", "Export", tags=["even"] if i % 2 == 0 else [], archived_at=NOW if i % 7 == 0 else None)
        for i in range(STREAM_BATCH * 2 + 200)
    ]
    async with open_uow(sessions, ORG) as uow:
        await uow.leads.add_many(leads)
        await uow.commit()
    active = [x.id for x in leads if x.archived_at is None]
    async with open_uow(sessions, ORG) as uow:
        with count_statements(app_engine) as statements:
            streamed = [x.id async for x in uow.leads.stream(ExportFilter())]
        tagged = [x.id async for x in uow.leads.stream(ExportFilter(LeadFilter(tag="even")))]
    assert streamed == active  # UUIDv7 ids: id order is creation order
    batches = [s for s in statements if s.startswith("SELECT") and "leads_lead" in s]
    assert len(active) > 2 * STREAM_BATCH and len(batches) == len(active) // STREAM_BATCH + 1
    assert tagged == [x.id for x in leads if x.archived_at is None and x.tags]


async def test_marketing_only_export_applies_consent_and_dnc(sessions: Sessions) -> None:
    consent = MarketingConsent(True, NOW, "web form")

    def lead(name: str, **fields: Any) -> Lead:
        values: dict[str, Any] = {
            "marketing_consent": consent,
            "dnc_status": DncStatus.CLEAR,
            "dnc_checked_at": TODAY - 2 * DAY,
            **fields,
        }
        return make_lead(ORG, name, "Export", **values)

    leads = [
        lead("Eligible"),
        lead("Checked21DaysAgo", dnc_checked_at=TODAY - 21 * DAY),
        lead("NoConsent", marketing_consent=None),
        lead("Withdrawn", marketing_consent=MarketingConsent(False, NOW, "unsubscribe")),
        lead("Listed", dnc_status=DncStatus.LISTED),
        lead("Unchecked", dnc_status=DncStatus.UNCHECKED, dnc_checked_at=None),
        lead("Checked22DaysAgo", dnc_checked_at=TODAY - 22 * DAY),
        lead("Archived", archived_at=NOW),
    ]
    await add_leads(sessions, ORG, *leads)
    expected = [x.first_name for x in leads if x.archived_at is None and x.marketing_eligible(TODAY)]
    assert expected == ["Eligible", "Checked21DaysAgo"]
    async with open_uow(sessions, ORG) as uow:
        marketing = [x.first_name async for x in uow.leads.stream(ExportFilter(marketing_only=True, today=TODAY))]
        everyone = [x.first_name async for x in uow.leads.stream(ExportFilter())]
    assert marketing == expected
    assert len(everyone) == 7
    # Without a date, today is the clock's business date (Asia/Singapore): one day later the
    # 21-day-old check has expired.
    async with open_uow(sessions, ORG, at=NOW + DAY) as uow:
        assert [x.first_name async for x in uow.leads.stream(ExportFilter(marketing_only=True))] == ["Eligible"]


# ---- activities ---------------------------------------------------------------------------


async def test_activities_newest_first_engagement_and_move(sessions: Sessions) -> None:
    lead, other = make_lead(ORG, "Ann"), make_lead(ORG, "Ben")
    await add_leads(sessions, ORG, lead, other)
    t1, t2, t3, t4 = NOW - 4 * DAY, NOW - 3 * DAY, NOW - 2 * DAY, NOW - DAY
    note = make_activity(lead, ActivityKind.NOTE, t1, body="Met at a trade fair")
    call = make_activity(lead, ActivityKind.CALL, t2, body="Called back")
    email = make_activity(lead, ActivityKind.EMAIL, t2)  # same moment as the call: id breaks the tie
    meeting = make_activity(lead, ActivityKind.MEETING, t3)
    moved = make_activity(
        lead, ActivityKind.STATUS_CHANGE, t4, created_by=None, details={"from": "new", "to": "contacted"}
    )
    async with open_uow(sessions, ORG) as uow:
        await uow.activities.add(note)
        await uow.activities.add_many([call, email, meeting, moved])
        await uow.activities.add_many([])
        await uow.commit()
    async with open_uow(sessions, ORG) as uow:
        page = await uow.activities.list_for_lead(lead.id, PageRequest(limit=3))
        rest = await uow.activities.list_for_lead(lead.id, PageRequest(limit=3, offset=3))
        engagement = await uow.activities.engagement(lead.id)
        assert await uow.activities.engagement(other.id) == Engagement()
    assert list(page.items) == [moved, meeting, email]
    assert (list(rest.items), page.total, rest.total) == ([call, note], 5, 5)
    # Status changes are not interactions; the meeting is both.
    assert engagement == Engagement(interactions=4, meetings=1, last_interaction_at=t3)

    async with open_uow(sessions, ORG) as uow:
        assert await uow.activities.move(lead.id, other.id) == 5
        await uow.commit()
    async with open_uow(sessions, ORG) as uow:
        assert (await uow.activities.list_for_lead(lead.id, PageRequest())).total == 0
        moved_page = await uow.activities.list_for_lead(other.id, PageRequest())
    assert [a.id for a in moved_page.items] == [moved.id, meeting.id, email.id, call.id, note.id]
    assert all(a.lead_id == other.id for a in moved_page.items)


# ---- imports ------------------------------------------------------------------------------


async def test_imports_round_trip(sessions: Sessions) -> None:
    job = LeadImport(organization_id=ORG, created_by=USER, created_at=NOW, filename="leads.csv", total_rows=3)
    csv_text = "first_name,last_name,email\nAnn,Tan,ann@x.sg\nBen,Lim,\nCara,Ng,bad\n"
    async with open_uow(sessions, ORG) as uow:
        await uow.imports.add(job, csv_text)
        await uow.commit()
    async with open_uow(sessions, ORG) as uow:
        assert await uow.imports.get(job.id) == job
        assert await uow.imports.csv_text(job.id) == csv_text
        assert await uow.imports.get(new_id()) is None
        assert await uow.imports.csv_text(new_id()) is None
        running = await uow.imports.get(job.id, for_update=True)
        assert running is not None
        running.status = ImportStatus.COMPLETED
        running.started_at, running.finished_at = NOW, NOW + timedelta(seconds=3)
        running.processed_rows, running.created_count, running.duplicate_count, running.error_count = 3, 1, 1, 1
        running.errors = [RowError(3, "email", "is not a valid email address"), RowError(2, None, "duplicate")]
        running.failure = None
        await uow.imports.save(running)
        await uow.commit()
    async with open_uow(sessions, ORG) as uow:
        assert await uow.imports.get(job.id) == running
        assert await uow.imports.csv_text(job.id) == csv_text  # a save leaves the upload alone


# ---- round robin --------------------------------------------------------------------------


async def test_round_robin_advances_atomically_under_concurrency(sessions: Sessions) -> None:
    steps = [1, 2, 1, 3, 1, 1]

    async def advance(n: int) -> tuple[int, int]:
        async with open_uow(sessions, ORG) as uow:
            before = await uow.advance_round_robin(n)
            await asyncio.sleep(0.01)  # hold the row lock a moment so the others queue on it
            await uow.commit()
            return before, n

    results = sorted(await asyncio.gather(*(advance(n) for n in steps)))
    values = [before for before, _ in results]
    assert len(set(values)) == len(steps)
    # The turns handed out tile 0..sum(steps) without a gap or an overlap.
    for (before, n), (after, _) in itertools.pairwise(results):
        assert after == before + n
    assert values[0] == 0
    async with open_uow(sessions, ORG) as uow:
        assert await uow.advance_round_robin(0) == sum(steps)
    async with open_uow(sessions, OTHER_ORG) as uow:
        assert await uow.advance_round_robin(1) == 0  # each tenant counts on its own


async def test_round_robin_refuses_negative_steps(sessions: Sessions) -> None:
    async with open_uow(sessions, ORG) as uow:
        with pytest.raises(ValueError, match="steps"):
            await uow.advance_round_robin(-1)


# ---- unit of work -------------------------------------------------------------------------


async def test_events_are_recorded_in_the_same_transaction(sessions: Sessions) -> None:
    from nexuscore.kernel.events import EventRecord

    async with open_uow(sessions, ORG) as uow:
        lead = make_lead(ORG)
        await uow.leads.add(lead)
        await uow.events.append(
            EventRecord(type="lead.created", occurred_at=NOW, organization_id=ORG, subject=f"lead:{lead.id}")
        )
        # Not committed: both vanish together.
    async with open_uow(sessions, ORG) as uow:
        assert uow.org_id == ORG and uow.clock.now() == NOW
        assert await uow.leads.count_active() == 0
        count = await uow.session.scalar(text("SELECT count(*) FROM events_domain_event"))
    assert count == 0


async def test_a_lead_of_another_tenant_is_refused_by_the_repository(sessions: Sessions) -> None:
    async with open_uow(sessions, ORG) as uow:
        with pytest.raises(ValueError, match="another organisation"):
            await uow.leads.add(make_lead(OTHER_ORG))
        with pytest.raises(ValueError, match="another organisation"):
            await uow.activities.add(make_activity(make_lead(OTHER_ORG), ActivityKind.NOTE, NOW))


async def test_a_tenant_without_leads_sees_an_empty_list(sessions: Sessions, dataset: list[Lead]) -> None:
    async with open_uow(sessions, new_org()) as uow:
        page = await uow.leads.search(LeadFilter(), LeadSort(), PageRequest())
        assert (list(page.items), page.total) == ([], 0)
        assert await uow.leads.count_active() == 0
        assert await uow.leads.get(dataset[0].id) is None
