"""Request and response structs of the privacy routes (camelCase JSON)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from nexuscore.kernel.personal_data import SubjectKind
from nexuscore.platform.http.structs import PageResponse, RequestBody, ResponseBody
from nexuscore.privacy.application.data_map import DataMapEntry
from nexuscore.privacy.domain.requests import PrivacyRequest, ReceivedVia, RequestKind, RequestStatus


class DataMapFieldResponse(ResponseBody):
    provider: str
    table: str
    column: str
    category: str
    masking: str
    description: str
    fixed_value: str | None = None
    retain_reason: str | None = None
    retain_years: int | None = None

    @classmethod
    def of(cls, entry: DataMapEntry) -> DataMapFieldResponse:
        f = entry.field
        return cls(
            provider=entry.provider,
            table=f.table,
            column=f.column,
            category=f.category.value,
            masking=f.masking.value,
            description=f.description,
            fixed_value=f.fixed_value,
            retain_reason=f.retain_reason,
            retain_years=f.retain_years,
        )


class DataMapResponse(ResponseBody):
    fields: list[DataMapFieldResponse] = msgspec.field(default_factory=list)


# ---- data subject requests -------------------------------------------------------------

Email = Annotated[str, msgspec.Meta(min_length=3, max_length=254, examples=["ann@example.sg"])]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


class HistoryEntryResponse(ResponseBody):
    at: datetime
    action: str
    status: RequestStatus
    actor: str
    note: str | None = None


class PrivacyRequestResponse(ResponseBody):
    id: UUID
    organization_id: UUID | None
    kind: RequestKind
    subject_kind: SubjectKind
    status: RequestStatus
    received_via: ReceivedVia
    received_at: datetime
    due_at: datetime
    days_left: int
    overdue: bool
    extended_days: int
    user_id: UUID | None
    lead_id: UUID | None
    email: str | None
    phone: str | None
    notes: str | None
    error: str | None
    completed_at: datetime | None
    erased: bool
    history: list[HistoryEntryResponse]

    @classmethod
    def of(cls, r: PrivacyRequest, now: datetime) -> PrivacyRequestResponse:
        return cls(
            id=r.id,
            organization_id=r.organization_id,
            kind=r.kind,
            subject_kind=r.subject_kind,
            status=r.status,
            received_via=r.received_via,
            received_at=r.received_at,
            due_at=r.due_at,
            days_left=r.days_left(now),
            overdue=r.overdue(now),
            extended_days=r.extended_days,
            user_id=r.user_id,
            lead_id=r.lead_id,
            email=r.email,
            phone=r.phone,
            notes=r.notes,
            error=r.error,
            completed_at=r.completed_at,
            erased=r.erased,
            history=[
                HistoryEntryResponse(at=h.at, action=h.action, status=h.status, actor=h.actor, note=h.note)
                for h in r.history
            ],
        )


class PrivacyRequestPage(PageResponse[PrivacyRequestResponse]):
    items: list[PrivacyRequestResponse]


class SubjectInput(RequestBody):
    email: Email | None = None
    phone: Annotated[str, msgspec.Meta(min_length=3, max_length=40)] | None = None
    lead_id: UUID | None = None


TenantVia = Literal["email", "letter", "phone", "in_person"]


class CreatePrivacyRequest(RequestBody):
    kind: RequestKind
    subject: SubjectInput
    received_via: TenantVia
    notes: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class PublicPrivacyRequest(RequestBody):
    kind: RequestKind
    email: Email


class PublicRequestAccepted(ResponseBody):
    """The same whether or not the address is known to the organisation."""

    request_id: UUID
    status: RequestStatus
    detail: str


class VerifyCodeRequest(RequestBody):
    code: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{6}$", examples=["123456"])]


class DenyRequest(RequestBody):
    reason: Reason


class ExtendRequest(RequestBody):
    reason: Reason
    days: Annotated[int, msgspec.Meta(ge=1, le=60)]


class CompleteRequest(RequestBody):
    note: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class DeleteAccountRequest(RequestBody):
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]
