"""Request and response bodies of the webhooks routes."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from nexuscore.platform.http.structs import PageResponse, RequestBody, ResponseBody
from nexuscore.webhooks.domain.model import Attempt, InboxEvent, InboxStatus, ReplayJob


class WebhookAck(ResponseBody):
    received: bool
    duplicate: bool


class InboxEventResponse(ResponseBody):
    id: UUID
    provider: str
    event_id: str
    type: str
    livemode: bool
    created: datetime
    api_version: str | None
    status: str
    attempts: int
    received_at: datetime
    next_attempt_at: datetime | None
    processed_at: datetime | None
    last_error: str | None

    @classmethod
    def of(cls, e: InboxEvent) -> InboxEventResponse:
        return cls(
            id=e.id,
            provider=e.provider,
            event_id=e.event_id,
            type=e.type,
            livemode=e.livemode,
            created=e.created,
            api_version=e.api_version,
            status=e.status.value,
            attempts=e.attempts,
            received_at=e.received_at,
            next_attempt_at=e.next_attempt_at,
            processed_at=e.processed_at,
            last_error=e.last_error,
        )


class InboxEventPage(PageResponse[InboxEventResponse]):
    items: list[InboxEventResponse]  # named again so the document shows the item type


class AttemptResponse(ResponseBody):
    number: int
    started_at: datetime
    duration_ms: float
    outcome: str
    error: str | None

    @classmethod
    def of(cls, a: Attempt) -> AttemptResponse:
        return cls(
            number=a.number, started_at=a.started_at, duration_ms=a.duration_ms, outcome=a.outcome, error=a.error
        )


class InboxEventDetailResponse(InboxEventResponse):
    payload: dict[str, Any]
    attempt_log: list[AttemptResponse]


class BulkReplayRequest(RequestBody):
    status: InboxStatus
    type: str | None = msgspec.field(default=None)
    since: datetime | None = None


class ReplayJobResponse(ResponseBody):
    id: UUID
    status: str
    status_filter: str
    type_filter: str | None
    since: datetime | None
    total: int
    replayed: int
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, j: ReplayJob) -> ReplayJobResponse:
        return cls(
            id=j.id,
            status=j.status.value,
            status_filter=j.status_filter.value,
            type_filter=j.type_filter,
            since=j.since,
            total=j.total,
            replayed=j.replayed,
            created_at=j.created_at,
            finished_at=j.finished_at,
        )
