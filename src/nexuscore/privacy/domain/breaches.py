"""The data breach register (PDPA Part 6A): what happened, when it was found and assessed, how
many people and which kinds of data it touched, and whether and when the PDPC and the people
affected were told.

A breach is notifiable when it affects 500 people or more, or is likely to cause significant
harm; the PDPC must then hear of it within 3 calendar days of the assessment, counted on the
Singapore calendar: assessed on Monday (any hour), due by the end of Thursday, 23:59:59 SGT.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Final
from uuid import UUID
from zoneinfo import ZoneInfo

from nexuscore.kernel.errors import FieldError, ValidationError
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.unset import UNSET, Unset

SINGAPORE: Final = ZoneInfo("Asia/Singapore")
NOTIFIABLE_AFFECTED_COUNT: Final = 500
PDPC_NOTICE_DAYS: Final = 3
MAX_DESCRIPTION_LENGTH: Final = 4000
MAX_CATEGORIES: Final = 20


class DataCategory(enum.StrEnum):
    """Kinds of personal data a breach may touch (whitelisted, so the register can be counted)."""

    IDENTIFIERS = "identifiers"  # names, NRIC/FIN numbers
    CONTACT = "contact"  # emails, phones, addresses
    FINANCIAL = "financial"  # card or bank details, invoices
    CREDENTIALS = "credentials"  # passwords, tokens
    HEALTH = "health"
    CHILDREN = "children"
    COMMUNICATIONS = "communications"  # mail contents, notes
    OTHER = "other"


def is_notifiable(affected_count: int, significant_harm: bool) -> bool:
    return significant_harm or affected_count >= NOTIFIABLE_AFFECTED_COUNT


def pdpc_deadline_date(assessed_at: datetime) -> date:
    """The last Singapore calendar day on which the PDPC may be notified."""
    return assessed_at.astimezone(SINGAPORE).date() + timedelta(days=PDPC_NOTICE_DAYS)


def pdpc_due_at(assessed_at: datetime) -> datetime:
    """The instant the notice is late: midnight SGT after the deadline day (as UTC)."""
    next_day = pdpc_deadline_date(assessed_at) + timedelta(days=1)
    return datetime.combine(next_day, time(0), SINGAPORE).astimezone(assessed_at.tzinfo)


@dataclass(frozen=True)
class Breach:
    organization_id: UUID | None  # None: a breach of the platform's own data (staff register)
    description: str
    discovered_at: datetime
    affected_count: int
    categories: tuple[DataCategory, ...]
    significant_harm: bool
    created_by: UUID | None
    created_at: datetime
    updated_at: datetime
    assessed_at: datetime | None = None
    pdpc_notified_at: datetime | None = None
    individuals_notified_at: datetime | None = None
    id: UUID = field(default_factory=new_id)

    @property
    def notifiable(self) -> bool:
        return is_notifiable(self.affected_count, self.significant_harm)

    @property
    def pdpc_deadline(self) -> date | None:
        if self.assessed_at is None or not self.notifiable:
            return None
        return pdpc_deadline_date(self.assessed_at)

    @property
    def pdpc_due_at(self) -> datetime | None:
        if self.assessed_at is None or not self.notifiable:
            return None
        return pdpc_due_at(self.assessed_at)

    def overdue(self, now: datetime) -> bool:
        """Notifiable, assessed, the PDPC not told, and past the deadline."""
        due = self.pdpc_due_at
        return due is not None and self.pdpc_notified_at is None and now >= due


def register_order(breach: Breach, now: datetime) -> tuple[int, datetime, float]:
    """Overdue first (the longest overdue on top), then open deadlines soonest first, then the
    rest newest discovered first."""
    due = breach.pdpc_due_at
    if breach.overdue(now) and due is not None:
        return (0, due, 0.0)
    if due is not None and breach.pdpc_notified_at is None:
        return (1, due, 0.0)
    return (2, datetime.min.replace(tzinfo=now.tzinfo), -breach.discovered_at.timestamp())


@dataclass(frozen=True)
class BreachInput:
    description: str
    discovered_at: datetime
    affected_count: int
    categories: tuple[DataCategory, ...]
    significant_harm: bool = False
    assessed_at: datetime | None = None
    pdpc_notified_at: datetime | None = None
    individuals_notified_at: datetime | None = None


@dataclass(frozen=True)
class BreachChanges:
    """A PATCH: absent fields stay; None clears a time (a mistaken entry)."""

    description: str | Unset = UNSET
    discovered_at: datetime | Unset = UNSET
    affected_count: int | Unset = UNSET
    categories: tuple[DataCategory, ...] | Unset = UNSET
    significant_harm: bool | Unset = UNSET
    assessed_at: datetime | Unset | None = UNSET
    pdpc_notified_at: datetime | Unset | None = UNSET
    individuals_notified_at: datetime | Unset | None = UNSET

    def given(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if not isinstance(v, Unset)}


def _validate(breach: Breach, now: datetime) -> Breach:
    errors: list[FieldError] = []
    description = breach.description.strip()
    if not description:
        errors.append(FieldError("description", "must not be empty"))
    elif len(description) > MAX_DESCRIPTION_LENGTH:
        errors.append(FieldError("description", f"must be at most {MAX_DESCRIPTION_LENGTH} characters"))
    if breach.affected_count < 0:
        errors.append(FieldError("affectedCount", "must be zero or more"))
    if not breach.categories:
        errors.append(FieldError("categories", "must name at least one kind of data"))
    elif len(breach.categories) > MAX_CATEGORIES:
        errors.append(FieldError("categories", f"must have at most {MAX_CATEGORIES} entries"))
    times = {
        "discoveredAt": breach.discovered_at,
        "assessedAt": breach.assessed_at,
        "pdpcNotifiedAt": breach.pdpc_notified_at,
        "individualsNotifiedAt": breach.individuals_notified_at,
    }
    for name, value in times.items():
        if value is not None and value > now:
            errors.append(FieldError(name, "must not be in the future"))
    if breach.assessed_at is not None and breach.assessed_at < breach.discovered_at:
        errors.append(FieldError("assessedAt", "must not be before discoveredAt"))
    if breach.pdpc_notified_at is not None and breach.assessed_at is None:
        errors.append(FieldError("pdpcNotifiedAt", "needs assessedAt: the PDPC is told after the assessment"))
    if breach.pdpc_notified_at is not None and breach.pdpc_notified_at < breach.discovered_at:
        errors.append(FieldError("pdpcNotifiedAt", "must not be before discoveredAt"))
    if breach.individuals_notified_at is not None and breach.individuals_notified_at < breach.discovered_at:
        errors.append(FieldError("individualsNotifiedAt", "must not be before discoveredAt"))
    if errors:
        raise ValidationError("Invalid breach record.", errors=errors)
    # Order kept as given, duplicates dropped.
    return replace(breach, description=description, categories=tuple(dict.fromkeys(breach.categories)))


def new_breach(data: BreachInput, *, organization_id: UUID | None, actor_id: UUID | None, now: datetime) -> Breach:
    return _validate(
        Breach(
            organization_id=organization_id,
            description=data.description,
            discovered_at=data.discovered_at,
            affected_count=data.affected_count,
            categories=data.categories,
            significant_harm=data.significant_harm,
            assessed_at=data.assessed_at,
            pdpc_notified_at=data.pdpc_notified_at,
            individuals_notified_at=data.individuals_notified_at,
            created_by=actor_id,
            created_at=now,
            updated_at=now,
        ),
        now,
    )


def changed_breach(breach: Breach, changes: BreachChanges, *, now: datetime) -> tuple[Breach, list[str]]:
    """The breach after a PATCH and the camelCase names of the fields that really changed."""
    given = changes.given()
    updated = _validate(replace(breach, **given, updated_at=now), now)  # type: ignore[arg-type]
    changed = [_CAMEL[name] for name in given if getattr(updated, name) != getattr(breach, name)]
    return (updated if changed else breach), changed


_CAMEL = {
    "description": "description",
    "discovered_at": "discoveredAt",
    "affected_count": "affectedCount",
    "categories": "categories",
    "significant_harm": "significantHarm",
    "assessed_at": "assessedAt",
    "pdpc_notified_at": "pdpcNotifiedAt",
    "individuals_notified_at": "individualsNotifiedAt",
}
