"""Processing steps, access bundles and the suppression list."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID


class StepStatus(enum.StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class ProcessingStep:
    """One provider's part of processing a request: resumable, so a retry runs only the
    steps not done. `result` is the provider's export (access) or its erasure report
    (deletion: counts, no values)."""

    request_id: UUID
    provider: str
    status: StepStatus
    attempts: int = 0
    result: Any = None
    error: str | None = None
    finished_at: datetime | None = None


@dataclass(frozen=True)
class Bundle:
    """The zip of an access request, behind a link whose token is stored as a digest."""

    id: UUID
    request_id: UUID
    organization_id: UUID | None
    token_digest: str
    created_at: datetime
    expires_at: datetime
    content: bytes

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at


class SuppressedKind(enum.StrEnum):
    EMAIL = "email"
    PHONE = "phone"


@dataclass(frozen=True)
class Suppression:
    """An erased subject's email or phone, hashed: an import does not bring it back."""

    digest: str
    kind: SuppressedKind
    organization_id: UUID | None  # the tenant whose lead it was; None for an erased account
    request_id: UUID
    created_at: datetime
