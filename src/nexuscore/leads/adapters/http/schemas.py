"""Request and response bodies of the leads API.

Money is a decimal string in major units ("12500.50"), never a JSON number (floats lose
cents), with the ISO currency beside it in responses (`currency`, always "SGD" for now).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from nexuscore.kernel.money import DEFAULT_CURRENCY
from nexuscore.kernel.unset import UNSET
from nexuscore.leads.application.activities import MAX_BODY_LENGTH
from nexuscore.leads.application.assignment import Assignment, AssignStrategy
from nexuscore.leads.domain.editing import MAX_CONSENT_SOURCE_LENGTH, ConsentInput, LeadInput
from nexuscore.leads.domain.fields import MAX_LOST_REASON_LENGTH, MAX_NAME_LENGTH, MAX_TEXT_LENGTH
from nexuscore.leads.domain.model import (
    MAX_TAG_LENGTH,
    MAX_TAGS,
    Activity,
    ActivityKind,
    DncStatus,
    Lead,
    LeadSource,
    LeadStatus,
    MarketingConsent,
)
from nexuscore.leads.ports.repositories import MarketingStanding
from nexuscore.platform.http.structs import PageResponse, RequestBody, ResponseBody

# The domain's limits, so the document states what the server enforces (the domain cleaners apply
# them again, after trimming, to CSV rows and with their own messages).
Name = Annotated[str, msgspec.Meta(max_length=MAX_NAME_LENGTH)]
Text = Annotated[str, msgspec.Meta(max_length=MAX_TEXT_LENGTH)]
Email = Annotated[str, msgspec.Meta(max_length=320)]
Phone = Annotated[str, msgspec.Meta(max_length=40)]
Uen = Annotated[str, msgspec.Meta(max_length=20)]
Amount = Annotated[str, msgspec.Meta(max_length=32, examples=["12500.50"])]
Tag = Annotated[str, msgspec.Meta(max_length=MAX_TAG_LENGTH)]
Tags = Annotated[list[Tag], msgspec.Meta(max_length=MAX_TAGS)]
Body = Annotated[str, msgspec.Meta(max_length=MAX_BODY_LENGTH)]
AwareDatetime = Annotated[datetime, msgspec.Meta(tz=True)]


class ConsentBody(RequestBody):
    granted: bool
    source: Annotated[str, msgspec.Meta(max_length=MAX_CONSENT_SOURCE_LENGTH, examples=["website form"])]

    def to_input(self) -> ConsentInput:
        return ConsentInput(granted=self.granted, source=self.source)


def _v(value: Any) -> Any:
    return UNSET if value is msgspec.UNSET else value


class CreateLeadRequest(RequestBody):
    first_name: Name
    last_name: Name | None = None
    email: Email | None = None
    phone: Phone | None = None
    company: Text | None = None
    company_uen: Uen | None = None
    job_title: Text | None = None
    source: LeadSource = LeadSource.OTHER
    owner_id: UUID | None = None
    tags: Tags | None = None
    estimated_value: Amount | None = None
    next_follow_up: date | None = None
    marketing_consent: ConsentBody | None = None
    dnc_status: DncStatus | None = None
    dnc_checked_at: date | None = None

    def to_input(self) -> LeadInput:
        return LeadInput(
            first_name=self.first_name,
            last_name=self.last_name,
            email=self.email,
            phone=self.phone,
            company=self.company,
            company_uen=self.company_uen,
            job_title=self.job_title,
            source=self.source,
            owner_id=self.owner_id,
            tags=self.tags,
            estimated_value=self.estimated_value,
            next_follow_up=self.next_follow_up,
            marketing_consent=self.marketing_consent.to_input() if self.marketing_consent else UNSET,
            dnc_status=self.dnc_status if self.dnc_status is not None else UNSET,
            dnc_checked_at=self.dnc_checked_at if self.dnc_checked_at is not None else UNSET,
        )


class UpdateLeadRequest(RequestBody):
    """Absent fields stay as they are; null clears an optional field. Consent cannot be cleared,
    only restated (`{"granted": false, ...}` withdraws it), so its history is never lost."""

    first_name: Name | msgspec.UnsetType = msgspec.UNSET
    last_name: Name | msgspec.UnsetType | None = msgspec.UNSET
    email: Email | msgspec.UnsetType | None = msgspec.UNSET
    phone: Phone | msgspec.UnsetType | None = msgspec.UNSET
    company: Text | msgspec.UnsetType | None = msgspec.UNSET
    company_uen: Uen | msgspec.UnsetType | None = msgspec.UNSET
    job_title: Text | msgspec.UnsetType | None = msgspec.UNSET
    source: LeadSource | msgspec.UnsetType = msgspec.UNSET
    owner_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    tags: Tags | msgspec.UnsetType | None = msgspec.UNSET
    estimated_value: Amount | msgspec.UnsetType | None = msgspec.UNSET
    next_follow_up: date | msgspec.UnsetType | None = msgspec.UNSET
    marketing_consent: ConsentBody | msgspec.UnsetType = msgspec.UNSET
    dnc_status: DncStatus | msgspec.UnsetType = msgspec.UNSET
    dnc_checked_at: date | msgspec.UnsetType | None = msgspec.UNSET

    def to_input(self) -> LeadInput:
        consent = self.marketing_consent
        return LeadInput(
            first_name=_v(self.first_name),
            last_name=_v(self.last_name),
            email=_v(self.email),
            phone=_v(self.phone),
            company=_v(self.company),
            company_uen=_v(self.company_uen),
            job_title=_v(self.job_title),
            source=_v(self.source),
            owner_id=_v(self.owner_id),
            tags=_v(self.tags),
            estimated_value=_v(self.estimated_value),
            next_follow_up=_v(self.next_follow_up),
            marketing_consent=consent.to_input() if isinstance(consent, ConsentBody) else UNSET,
            dnc_status=_v(self.dnc_status),
            dnc_checked_at=_v(self.dnc_checked_at),
        )


class ChangeStatusRequest(RequestBody):
    status: LeadStatus
    lost_reason: Annotated[str, msgspec.Meta(max_length=MAX_LOST_REASON_LENGTH)] | None = None


class MergeLeadsRequest(RequestBody):
    other_lead_id: UUID


class LogActivityRequest(RequestBody):
    kind: ActivityKind
    body: Body | None = None
    occurred_at: AwareDatetime | None = None


class AssignLeadsRequest(RequestBody):
    """Exactly one of ownerId (everyone to one member) or strategy ("round_robin")."""

    lead_ids: Annotated[list[UUID], msgspec.Meta(min_length=1, max_length=500)]
    owner_id: UUID | None = None
    strategy: AssignStrategy | None = None


class ScoreReasonResponse(ResponseBody):
    factor: str
    detail: str
    points: int


class MarketingConsentResponse(ResponseBody):
    granted: bool
    source: str
    recorded_at: datetime

    @classmethod
    def of(cls, consent: MarketingConsent | None) -> MarketingConsentResponse | None:
        if consent is None:
            return None
        return cls(granted=consent.granted, source=consent.source, recorded_at=consent.recorded_at)


class LeadResponse(ResponseBody):
    id: UUID
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    company: str | None
    company_uen: str | None
    job_title: str | None
    source: LeadSource
    status: LeadStatus
    lost_reason: str | None
    owner_id: UUID | None
    tags: list[str]
    estimated_value: str | None
    currency: str
    next_follow_up: date | None
    score: int
    score_reasons: list[ScoreReasonResponse]
    # Privacy's current decision over the marketing purposes (given only when all are), so it
    # agrees with `marketingEligible`: a withdrawal through /privacy/consents shows here too.
    marketing_consent: MarketingConsentResponse | None
    dnc_status: DncStatus
    dnc_checked_at: date | None
    # Privacy's current consent given for every marketing purpose and a clear DNC check no
    # older than 21 days, today (what the marketing export applies).
    marketing_eligible: bool
    created_by: UUID
    created_at: datetime
    updated_by: UUID
    updated_at: datetime

    @classmethod
    def of(cls, lead: Lead, marketing: MarketingStanding) -> LeadResponse:
        value = lead.estimated_value
        return cls(
            id=lead.id,
            first_name=lead.first_name,
            last_name=lead.last_name,
            email=lead.email,
            phone=lead.phone,
            company=lead.company,
            company_uen=lead.company_uen,
            job_title=lead.job_title,
            source=lead.source,
            status=lead.status,
            lost_reason=lead.lost_reason,
            owner_id=lead.owner_id,
            tags=list(lead.tags),
            estimated_value=str(value.to_decimal()) if value is not None else None,
            currency=value.currency if value is not None else DEFAULT_CURRENCY,
            next_follow_up=lead.next_follow_up,
            score=lead.score,
            score_reasons=[
                ScoreReasonResponse(factor=r.factor, detail=r.detail, points=r.points) for r in lead.score_reasons
            ],
            marketing_consent=MarketingConsentResponse.of(marketing.consent),
            dnc_status=lead.dnc_status,
            dnc_checked_at=lead.dnc_checked_at,
            marketing_eligible=marketing.eligible,
            created_by=lead.created_by,
            created_at=lead.created_at,
            updated_by=lead.updated_by,
            updated_at=lead.updated_at,
        )


class LeadPage(PageResponse[LeadResponse]):
    """`total` is exact when `totalIsExact` is true: the matches are counted up to 1,000 past
    `offset` (200 for a `q` or `tag` search); beyond that `total` is `offset + 1000` (or
    `+ 200`), a lower bound, `totalIsExact` is false and `hasMore` is true."""

    items: list[LeadResponse]  # named again so the document shows the item type
    total_is_exact: Annotated[
        bool,
        msgspec.Meta(
            description="false when more than 1,000 leads (200 for a `q` or `tag` search) match past "
            "`offset`: `total` is then a lower bound"
        ),
    ] = True


class ActivityResponse(ResponseBody):
    id: UUID
    lead_id: UUID
    kind: ActivityKind
    body: str
    details: dict[str, str]
    occurred_at: datetime
    created_by: UUID | None
    created_at: datetime

    @classmethod
    def of(cls, activity: Activity) -> ActivityResponse:
        return cls(
            id=activity.id,
            lead_id=activity.lead_id,
            kind=activity.kind,
            body=activity.body,
            details=dict(activity.details),
            occurred_at=activity.occurred_at,
            created_by=activity.created_by,
            created_at=activity.created_at,
        )


class ActivityPage(PageResponse[ActivityResponse]):
    items: list[ActivityResponse]  # named again so the document shows the item type


class MergeResponse(ResponseBody):
    lead: LeadResponse
    merged_lead_id: UUID
    filled_fields: list[str]
    moved_activities: int


class AssignmentResponse(ResponseBody):
    lead_id: UUID
    owner_id: UUID
    previous_owner_id: UUID | None
    changed: bool

    @classmethod
    def of(cls, assignment: Assignment) -> AssignmentResponse:
        return cls(
            lead_id=assignment.lead_id,
            owner_id=assignment.owner_id,
            previous_owner_id=assignment.previous_owner_id,
            changed=assignment.changed,
        )


class AssignLeadsResponse(ResponseBody):
    items: list[AssignmentResponse]
    changed: int
