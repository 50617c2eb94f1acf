"""In-memory fakes of the consent, DNC, retention and breach ports (unit tests of the core)."""

from __future__ import annotations

import copy
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from uuid import UUID

from nexuscore.kernel.events import DomainEvent, EventRecord, as_record
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.privacy.adapters.memory.store import IntegrityViolation
from nexuscore.privacy.domain.breaches import Breach
from nexuscore.privacy.domain.consent import ConsentRecord, SubjectKind
from nexuscore.privacy.domain.dnc import DncCheck, latest_check
from nexuscore.privacy.domain.retention import (
    MAX_MONTHS,
    MIN_MONTHS,
    PurgeCounts,
    PurgeCutoffs,
    RetentionCategory,
    RetentionRule,
)


@dataclass
class PrivacyRecordsState:
    consents: list[ConsentRecord] = field(default_factory=list)
    dnc: list[DncCheck] = field(default_factory=list)
    breaches: dict[UUID, Breach] = field(default_factory=dict)
    retention: dict[tuple[UUID, RetentionCategory], RetentionRule] = field(default_factory=dict)
    events: list[EventRecord] = field(default_factory=list)


def _same_scope(a: UUID | None, b: UUID | None) -> bool:
    return a == b


class _Consents:
    def __init__(self, state: PrivacyRecordsState, org: UUID | None) -> None:
        self._st, self._org = state, org

    async def add(self, record: ConsentRecord) -> None:
        if record.organization_id != self._org:
            raise ValueError("this repository is bound to another scope")
        if (record.subject_kind is SubjectKind.LEAD) != (record.organization_id is not None):
            raise IntegrityViolation("a lead's consent belongs to an organisation, a user's to none")  # subject_scope
        if any(r.id == record.id for r in self._st.consents):
            raise IntegrityViolation(f"consent record {record.id} exists")
        self._st.consents.append(record)

    async def for_subject(self, kind: SubjectKind, subject_id: UUID) -> Sequence[ConsentRecord]:
        found = [
            r
            for r in self._st.consents
            if _same_scope(r.organization_id, self._org) and r.subject_kind is kind and r.subject_id == subject_id
        ]
        return sorted(found, key=lambda r: (r.at, r.recorded_at, r.id))


class _Dnc:
    def __init__(self, state: PrivacyRecordsState, org: UUID | None) -> None:
        self._st, self._org = state, org

    async def add(self, check: DncCheck) -> None:
        if check.organization_id != self._org:
            raise ValueError("this repository is bound to another organisation")
        if any(c.id == check.id for c in self._st.dnc):
            raise IntegrityViolation(f"DNC check {check.id} exists")
        self._st.dnc.append(check)

    async def history(self, phone: str | None, page: PageRequest) -> Page[DncCheck]:
        found = [c for c in self._st.dnc if c.organization_id == self._org and (phone is None or c.phone == phone)]
        found.sort(key=lambda c: (c.checked_on, c.recorded_at, c.id), reverse=True)
        return Page(found[page.offset : page.offset + page.limit], len(found), page.limit, page.offset)

    async def latest(self, phones: Collection[str]) -> dict[str, DncCheck]:
        out: dict[str, DncCheck] = {}
        for phone in set(phones):
            check = latest_check(c for c in self._st.dnc if c.organization_id == self._org and c.phone == phone)
            if check is not None:
                out[phone] = check
        return out


class _Breaches:
    def __init__(self, state: PrivacyRecordsState, org: UUID | None) -> None:
        self._st, self._org = state, org

    async def add(self, breach: Breach) -> None:
        if breach.organization_id != self._org:
            raise ValueError("this repository is bound to another scope")
        if breach.affected_count < 0:
            raise IntegrityViolation("affected_count must not be negative")  # the table's check
        if breach.id in self._st.breaches:
            raise IntegrityViolation(f"breach {breach.id} exists")
        self._st.breaches[breach.id] = breach

    async def save(self, breach: Breach) -> None:
        held = self._st.breaches.get(breach.id)
        if held is not None and held.organization_id == self._org:
            if breach.affected_count < 0:
                raise IntegrityViolation("affected_count must not be negative")
            # Who created the entry, and when, stay as they were (the SQL update leaves them).
            self._st.breaches[breach.id] = replace(
                breach, organization_id=held.organization_id, created_at=held.created_at, created_by=held.created_by
            )

    async def get(self, breach_id: UUID) -> Breach | None:
        held = self._st.breaches.get(breach_id)
        return held if held is not None and held.organization_id == self._org else None

    async def all(self) -> Sequence[Breach]:
        return sorted((b for b in self._st.breaches.values() if b.organization_id == self._org), key=lambda b: b.id)


class _Retention:
    def __init__(self, state: PrivacyRecordsState, org: UUID | None) -> None:
        self._st, self._org = state, org

    async def overrides(self) -> Sequence[RetentionRule]:
        return [rule for (org, _), rule in self._st.retention.items() if org == self._org]

    async def put(self, rule: RetentionRule) -> None:
        assert self._org is not None
        if not MIN_MONTHS <= rule.months <= MAX_MONTHS:
            raise IntegrityViolation("months out of range")  # the table's check
        # A stored schedule is the organisation's own, never the platform default.
        self._st.retention[(self._org, rule.category)] = replace(rule, is_default=False)


class _Events:
    def __init__(self, state: PrivacyRecordsState) -> None:
        self._st = state

    async def append(self, *events: DomainEvent) -> None:
        for record in (as_record(e) for e in events):
            json.dumps(dict(record.payload))  # the SQL recorder stores the payload as JSON
            self._st.events.append(record)


class InMemoryPrivacyUnitOfWork:
    """One scope's unit of work over a shared committed state; changes are staged on a copy."""

    def __init__(self, committed: PrivacyRecordsState, organization_id: UUID | None) -> None:
        self.committed = committed
        self._org = organization_id
        self.commits = 0
        self._begin()

    def _begin(self) -> None:
        self._staged = copy.deepcopy(self.committed)
        self._consents = _Consents(self._staged, self._org)
        self._dnc = _Dnc(self._staged, self._org)
        self._breaches = _Breaches(self._staged, self._org)
        self._retention = _Retention(self._staged, self._org)
        self._events = _Events(self._staged)

    @property
    def organization_id(self) -> UUID | None:
        return self._org

    @property
    def consents(self) -> _Consents:
        return self._consents

    @property
    def dnc(self) -> _Dnc:
        if self._org is None:
            raise LookupError("DNC checks belong to an organisation")
        return self._dnc

    @property
    def breaches(self) -> _Breaches:
        return self._breaches

    @property
    def retention(self) -> _Retention:
        if self._org is None:
            raise LookupError("retention schedules belong to an organisation")
        return self._retention

    @property
    def events(self) -> _Events:
        return self._events

    async def commit(self) -> None:
        self.committed.__dict__.update(self._staged.__dict__)
        self.commits += 1
        self._begin()


@dataclass
class InMemoryLeadSubjects:
    lead_ids: set[UUID] = field(default_factory=set)

    async def exists(self, lead_id: UUID) -> bool:
        return lead_id in self.lead_ids


@dataclass
class InMemoryRetentionTargets:
    """Rows by category with their reference times; preview counts, purge removes."""

    rows: dict[str, list[datetime]] = field(default_factory=dict)

    def _expired(self, cutoffs: PurgeCutoffs) -> dict[str, list[datetime]]:
        limits = {
            "lost_leads": cutoffs.lost_leads,
            "archived_leads": cutoffs.archived_leads,
            "activities": cutoffs.activities,
        }
        return {name: [t for t in times if t < limits[name]] for name, times in self.rows.items()}

    async def preview(self, cutoffs: PurgeCutoffs) -> PurgeCounts:
        expired = self._expired(cutoffs)
        return PurgeCounts(**{name: len(times) for name, times in expired.items()})

    async def purge(self, cutoffs: PurgeCutoffs) -> PurgeCounts:
        expired = self._expired(cutoffs)
        for name, times in expired.items():
            self.rows[name] = [t for t in self.rows[name] if t not in times]
        return PurgeCounts(**{name: len(times) for name, times in expired.items()})
