"""The consent, retention and breach use cases against in-memory fakes, with a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.errors import NotFound, PermissionDenied
from nexuscore.kernel.paging import PageRequest
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.privacy.adapters.memory.records import (
    InMemoryLeadSubjects,
    InMemoryPrivacyUnitOfWork,
    InMemoryRetentionTargets,
    PrivacyRecordsState,
)
from nexuscore.privacy.application import breaches, records, retention
from nexuscore.privacy.domain.breaches import BreachChanges, BreachInput, DataCategory
from nexuscore.privacy.domain.consent import ConsentInput, ConsentMethod, Purpose
from nexuscore.privacy.domain.retention import RetentionCategory

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
ORG = uuid4()


def _tenant(role: Role = Role.MEMBER) -> TenantContext:
    return TenantContext(org_id=ORG, user_id=uuid4(), role=role)


async def test_a_lead_consent_is_recorded_with_its_event_and_unknown_leads_are_not_found() -> None:
    state, clock = PrivacyRecordsState(), FixedClock(NOW)
    lead = uuid4()
    leads = InMemoryLeadSubjects({lead})
    uow = InMemoryPrivacyUnitOfWork(state, ORG)
    data = ConsentInput(Purpose.MARKETING_SMS, False, "2026-11", ConsentMethod.VERBAL, note="call with Mei")
    tenant = _tenant()
    view = await records.record_lead_consent(uow, leads, clock, tenant=tenant, lead_id=lead, data=data)
    assert [(s.purpose, s.given) for s in view.current] == [(Purpose.MARKETING_SMS, False)]
    [event] = state.events
    assert event.type == "privacy.consent_changed" and event.subject == f"lead:{lead}"
    assert event.payload == {
        "recordId": str(view.history[0].id),
        "subjectKind": "lead",
        "subjectId": str(lead),
        "purpose": "marketing_sms",
        "given": False,
        "method": "verbal",
        "noticeVersion": "2026-11",
    }  # no note, nothing personal
    with pytest.raises(NotFound):
        await records.record_lead_consent(uow, leads, clock, tenant=tenant, lead_id=uuid4(), data=data)
    with pytest.raises(PermissionDenied):
        await records.lead_consents(uow, leads, tenant=_tenant(Role.VIEWER), lead_id=lead)
    # Another organisation's unit of work sees none of it.
    other = InMemoryPrivacyUnitOfWork(state, uuid4())
    assert (await other.consents.for_subject(view.subject_kind, lead)) == []


async def test_the_preview_names_what_the_next_run_removes() -> None:
    state, clock = PrivacyRecordsState(), FixedClock(NOW)
    admin = _tenant(Role.ADMIN)
    cutoff_day = datetime(2024, 12, 2, 16, 0, tzinfo=UTC)  # 3 Dec 2026 run, 24 months: midnight SGT 3 Dec 2024
    targets = InMemoryRetentionTargets(
        {
            "lost_leads": [cutoff_day - timedelta(seconds=1), cutoff_day, cutoff_day + timedelta(hours=5)],
            "archived_leads": [NOW - timedelta(days=400), NOW - timedelta(days=300)],
            "activities": [NOW - timedelta(days=36 * 31)],
        }
    )
    uow = InMemoryPrivacyUnitOfWork(state, ORG)
    preview = await retention.preview(uow, targets, clock, tenant=admin)
    assert preview.run_at == datetime(2026, 12, 2, 19, 0, tzinfo=UTC)
    assert (preview.counts.lost_leads, preview.counts.archived_leads, preview.counts.activities) == (1, 1, 1)
    with pytest.raises(PermissionDenied):
        await retention.preview(uow, targets, clock, tenant=_tenant(Role.MEMBER))

    clock.set(preview.run_at + timedelta(minutes=3))  # the run starts a little late: same day, same line
    counts = await retention.purge_organization(uow, targets, clock, organization_id=ORG)
    assert counts == preview.counts
    [event] = state.events
    assert event.type == "privacy.retention_purged" and event.organization_id == ORG
    assert event.payload["counts"] == {"lost_leads": 1, "archived_leads": 1, "activities": 1}
    # The next run is the next day's: the line moves a day, the two lost leads at it go then.
    following = await retention.preview(uow, targets, clock, tenant=admin)
    assert following.cutoffs.run_day.isoformat() == "2026-12-04"
    assert (following.counts.lost_leads, following.counts.total) == (2, 2)

    rules = await retention.set_schedules(uow, clock, tenant=admin, months=[(RetentionCategory.ARCHIVED_LEADS, 6)])
    assert [(r.category.value, r.months, r.is_default) for r in rules][1] == ("archived_leads", 6, False)


async def test_the_register_lists_overdue_first_and_records_its_timeline() -> None:
    state, clock = PrivacyRecordsState(), FixedClock(NOW)
    uow = InMemoryPrivacyUnitOfWork(state, None)  # the platform's register
    actor = uuid4()

    def data(**extra: object) -> BreachInput:
        base = {
            "description": "Backup bucket left public",
            "discovered_at": NOW - timedelta(days=8),
            "affected_count": 900,
            "categories": (DataCategory.CONTACT,),
            **extra,
        }
        return BreachInput(**base)  # type: ignore[arg-type]

    fresh = await breaches.record_breach(uow, clock, actor_id=actor, data=data(assessed_at=NOW))
    late = await breaches.record_breach(uow, clock, actor_id=actor, data=data(assessed_at=NOW - timedelta(days=6)))
    page = await breaches.list_breaches(uow, clock, overdue_only=False, page=PageRequest(limit=1))
    assert [b.id for b in page.items] == [late.id] and page.total == 2 and page.has_more
    overdue = await breaches.list_breaches(uow, clock, overdue_only=True, page=PageRequest())
    assert [b.id for b in overdue.items] == [late.id]
    await breaches.update_breach(
        uow, clock, actor_id=actor, breach_id=late.id, changes=BreachChanges(pdpc_notified_at=NOW)
    )
    assert (await breaches.list_breaches(uow, clock, overdue_only=True, page=PageRequest())).total == 0
    assert [e.type for e in state.events] == [
        "privacy.breach_recorded",
        "privacy.breach_recorded",
        "privacy.breach_updated",
    ]
    assert state.events[2].payload == {"changed": ["pdpcNotifiedAt"], "affectedCount": 900, "notifiable": True}
    assert all("description" not in e.payload for e in state.events)
    tenant_uow = InMemoryPrivacyUnitOfWork(state, ORG)
    with pytest.raises(NotFound):
        await breaches.get_breach(tenant_uow, breach_id=fresh.id)
