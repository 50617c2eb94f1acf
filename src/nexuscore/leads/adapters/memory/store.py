"""In-memory fakes of the leads ports for unit tests of the use cases.

Writes are staged in the unit of work and applied on commit, so a use case that raises before
committing leaves the state unchanged, as the SQL adapter does. Repositories are bound to one
tenant and follow the SQL adapter's semantics: archived leads are invisible to `get`,
`get_many`, `find_duplicate`, `existing_contacts`, `search`, `stream` and `count_active`;
search filters combine with AND; `q` is split into (at most 5) words, each of which must be a
case-insensitive substring of the first name, last name, email or company; `createdFrom` and
`createdTo` are inclusive, `followUpBefore` exclusive; a missing value sorts as the largest
(last ascending, first descending) and ties are broken by id in the sort's direction; exports
stream in id (creation) order; the timeline is newest first. The dedupe indexes hold: a
second active lead of a tenant with a taken email or phone raises DuplicateLead naming the
holder; batches are all or nothing; `save` never rewrites who created a row and when; a row of
another tenant raises ValueError. tests/contract runs the same suites on this fake and on SQL.
Everything handed out is a copy: a change counts only once it is saved.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import AsyncIterator, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from nexuscore.kernel.clock import Clock, business_date
from nexuscore.kernel.events import DomainEvent, EventRecord, as_record
from nexuscore.kernel.paging import Page, PageRequest, capped_total
from nexuscore.leads.adapters.entitlements import DefaultLeadEntitlements
from nexuscore.leads.adapters.memory.lead_search import matches, sort_leads
from nexuscore.leads.adapters.memory.neighbours import InMemoryMemberDirectory
from nexuscore.leads.domain.events import LeadViewed, lead_subject
from nexuscore.leads.domain.model import Activity, DuplicateLead, Engagement, Lead, LeadImport
from nexuscore.leads.ports.repositories import (
    ActivityRepository,
    ExportFilter,
    ImportRepository,
    LeadEntitlements,
    LeadFilter,
    LeadRepository,
    LeadSort,
    LeadsUnitOfWork,
    MarketingStanding,
    MemberDirectory,
    total_window,
)


class IntegrityViolation(Exception):
    """What the database would refuse with an integrity error (a bug in the caller)."""


@dataclass
class LeadsState:
    leads: dict[UUID, Lead] = field(default_factory=dict)
    activities: dict[UUID, Activity] = field(default_factory=dict)
    imports: dict[UUID, LeadImport] = field(default_factory=dict)
    import_csv: dict[UUID, str] = field(default_factory=dict)
    round_robin: dict[UUID, int] = field(default_factory=dict)  # org id -> counter
    events: list[EventRecord] = field(default_factory=list)


def _check_tenant(org_id: UUID, bound_to: UUID) -> None:
    if org_id != bound_to:
        # What the SQL repositories raise (row-level security would refuse the row as well).
        raise ValueError("this repository is bound to another organisation")


class _Leads:
    def __init__(self, state: LeadsState, org_id: UUID, clock: Clock) -> None:
        self._st = state
        self._org = org_id
        self._clock = clock

    def _mine(self) -> list[Lead]:
        return [lead for lead in self._st.leads.values() if lead.organization_id == self._org]

    def _active(self) -> list[Lead]:
        return [lead for lead in self._mine() if not lead.archived]

    def _check(self, lead: Lead) -> None:
        _check_tenant(lead.organization_id, self._org)

    def _check_unique(self, lead: Lead, ignore: Collection[UUID] = ()) -> None:
        """The dedupe indexes: one active lead per email and per phone in a tenant (the email
        is checked first, as PostgreSQL does). A holder in `ignore` does not count."""
        if lead.archived:
            return
        for column in ("email", "phone"):
            value = getattr(lead, column)
            if value is None:
                continue
            for other in sorted(self._active(), key=lambda x: x.id):
                if other.id != lead.id and getattr(other, column) == value:
                    if other.id in ignore:
                        raise IntegrityViolation(f"two leads of one batch share a {column}")
                    raise DuplicateLead(other.id, matched_on=column)

    async def add(self, lead: Lead) -> None:
        await self.add_many([lead])

    async def add_many(self, leads: Sequence[Lead]) -> None:
        # All or nothing, as the SQL batch insert is.
        for lead in leads:
            self._check(lead)
        staged = dict(self._st.leads)
        try:
            for lead in leads:
                if lead.id in self._st.leads:
                    raise IntegrityViolation(f"lead {lead.id} exists")
                self._check_unique(lead, ignore={x.id for x in leads})
                self._st.leads[lead.id] = copy.deepcopy(lead)
        except Exception:
            self._st.leads = staged
            raise

    async def get(self, lead_id: UUID, *, for_update: bool = False) -> Lead | None:
        lead = self._st.leads.get(lead_id)
        if lead is None or lead.organization_id != self._org or lead.archived:
            return None
        return copy.deepcopy(lead)

    async def get_many(self, lead_ids: Collection[UUID], *, for_update: bool = False) -> Sequence[Lead]:
        wanted = set(lead_ids)
        return [copy.deepcopy(lead) for lead in sorted(self._active(), key=lambda x: x.id) if lead.id in wanted]

    async def save(self, lead: Lead) -> None:
        self._check(lead)
        stored = self._st.leads.get(lead.id)
        if stored is None or stored.organization_id != self._org:
            return
        self._check_unique(lead)
        # The creation facts are never rewritten, as the SQL UPDATE leaves them out.
        self._st.leads[lead.id] = dataclasses.replace(
            copy.deepcopy(lead), created_by=stored.created_by, created_at=stored.created_at
        )

    async def find_duplicate(
        self, *, email: str | None, phone: str | None, exclude_id: UUID | None = None
    ) -> Lead | None:
        others = [lead for lead in sorted(self._active(), key=lambda x: x.id) if lead.id != exclude_id]
        # The email match wins over a phone match, as in the SQL adapter.
        for lead in others:
            if email and lead.email == email:
                return copy.deepcopy(lead)
        for lead in others:
            if phone and lead.phone == phone:
                return copy.deepcopy(lead)
        return None

    async def existing_contacts(self, emails: Collection[str], phones: Collection[str]) -> dict[str, UUID]:
        found: dict[str, UUID] = {}
        wanted_emails, wanted_phones = set(emails), set(phones)
        for lead in self._active():
            if lead.email is not None and lead.email in wanted_emails:
                found[lead.email] = lead.id
            if lead.phone is not None and lead.phone in wanted_phones:
                found[lead.phone] = lead.id
        return found

    async def search(self, lead_filter: LeadFilter, sort: LeadSort, page: PageRequest) -> Page[Lead]:
        found = sort_leads([lead for lead in self._mine() if matches(lead, lead_filter)], sort)
        items = [copy.deepcopy(lead) for lead in found[page.offset : page.offset + page.limit]]
        total, exact = capped_total(
            page, len(found), total_window(lead_filter)
        )  # as the SQL repository: exact up to the cap
        return Page(items, total, page.limit, page.offset, total_is_exact=exact)

    async def stream(self, export: ExportFilter) -> AsyncIterator[Lead]:
        found = [lead for lead in self._mine() if matches(lead, export.lead_filter)]
        if export.marketing_only:
            today = export.today or business_date(self._clock.now())
            found = [lead for lead in found if lead.marketing_eligible(today)]
        for lead in sorted(found, key=lambda x: x.id):
            yield copy.deepcopy(lead)

    async def count_active(self) -> int:
        return len(self._active())

    async def hold_lead_quota(self) -> None:
        return None  # one event loop, nothing awaited between count and add: nothing to hold


class _Activities:
    def __init__(self, state: LeadsState, org_id: UUID) -> None:
        self._st = state
        self._org = org_id

    def _of(self, lead_id: UUID) -> list[Activity]:
        return [a for a in self._st.activities.values() if a.organization_id == self._org and a.lead_id == lead_id]

    async def add(self, activity: Activity) -> None:
        await self.add_many([activity])

    async def add_many(self, activities: Sequence[Activity]) -> None:
        # All or nothing, as the SQL batch insert is.
        for activity in activities:
            _check_tenant(activity.organization_id, self._org)
        ids = [activity.id for activity in activities]
        for activity in activities:
            if activity.id in self._st.activities or ids.count(activity.id) > 1:
                raise IntegrityViolation(f"activity {activity.id} exists")
            if activity.lead_id not in self._st.leads:
                raise IntegrityViolation(f"lead {activity.lead_id} does not exist")
        for activity in activities:
            self._st.activities[activity.id] = copy.deepcopy(activity)

    async def list_for_lead(self, lead_id: UUID, page: PageRequest) -> Page[Activity]:
        found = sorted(self._of(lead_id), key=lambda a: (a.occurred_at, a.id), reverse=True)
        items = [copy.deepcopy(a) for a in found[page.offset : page.offset + page.limit]]
        return Page(items, len(found), page.limit, page.offset)

    async def engagement(self, lead_id: UUID) -> Engagement:
        logged = [a for a in self._of(lead_id) if a.kind.user_loggable]
        return Engagement(
            interactions=len(logged),
            meetings=sum(1 for a in logged if a.kind.value == "meeting"),
            last_interaction_at=max((a.occurred_at for a in logged), default=None),
        )

    async def move(self, from_lead_id: UUID, to_lead_id: UUID) -> int:
        moved = self._of(from_lead_id)
        for activity in moved:
            activity.lead_id = to_lead_id
        return len(moved)


class _Imports:
    def __init__(self, state: LeadsState, org_id: UUID) -> None:
        self._st = state
        self._org = org_id

    async def add(self, lead_import: LeadImport, csv_text: str) -> None:
        _check_tenant(lead_import.organization_id, self._org)
        if lead_import.id in self._st.imports:
            raise IntegrityViolation(f"import {lead_import.id} exists")
        self._st.imports[lead_import.id] = copy.deepcopy(lead_import)
        self._st.import_csv[lead_import.id] = csv_text

    async def get(self, import_id: UUID, *, for_update: bool = False) -> LeadImport | None:
        found = self._st.imports.get(import_id)
        return copy.deepcopy(found) if found is not None and found.organization_id == self._org else None

    async def csv_text(self, import_id: UUID) -> str | None:
        found = self._st.imports.get(import_id)
        return self._st.import_csv.get(import_id) if found is not None and found.organization_id == self._org else None

    async def list(self, page: PageRequest) -> Page[LeadImport]:
        mine = sorted(
            (i for i in self._st.imports.values() if i.organization_id == self._org),
            key=lambda i: (i.created_at, i.id),
            reverse=True,
        )
        items = [copy.deepcopy(i) for i in mine[page.offset : page.offset + page.limit]]
        return Page(items=items, total=len(mine), limit=page.limit, offset=page.offset)

    async def save(self, lead_import: LeadImport) -> None:
        _check_tenant(lead_import.organization_id, self._org)
        stored = self._st.imports.get(lead_import.id)
        if stored is not None and stored.organization_id == self._org:
            # When and by whom it was created are never rewritten, as in the SQL UPDATE.
            self._st.imports[lead_import.id] = dataclasses.replace(
                copy.deepcopy(lead_import), created_by=stored.created_by, created_at=stored.created_at
            )


class _Events:
    def __init__(self, state: LeadsState) -> None:
        self._st = state

    async def append(self, *events: DomainEvent | EventRecord) -> None:
        records = [as_record(e) for e in events]
        for event in records:
            json.dumps(dict(event.payload))  # the SQL recorder stores the payload as JSON
        self._st.events.extend(records)


class _Views:
    """The staged events' lead.viewed records (what the SQL log reads in its transaction)."""

    def __init__(self, state: LeadsState) -> None:
        self._st = state

    async def viewed_since(self, lead_id: UUID, viewer_id: UUID, since: datetime) -> bool:
        subject = lead_subject(lead_id)
        return any(
            e.type == LeadViewed.name and e.subject == subject and e.actor_id == viewer_id and e.occurred_at >= since
            for e in self._st.events
        )


class LeadOwnMarketingPermissions:
    """The fake of the privacy context's answer: the lead's own consent flag and DNC result."""

    async def standings(self, leads: Sequence[Lead], today: date) -> dict[UUID, MarketingStanding]:
        return {lead.id: MarketingStanding(lead.marketing_consent, lead.marketing_eligible(today)) for lead in leads}

    async def merge_consents(self, from_lead_id: UUID, into_lead_id: UUID, actor_id: UUID) -> None:
        return None  # the flag is the lead's own here: the merge's fill_from keeps the later one


class InMemoryLeadsUnitOfWork:
    """One tenant's unit of work over a shared committed state; changes are staged on a copy.
    `members` is the organisations' directory it reads (not staged: leads never write it)."""

    def __init__(
        self, committed: LeadsState, org_id: UUID, clock: Clock, members: InMemoryMemberDirectory | None = None
    ) -> None:
        self.committed = committed
        self.clock = clock
        self._members = members if members is not None else InMemoryMemberDirectory()
        self.commits = 0
        self._org_id = org_id
        self._begin()

    def _begin(self) -> None:
        self._staged = copy.deepcopy(self.committed)
        self._leads = _Leads(self._staged, self._org_id, self.clock)
        self._activities = _Activities(self._staged, self._org_id)
        self._imports = _Imports(self._staged, self._org_id)
        self._events = _Events(self._staged)
        self._views = _Views(self._staged)

    @property
    def org_id(self) -> UUID:
        return self._org_id

    @property
    def leads(self) -> LeadRepository:
        return self._leads

    @property
    def activities(self) -> ActivityRepository:
        return self._activities

    @property
    def imports(self) -> ImportRepository:
        return self._imports

    @property
    def events(self) -> _Events:
        return self._events

    @property
    def members(self) -> MemberDirectory:
        return self._members

    @property
    def marketing(self) -> LeadOwnMarketingPermissions:
        return LeadOwnMarketingPermissions()

    @property
    def views(self) -> _Views:
        return self._views

    async def advance_round_robin(self, steps: int) -> int:
        if steps < 0:
            raise ValueError("steps must be zero or more")
        before = self._staged.round_robin.get(self._org_id, 0)
        self._staged.round_robin[self._org_id] = before + steps
        return before

    async def commit(self) -> None:
        self.committed.__dict__.update(self._staged.__dict__)
        self.commits += 1
        self._begin()

    async def rollback(self) -> None:
        self._begin()


def _conforms(
    state: LeadsState, org_id: UUID, clock: Clock
) -> tuple[LeadsUnitOfWork, MemberDirectory, LeadEntitlements]:
    """Never called: mypy checks here that the fakes implement the ports."""
    return InMemoryLeadsUnitOfWork(state, org_id, clock), InMemoryMemberDirectory(), DefaultLeadEntitlements(None)
