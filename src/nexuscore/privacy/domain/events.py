"""The privacy context's domain events. None carries a personal value: a request is named by
its id, the subject by its kind (and a lead's or user's id where one is known)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar
from uuid import UUID

from nexuscore.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class _RequestEvent(DomainEvent):
    request_id: UUID
    kind: str
    subject_kind: str

    @property
    def subject(self) -> str:
        return f"privacy_request:{self.request_id}"

    def payload(self) -> dict[str, Any]:
        out = super().payload()
        del out["requestId"]
        return out


@dataclass(frozen=True, kw_only=True)
class RequestReceived(_RequestEvent):
    name: ClassVar[str] = "privacy.request_received"
    received_via: str


@dataclass(frozen=True, kw_only=True)
class RequestIdentityVerified(_RequestEvent):
    name: ClassVar[str] = "privacy.identity_verified"


@dataclass(frozen=True, kw_only=True)
class RequestApproved(_RequestEvent):
    name: ClassVar[str] = "privacy.approved"


@dataclass(frozen=True, kw_only=True)
class RequestDenied(_RequestEvent):
    name: ClassVar[str] = "privacy.denied"


@dataclass(frozen=True, kw_only=True)
class RequestExtended(_RequestEvent):
    name: ClassVar[str] = "privacy.extended"
    days: int


@dataclass(frozen=True, kw_only=True)
class RequestCompleted(_RequestEvent):
    name: ClassVar[str] = "privacy.completed"
    outcome: str  # complete | error


@dataclass(frozen=True, kw_only=True)
class SubjectErased(DomainEvent):
    """A subject erased through every provider: counts per provider, no values."""

    name: ClassVar[str] = "privacy.subject_erased"
    request_id: UUID
    subject_kind: str
    deleted: int
    masked: int
    retained_fields: int

    @property
    def subject(self) -> str:
        return f"privacy_request:{self.request_id}"
