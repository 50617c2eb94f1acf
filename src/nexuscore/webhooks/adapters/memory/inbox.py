"""In-memory fakes of the inbox ports, held to the SQL adapters by tests/contract/webhooks.

Writes apply at once (a rollback drops only the events not yet committed); the use cases
never write before a decision they might roll back, so that difference is not observed.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from datetime import datetime
from uuid import UUID

from nexuscore.kernel.events import DomainEvent, EventRecord, as_record
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.webhooks.domain.model import (
    CLAIMABLE,
    FINAL,
    Attempt,
    InboxEvent,
    InboxFilter,
    InboxStatus,
    ReplayJob,
)


def _matches(event: InboxEvent, where: InboxFilter) -> bool:
    return (
        (where.provider is None or event.provider == where.provider)
        and (where.status is None or event.status is where.status)
        and (where.type is None or event.type == where.type)
        and (where.event_id is None or event.event_id == where.event_id)
        and (where.since is None or event.received_at >= where.since)
    )


class InMemoryInbox:
    def __init__(self) -> None:
        self.events: dict[UUID, InboxEvent] = {}
        self.attempt_log: dict[UUID, list[Attempt]] = {}
        self.jobs: dict[UUID, ReplayJob] = {}
        self.outbox: list[EventRecord] = []

    async def add_if_absent(self, event: InboxEvent) -> bool:
        if await self.find(event.provider, event.event_id) is not None:
            return False
        self.events[event.id] = copy.copy(event)
        return True

    async def get(self, inbox_id: UUID) -> InboxEvent | None:
        found = self.events.get(inbox_id)
        return copy.copy(found) if found else None

    async def find(self, provider: str, event_id: str) -> InboxEvent | None:
        found = next((e for e in self.events.values() if (e.provider, e.event_id) == (provider, event_id)), None)
        return copy.copy(found) if found else None

    async def known_event_ids(self, provider: str, event_ids: Collection[str]) -> set[str]:
        wanted = set(event_ids)
        return {e.event_id for e in self.events.values() if e.provider == provider and e.event_id in wanted}

    async def claim(self, inbox_id: UUID, *, token: UUID, now: datetime, stuck_before: datetime) -> InboxEvent | None:
        event = self.events.get(inbox_id)
        if event is None:
            return None
        due = event.status in CLAIMABLE and (event.next_attempt_at is None or event.next_attempt_at <= now)
        stuck = (
            event.status is InboxStatus.PROCESSING and event.claimed_at is not None and event.claimed_at < stuck_before
        )
        if not (due or stuck):
            return None
        event.status, event.claimed_at, event.claim_token = InboxStatus.PROCESSING, now, token
        event.attempts += 1
        return copy.copy(event)

    async def renew_claim(self, inbox_id: UUID, *, token: UUID, now: datetime) -> bool:
        event = self.events.get(inbox_id)
        if event is None or event.claim_token != token or event.status is not InboxStatus.PROCESSING:
            return False
        event.claimed_at = now
        return True

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
        event = self.events.get(inbox_id)
        if event is None or event.claim_token != token or event.status is not InboxStatus.PROCESSING:
            return False
        event.status, event.next_attempt_at, event.last_error = status, next_attempt_at, error
        event.claimed_at = event.claim_token = None
        event.processed_at = now if status in FINAL else None
        return True

    async def reset_for_replay(self, inbox_id: UUID) -> bool:
        event = self.events.get(inbox_id)
        if event is None or event.status is InboxStatus.PROCESSING:
            return False
        event.status, event.attempts, event.next_attempt_at, event.processed_at = InboxStatus.RECEIVED, 0, None, None
        return True

    async def add_attempt(self, attempt: Attempt) -> None:
        self.attempt_log.setdefault(attempt.inbox_id, []).append(attempt)

    async def attempts(self, inbox_id: UUID) -> list[Attempt]:
        return sorted(self.attempt_log.get(inbox_id, []), key=lambda a: a.number)

    async def attempt_count(self, inbox_id: UUID) -> int:
        return max((a.number for a in self.attempt_log.get(inbox_id, [])), default=0)

    async def page(self, where: InboxFilter, page: PageRequest) -> Page[InboxEvent]:
        found = sorted(
            (e for e in self.events.values() if _matches(e, where)), key=lambda e: (e.received_at, e.id), reverse=True
        )
        items = [copy.copy(e) for e in found[page.offset : page.offset + page.limit]]
        return Page(items, total=len(found), limit=page.limit, offset=page.offset)

    async def ids_matching(self, where: InboxFilter, *, after: UUID | None, limit: int) -> list[UUID]:
        ids = sorted(e.id for e in self.events.values() if _matches(e, where) and (after is None or e.id > after))
        return ids[:limit]

    async def due(self, *, now: datetime, stuck_before: datetime, limit: int) -> list[UUID]:
        def is_due(e: InboxEvent) -> bool:
            if e.status is InboxStatus.RECEIVED:
                return e.received_at < stuck_before
            if e.status is InboxStatus.FAILED:
                return e.next_attempt_at is not None and e.next_attempt_at <= now
            return e.status is InboxStatus.PROCESSING and e.claimed_at is not None and e.claimed_at < stuck_before

        return sorted(e.id for e in self.events.values() if is_due(e))[:limit]

    async def oldest_unfinished_received_at(self) -> datetime | None:
        unfinished = [
            e.received_at for e in self.events.values() if e.status not in FINAL and e.status is not InboxStatus.IGNORED
        ]
        return min(unfinished, default=None)


class InMemoryReplayJobs:
    def __init__(self, inbox: InMemoryInbox) -> None:
        self._jobs = inbox.jobs

    async def add(self, job: ReplayJob) -> None:
        self._jobs[job.id] = copy.copy(job)

    async def get(self, job_id: UUID, *, for_update: bool = False) -> ReplayJob | None:
        found = self._jobs.get(job_id)
        return copy.copy(found) if found else None

    async def save(self, job: ReplayJob) -> None:
        self._jobs[job.id] = copy.copy(job)


class InMemoryWebhooksUnitOfWork:
    def __init__(self, store: InMemoryInbox) -> None:
        self._store = store
        self.inbox = store
        self.replay_jobs = InMemoryReplayJobs(store)
        self._pending: list[EventRecord] = []
        self.events = self

    async def append(self, *events: DomainEvent) -> None:
        self._pending.extend(as_record(e) for e in events)

    async def commit(self) -> None:
        self._store.outbox.extend(self._pending)
        self._pending.clear()

    async def rollback(self) -> None:
        self._pending.clear()


class InMemoryUnitOfWorkFactory:
    def __init__(self, store: InMemoryInbox | None = None) -> None:
        self.store = store or InMemoryInbox()

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[InMemoryWebhooksUnitOfWork]:
        yield InMemoryWebhooksUnitOfWork(self.store)
