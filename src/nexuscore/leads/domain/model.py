"""Leads: prospective customers an organisation works through its sales pipeline."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from nexuscore.kernel.errors import BusinessRuleViolation, Conflict, FieldError, ValidationError
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.money import Money

MAX_TAGS = 20
MAX_TAG_LENGTH = 40
DNC_CHECK_VALIDITY_DAYS = 21  # PDPA DNC: a registry check is valid for 21 days


class DuplicateLead(Conflict):
    """Another active lead of the organisation has this email or phone (409 with its id)."""

    code = "duplicate-lead"

    def __init__(self, existing_id: UUID, *, matched_on: str) -> None:
        super().__init__(
            f"A lead with this {matched_on} already exists.",
            extra={"existingLeadId": str(existing_id), "matchedOn": matched_on},
        )
        self.existing_id = existing_id
        self.matched_on = matched_on


class LeadStatus(enum.StrEnum):
    NEW = "new"
    CONTACTED = "contacted"
    QUALIFIED = "qualified"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    WON = "won"
    LOST = "lost"

    @property
    def is_open(self) -> bool:
        return self not in (LeadStatus.WON, LeadStatus.LOST)


class LeadSource(enum.StrEnum):
    WEBSITE = "website"
    REFERRAL = "referral"
    EVENT = "event"
    COLD_OUTREACH = "cold_outreach"
    ADS = "ads"
    PARTNER = "partner"
    IMPORT = "import"
    OTHER = "other"


class DncStatus(enum.StrEnum):
    UNCHECKED = "unchecked"
    CLEAR = "clear"
    LISTED = "listed"


# The pipeline moves forward (stages may be skipped); any open stage may be lost; a deal can be
# won once it is qualified; a lost lead may be reopened as new. Won is final.
_OPEN_ORDER = [
    LeadStatus.NEW,
    LeadStatus.CONTACTED,
    LeadStatus.QUALIFIED,
    LeadStatus.PROPOSAL,
    LeadStatus.NEGOTIATION,
]
ALLOWED_TRANSITIONS: dict[LeadStatus, frozenset[LeadStatus]] = {
    stage: frozenset(
        [*_OPEN_ORDER[index + 1 :], LeadStatus.LOST]
        + ([LeadStatus.WON] if index >= _OPEN_ORDER.index(LeadStatus.QUALIFIED) else [])
    )
    for index, stage in enumerate(_OPEN_ORDER)
}
ALLOWED_TRANSITIONS[LeadStatus.WON] = frozenset()
ALLOWED_TRANSITIONS[LeadStatus.LOST] = frozenset([LeadStatus.NEW])


@dataclass(frozen=True)
class MarketingConsent:
    """Whether the lead agreed to marketing, when, and how we know (form, event sign-up, import...)."""

    granted: bool
    recorded_at: datetime
    source: str


@dataclass(frozen=True)
class ScoreReason:
    """One explainable contribution to a lead's score, e.g. ('source', 'Referral', 20)."""

    factor: str  # completeness | source | engagement | recency
    detail: str
    points: int


@dataclass
class Lead:
    organization_id: UUID
    first_name: str
    last_name: str
    created_by: UUID
    created_at: datetime
    updated_by: UUID
    updated_at: datetime
    email: str | None = None  # normalised (kernel.email.normalise_email)
    phone: str | None = None  # E.164
    company: str | None = None
    company_uen: str | None = None
    job_title: str | None = None
    source: LeadSource = LeadSource.OTHER
    status: LeadStatus = LeadStatus.NEW
    lost_reason: str | None = None
    owner_id: UUID | None = None
    tags: list[str] = field(default_factory=list)
    estimated_value: Money | None = None
    next_follow_up: date | None = None
    score: int = 0
    score_reasons: list[ScoreReason] = field(default_factory=list)
    marketing_consent: MarketingConsent | None = None
    dnc_status: DncStatus = DncStatus.UNCHECKED
    dnc_checked_at: date | None = None
    archived_at: datetime | None = None
    merged_into_id: UUID | None = None  # set on the lead that was merged away (it is archived too)
    id: UUID = field(default_factory=new_id)

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def touch(self, actor_id: UUID, now: datetime) -> None:
        self.updated_by = actor_id
        self.updated_at = now

    def archive(self, actor_id: UUID, now: datetime) -> None:
        """Out of every list, search and dedupe check; its email and phone are free again."""
        self.archived_at = now
        self.touch(actor_id, now)

    def archive_as_merged_into(self, survivor_id: UUID, actor_id: UUID, now: datetime) -> None:
        self.merged_into_id = survivor_id
        self.archive(actor_id, now)

    def move_to(self, status: LeadStatus, *, lost_reason: str | None, actor_id: UUID, now: datetime) -> LeadStatus:
        """Apply a pipeline transition; returns the previous status."""
        if status is self.status:
            raise BusinessRuleViolation(f"The lead is already {status.value}.")
        if status not in ALLOWED_TRANSITIONS[self.status]:
            allowed = ", ".join(sorted(s.value for s in ALLOWED_TRANSITIONS[self.status])) or "none"
            raise BusinessRuleViolation(
                f"A lead cannot move from {self.status.value} to {status.value} (allowed: {allowed}).",
                extra={"from": self.status.value, "to": status.value},
            )
        reason = (lost_reason or "").strip()
        if status is LeadStatus.LOST and not reason:
            raise ValidationError("A lost lead needs a reason.", errors=[FieldError("lostReason", "is required")])
        previous = self.status
        self.status = status
        self.lost_reason = reason if status is LeadStatus.LOST else None
        self.touch(actor_id, now)
        return previous

    def marketing_eligible(self, today: date) -> bool:
        """May this lead be used for marketing? Consent given, not on the DNC register, and a
        DNC check no older than 21 days (REFERENCE.md: PDPA Do Not Call)."""
        consent = self.marketing_consent
        if consent is None or not consent.granted:
            return False
        return self.dnc_valid_on(today)

    def dnc_valid_on(self, today: date) -> bool:
        """A clear DNC result, checked no more than 21 days before `today`."""
        if self.dnc_status is not DncStatus.CLEAR or self.dnc_checked_at is None:
            return False
        return (today - self.dnc_checked_at).days <= DNC_CHECK_VALIDITY_DAYS


class ActivityKind(enum.StrEnum):
    NOTE = "note"
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    # Recorded automatically by the use cases, never posted by a user:
    STATUS_CHANGE = "status_change"
    ASSIGNMENT = "assignment"
    MERGE = "merge"

    @property
    def user_loggable(self) -> bool:
        return self in (ActivityKind.NOTE, ActivityKind.CALL, ActivityKind.EMAIL, ActivityKind.MEETING)


@dataclass
class Activity:
    organization_id: UUID
    lead_id: UUID
    kind: ActivityKind
    occurred_at: datetime
    created_by: UUID | None
    created_at: datetime
    body: str = ""
    details: dict[str, str] = field(default_factory=dict)  # e.g. {"from": "new", "to": "contacted"}
    id: UUID = field(default_factory=new_id)


@dataclass(frozen=True)
class Engagement:
    """What the activities of a lead add up to (input of the score)."""

    interactions: int = 0  # notes, calls, emails, meetings
    meetings: int = 0
    last_interaction_at: datetime | None = None


class ImportStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


@dataclass(frozen=True)
class RowError:
    """A CSV row not imported because of a problem with it (or with the plan's lead limit)."""

    row: int  # 1-based data row number (the header is row 0)
    field: str | None
    message: str


@dataclass(frozen=True)
class DuplicateRow:
    """A CSV row not imported because its email or phone (`matched_on`) is taken: by an active
    lead (`existing_lead_id`) or by an earlier row of the same file (`duplicate_of_row`)."""

    row: int
    matched_on: str
    existing_lead_id: UUID | None = None
    duplicate_of_row: int | None = None

    @property
    def field(self) -> str:
        return self.matched_on

    @property
    def message(self) -> str:
        target = f"existing lead {self.existing_lead_id}" if self.existing_lead_id else f"row {self.duplicate_of_row}"
        return f"Duplicate of {target}"


ReportEntry = RowError | DuplicateRow
"""One line of an import's row report: a row with errors, or a duplicate."""


@dataclass
class LeadImport:
    """A CSV import: checked on upload, run in the background, reported row by row."""

    organization_id: UUID
    created_by: UUID
    created_at: datetime
    filename: str
    total_rows: int
    status: ImportStatus = ImportStatus.PENDING
    processed_rows: int = 0
    created_count: int = 0
    duplicate_count: int = 0
    error_count: int = 0
    errors: list[ReportEntry] = field(default_factory=list)  # the row report, by row: errors and duplicates
    started_at: datetime | None = None
    finished_at: datetime | None = None
    failure: str | None = None
    id: UUID = field(default_factory=new_id)
