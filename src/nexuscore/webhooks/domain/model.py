"""The inbox's model: one stored event per (provider, event id), its processing status,
every attempt at it, and the retry policy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from nexuscore.kernel.ids import new_id


class InboxStatus(StrEnum):
    RECEIVED = "received"  # stored, not yet run
    PROCESSING = "processing"  # claimed by a worker
    PROCESSED = "processed"  # its handler succeeded
    FAILED = "failed"  # its handler failed; another attempt is due at next_attempt_at
    DEAD = "dead"  # out of attempts: only a replay runs it again
    IGNORED = "ignored"  # no handler for its type: stored, never run


# A worker may claim these (failed ones once due); processing ones only when stuck.
CLAIMABLE = frozenset({InboxStatus.RECEIVED, InboxStatus.FAILED})
FINAL = frozenset({InboxStatus.PROCESSED, InboxStatus.DEAD, InboxStatus.IGNORED})


@dataclass(frozen=True, kw_only=True)
class IncomingEvent:
    """A delivery whose origin is established (signature or the provider's API), parsed into
    what the inbox keeps. `payload` is the provider's JSON text exactly as received (ingest
    re-serialises only an erased customer's event, to take its real values out)."""

    provider: str
    event_id: str
    type: str
    livemode: bool
    created: datetime
    api_version: str | None
    payload: str
    data: Mapping[str, Any] = field(repr=False, compare=False)


@dataclass(kw_only=True)
class InboxEvent:
    provider: str
    event_id: str
    type: str
    livemode: bool
    created: datetime
    api_version: str | None
    payload: str
    received_at: datetime
    status: InboxStatus = InboxStatus.RECEIVED
    attempts: int = 0  # attempts in the current cycle (a replay starts a new one)
    next_attempt_at: datetime | None = None
    claimed_at: datetime | None = None
    claim_token: UUID | None = None
    processed_at: datetime | None = None
    last_error: str | None = None
    id: UUID = field(default_factory=new_id)

    @classmethod
    def received(cls, incoming: IncomingEvent, *, now: datetime, status: InboxStatus) -> InboxEvent:
        return cls(
            provider=incoming.provider,
            event_id=incoming.event_id,
            type=incoming.type,
            livemode=incoming.livemode,
            created=incoming.created,
            api_version=incoming.api_version,
            payload=incoming.payload,
            received_at=now,
            status=status,
            processed_at=now if status is InboxStatus.IGNORED else None,
        )


@dataclass(frozen=True, kw_only=True)
class Attempt:
    inbox_id: UUID
    number: int  # 1, 2, ... over the event's whole life (replays continue the count)
    started_at: datetime
    duration_ms: float
    outcome: str  # processed | failed | dead
    error: str | None = None
    id: UUID = field(default_factory=new_id)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with equal jitter: the wait after attempt n is uniform in
    [c/2, c], c = min(cap, base * 2^(n-1)). Defaults: 8 attempts; the 7 waits add up to
    between about 14 and 28 hours, "about a day"."""

    max_attempts: int = 8
    base_seconds: float = 900.0
    cap_seconds: float = 43_200.0

    def delay(self, attempt: int, jitter: float) -> timedelta:
        """`jitter` in [0, 1) (the services' random source)."""
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** max(0, attempt - 1))
        return timedelta(seconds=ceiling / 2 + jitter * ceiling / 2)

    def exhausted(self, attempts: int) -> bool:
        return attempts >= self.max_attempts


@dataclass(frozen=True, kw_only=True)
class InboxFilter:
    provider: str | None = None
    status: InboxStatus | None = None
    type: str | None = None
    event_id: str | None = None
    since: datetime | None = None  # received at or after


class ReplayJobStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"


@dataclass(kw_only=True)
class ReplayJob:
    """A bulk replay: every event matching the filter at the time it runs, with progress."""

    status_filter: InboxStatus
    type_filter: str | None
    since: datetime | None
    created_at: datetime
    requested_by: UUID | None
    status: ReplayJobStatus = ReplayJobStatus.PENDING
    total: int = 0
    replayed: int = 0
    cursor: UUID | None = None  # the last inbox id handled, in id order
    finished_at: datetime | None = None
    id: UUID = field(default_factory=new_id)
