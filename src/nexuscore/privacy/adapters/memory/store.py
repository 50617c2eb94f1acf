"""In-memory fakes of the privacy ports (unit tests; held to the SQL adapters' behaviour by
tests/contract/privacy)."""

from __future__ import annotations

import copy
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from uuid import UUID

from nexuscore.kernel.events import DomainEvent, EventRecord
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.personal_data import SubjectKind, SubjectQuery, masked_email, salted_hash
from nexuscore.privacy.domain.model import Bundle, ProcessingStep, StepStatus, Suppression
from nexuscore.privacy.domain.requests import PrivacyRequest, RequestStatus
from nexuscore.privacy.ports.repositories import (
    BundleRepository,
    PrivacyRequestRepository,
    RequestFilter,
    StepRepository,
    SuppressionRepository,
)


@dataclass
class MemoryPrivacyStore:
    requests: dict[UUID, PrivacyRequest] = field(default_factory=dict)
    steps: dict[tuple[UUID, str], ProcessingStep] = field(default_factory=dict)
    bundles: dict[UUID, Bundle] = field(default_factory=dict)
    suppressions: dict[tuple[str, UUID | None], Suppression] = field(default_factory=dict)
    events: list[DomainEvent | EventRecord] = field(default_factory=list)
    commits: int = 0


class IntegrityViolation(Exception):
    """What the database refuses (a taken id or token digest, a step of a missing request)."""


def _page(items: list[PrivacyRequest], page: PageRequest) -> Page[PrivacyRequest]:
    return Page(items[page.offset : page.offset + page.limit], len(items), page.limit, page.offset)


def _filtered(items: list[PrivacyRequest], filters: RequestFilter) -> list[PrivacyRequest]:
    """As SQL's: narrowed by the filter, most urgent first (due date, then id)."""
    if filters.status is not None:
        items = [r for r in items if r.status is filters.status]
    if filters.overdue is not None and filters.now is not None:
        now = filters.now
        items = [r for r in items if (r.status.open and r.due_at < now) == filters.overdue]
    return sorted(items, key=lambda r: (r.due_at, r.id))


class MemoryPrivacyRequestRepository:
    def __init__(self, store: MemoryPrivacyStore) -> None:
        self._s = store

    async def add(self, request: PrivacyRequest) -> None:
        if request.id in self._s.requests:
            raise IntegrityViolation(f"request {request.id} exists")
        self._s.requests[request.id] = request

    async def save(self, request: PrivacyRequest) -> None:
        if request.id not in self._s.requests:
            raise LookupError(request.id)
        self._s.requests[request.id] = request

    async def get(
        self, request_id: UUID, *, organization_id: UUID | None = None, for_update: bool = False
    ) -> PrivacyRequest | None:
        found = self._s.requests.get(request_id)
        if found is None or (organization_id is not None and found.organization_id != organization_id):
            return None
        return found

    async def page_for_organization(
        self, organization_id: UUID, filters: RequestFilter, page: PageRequest
    ) -> Page[PrivacyRequest]:
        items = [r for r in self._s.requests.values() if r.organization_id == organization_id]
        return _page(_filtered(items, filters), page)

    async def page_for_platform(self, filters: RequestFilter, page: PageRequest) -> Page[PrivacyRequest]:
        items = [
            r for r in self._s.requests.values() if r.organization_id is None and r.subject_kind is SubjectKind.USER
        ]
        return _page(_filtered(items, filters), page)

    async def page_for_user(self, user_id: UUID, page: PageRequest) -> Page[PrivacyRequest]:
        items = [r for r in self._s.requests.values() if r.user_id == user_id and r.subject_kind is SubjectKind.USER]
        return _page(sorted(items, key=lambda r: r.id, reverse=True), page)

    async def approved_before(self, moment: datetime, limit: int) -> list[UUID]:
        found = [
            r.id for r in self._s.requests.values() if r.status is RequestStatus.APPROVED and r.received_at < moment
        ]
        return sorted(found)[:limit]

    async def processing_idle_since(self, moment: datetime, limit: int) -> list[UUID]:
        def idle(r: PrivacyRequest) -> bool:
            steps = [s for (rid, _), s in self._s.steps.items() if rid == r.id]
            return not any(s.finished_at is not None and s.finished_at >= moment for s in steps)

        found = [
            r.id
            for r in self._s.requests.values()
            if r.status is RequestStatus.IN_PROCESSING and r.kind.automated and r.received_at < moment and idle(r)
        ]
        return sorted(found)[:limit]

    async def erase_subject(self, keep_id: UUID, subject: SubjectQuery, salt: bytes) -> int:
        def matches(r: PrivacyRequest) -> bool:
            if subject.kind is SubjectKind.USER:
                return r.user_id == subject.user_id
            return r.organization_id == subject.organization_id and (
                (r.email is not None and r.email in subject.emails)
                or (r.phone is not None and r.phone in subject.phones)
                or (r.lead_id is not None and r.lead_id in subject.lead_ids)
            )

        others = [r for r in self._s.requests.values() if r.id != keep_id and matches(r)]
        for r in others:
            self._s.requests[r.id] = r.mask_subject(
                masked_email(r.email, salt) if r.email else None, salted_hash(r.phone, salt) if r.phone else None
            )
        ids = {r.id for r in others} | {keep_id}
        for bundle_id in [b.id for b in self._s.bundles.values() if b.request_id in ids]:
            del self._s.bundles[bundle_id]
        for key, step in list(self._s.steps.items()):
            if step.request_id in ids:
                self._s.steps[key] = replace(step, result=None)
        return len(others)


class MemoryStepRepository:
    def __init__(self, store: MemoryPrivacyStore) -> None:
        self._s = store

    async def ensure(self, request_id: UUID, providers: Sequence[str]) -> None:
        if request_id not in self._s.requests:
            raise IntegrityViolation(f"request {request_id} does not exist")
        for name in providers:
            self._s.steps.setdefault((request_id, name), ProcessingStep(request_id, name, StepStatus.PENDING))

    async def list(self, request_id: UUID) -> list[ProcessingStep]:
        return sorted((s for (rid, _), s in self._s.steps.items() if rid == request_id), key=lambda s: s.provider)

    async def get(self, request_id: UUID, provider: str, *, for_update: bool = False) -> ProcessingStep | None:
        return self._s.steps.get((request_id, provider))

    async def save(self, step: ProcessingStep) -> None:
        if (step.request_id, step.provider) not in self._s.steps:
            raise LookupError(step.provider)
        self._s.steps[(step.request_id, step.provider)] = step

    async def clear_results(self, request_id: UUID) -> None:
        for key, step in list(self._s.steps.items()):
            if step.request_id == request_id:
                self._s.steps[key] = replace(step, result=None)


class MemoryBundleRepository:
    def __init__(self, store: MemoryPrivacyStore) -> None:
        self._s = store

    async def add(self, bundle: Bundle) -> None:
        if bundle.request_id not in self._s.requests:
            raise IntegrityViolation(f"request {bundle.request_id} does not exist")
        if bundle.id in self._s.bundles or any(b.token_digest == bundle.token_digest for b in self._s.bundles.values()):
            raise IntegrityViolation(f"bundle {bundle.id} or its token digest exists")
        self._s.bundles[bundle.id] = bundle

    async def for_request(self, request_id: UUID) -> Bundle | None:
        found = [b for b in self._s.bundles.values() if b.request_id == request_id]
        return max(found, key=lambda b: b.created_at) if found else None

    async def by_token_digest(self, digest: str) -> Bundle | None:
        return next((b for b in self._s.bundles.values() if b.token_digest == digest), None)


class MemorySuppressionRepository:
    def __init__(self, store: MemoryPrivacyStore) -> None:
        self._s = store

    async def add(self, entries: Sequence[Suppression]) -> None:
        for e in entries:
            self._s.suppressions.setdefault((e.digest, e.organization_id), e)

    async def suppressed(self, digests: Collection[str], organization_id: UUID | None) -> set[str]:
        return {d for d in digests if (d, organization_id) in self._s.suppressions}


class _Recorder:
    def __init__(self, store: MemoryPrivacyStore) -> None:
        self._s = store

    async def append(self, *events: DomainEvent | EventRecord) -> None:
        self._s.events.extend(events)


class MemoryPrivacyUnitOfWork:
    """A unit of work over a committed store (`store`); its changes are staged on a copy and
    kept only by `commit`, as a database transaction's are."""

    def __init__(self, store: MemoryPrivacyStore | None = None) -> None:
        self.store = store or MemoryPrivacyStore()
        self._begin()

    def _begin(self) -> None:
        self._staged = copy.deepcopy(self.store)
        self.requests: PrivacyRequestRepository = MemoryPrivacyRequestRepository(self._staged)
        self.steps: StepRepository = MemoryStepRepository(self._staged)
        self.bundles: BundleRepository = MemoryBundleRepository(self._staged)
        self.suppressions: SuppressionRepository = MemorySuppressionRepository(self._staged)
        self.events = _Recorder(self._staged)

    async def commit(self) -> None:
        self._staged.commits = self.store.commits + 1
        self.store.__dict__.update(self._staged.__dict__)
        self._begin()
