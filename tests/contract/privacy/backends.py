"""The privacy units of work on each backend: the only place the contract suites name the
adapters, so a moved module is one import to fix.

Two units of work: the requests one (requests, steps, bundles, suppression list; not bound to a
tenant, the caller binds the database scope) and the records one (consent, DNC, retention,
breaches; bound to an organisation or to the platform)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.personal_data import SubjectKind
from nexuscore.platform.database import bind_rls_scope
from nexuscore.privacy.adapters.memory.records import InMemoryPrivacyUnitOfWork, PrivacyRecordsState
from nexuscore.privacy.adapters.memory.store import IntegrityViolation, MemoryPrivacyStore, MemoryPrivacyUnitOfWork
from nexuscore.privacy.adapters.sql.records import SqlPrivacyUnitOfWork as SqlRecordsUnitOfWork
from nexuscore.privacy.adapters.sql.repositories import SqlPrivacyUnitOfWork as SqlRequestsUnitOfWork
from nexuscore.privacy.domain.breaches import Breach, DataCategory
from nexuscore.privacy.domain.consent import ConsentMethod, ConsentRecord, Purpose
from nexuscore.privacy.domain.consent import SubjectKind as ConsentSubject
from nexuscore.privacy.domain.dnc import DncCheck, DncResult
from nexuscore.privacy.domain.requests import PrivacyRequest, ReceivedVia, RequestKind, Verification
from nexuscore.privacy.ports.records import PrivacyUnitOfWork as RecordsUnitOfWork
from nexuscore.privacy.ports.repositories import PrivacyUnitOfWork as RequestsUnitOfWork
from tests.contract.conftest import Backend

# Microseconds on purpose: PostgreSQL keeps them, and the round trip must be exact.
NOW = datetime(2026, 11, 26, 9, 0, 0, 123456, tzinfo=UTC)
USER = UUID("01900000-0000-7000-8000-000000000001")

# What a store refuses that is a bug in the caller (a taken id, a row of a missing request).
REFUSED = (IntegrityError, IntegrityViolation)


class PrivacyBackend:
    """Opens privacy units of work over one backend's shared, committed state."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.clock = FixedClock(NOW)
        self._store = MemoryPrivacyStore()
        self._records = PrivacyRecordsState()

    @asynccontextmanager
    async def requests_uow(self, org_id: UUID | None = None) -> AsyncIterator[RequestsUnitOfWork]:
        """The requests' unit of work, the database scoped to a tenant (`org_id`) or, without
        one, to the system (as the worker and the platform's own requests are); whatever it has
        not committed is discarded when the block ends."""
        database = self.backend.database
        if database is None:
            yield MemoryPrivacyUnitOfWork(self._store)
            return
        async with database.sessions() as session:
            await bind_rls_scope(session, org_id=org_id, system=org_id is None)
            yield SqlRequestsUnitOfWork(session, self.clock)

    @asynccontextmanager
    async def records_uow(self, org_id: UUID | None) -> AsyncIterator[RecordsUnitOfWork]:
        """The records' unit of work of a tenant, or of the platform (None: the system scope)."""
        database = self.backend.database
        if database is None:
            yield InMemoryPrivacyUnitOfWork(self._records, org_id)
            return
        async with database.sessions() as session:
            await bind_rls_scope(session, org_id=org_id, system=org_id is None)
            yield SqlRecordsUnitOfWork(session, org_id, self.clock)

    async def add_requests(self, *requests: PrivacyRequest) -> None:
        async with self.requests_uow() as uow:
            for request in requests:
                await uow.requests.add(request)
            await uow.commit()


def new_org() -> UUID:
    org: UUID = new_id()
    return org


def lead_request(
    org_id: UUID,
    *,
    kind: RequestKind = RequestKind.ACCESS,
    received_at: datetime = NOW,
    email: str | None = "ann@example.sg",
    **fields: Any,
) -> PrivacyRequest:
    """A tenant's request about a lead, received by an admin."""
    return PrivacyRequest.receive(
        kind=kind,
        subject_kind=SubjectKind.LEAD,
        received_via=ReceivedVia.EMAIL,
        now=received_at,
        actor=f"user:{USER}",
        organization_id=org_id,
        email=email,
        created_by=USER,
        **fields,
    )


def user_request(
    user_id: UUID, *, kind: RequestKind = RequestKind.ACCESS, received_at: datetime = NOW
) -> PrivacyRequest:
    """A user's request about their account (no organisation: the platform answers it)."""
    return PrivacyRequest.receive(
        kind=kind,
        subject_kind=SubjectKind.USER,
        received_via=ReceivedVia.ACCOUNT,
        now=received_at,
        actor=f"user:{user_id}",
        user_id=user_id,
        email="ann@example.sg",
    )


def verification(digest: str = "d" * 64) -> Verification:
    return Verification(digest, NOW + timedelta(minutes=10))


def consent(
    org_id: UUID | None,
    subject_id: UUID,
    purpose: Purpose,
    *,
    given: bool = True,
    at: datetime = NOW,
    recorded_at: datetime = NOW,
    **fields: Any,
) -> ConsentRecord:
    """A decision of a lead (a tenant's, `org_id`) or of a user (the platform's, None)."""
    values: dict[str, Any] = {"notice_version": "2026-01", "method": ConsentMethod.FORM, "recorded_by": USER, **fields}
    kind = values.pop("subject_kind", ConsentSubject.USER if org_id is None else ConsentSubject.LEAD)
    return ConsentRecord(kind, subject_id, org_id, purpose, given, at=at, recorded_at=recorded_at, **values)


def dnc_check(org_id: UUID, phone: str, result: DncResult, checked_on: date, **fields: Any) -> DncCheck:
    values: dict[str, Any] = {"recorded_at": NOW, "recorded_by": USER, **fields}
    return DncCheck(org_id, phone, result, checked_on, **values)


def breach(org_id: UUID | None, **fields: Any) -> Breach:
    values: dict[str, Any] = {
        "description": "A laptop with a lead export was stolen.",
        "discovered_at": NOW - timedelta(days=2),
        "affected_count": 12,
        "categories": (DataCategory.CONTACT, DataCategory.IDENTIFIERS),
        "significant_harm": False,
        "created_by": USER,
        "created_at": NOW,
        "updated_at": NOW,
        **fields,
    }
    return Breach(org_id, **values)
