"""Ports of the leads context.

Repositories are bound to one tenant when they are built (the unit of work is made per request
from a TenantContext), so no method takes an organisation id and none can reach another
tenant's rows; PostgreSQL row-level security backs this up.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from nexuscore.kernel.events import EventRecorder
from nexuscore.kernel.paging import EXACT_TOTAL_WINDOW, SEARCH_TOTAL_WINDOW, Page, PageRequest
from nexuscore.kernel.tenancy import Role
from nexuscore.leads.domain.model import (
    Activity,
    Engagement,
    Lead,
    LeadImport,
    LeadSource,
    LeadStatus,
    MarketingConsent,
)


class LeadSortField(enum.StrEnum):
    """The whitelist of sort keys for GET /leads (each backed by an index)."""

    CREATED_AT = "createdAt"
    UPDATED_AT = "updatedAt"
    SCORE = "score"
    LAST_NAME = "lastName"
    COMPANY = "company"
    NEXT_FOLLOW_UP = "nextFollowUp"
    ESTIMATED_VALUE = "estimatedValue"
    STATUS = "status"


@dataclass(frozen=True)
class LeadSort:
    field: LeadSortField = LeadSortField.CREATED_AT
    descending: bool = True


@dataclass(frozen=True)
class LeadFilter:
    """Filters of GET /leads; every one optional, combined with AND. Archived leads never match."""

    statuses: Collection[LeadStatus] = ()
    owner_id: UUID | None = None
    source: LeadSource | None = None
    tag: str | None = None
    text: str | None = None  # `q`: name, email or company, case-insensitive substring
    created_from: datetime | None = None
    created_to: datetime | None = None
    score_min: int | None = None
    follow_up_before: date | None = None


def total_window(lead_filter: LeadFilter) -> int:
    """How far past the offset a search's total is counted exactly (kernel.paging)."""
    return SEARCH_TOTAL_WINDOW if lead_filter.text or lead_filter.tag else EXACT_TOTAL_WINDOW


@dataclass(frozen=True)
class ExportFilter:
    """What GET /leads/export streams. With marketing_only, only leads that may be marketed to
    today (consent, DNC clear and checked within 21 days) are included."""

    lead_filter: LeadFilter = LeadFilter()
    marketing_only: bool = False
    today: date | None = None


class LeadRepository(Protocol):
    async def add(self, lead: Lead) -> None: ...

    async def add_many(self, leads: Sequence[Lead]) -> None:
        """Bulk insert (imports); the caller has already removed duplicates."""
        ...

    async def get(self, lead_id: UUID, *, for_update: bool = False) -> Lead | None:
        """An active (not archived) lead of this tenant, or None."""
        ...

    async def get_many(self, lead_ids: Collection[UUID], *, for_update: bool = False) -> Sequence[Lead]: ...

    async def save(self, lead: Lead) -> None: ...

    async def find_duplicate(
        self, *, email: str | None, phone: str | None, exclude_id: UUID | None = None
    ) -> Lead | None:
        """An active lead with the same normalised email or E.164 phone."""
        ...

    async def existing_contacts(self, emails: Collection[str], phones: Collection[str]) -> dict[str, UUID]:
        """For imports: which of these emails/phones already belong to an active lead -> its id."""
        ...

    async def search(self, lead_filter: LeadFilter, sort: LeadSort, page: PageRequest) -> Page[Lead]: ...

    def stream(self, export: ExportFilter) -> AsyncIterator[Lead]:
        """Every matching lead, oldest first, fetched in batches (exports)."""
        ...

    async def count_active(self) -> int: ...

    async def hold_lead_quota(self) -> None:
        """Until this transaction ends, other transactions adding leads to this organisation
        wait here: counting against the lead limit and then adding cannot interleave."""
        ...


class ActivityRepository(Protocol):
    async def add(self, activity: Activity) -> None: ...

    async def add_many(self, activities: Sequence[Activity]) -> None: ...

    async def list_for_lead(self, lead_id: UUID, page: PageRequest) -> Page[Activity]:
        """Newest first."""
        ...

    async def engagement(self, lead_id: UUID) -> Engagement: ...

    async def move(self, from_lead_id: UUID, to_lead_id: UUID) -> int:
        """Re-point every activity of one lead to another (merges); returns how many moved."""
        ...


class ImportRepository(Protocol):
    async def add(self, lead_import: LeadImport, csv_text: str) -> None:
        """Stores the job and the uploaded CSV the background worker will read."""
        ...

    async def get(self, import_id: UUID, *, for_update: bool = False) -> LeadImport | None: ...

    async def csv_text(self, import_id: UUID) -> str | None: ...

    async def save(self, lead_import: LeadImport) -> None: ...

    async def list(self, page: PageRequest) -> Page[LeadImport]:
        """The tenant's imports, newest first."""
        ...


@dataclass(frozen=True)
class OrgMember:
    user_id: UUID
    role: Role


class MemberDirectory(Protocol):
    """Read-only view of the organisation's members (owned by the organisations context)."""

    async def members(self, org_id: UUID) -> Sequence[OrgMember]:
        """Members ordered by when they joined, oldest first."""
        ...


# Plan-gated operations of the leads context (feature names of the subscriptions catalogue).
FEATURE_LEAD_IMPORT = "lead_import"
FEATURE_LEAD_EXPORT = "lead_export"


class LeadEntitlements(Protocol):
    """The organisation's plan (owned by the subscriptions context)."""

    async def lead_limit(self, org_id: UUID) -> int | None:
        """Active leads allowed; None means unlimited."""
        ...

    async def require_feature(self, org_id: UUID, feature: str) -> None:
        """Raises a 402 `feature-not-in-plan` error naming the feature when the plan lacks it."""
        ...


@dataclass(frozen=True)
class MarketingStanding:
    """A lead's marketing consent as the privacy context holds it now (None: never decided)
    and whether it may be marketed to today."""

    consent: MarketingConsent | None
    eligible: bool


class MarketingPermissions(Protocol):
    """May these leads be marketed to today? Consent and the Do Not Call register are kept by
    the privacy context; this asks it, in the unit of work's transaction."""

    async def standings(self, leads: Sequence[Lead], today: date) -> dict[UUID, MarketingStanding]:
        """Each lead's current consent and whether it may be marketed to today (consent given
        for every marketing purpose, and a clear DNC check of its phone no older than 21 days),
        in one lookup: what lead views and exports show (the lead row's own consent is the last
        decision told through leads, stale once privacy records a withdrawal)."""
        ...

    async def merge_consents(self, from_lead_id: UUID, into_lead_id: UUID, actor_id: UUID) -> None:
        """A merge: the duplicate's consent decisions count for the survivor too (the same
        person; the latest decision on either record is theirs)."""
        ...


class LeadViewLog(Protocol):
    """What the event store already holds of a viewer's views of a lead (for coalescing)."""

    async def viewed_since(self, lead_id: UUID, viewer_id: UUID, since: datetime) -> bool:
        """Whether a lead.viewed of this lead by this viewer was recorded at or after `since`."""
        ...


class LeadsUnitOfWork(Protocol):
    """One transaction for one tenant."""

    @property
    def org_id(self) -> UUID: ...

    @property
    def leads(self) -> LeadRepository: ...

    @property
    def activities(self) -> ActivityRepository: ...

    @property
    def imports(self) -> ImportRepository: ...

    @property
    def events(self) -> EventRecorder: ...

    @property
    def members(self) -> MemberDirectory:
        """The organisation's members, read in this unit of work's transaction."""
        ...

    @property
    def marketing(self) -> MarketingPermissions: ...

    @property
    def views(self) -> LeadViewLog: ...

    async def advance_round_robin(self, steps: int) -> int:
        """The per-organisation round-robin counter: returns its value before adding `steps`,
        atomically, so two concurrent assignments never hand out the same turns."""
        ...

    async def commit(self) -> None: ...


class ContactSuppression(Protocol):
    """The erased subjects' contacts of an organisation (held by the privacy context)."""

    async def suppressed(self, organization_id: UUID, values: Collection[str]) -> set[str]:
        """Which of these normalised emails and phones belong to someone erased."""
        ...


class NoSuppression:
    async def suppressed(self, organization_id: UUID, values: Collection[str]) -> set[str]:
        return set()
