"""Consent records: one row per decision a data subject made about one purpose (PDPA: consent
per purpose, with the notice version, method and time; withdrawal at any time).

Records are never edited; the current state of a purpose is the latest record's decision, so
the history stays the proof of what was agreed when.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final
from uuid import UUID

from nexuscore.kernel.errors import FieldError, ValidationError
from nexuscore.kernel.ids import new_id

MAX_NOTICE_VERSION_LENGTH: Final = 40
MAX_NOTE_LENGTH: Final = 500
# A record's time may run a little ahead of the server's clock (a form submitted from a device).
CLOCK_SKEW: Final = timedelta(minutes=5)


class Purpose(enum.StrEnum):
    MARKETING_EMAIL = "marketing_email"
    MARKETING_SMS = "marketing_sms"
    MARKETING_CALL = "marketing_call"
    ANALYTICS = "analytics"
    THIRD_PARTY_SHARING = "third_party_sharing"


# The purposes the leads context's single "marketing consent" flag stands for, and that a lead
# needs, all given, to be in a marketing export (a withdrawal of any one takes the lead out).
LEAD_MARKETING_PURPOSES: Final = (Purpose.MARKETING_EMAIL, Purpose.MARKETING_SMS, Purpose.MARKETING_CALL)


class ConsentMethod(enum.StrEnum):
    FORM = "form"
    IMPORT = "import"
    API = "api"
    VERBAL = "verbal"


class SubjectKind(enum.StrEnum):
    USER = "user"  # an account holder: the platform is the organisation responsible
    LEAD = "lead"  # a person in a tenant's CRM: the tenant is responsible


@dataclass(frozen=True)
class ConsentRecord:
    subject_kind: SubjectKind
    subject_id: UUID
    organization_id: UUID | None  # the tenant for a lead; None for a user
    purpose: Purpose
    given: bool
    notice_version: str
    method: ConsentMethod
    at: datetime  # when the subject gave or withdrew it
    recorded_at: datetime
    recorded_by: UUID | None  # the user who entered it (the subject, for self-service)
    note: str | None = None  # e.g. for a verbal consent: the call it was given on
    id: UUID = field(default_factory=new_id)


@dataclass(frozen=True)
class ConsentState:
    """Where one purpose stands for one subject: the latest record's decision."""

    purpose: Purpose
    given: bool
    at: datetime
    notice_version: str
    method: ConsentMethod
    record_id: UUID


def _order(record: ConsentRecord) -> tuple[datetime, datetime, UUID]:
    return (record.at, record.recorded_at, record.id)


def current_states(records: Iterable[ConsentRecord]) -> dict[Purpose, ConsentState]:
    """Each purpose's latest decision (by the time it was made; ties by entry, then id)."""
    latest: dict[Purpose, ConsentRecord] = {}
    for record in records:
        held = latest.get(record.purpose)
        if held is None or _order(record) > _order(held):
            latest[record.purpose] = record
    return {
        purpose: ConsentState(purpose, r.given, r.at, r.notice_version, r.method, r.id)
        for purpose, r in sorted(latest.items(), key=lambda item: item[0].value)
    }


@dataclass(frozen=True)
class MarketingDecision:
    """What the leads context's single marketing flag says, read off the purposes it stands for."""

    given: bool
    at: datetime
    record_id: UUID  # the record that decided it


def lead_marketing_decision(states: Mapping[Purpose, ConsentState]) -> MarketingDecision | None:
    """Given when every lead marketing purpose is given (as of the latest of them); otherwise
    not, as of the latest withdrawal (or, with none withdrawn but some never decided, the
    latest decision). None when no marketing purpose was ever decided."""
    held = [states[p] for p in LEAD_MARKETING_PURPOSES if p in states]
    if not held:
        return None
    given = len(held) == len(LEAD_MARKETING_PURPOSES) and all(s.given for s in held)
    deciding = held if given else [s for s in held if not s.given] or held
    latest = max(deciding, key=lambda s: s.at)
    return MarketingDecision(given, latest.at, latest.record_id)


def may_use(records: Iterable[ConsentRecord], purpose: Purpose) -> bool:
    state = current_states(records).get(purpose)
    return state is not None and state.given


@dataclass(frozen=True)
class ConsentInput:
    purpose: Purpose
    given: bool
    notice_version: str
    method: ConsentMethod
    at: datetime | None = None  # None: now
    note: str | None = None


def new_record(
    data: ConsentInput,
    *,
    subject_kind: SubjectKind,
    subject_id: UUID,
    organization_id: UUID | None,
    recorded_by: UUID | None,
    now: datetime,
) -> ConsentRecord:
    """A validated record. Raises ValidationError naming the field at fault."""
    errors: list[FieldError] = []
    version = data.notice_version.strip()
    if not version:
        errors.append(FieldError("noticeVersion", "must not be empty"))
    elif len(version) > MAX_NOTICE_VERSION_LENGTH:
        errors.append(FieldError("noticeVersion", f"must be at most {MAX_NOTICE_VERSION_LENGTH} characters"))
    at = data.at or now
    if at.tzinfo is None:
        errors.append(FieldError("at", "must carry a timezone"))
    elif at > now + CLOCK_SKEW:
        errors.append(FieldError("at", "must not be in the future"))
    note = (data.note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE_LENGTH:
        errors.append(FieldError("note", f"must be at most {MAX_NOTE_LENGTH} characters"))
    if data.method is ConsentMethod.VERBAL and recorded_by is None:
        errors.append(FieldError("method", "a verbal consent needs the user who recorded it"))
    if errors:
        raise ValidationError("Invalid consent record.", errors=errors)
    return ConsentRecord(
        subject_kind=subject_kind,
        subject_id=subject_id,
        organization_id=organization_id,
        purpose=data.purpose,
        given=data.given,
        notice_version=version,
        method=data.method,
        at=at,
        recorded_at=now,
        recorded_by=recorded_by,
        note=note,
    )
