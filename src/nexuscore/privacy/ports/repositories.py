"""Ports of the privacy core."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from nexuscore.kernel.events import EventRecorder
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.personal_data import SubjectQuery
from nexuscore.privacy.domain.model import Bundle, ProcessingStep, Suppression
from nexuscore.privacy.domain.requests import PrivacyRequest, RequestStatus


@dataclass(frozen=True)
class RequestFilter:
    status: RequestStatus | None = None
    overdue: bool | None = None  # with `now`: open and past due (True) or not (False)
    now: datetime | None = None


class PrivacyRequestRepository(Protocol):
    async def add(self, request: PrivacyRequest) -> None: ...

    async def save(self, request: PrivacyRequest) -> None: ...

    async def get(
        self, request_id: UUID, *, organization_id: UUID | None = None, for_update: bool = False
    ) -> PrivacyRequest | None:
        """The request; with `organization_id`, only if it belongs to that organisation."""
        ...

    async def page_for_organization(
        self, organization_id: UUID, filters: RequestFilter, page: PageRequest
    ) -> Page[PrivacyRequest]:
        """Most urgent first (due date, then receipt)."""
        ...

    async def page_for_user(self, user_id: UUID, page: PageRequest) -> Page[PrivacyRequest]: ...

    async def page_for_platform(self, filters: RequestFilter, page: PageRequest) -> Page[PrivacyRequest]:
        """Requests about users (no organisation: the platform is responsible), most urgent
        first like `page_for_organization`."""
        ...

    async def approved_before(self, moment: datetime, limit: int) -> list[UUID]:
        """Approved requests whose processing has not started (any organisation)."""
        ...

    async def processing_idle_since(self, moment: datetime, limit: int) -> list[UUID]:
        """Access and deletion requests in processing, received before `moment`, none of whose
        steps finished at or after it (any organisation): their step kicks may have been lost."""
        ...

    async def erase_subject(self, keep_id: UUID, subject: SubjectQuery, salt: bytes) -> int:
        """Mask the subject's contact on their other requests and delete those requests'
        bundles (`keep_id`, the deletion request itself, is masked by the caller)."""
        ...


class StepRepository(Protocol):
    async def ensure(self, request_id: UUID, providers: Sequence[str]) -> None:
        """A pending step per provider that has none yet (a retry keeps the done ones)."""
        ...

    async def list(self, request_id: UUID) -> list[ProcessingStep]: ...

    async def get(self, request_id: UUID, provider: str, *, for_update: bool = False) -> ProcessingStep | None: ...

    async def save(self, step: ProcessingStep) -> None: ...

    async def clear_results(self, request_id: UUID) -> None:
        """Drop the exports kept for building a bundle, once it is built."""
        ...


class BundleRepository(Protocol):
    async def add(self, bundle: Bundle) -> None: ...

    async def for_request(self, request_id: UUID) -> Bundle | None: ...

    async def by_token_digest(self, digest: str) -> Bundle | None: ...


class SuppressionRepository(Protocol):
    async def add(self, entries: Sequence[Suppression]) -> None:
        """Idempotent per (digest, organisation)."""
        ...

    async def suppressed(self, digests: Collection[str], organization_id: UUID | None) -> set[str]:
        """Which digests are on the list for that organisation (or platform-wide)."""
        ...


class PrivacyUnitOfWork(Protocol):
    requests: PrivacyRequestRepository
    steps: StepRepository
    bundles: BundleRepository
    suppressions: SuppressionRepository
    events: EventRecorder

    async def commit(self) -> None: ...


class ProcessingQueue(Protocol):
    """Hands work to the worker, after the commit that made it due: the start of an approved
    request's processing, and its provider steps. A kick lost after the commit is found again
    by the sweep (`processing.sweep`)."""

    async def enqueue_begin(self, request_id: UUID) -> None: ...

    async def enqueue_steps(self, request_id: UUID, providers: Sequence[str]) -> None: ...
