"""Ports of the privacy core for consent, Do Not Call checks, retention and breaches.

A unit of work is bound to one organisation (a tenant's data) or to none (the platform's own:
users' consents, the staff breach register); every repository filters on that scope.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol
from uuid import UUID

from nexuscore.kernel.events import EventRecorder
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.privacy.domain.breaches import Breach
from nexuscore.privacy.domain.consent import ConsentRecord, SubjectKind
from nexuscore.privacy.domain.dnc import DncCheck
from nexuscore.privacy.domain.retention import (
    PlatformPurgeCounts,
    PlatformPurgeCutoffs,
    PurgeCounts,
    PurgeCutoffs,
    RetentionRule,
)


class ConsentRepository(Protocol):
    async def add(self, record: ConsentRecord) -> None: ...

    async def for_subject(self, kind: SubjectKind, subject_id: UUID) -> Sequence[ConsentRecord]:
        """Every record of the subject, oldest decision first."""
        ...


class DncRepository(Protocol):
    async def add(self, check: DncCheck) -> None: ...

    async def history(self, phone: str | None, page: PageRequest) -> Page[DncCheck]:
        """Checks (of one number, or all), newest check date first."""
        ...

    async def latest(self, phones: Collection[str]) -> dict[str, DncCheck]: ...


class BreachRepository(Protocol):
    async def add(self, breach: Breach) -> None: ...

    async def save(self, breach: Breach) -> None: ...

    async def get(self, breach_id: UUID) -> Breach | None: ...

    async def all(self) -> Sequence[Breach]:
        """The scope's whole register (a register holds tens of entries, not thousands)."""
        ...


class RetentionRepository(Protocol):
    async def overrides(self) -> Sequence[RetentionRule]: ...

    async def put(self, rule: RetentionRule) -> None: ...


class PrivacyUnitOfWork(Protocol):
    @property
    def organization_id(self) -> UUID | None: ...

    @property
    def consents(self) -> ConsentRepository: ...

    @property
    def dnc(self) -> DncRepository: ...

    @property
    def breaches(self) -> BreachRepository: ...

    @property
    def retention(self) -> RetentionRepository: ...

    @property
    def events(self) -> EventRecorder: ...

    async def commit(self) -> None: ...


class LeadSubjects(Protocol):
    """The leads a tenant holds, as far as consent needs them (the leads context's facade)."""

    async def exists(self, lead_id: UUID) -> bool: ...


class RetentionTargets(Protocol):
    """What a purge removes, owned by the contexts that hold it (leads, through its facade).

    `preview` and `purge` count by the same rule; `purge` deletes in the caller's transaction.
    """

    async def preview(self, cutoffs: PurgeCutoffs) -> PurgeCounts: ...

    async def purge(self, cutoffs: PurgeCutoffs) -> PurgeCounts: ...


class PlatformRetentionTargets(Protocol):
    """What a purge removes of the platform categories: identity's ended sessions and the
    event store's dispatched events, through their facades. Same rule for both methods;
    `purge` deletes in the caller's transaction."""

    async def preview(self, cutoffs: PlatformPurgeCutoffs) -> PlatformPurgeCounts: ...

    async def purge(self, cutoffs: PlatformPurgeCutoffs) -> PlatformPurgeCounts: ...
