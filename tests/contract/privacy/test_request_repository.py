"""PrivacyRequestRepository contract: the round trip of every field, the tenant filter, the
organisation's listing (status, overdue, most urgent first), a user's own requests, the
sweep of approved requests, and the masking of an erased subject's other requests."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import UUID

import pytest

from nexuscore.kernel.ids import new_id
from nexuscore.kernel.paging import PageRequest
from nexuscore.kernel.personal_data import SubjectKind, SubjectQuery, masked_email, salted_hash
from nexuscore.privacy.domain.model import Bundle, StepStatus, SuppressedKind, Suppression
from nexuscore.privacy.domain.requests import RequestKind, RequestStatus
from nexuscore.privacy.ports.repositories import RequestFilter
from tests.contract.privacy.backends import (
    NOW,
    REFUSED,
    USER,
    PrivacyBackend,
    lead_request,
    new_org,
    user_request,
    verification,
)

SALT = b"contract-salt"
ALL = PageRequest(limit=50, offset=0)


async def test_a_request_round_trips_with_every_field(privacy: PrivacyBackend) -> None:
    org = new_org()
    request = lead_request(org, phone="+6591234567", lead_id=new_id(), notes="by letter", verification=verification())
    request = replace(
        request,
        extended_days=14,
        error="a provider failed",
        completed_at=NOW + timedelta(days=3),
        lead_ids=(new_id(), new_id()),
        names=("Ann Tan",),
        emails=("ann.tan@example.sg",),
        phones=("+6598765432",),
        history=(*request.history, replace(request.history[0], action="extended", note="14 days: busy")),
    )
    await privacy.add_requests(request)
    async with privacy.requests_uow() as uow:
        assert await uow.requests.get(request.id) == request
        assert await uow.requests.get(request.id, for_update=True) == request
        assert await uow.requests.get(new_id()) is None


async def test_a_taken_id_is_refused(privacy: PrivacyBackend) -> None:
    request = lead_request(new_org())
    await privacy.add_requests(request)
    async with privacy.requests_uow() as uow:
        with pytest.raises(REFUSED):
            await uow.requests.add(replace(request, notes="again"))


async def test_save_replaces_the_request_and_refuses_an_unknown_one(privacy: PrivacyBackend) -> None:
    request = lead_request(new_org(), verification=verification())
    await privacy.add_requests(request)
    tried = request.verified(NOW, code_matches=False)  # one attempt used up
    approved = request.verified(NOW, code_matches=True).approve(NOW, f"user:{USER}")
    async with privacy.requests_uow() as uow:
        await uow.requests.save(tried)
        await uow.commit()
    async with privacy.requests_uow() as uow:
        assert await uow.requests.get(request.id) == tried
        await uow.requests.save(approved)
        await uow.commit()
    async with privacy.requests_uow() as uow:
        found = await uow.requests.get(request.id)
        assert found == approved
        assert found is not None and found.verification is None
        with pytest.raises(LookupError):
            await uow.requests.save(lead_request(new_org()))


async def test_another_organisation_does_not_see_the_request(privacy: PrivacyBackend) -> None:
    org, other = new_org(), new_org()
    request = lead_request(org)
    await privacy.add_requests(request)
    async with privacy.requests_uow(other) as uow:
        assert await uow.requests.get(request.id, organization_id=other) is None
        assert (await uow.requests.page_for_organization(other, RequestFilter(), ALL)).total == 0
    async with privacy.requests_uow(org) as uow:
        assert await uow.requests.get(request.id, organization_id=org) == request


async def test_the_organisation_listing_is_most_urgent_first_and_pages(privacy: PrivacyBackend) -> None:
    org = new_org()
    later = lead_request(org, received_at=NOW - timedelta(days=1))
    soonest = lead_request(org, received_at=NOW - timedelta(days=9))
    middle = lead_request(org, received_at=NOW - timedelta(days=5))
    await privacy.add_requests(later, soonest, middle, lead_request(new_org()))
    async with privacy.requests_uow(org) as uow:
        page = await uow.requests.page_for_organization(org, RequestFilter(), ALL)
        assert [r.id for r in page.items] == [soonest.id, middle.id, later.id]
        assert page.total == 3
        second = await uow.requests.page_for_organization(org, RequestFilter(), PageRequest(limit=1, offset=1))
        assert [r.id for r in second.items] == [middle.id]
        assert (second.total, second.limit, second.offset) == (3, 1, 1)


async def test_the_listing_filters_on_status_and_on_overdue(privacy: PrivacyBackend) -> None:
    org = new_org()
    late_open = lead_request(org, received_at=NOW - timedelta(days=40))
    late_denied = lead_request(org, received_at=NOW - timedelta(days=40)).deny(NOW, "system", "not the subject")
    on_time = lead_request(org, received_at=NOW - timedelta(days=2)).approve(NOW, "system")
    await privacy.add_requests(late_open, late_denied, on_time)

    async def ids(filters: RequestFilter) -> list[UUID]:
        async with privacy.requests_uow(org) as uow:
            return [r.id for r in (await uow.requests.page_for_organization(org, filters, ALL)).items]

    assert await ids(RequestFilter(status=RequestStatus.APPROVED)) == [on_time.id]
    assert await ids(RequestFilter(status=RequestStatus.DENIED)) == [late_denied.id]
    assert await ids(RequestFilter(overdue=True, now=NOW)) == [late_open.id]  # a closed one is never overdue
    assert sorted(await ids(RequestFilter(overdue=False, now=NOW))) == sorted([late_denied.id, on_time.id])
    assert await ids(RequestFilter(status=RequestStatus.PENDING, overdue=False, now=NOW)) == []
    assert len(await ids(RequestFilter(overdue=True))) == 3  # without `now` the overdue filter is off


async def test_a_users_requests_are_theirs_only_newest_first(privacy: PrivacyBackend) -> None:
    user, other = new_id(), new_id()
    first = user_request(user, received_at=NOW - timedelta(days=2))
    second = user_request(user, kind=RequestKind.DELETION)
    about_a_lead = lead_request(new_org(), user_id=user)  # a lead's request naming the user is not theirs
    await privacy.add_requests(first, second, about_a_lead, user_request(other))
    async with privacy.requests_uow() as uow:
        page = await uow.requests.page_for_user(user, ALL)
        assert [r.id for r in page.items] == [second.id, first.id]
        assert page.total == 2
        assert [r.id for r in (await uow.requests.page_for_user(user, PageRequest(limit=1, offset=0))).items] == [
            second.id
        ]


async def test_approved_before_lists_approved_requests_received_before_the_moment(privacy: PrivacyBackend) -> None:
    org = new_org()
    old = [lead_request(org, received_at=NOW - timedelta(hours=h)).approve(NOW, "system") for h in (3, 2, 1)]
    recent = lead_request(org, received_at=NOW).approve(NOW, "system")
    pending = lead_request(org, received_at=NOW - timedelta(hours=5))
    platform = user_request(new_id(), received_at=NOW - timedelta(hours=4)).approve(NOW, "system")
    await privacy.backend.clear("privacy_request")  # the sweep reads every organisation's requests
    await privacy.add_requests(*old, recent, pending, platform)
    async with privacy.requests_uow() as uow:
        assert await uow.requests.approved_before(NOW, 100) == sorted(r.id for r in [*old, platform])
        assert await uow.requests.approved_before(NOW, 2) == sorted(r.id for r in [*old, platform])[:2]


async def _bundle_of(privacy: PrivacyBackend, request_id: UUID, org: UUID) -> None:
    async with privacy.requests_uow() as uow:
        await uow.bundles.add(Bundle(new_id(), request_id, org, new_id().hex, NOW, NOW + timedelta(days=7), b"zip"))
        await uow.commit()


async def test_erasing_a_lead_masks_their_other_requests_and_drops_bundles_and_results(
    privacy: PrivacyBackend,
) -> None:
    org, other_org = new_org(), new_org()
    lead_id = new_id()
    deletion = lead_request(org, kind=RequestKind.DELETION)
    by_email = replace(lead_request(org, notes="wrote in"), names=("Ann Tan",), emails=("a@x.sg",))
    by_phone = lead_request(org, email=None, phone="+6591234567")
    by_lead = lead_request(org, email=None, lead_id=lead_id)
    someone_else = lead_request(org, email="bob@example.sg")
    same_email_elsewhere = lead_request(other_org)
    await privacy.add_requests(deletion, by_email, by_phone, by_lead, someone_else, same_email_elsewhere)
    for request in (deletion, by_email, someone_else):
        await _bundle_of(privacy, request.id, org)
    async with privacy.requests_uow() as uow:
        for request in (deletion, by_email, someone_else):
            await uow.steps.ensure(request.id, ["leads"])
            step = await uow.steps.get(request.id, "leads")
            assert step is not None
            await uow.steps.save(replace(step, status=StepStatus.DONE, result={"rows": [1]}))
        await uow.commit()

    subject = SubjectQuery(
        SubjectKind.LEAD, organization_id=org, lead_ids=(lead_id,), emails=("ann@example.sg",), phones=("+6591234567",)
    )
    async with privacy.requests_uow() as uow:
        assert await uow.requests.erase_subject(deletion.id, subject, SALT) == 3
        await uow.commit()

    async with privacy.requests_uow() as uow:
        masked = await uow.requests.get(by_email.id)
        assert masked == by_email.mask_subject(masked_email("ann@example.sg", SALT), None)
        assert masked is not None and (masked.notes, masked.names, masked.emails, masked.erased) == (None, (), (), True)
        assert await uow.requests.get(by_phone.id) == by_phone.mask_subject(None, salted_hash("+6591234567", SALT))
        assert await uow.requests.get(by_lead.id) == by_lead.mask_subject(None, None)
        # The deletion request itself is masked by the caller; the others are not the subject.
        assert await uow.requests.get(deletion.id) == deletion
        assert await uow.requests.get(someone_else.id) == someone_else
        assert await uow.requests.get(same_email_elsewhere.id) == same_email_elsewhere
        assert await uow.bundles.for_request(deletion.id) is None
        assert await uow.bundles.for_request(by_email.id) is None
        assert await uow.bundles.for_request(someone_else.id) is not None
        assert [s.result for s in await uow.steps.list(deletion.id)] == [None]
        assert [s.result for s in await uow.steps.list(by_email.id)] == [None]
        assert [s.result for s in await uow.steps.list(someone_else.id)] == [{"rows": [1]}]


async def test_erasing_a_user_masks_their_requests_by_user_id(privacy: PrivacyBackend) -> None:
    user = new_id()
    deletion = user_request(user, kind=RequestKind.DELETION)
    access = user_request(user, received_at=NOW - timedelta(days=3))
    other = user_request(new_id())
    await privacy.add_requests(deletion, access, other)
    subject = SubjectQuery(SubjectKind.USER, user_id=user, emails=("ann@example.sg",))
    async with privacy.requests_uow() as uow:
        assert await uow.requests.erase_subject(deletion.id, subject, SALT) == 1
        await uow.commit()
    async with privacy.requests_uow() as uow:
        assert await uow.requests.get(access.id) == access.mask_subject(masked_email("ann@example.sg", SALT), None)
        assert await uow.requests.get(other.id) == other
        assert await uow.requests.get(deletion.id) == deletion


async def test_work_not_committed_is_discarded_and_a_commit_keeps_it(privacy: PrivacyBackend) -> None:
    org = new_org()
    kept, dropped = lead_request(org), lead_request(org)
    async with privacy.requests_uow() as uow:
        await uow.requests.add(kept)
        await uow.steps.ensure(kept.id, ["leads"])
        await uow.commit()
        await uow.requests.add(dropped)  # a second transaction on the same unit of work, never committed
        await uow.steps.ensure(dropped.id, ["leads"])
        await uow.suppressions.add([Suppression(new_id().hex, SuppressedKind.EMAIL, org, dropped.id, NOW)])
    async with privacy.requests_uow() as uow:
        assert await uow.requests.get(kept.id) == kept
        assert len(await uow.steps.list(kept.id)) == 1
        assert await uow.requests.get(dropped.id) is None
        assert await uow.steps.list(dropped.id) == []
        assert (await uow.requests.page_for_organization(org, RequestFilter(), ALL)).total == 1


async def test_the_platform_listing_holds_users_requests_only_most_urgent_first(privacy: PrivacyBackend) -> None:
    await privacy.backend.clear("privacy_request")  # the platform listing reads every user's requests
    ann, bob = new_id(), new_id()
    later = user_request(ann, received_at=NOW - timedelta(days=1))
    sooner = user_request(bob, kind=RequestKind.DELETION, received_at=NOW - timedelta(days=8))
    denied = user_request(bob, received_at=NOW - timedelta(days=40)).deny(NOW, "system", "a duplicate")
    await privacy.add_requests(later, sooner, denied, lead_request(new_org(), received_at=NOW - timedelta(days=20)))
    async with privacy.requests_uow() as uow:
        page = await uow.requests.page_for_platform(RequestFilter(), ALL)
        assert [r.id for r in page.items] == [denied.id, sooner.id, later.id]  # no tenant's lead request
        assert page.total == 3
        open_ = await uow.requests.page_for_platform(RequestFilter(status=RequestStatus.PENDING), ALL)
        assert {r.id for r in open_.items} == {later.id, sooner.id}
        second = await uow.requests.page_for_platform(RequestFilter(), PageRequest(limit=1, offset=1))
        assert ([r.id for r in second.items], second.total) == ([sooner.id], 3)
        overdue = await uow.requests.page_for_platform(RequestFilter(overdue=True, now=NOW), ALL)
        assert overdue.items == []  # the one past 30 days is closed
