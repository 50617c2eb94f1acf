"""Data subject requests (PDPA access, correction, deletion, consent withdrawal).

The lifecycle follows Fides': `identity_unverified` -> `pending` -> `approved` | `denied` ->
`in_processing` -> `complete` | `error` (an errored request is retried back into processing).
Every transition is a `HistoryEntry` naming its actor. The response clock runs 30 calendar
days from receipt (Asia/Singapore dates), and an extension moves it.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from uuid import UUID

from nexuscore.kernel.clock import SINGAPORE, business_date
from nexuscore.kernel.errors import BusinessRuleViolation, FieldError, ValidationError
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.personal_data import SubjectKind, SubjectQuery

RESPONSE_DAYS = 30
MAX_EXTENSION_DAYS = 60
CODE_TTL = timedelta(minutes=10)
CODE_ATTEMPTS = 5
BUNDLE_TTL = timedelta(days=7)
LOG_PERIOD = timedelta(days=365)  # the use and disclosure log covers the year before the request


class RequestKind(enum.StrEnum):
    ACCESS = "access"
    CORRECTION = "correction"
    DELETION = "deletion"
    WITHDRAW_CONSENT = "withdraw_consent"

    @property
    def automated(self) -> bool:
        """Access and deletion run through the providers; the others are done by people, then
        marked complete."""
        return self in (RequestKind.ACCESS, RequestKind.DELETION)


class RequestStatus(enum.StrEnum):
    IDENTITY_UNVERIFIED = "identity_unverified"
    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"
    IN_PROCESSING = "in_processing"
    COMPLETE = "complete"
    ERROR = "error"

    @property
    def open(self) -> bool:
        return self not in (RequestStatus.DENIED, RequestStatus.COMPLETE)


class ReceivedVia(enum.StrEnum):
    ACCOUNT = "account"  # the signed-in user, about themself
    PUBLIC_FORM = "public_form"  # the tenant's public intake, verified by an emailed code
    EMAIL = "email"
    LETTER = "letter"
    PHONE = "phone"
    IN_PERSON = "in_person"


# Who can be recorded as the actor of a step besides a user id.
SUBJECT_ACTOR = "subject"
SYSTEM_ACTOR = "system"


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: str  # received, identity_verified, approved, denied, extended, processing, steps_added, completed, ...
    status: RequestStatus  # the status after the step
    actor: str  # "user:<id>", "subject" or "system"
    note: str | None = None


@dataclass(frozen=True)
class Verification:
    """The emailed code of a public request, stored as a digest."""

    digest: str
    expires_at: datetime
    attempts_left: int = CODE_ATTEMPTS


class VerificationFailed(ValidationError):
    code = "verification-failed"


class VerificationExpired(BusinessRuleViolation):
    code = "verification-expired"


class NotAllowedNow(BusinessRuleViolation):
    code = "request-state"


def due_at(received_at: datetime, days: int) -> datetime:
    """The end of the `days`-th calendar day after receipt, in Singapore."""
    day = business_date(received_at) + timedelta(days=days)
    return datetime.combine(day, time(23, 59, 59), SINGAPORE).astimezone(received_at.tzinfo)


def actor_of(user_id: UUID | None) -> str:
    return f"user:{user_id}" if user_id else SYSTEM_ACTOR


def staff_actor_of(user_id: UUID) -> str:
    """A platform staff member acting on a request the platform is responsible for."""
    return f"staff:{user_id}"


@dataclass(frozen=True)
class PrivacyRequest:
    id: UUID
    organization_id: UUID | None  # None: a user's request about their account (the platform answers)
    kind: RequestKind
    subject_kind: SubjectKind
    status: RequestStatus
    received_via: ReceivedVia
    received_at: datetime
    due_at: datetime
    user_id: UUID | None = None
    lead_id: UUID | None = None
    email: str | None = None
    phone: str | None = None
    notes: str | None = None
    extended_days: int = 0
    history: tuple[HistoryEntry, ...] = ()
    verification: Verification | None = None
    error: str | None = None
    completed_at: datetime | None = None
    erased: bool = False  # the subject's contact on this request is masked (after a deletion)
    created_by: UUID | None = None
    # Resolved when processing starts from the subject's own records: their leads, and the
    # full names free text may name them by (cleared with the contact after a deletion).
    lead_ids: tuple[UUID, ...] = field(default=())
    names: tuple[str, ...] = field(default=())
    emails: tuple[str, ...] = field(default=())  # the subject's addresses found in their records
    phones: tuple[str, ...] = field(default=())

    @classmethod
    def receive(
        cls,
        *,
        kind: RequestKind,
        subject_kind: SubjectKind,
        received_via: ReceivedVia,
        now: datetime,
        actor: str,
        organization_id: UUID | None = None,
        user_id: UUID | None = None,
        lead_id: UUID | None = None,
        email: str | None = None,
        phone: str | None = None,
        notes: str | None = None,
        verification: Verification | None = None,
        created_by: UUID | None = None,
    ) -> PrivacyRequest:
        status = RequestStatus.IDENTITY_UNVERIFIED if verification is not None else RequestStatus.PENDING
        if subject_kind is SubjectKind.LEAD and organization_id is None:
            raise ValueError("a lead's request belongs to an organisation")
        if subject_kind is SubjectKind.LEAD and not (lead_id or email or phone):
            raise ValidationError(
                "Name the subject.",
                errors=[FieldError("subject", "needs an email, a phone or a leadId")],
            )
        return cls(
            id=new_id(),
            organization_id=organization_id,
            kind=kind,
            subject_kind=subject_kind,
            status=status,
            received_via=received_via,
            received_at=now,
            due_at=due_at(now, RESPONSE_DAYS),
            user_id=user_id,
            lead_id=lead_id,
            email=email,
            phone=phone,
            notes=notes,
            verification=verification,
            created_by=created_by,
            history=(HistoryEntry(now, "received", status, actor),),
        )

    # ---- queries
    def days_left(self, now: datetime) -> int:
        """Calendar days (Singapore) until the due date; negative once overdue."""
        return (business_date(self.due_at) - business_date(now)).days

    def overdue(self, now: datetime) -> bool:
        return self.status.open and now > self.due_at

    def subject_query(self) -> SubjectQuery:
        since = self.received_at - LOG_PERIOD
        if self.subject_kind is SubjectKind.USER:
            return SubjectQuery(
                SubjectKind.USER,
                user_id=self.user_id,
                emails=_merge(self.email, self.emails),
                names=self.names,
                log_since=since,
            )
        return SubjectQuery(
            SubjectKind.LEAD,
            organization_id=self.organization_id,
            lead_ids=tuple(dict.fromkeys([*(x for x in [self.lead_id] if x), *self.lead_ids])),
            emails=_merge(self.email, self.emails),
            phones=_merge(self.phone, self.phones),
            names=self.names,
            log_since=since,
        )

    # ---- transitions
    def _step(
        self, now: datetime, action: str, status: RequestStatus, actor: str, note: str | None = None, **changes: object
    ) -> PrivacyRequest:
        entry = HistoryEntry(now, action, status, actor, note)
        return replace(self, status=status, history=(*self.history, entry), **changes)  # type: ignore[arg-type]

    def _require(self, *allowed: RequestStatus, action: str) -> None:
        if self.status not in allowed:
            raise NotAllowedNow(
                f"A request that is {self.status.value} cannot be {action}.",
                extra={"status": self.status.value},
            )

    def verified(self, now: datetime, *, code_matches: bool) -> PrivacyRequest:
        """One attempt at the emailed code. A wrong code uses up an attempt (the caller saves
        the returned request before raising `VerificationFailed`)."""
        self._require(RequestStatus.IDENTITY_UNVERIFIED, action="verified")
        v = self.verification
        if v is None or v.attempts_left <= 0 or now > v.expires_at:
            raise VerificationExpired("The code has expired or was tried too often; ask for a new request.")
        if not code_matches:
            return replace(self, verification=replace(v, attempts_left=v.attempts_left - 1))
        return self._step(now, "identity_verified", RequestStatus.PENDING, SUBJECT_ACTOR, verification=None)

    def approve(self, now: datetime, actor: str, note: str | None = None) -> PrivacyRequest:
        self._require(RequestStatus.PENDING, action="approved")
        return self._step(now, "approved", RequestStatus.APPROVED, actor, note)

    def deny(self, now: datetime, actor: str, reason: str) -> PrivacyRequest:
        self._require(RequestStatus.PENDING, RequestStatus.APPROVED, action="denied")
        return self._step(now, "denied", RequestStatus.DENIED, actor, reason, completed_at=now)

    def extend(self, now: datetime, actor: str, reason: str, days: int) -> PrivacyRequest:
        if not 1 <= days <= MAX_EXTENSION_DAYS or self.extended_days + days > MAX_EXTENSION_DAYS:
            raise ValidationError(
                "Invalid extension.",
                errors=[FieldError("days", f"extensions add up to at most {MAX_EXTENSION_DAYS} days")],
            )
        self._require(
            RequestStatus.PENDING,
            RequestStatus.APPROVED,
            RequestStatus.IN_PROCESSING,
            RequestStatus.ERROR,
            action="extended",
        )
        return self._step(
            now,
            "extended",
            self.status,
            actor,
            f"{days} days: {reason}",
            extended_days=self.extended_days + days,
            due_at=due_at(self.received_at, RESPONSE_DAYS + self.extended_days + days),
        )

    def start_processing(
        self,
        now: datetime,
        actor: str,
        *,
        lead_ids: tuple[UUID, ...] = (),
        names: tuple[str, ...] = (),
        emails: tuple[str, ...] = (),
        phones: tuple[str, ...] = (),
    ) -> PrivacyRequest:
        self._require(RequestStatus.APPROVED, RequestStatus.ERROR, action="processed")
        action = "retried" if self.status is RequestStatus.ERROR else "processing"
        if self.status is RequestStatus.ERROR:  # a retry keeps what the first run resolved
            lead_ids = tuple(dict.fromkeys([*self.lead_ids, *lead_ids]))
            names = tuple(dict.fromkeys([*self.names, *names]))
            emails = tuple(dict.fromkeys([*self.emails, *emails]))
            phones = tuple(dict.fromkeys([*self.phones, *phones]))
        return self._step(
            now,
            action,
            RequestStatus.IN_PROCESSING,
            actor,
            lead_ids=lead_ids,
            names=names,
            emails=emails,
            phones=phones,
            error=None,
        )

    def add_steps(self, now: datetime, providers: Sequence[str]) -> PrivacyRequest:
        """Steps made for providers registered after processing started (a deploy added a
        context), so the request does not complete without them."""
        self._require(RequestStatus.IN_PROCESSING, action="given steps")
        note = "steps added for providers registered since processing started: " + ", ".join(providers)
        return self._step(now, "steps_added", self.status, SYSTEM_ACTOR, note)

    def fail(self, now: datetime, error: str) -> PrivacyRequest:
        self._require(RequestStatus.IN_PROCESSING, action="failed")
        return self._step(now, "failed", RequestStatus.ERROR, SYSTEM_ACTOR, error, error=error)

    def complete(self, now: datetime, actor: str, note: str | None = None) -> PrivacyRequest:
        """Automated kinds complete when their last provider step is done (the system does it);
        the others when a person marks them done."""
        self._require(RequestStatus.IN_PROCESSING, action="completed")
        return self._step(now, "completed", RequestStatus.COMPLETE, actor, note, completed_at=now)

    def mask_subject(self, masked_email: str | None, masked_phone: str | None) -> PrivacyRequest:
        """After a deletion: the request keeps proof of what was done, not who it was about."""
        return replace(
            self, email=masked_email, phone=masked_phone, notes=None, names=(), emails=(), phones=(), erased=True
        )


def _merge(value: str | None, more: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*([value] if value else []), *more]))
