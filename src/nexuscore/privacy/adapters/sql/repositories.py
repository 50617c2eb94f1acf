"""SQL adapters of the privacy ports."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.events.api import sql_event_recorder
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.personal_data import SubjectKind, SubjectQuery, masked_email, salted_hash
from nexuscore.privacy.adapters.sql.tables import (
    PrivacyBundleRow,
    PrivacyRequestRow,
    PrivacyStepRow,
    PrivacySuppressionRow,
)
from nexuscore.privacy.domain.model import Bundle, ProcessingStep, StepStatus, Suppression
from nexuscore.privacy.domain.requests import (
    HistoryEntry,
    PrivacyRequest,
    ReceivedVia,
    RequestKind,
    RequestStatus,
    Verification,
)
from nexuscore.privacy.ports.repositories import (
    BundleRepository,
    PrivacyRequestRepository,
    RequestFilter,
    StepRepository,
    SuppressionRepository,
)

PLATFORM_SCOPE = "platform"


def _history_json(entries: Sequence[HistoryEntry]) -> list[dict[str, Any]]:
    return [
        {"at": e.at.isoformat(), "action": e.action, "status": e.status.value, "actor": e.actor, "note": e.note}
        for e in entries
    ]


def _history(raw: Sequence[dict[str, Any]]) -> tuple[HistoryEntry, ...]:
    return tuple(
        HistoryEntry(
            datetime.fromisoformat(e["at"]), e["action"], RequestStatus(e["status"]), e["actor"], e.get("note")
        )
        for e in raw
    )


def _values(r: PrivacyRequest) -> dict[str, Any]:
    v = r.verification
    return {
        "organization_id": r.organization_id,
        "kind": r.kind.value,
        "subject_kind": r.subject_kind.value,
        "status": r.status.value,
        "received_via": r.received_via.value,
        "received_at": r.received_at,
        "due_at": r.due_at,
        "user_id": r.user_id,
        "lead_id": r.lead_id,
        "subject_email": r.email,
        "subject_phone": r.phone,
        "notes": r.notes,
        "extended_days": r.extended_days,
        "history": _history_json(r.history),
        "verification_digest": v.digest if v else None,
        "verification_expires_at": v.expires_at if v else None,
        "verification_attempts_left": v.attempts_left if v else None,
        "error": r.error,
        "completed_at": r.completed_at,
        "erased": r.erased,
        "created_by": r.created_by,
        "lead_ids": [str(x) for x in r.lead_ids],
        "subject_names": list(r.names),
        "subject_emails": list(r.emails),
        "subject_phones": list(r.phones),
    }


def _request(row: PrivacyRequestRow) -> PrivacyRequest:
    verification = None
    if row.verification_digest is not None and row.verification_expires_at is not None:
        verification = Verification(
            row.verification_digest, row.verification_expires_at, row.verification_attempts_left or 0
        )
    return PrivacyRequest(
        id=row.id,
        organization_id=row.organization_id,
        kind=RequestKind(row.kind),
        subject_kind=SubjectKind(row.subject_kind),
        status=RequestStatus(row.status),
        received_via=ReceivedVia(row.received_via),
        received_at=row.received_at,
        due_at=row.due_at,
        user_id=row.user_id,
        lead_id=row.lead_id,
        email=row.subject_email,
        phone=row.subject_phone,
        notes=row.notes,
        extended_days=row.extended_days,
        history=_history(row.history),
        verification=verification,
        error=row.error,
        completed_at=row.completed_at,
        erased=row.erased,
        created_by=row.created_by,
        lead_ids=tuple(UUID(x) for x in row.lead_ids),
        names=tuple(row.subject_names),
        emails=tuple(row.subject_emails),
        phones=tuple(row.subject_phones),
    )


async def _page(session: AsyncSession, query: Select[Any], page: PageRequest) -> Page[PrivacyRequest]:
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = await session.scalars(query.limit(page.limit).offset(page.offset))
    return Page([_request(r) for r in rows], total, page.limit, page.offset)


_OPEN = [s.value for s in RequestStatus if s.open]


def _filtered(query: Select[Any], filters: RequestFilter) -> Select[Any]:
    """The query narrowed by a request filter, most urgent first (due date, then id)."""
    if filters.status is not None:
        query = query.where(PrivacyRequestRow.status == filters.status.value)
    if filters.overdue is not None and filters.now is not None:
        late = and_(PrivacyRequestRow.status.in_(_OPEN), PrivacyRequestRow.due_at < filters.now)
        query = query.where(late if filters.overdue else ~late)
    return query.order_by(PrivacyRequestRow.due_at, PrivacyRequestRow.id)


_AUTOMATED = [k.value for k in RequestKind if k.automated]


class SqlPrivacyRequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, request: PrivacyRequest) -> None:
        self._s.add(PrivacyRequestRow(id=request.id, **_values(request)))
        await self._s.flush()

    async def save(self, request: PrivacyRequest) -> None:
        row = await self._s.get(PrivacyRequestRow, request.id)
        if row is None:
            raise LookupError(request.id)
        for key, value in _values(request).items():
            setattr(row, key, value)
        await self._s.flush()

    async def get(
        self, request_id: UUID, *, organization_id: UUID | None = None, for_update: bool = False
    ) -> PrivacyRequest | None:
        query = select(PrivacyRequestRow).where(PrivacyRequestRow.id == request_id)
        if organization_id is not None:
            query = query.where(PrivacyRequestRow.organization_id == organization_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._s.execute(query.execution_options(populate_existing=True))).scalar_one_or_none()
        return _request(row) if row else None

    async def page_for_organization(
        self, organization_id: UUID, filters: RequestFilter, page: PageRequest
    ) -> Page[PrivacyRequest]:
        query = select(PrivacyRequestRow).where(PrivacyRequestRow.organization_id == organization_id)
        return await _page(self._s, _filtered(query, filters), page)

    async def page_for_platform(self, filters: RequestFilter, page: PageRequest) -> Page[PrivacyRequest]:
        query = select(PrivacyRequestRow).where(
            PrivacyRequestRow.organization_id.is_(None), PrivacyRequestRow.subject_kind == SubjectKind.USER.value
        )
        return await _page(self._s, _filtered(query, filters), page)

    async def page_for_user(self, user_id: UUID, page: PageRequest) -> Page[PrivacyRequest]:
        query = (
            select(PrivacyRequestRow)
            .where(
                PrivacyRequestRow.user_id == user_id,
                PrivacyRequestRow.subject_kind == SubjectKind.USER.value,
            )
            .order_by(PrivacyRequestRow.id.desc())
        )
        return await _page(self._s, query, page)

    async def approved_before(self, moment: datetime, limit: int) -> list[UUID]:
        rows = await self._s.scalars(
            select(PrivacyRequestRow.id)
            .where(PrivacyRequestRow.status == RequestStatus.APPROVED.value, PrivacyRequestRow.received_at < moment)
            .order_by(PrivacyRequestRow.id)
            .limit(limit)
        )
        return list(rows)

    async def processing_idle_since(self, moment: datetime, limit: int) -> list[UUID]:
        finished_since = exists().where(
            PrivacyStepRow.request_id == PrivacyRequestRow.id, PrivacyStepRow.finished_at >= moment
        )
        rows = await self._s.scalars(
            select(PrivacyRequestRow.id)
            .where(
                PrivacyRequestRow.status == RequestStatus.IN_PROCESSING.value,
                PrivacyRequestRow.kind.in_(_AUTOMATED),
                PrivacyRequestRow.received_at < moment,
                ~finished_since,
            )
            .order_by(PrivacyRequestRow.id)
            .limit(limit)
        )
        return list(rows)

    async def erase_subject(self, keep_id: UUID, subject: SubjectQuery, salt: bytes) -> int:
        if subject.kind is SubjectKind.USER:
            match = PrivacyRequestRow.user_id == subject.user_id
        else:
            ors = []
            if subject.emails:
                ors.append(PrivacyRequestRow.subject_email.in_(subject.emails))
            if subject.phones:
                ors.append(PrivacyRequestRow.subject_phone.in_(subject.phones))
            if subject.lead_ids:
                ors.append(PrivacyRequestRow.lead_id.in_(subject.lead_ids))
            if not ors:
                return 0
            match = and_(PrivacyRequestRow.organization_id == subject.organization_id, or_(*ors))
        rows = list(await self._s.scalars(select(PrivacyRequestRow).where(match, PrivacyRequestRow.id != keep_id)))
        for row in rows:
            row.subject_email = masked_email(row.subject_email, salt) if row.subject_email else None
            row.subject_phone = salted_hash(row.subject_phone, salt) if row.subject_phone else None
            row.notes = None
            row.subject_names, row.subject_emails, row.subject_phones = [], [], []
            row.erased = True
        ids = [r.id for r in rows] + [keep_id]
        await self._s.execute(delete(PrivacyBundleRow).where(PrivacyBundleRow.request_id.in_(ids)))
        await self._s.execute(update(PrivacyStepRow).where(PrivacyStepRow.request_id.in_(ids)).values(result=None))
        await self._s.flush()
        return len(rows)


def _step(row: PrivacyStepRow) -> ProcessingStep:
    return ProcessingStep(
        row.request_id, row.provider, StepStatus(row.status), row.attempts, row.result, row.error, row.finished_at
    )


class SqlStepRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def ensure(self, request_id: UUID, providers: Sequence[str]) -> None:
        org = await self._s.scalar(select(PrivacyRequestRow.organization_id).where(PrivacyRequestRow.id == request_id))
        have = set(
            await self._s.scalars(select(PrivacyStepRow.provider).where(PrivacyStepRow.request_id == request_id))
        )
        for name in providers:
            if name not in have:
                self._s.add(
                    PrivacyStepRow(
                        request_id=request_id, provider=name, organization_id=org, status=StepStatus.PENDING.value,
                        attempts=0,
                    )
                )  # fmt: skip
        await self._s.flush()

    async def list(self, request_id: UUID) -> list[ProcessingStep]:
        rows = await self._s.scalars(
            select(PrivacyStepRow)
            .where(PrivacyStepRow.request_id == request_id)
            .order_by(PrivacyStepRow.provider)
            .execution_options(populate_existing=True)
        )
        return [_step(r) for r in rows]

    async def get(self, request_id: UUID, provider: str, *, for_update: bool = False) -> ProcessingStep | None:
        query = select(PrivacyStepRow).where(
            PrivacyStepRow.request_id == request_id, PrivacyStepRow.provider == provider
        )
        if for_update:
            query = query.with_for_update()
        row = (await self._s.execute(query.execution_options(populate_existing=True))).scalar_one_or_none()
        return _step(row) if row else None

    async def save(self, step: ProcessingStep) -> None:
        row = await self._s.get(PrivacyStepRow, (step.request_id, step.provider))
        if row is None:
            raise LookupError(step.provider)
        row.status, row.attempts, row.result = step.status.value, step.attempts, step.result
        row.error, row.finished_at = step.error, step.finished_at
        await self._s.flush()

    async def clear_results(self, request_id: UUID) -> None:
        await self._s.execute(update(PrivacyStepRow).where(PrivacyStepRow.request_id == request_id).values(result=None))


def _bundle(row: PrivacyBundleRow) -> Bundle:
    return Bundle(
        row.id, row.request_id, row.organization_id, row.token_digest, row.created_at, row.expires_at, row.content
    )


class SqlBundleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, bundle: Bundle) -> None:
        self._s.add(
            PrivacyBundleRow(
                id=bundle.id, request_id=bundle.request_id, organization_id=bundle.organization_id,
                token_digest=bundle.token_digest, created_at=bundle.created_at, expires_at=bundle.expires_at,
                content=bundle.content,
            )
        )  # fmt: skip
        await self._s.flush()

    async def for_request(self, request_id: UUID) -> Bundle | None:
        row = await self._s.scalar(
            select(PrivacyBundleRow)
            .where(PrivacyBundleRow.request_id == request_id)
            .order_by(PrivacyBundleRow.created_at.desc())
            .limit(1)
        )
        return _bundle(row) if row else None

    async def by_token_digest(self, digest: str) -> Bundle | None:
        row = await self._s.scalar(select(PrivacyBundleRow).where(PrivacyBundleRow.token_digest == digest))
        return _bundle(row) if row else None


def _scope(organization_id: UUID | None) -> str:
    return str(organization_id) if organization_id else PLATFORM_SCOPE


class SqlSuppressionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, entries: Sequence[Suppression]) -> None:
        for e in entries:
            if await self._s.get(PrivacySuppressionRow, (e.digest, _scope(e.organization_id))) is None:
                self._s.add(
                    PrivacySuppressionRow(
                        digest=e.digest, scope=_scope(e.organization_id), organization_id=e.organization_id,
                        kind=e.kind.value, request_id=e.request_id, created_at=e.created_at,
                    )
                )  # fmt: skip
        await self._s.flush()

    async def suppressed(self, digests: Collection[str], organization_id: UUID | None) -> set[str]:
        if not digests:
            return set()
        rows = await self._s.scalars(
            select(PrivacySuppressionRow.digest).where(
                PrivacySuppressionRow.digest.in_(list(digests)),
                PrivacySuppressionRow.scope == _scope(organization_id),
            )
        )
        return set(rows)


class SqlPrivacyUnitOfWork:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.requests: PrivacyRequestRepository = SqlPrivacyRequestRepository(session)
        self.steps: StepRepository = SqlStepRepository(session)
        self.bundles: BundleRepository = SqlBundleRepository(session)
        self.suppressions: SuppressionRepository = SqlSuppressionRepository(session)
        self.events = sql_event_recorder(session, clock)

    async def commit(self) -> None:
        await self.session.commit()
