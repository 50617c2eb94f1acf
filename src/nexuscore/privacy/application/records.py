"""Use cases: consent records (leads and users) and Do Not Call checks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from nexuscore.kernel.clock import Clock, business_date
from nexuscore.kernel.errors import NotFound
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.privacy.domain.consent import (
    ConsentInput,
    ConsentRecord,
    ConsentState,
    SubjectKind,
    current_states,
    new_record,
)
from nexuscore.privacy.domain.dnc import DncCheck, DncResult, new_check, normalise_phone
from nexuscore.privacy.domain.permissions import PrivacyAction, require
from nexuscore.privacy.domain.records_events import ConsentChanged
from nexuscore.privacy.ports.records import LeadSubjects, PrivacyUnitOfWork


@dataclass(frozen=True)
class ConsentView:
    """A subject's current state per purpose and the records it is derived from."""

    subject_kind: SubjectKind
    subject_id: UUID
    current: Sequence[ConsentState]
    history: Sequence[ConsentRecord]


def consent_changed(record: ConsentRecord, actor_id: UUID | None) -> ConsentChanged:
    return ConsentChanged(
        occurred_at=record.recorded_at,
        organization_id=record.organization_id,
        actor_id=actor_id,
        record_id=record.id,
        subject_kind=record.subject_kind.value,
        subject_id=record.subject_id,
        purpose=record.purpose.value,
        given=record.given,
        method=record.method.value,
        notice_version=record.notice_version,
    )


async def _view(uow: PrivacyUnitOfWork, kind: SubjectKind, subject_id: UUID) -> ConsentView:
    records = await uow.consents.for_subject(kind, subject_id)
    return ConsentView(kind, subject_id, list(current_states(records).values()), records)


async def _known_lead(leads: LeadSubjects, lead_id: UUID) -> None:
    # Another tenant's lead is "not found", like a lead that never was.
    if not await leads.exists(lead_id):
        raise NotFound("Lead not found.")


async def lead_consents(
    uow: PrivacyUnitOfWork, leads: LeadSubjects, *, tenant: TenantContext, lead_id: UUID
) -> ConsentView:
    require(tenant, PrivacyAction.READ_CONSENTS)
    await _known_lead(leads, lead_id)
    return await _view(uow, SubjectKind.LEAD, lead_id)


async def record_lead_consent(
    uow: PrivacyUnitOfWork,
    leads: LeadSubjects,
    clock: Clock,
    *,
    tenant: TenantContext,
    lead_id: UUID,
    data: ConsentInput,
) -> ConsentView:
    """A new record; from its commit on, the purpose is used (or not) as it says."""
    require(tenant, PrivacyAction.RECORD_CONSENTS)
    await _known_lead(leads, lead_id)
    record = new_record(
        data,
        subject_kind=SubjectKind.LEAD,
        subject_id=lead_id,
        organization_id=tenant.org_id,
        recorded_by=tenant.user_id,
        now=clock.now(),
    )
    await uow.consents.add(record)
    await uow.events.append(consent_changed(record, tenant.user_id))
    await uow.commit()
    return await _view(uow, SubjectKind.LEAD, lead_id)


async def my_consents(uow: PrivacyUnitOfWork, *, user_id: UUID) -> ConsentView:
    return await _view(uow, SubjectKind.USER, user_id)


async def record_my_consent(uow: PrivacyUnitOfWork, clock: Clock, *, user_id: UUID, data: ConsentInput) -> ConsentView:
    record = new_record(
        data,
        subject_kind=SubjectKind.USER,
        subject_id=user_id,
        organization_id=None,
        recorded_by=user_id,
        now=clock.now(),
    )
    await uow.consents.add(record)
    await uow.events.append(consent_changed(record, user_id))
    await uow.commit()
    return await _view(uow, SubjectKind.USER, user_id)


async def record_dnc_check(
    uow: PrivacyUnitOfWork,
    clock: Clock,
    *,
    tenant: TenantContext,
    phone: str,
    result: DncResult,
    checked_on: date | None,
) -> DncCheck:
    require(tenant, PrivacyAction.MANAGE_DNC)
    now = clock.now()
    check = new_check(
        organization_id=tenant.org_id,
        phone=normalise_phone(phone),
        result=result,
        checked_on=checked_on,
        today=business_date(now),
        recorded_by=tenant.user_id,
        now=now,
    )
    await uow.dnc.add(check)
    await uow.commit()
    return check


async def dnc_checks(
    uow: PrivacyUnitOfWork, *, tenant: TenantContext, phone: str | None, page: PageRequest
) -> Page[DncCheck]:
    require(tenant, PrivacyAction.MANAGE_DNC)
    return await uow.dnc.history(normalise_phone(phone) if phone else None, page)
