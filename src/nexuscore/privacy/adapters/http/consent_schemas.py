"""Request and response bodies of the consent, DNC, retention and breach routes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from nexuscore.kernel.clock import business_date
from nexuscore.kernel.unset import UNSET, Unset
from nexuscore.platform.http.structs import PageResponse, RequestBody, ResponseBody
from nexuscore.privacy.application.records import ConsentView
from nexuscore.privacy.application.retention import PurgePreview
from nexuscore.privacy.domain.breaches import (
    MAX_CATEGORIES,
    MAX_DESCRIPTION_LENGTH,
    Breach,
    BreachChanges,
    BreachInput,
    DataCategory,
)
from nexuscore.privacy.domain.consent import (
    MAX_NOTE_LENGTH,
    MAX_NOTICE_VERSION_LENGTH,
    ConsentInput,
    ConsentMethod,
    ConsentRecord,
    ConsentState,
    Purpose,
    SubjectKind,
)
from nexuscore.privacy.domain.dnc import DncCheck, DncResult
from nexuscore.privacy.domain.retention import RetentionCategory, RetentionRule

MAX_AFFECTED = 10**9


NoticeVersion = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_NOTICE_VERSION_LENGTH, examples=["2026-11"])]
Note = Annotated[str, msgspec.Meta(max_length=MAX_NOTE_LENGTH)]


class MyConsentRequest(RequestBody):
    """A decision about one purpose; `at` is when the subject made it (default now), `note`
    e.g. the call a verbal consent was given on."""

    purpose: Purpose
    given: bool
    notice_version: NoticeVersion
    method: ConsentMethod
    at: datetime | None = None
    note: Note | None = None

    def to_input(self) -> ConsentInput:
        return ConsentInput(self.purpose, self.given, self.notice_version, self.method, self.at, self.note)


class LeadConsentRequest(RequestBody):
    lead_id: UUID
    purpose: Purpose
    given: bool
    notice_version: NoticeVersion
    method: ConsentMethod
    at: datetime | None = None
    note: Note | None = None

    def to_input(self) -> ConsentInput:
        return ConsentInput(self.purpose, self.given, self.notice_version, self.method, self.at, self.note)


class ConsentStateResponse(ResponseBody):
    purpose: Purpose
    given: bool
    at: datetime
    notice_version: str
    method: ConsentMethod
    record_id: UUID

    @classmethod
    def of(cls, state: ConsentState) -> ConsentStateResponse:
        return cls(
            purpose=state.purpose,
            given=state.given,
            at=state.at,
            notice_version=state.notice_version,
            method=state.method,
            record_id=state.record_id,
        )


class ConsentRecordResponse(ResponseBody):
    id: UUID
    purpose: Purpose
    given: bool
    notice_version: str
    method: ConsentMethod
    at: datetime
    recorded_at: datetime
    recorded_by: UUID | None
    note: str | None

    @classmethod
    def of(cls, record: ConsentRecord) -> ConsentRecordResponse:
        return cls(
            id=record.id,
            purpose=record.purpose,
            given=record.given,
            notice_version=record.notice_version,
            method=record.method,
            at=record.at,
            recorded_at=record.recorded_at,
            recorded_by=record.recorded_by,
            note=record.note,
        )


class ConsentsResponse(ResponseBody):
    """The current state per purpose (a purpose never recorded is absent: not consented), and
    one page of the records it is derived from, newest first."""

    subject_kind: SubjectKind
    subject_id: UUID
    current: list[ConsentStateResponse]
    history: list[ConsentRecordResponse]
    total: int
    limit: int
    offset: int
    has_more: bool

    @classmethod
    def of(cls, view: ConsentView, *, limit: int, offset: int) -> ConsentsResponse:
        newest_first = list(reversed(view.history))
        page = newest_first[offset : offset + limit]
        return cls(
            subject_kind=view.subject_kind,
            subject_id=view.subject_id,
            current=[ConsentStateResponse.of(s) for s in view.current],
            history=[ConsentRecordResponse.of(r) for r in page],
            total=len(newest_first),
            limit=limit,
            offset=offset,
            has_more=offset + len(page) < len(newest_first),
        )


class DncCheckRequest(RequestBody):
    phone: Annotated[str, msgspec.Meta(min_length=1, max_length=40, examples=["+6591234567"])]
    result: DncResult
    checked_on: date | None = None  # the Singapore date the register answered; default today


class DncCheckResponse(ResponseBody):
    id: UUID
    phone: str
    result: DncResult
    checked_on: date
    valid_until: date  # the last day the check counts (21 days)
    valid_today: bool
    recorded_at: datetime
    recorded_by: UUID | None

    @classmethod
    def of(cls, check: DncCheck, now: datetime) -> DncCheckResponse:
        return cls(
            id=check.id,
            phone=check.phone,
            result=check.result,
            checked_on=check.checked_on,
            valid_until=check.expires_on(),
            valid_today=check.valid_on(business_date(now)),
            recorded_at=check.recorded_at,
            recorded_by=check.recorded_by,
        )


class DncCheckPage(PageResponse[DncCheckResponse]):
    items: list[DncCheckResponse]


class RetentionRuleResponse(ResponseBody):
    category: RetentionCategory
    months: int
    is_default: bool
    updated_at: datetime | None
    updated_by: UUID | None

    @classmethod
    def of(cls, rule: RetentionRule) -> RetentionRuleResponse:
        return cls(
            category=rule.category,
            months=rule.months,
            is_default=rule.is_default,
            updated_at=rule.updated_at,
            updated_by=rule.updated_by,
        )


class RetentionSchedulesResponse(ResponseBody):
    schedules: list[RetentionRuleResponse]  # the organisation's (lost_leads, archived_leads, activities)
    platform_defaults: list[RetentionRuleResponse]  # users' data: the platform's, read-only


class RetentionMonths(RequestBody):
    category: RetentionCategory
    months: Annotated[int, msgspec.Meta(ge=1, le=120)]


class SetRetentionRequest(RequestBody):
    schedules: Annotated[list[RetentionMonths], msgspec.Meta(min_length=1, max_length=10)]


class RetentionCounts(ResponseBody):
    lost_leads: int
    archived_leads: int
    activities: int
    total: int


class RetentionCutoffs(ResponseBody):
    lost_leads: datetime
    archived_leads: datetime
    activities: datetime


class RetentionPreviewResponse(ResponseBody):
    """What the next daily run removes: counted now by the run's own rule for its day."""

    run_at: datetime
    run_day: date
    cutoffs: RetentionCutoffs
    counts: RetentionCounts

    @classmethod
    def of(cls, preview: PurgePreview) -> RetentionPreviewResponse:
        c, n = preview.cutoffs, preview.counts
        return cls(
            run_at=preview.run_at,
            run_day=c.run_day,
            cutoffs=RetentionCutoffs(lost_leads=c.lost_leads, archived_leads=c.archived_leads, activities=c.activities),
            counts=RetentionCounts(
                lost_leads=n.lost_leads, archived_leads=n.archived_leads, activities=n.activities, total=n.total
            ),
        )


Description = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_DESCRIPTION_LENGTH)]
Affected = Annotated[int, msgspec.Meta(ge=0, le=MAX_AFFECTED)]
Categories = Annotated[list[DataCategory], msgspec.Meta(min_length=1, max_length=MAX_CATEGORIES)]


class BreachRequest(RequestBody):
    description: Description
    discovered_at: datetime
    affected_count: Affected
    categories: Categories
    significant_harm: bool = False
    assessed_at: datetime | None = None
    pdpc_notified_at: datetime | None = None
    individuals_notified_at: datetime | None = None

    def to_input(self) -> BreachInput:
        return BreachInput(
            description=self.description,
            discovered_at=self.discovered_at,
            affected_count=self.affected_count,
            categories=tuple(self.categories),
            significant_harm=self.significant_harm,
            assessed_at=self.assessed_at,
            pdpc_notified_at=self.pdpc_notified_at,
            individuals_notified_at=self.individuals_notified_at,
        )


def _v(value: Any) -> Any:
    return UNSET if value is msgspec.UNSET else value


class UpdateBreachRequest(RequestBody):
    """Absent fields stay; null clears a time entered by mistake."""

    description: Description | msgspec.UnsetType = msgspec.UNSET
    discovered_at: datetime | msgspec.UnsetType = msgspec.UNSET
    affected_count: Affected | msgspec.UnsetType = msgspec.UNSET
    categories: Categories | msgspec.UnsetType = msgspec.UNSET
    significant_harm: bool | msgspec.UnsetType = msgspec.UNSET
    assessed_at: datetime | msgspec.UnsetType | None = msgspec.UNSET
    pdpc_notified_at: datetime | msgspec.UnsetType | None = msgspec.UNSET
    individuals_notified_at: datetime | msgspec.UnsetType | None = msgspec.UNSET

    def to_changes(self) -> BreachChanges:
        categories: tuple[DataCategory, ...] | Unset = (
            UNSET if isinstance(self.categories, msgspec.UnsetType) else tuple(self.categories)
        )
        return BreachChanges(
            description=_v(self.description),
            discovered_at=_v(self.discovered_at),
            affected_count=_v(self.affected_count),
            categories=categories,
            significant_harm=_v(self.significant_harm),
            assessed_at=_v(self.assessed_at),
            pdpc_notified_at=_v(self.pdpc_notified_at),
            individuals_notified_at=_v(self.individuals_notified_at),
        )


class TimelineEntry(ResponseBody):
    type: str  # privacy.breach_recorded | privacy.breach_updated
    occurred_at: datetime
    actor_id: UUID | None
    changed: list[str]  # the fields an update changed


class BreachResponse(ResponseBody):
    id: UUID
    description: str
    discovered_at: datetime
    assessed_at: datetime | None
    affected_count: int
    categories: list[DataCategory]
    significant_harm: bool
    notifiable: bool  # 500 people or more, or likely significant harm
    pdpc_deadline: date | None  # the last Singapore day to notify the PDPC (3 days after assessment)
    pdpc_due_at: datetime | None  # the instant the notice becomes late
    overdue: bool
    pdpc_notified_at: datetime | None
    individuals_notified_at: datetime | None
    created_by: UUID | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, breach: Breach, now: datetime) -> BreachResponse:
        return cls(
            id=breach.id,
            description=breach.description,
            discovered_at=breach.discovered_at,
            assessed_at=breach.assessed_at,
            affected_count=breach.affected_count,
            categories=list(breach.categories),
            significant_harm=breach.significant_harm,
            notifiable=breach.notifiable,
            pdpc_deadline=breach.pdpc_deadline,
            pdpc_due_at=breach.pdpc_due_at,
            overdue=breach.overdue(now),
            pdpc_notified_at=breach.pdpc_notified_at,
            individuals_notified_at=breach.individuals_notified_at,
            created_by=breach.created_by,
            created_at=breach.created_at,
            updated_at=breach.updated_at,
        )


class BreachDetailResponse(BreachResponse):
    timeline: list[TimelineEntry]


class BreachPage(PageResponse[BreachResponse]):
    items: list[BreachResponse]
