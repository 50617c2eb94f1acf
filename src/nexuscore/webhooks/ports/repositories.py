"""Storage ports of the inbox."""

from __future__ import annotations

from collections.abc import Collection
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol
from uuid import UUID

from nexuscore.kernel.events import EventRecorder
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.webhooks.domain.model import Attempt, InboxEvent, InboxFilter, InboxStatus, ReplayJob


class InboxRepository(Protocol):
    async def add_if_absent(self, event: InboxEvent) -> bool:
        """Insert unless (provider, event_id) is stored already; True if this call stored it.
        Atomic against concurrent callers (one of them wins, the others get False)."""
        ...

    async def get(self, inbox_id: UUID) -> InboxEvent | None: ...

    async def find(self, provider: str, event_id: str) -> InboxEvent | None: ...

    async def known_event_ids(self, provider: str, event_ids: Collection[str]) -> set[str]: ...

    async def claim(self, inbox_id: UUID, *, token: UUID, now: datetime, stuck_before: datetime) -> InboxEvent | None:
        """Mark the event processing under `token` and count the attempt, if it is claimable:
        received, failed and due, or processing but claimed before `stuck_before`. One
        conditional update: of two workers claiming at once, one gets the event."""
        ...

    async def renew_claim(self, inbox_id: UUID, *, token: UUID, now: datetime) -> bool:
        """The heartbeat of a running handler: `claimed_at` = now while `token` still holds the
        claim (so the row never looks stuck while its worker lives); False once it is lost."""
        ...

    async def finish(
        self,
        inbox_id: UUID,
        *,
        token: UUID,
        status: InboxStatus,
        now: datetime,
        next_attempt_at: datetime | None = None,
        error: str | None = None,
    ) -> bool:
        """Record the outcome of the attempt `token` claimed; False if the claim was lost
        (the sweeper handed the event to another worker meanwhile)."""
        ...

    async def reset_for_replay(self, inbox_id: UUID) -> bool:
        """Make a final or failed event received again with a fresh attempt budget; False for
        an event being processed right now (or unknown)."""
        ...

    async def add_attempt(self, attempt: Attempt) -> None: ...

    async def attempts(self, inbox_id: UUID) -> list[Attempt]: ...

    async def attempt_count(self, inbox_id: UUID) -> int: ...

    async def page(self, where: InboxFilter, page: PageRequest) -> Page[InboxEvent]: ...

    async def ids_matching(self, where: InboxFilter, *, after: UUID | None, limit: int) -> list[UUID]:
        """Ids in id order after `after`: a bulk job walks its filter in stable pages."""
        ...

    async def due(self, *, now: datetime, stuck_before: datetime, limit: int) -> list[UUID]:
        """Received rows older than `stuck_before`, failed rows due, processing rows stuck."""
        ...

    async def oldest_unfinished_received_at(self) -> datetime | None: ...


class ReplayJobRepository(Protocol):
    async def add(self, job: ReplayJob) -> None: ...

    async def get(self, job_id: UUID, *, for_update: bool = False) -> ReplayJob | None: ...

    async def save(self, job: ReplayJob) -> None: ...


class WebhooksUnitOfWork(Protocol):
    inbox: InboxRepository
    replay_jobs: ReplayJobRepository
    events: EventRecorder

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    """Opens a unit of work on a session of its own (processing spans several transactions)."""

    def __call__(self) -> AbstractAsyncContextManager[WebhooksUnitOfWork]: ...
