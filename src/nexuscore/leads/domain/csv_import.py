"""CSV lead imports, the pure part: row cleaning, in-file dedupe and the row report
(csv_reading.py decodes the upload and maps its header).

Every cell goes through the same cleaners as the API (domain/fields.py), so a value is accepted
or refused the same way whichever door it comes through. Nothing here touches storage: the
application layer checks the planned rows against existing leads and the plan's lead limit.

Row numbers are 1-based data records (the header is row 0), blank records included, so row n is
line n + 1 of a spreadsheet without multi-line cells.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final, TypeVar
from uuid import UUID

from nexuscore.kernel.errors import FieldError, ValidationError
from nexuscore.kernel.money import Money
from nexuscore.kernel.unset import UNSET
from nexuscore.leads.domain import fields
from nexuscore.leads.domain.csv_reading import CsvRecord, HeaderMap, ParsedCsv
from nexuscore.leads.domain.dnc import imported_dnc_problem
from nexuscore.leads.domain.editing import LeadChanges, new_lead
from nexuscore.leads.domain.model import (
    DncStatus,
    DuplicateRow,
    Lead,
    LeadSource,
    MarketingConsent,
    ReportEntry,
    RowError,
)

REPORT_LIMIT: Final = 1000  # listed entries per kind (errors, duplicates); the counts stay exact
CONSENT_SOURCE: Final = "import"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})
_CURRENCY_PREFIXES = ("sgd", "s$", "$")
_TAG_SEPARATOR = ";"
_T = TypeVar("_T")
_CHOICE_NOISE = re.compile(r"[\s_\-.]+")


# ---- rows -> lead drafts -----------------------------------------------------------------------


@dataclass(frozen=True)
class LeadDraft:
    """A row's cleaned values, ready to become a Lead."""

    first_name: str
    last_name: str = ""
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    company_uen: str | None = None
    job_title: str | None = None
    source: LeadSource = LeadSource.IMPORT
    tags: tuple[str, ...] = ()
    estimated_value: Money | None = None
    next_follow_up: date | None = None
    marketing_consent: bool | None = None  # None: the file says nothing, so no consent record
    dnc_status: DncStatus = DncStatus.UNCHECKED
    dnc_checked_at: date | None = None

    def changes(self, now: datetime) -> LeadChanges:
        """The row's values as changes to a new lead; a consent cell is a statement made now."""
        return LeadChanges(
            first_name=self.first_name,
            last_name=self.last_name,
            email=self.email,
            phone=self.phone,
            company=self.company,
            company_uen=self.company_uen,
            job_title=self.job_title,
            tags=self.tags,
            estimated_value=self.estimated_value,
            source=self.source,
            next_follow_up=self.next_follow_up,
            marketing_consent=UNSET
            if self.marketing_consent is None
            else MarketingConsent(granted=self.marketing_consent, recorded_at=now, source=CONSENT_SOURCE),
            dnc_status=self.dnc_status,
            dnc_checked_at=self.dnc_checked_at,
        )

    def to_lead(self, org_id: UUID, actor_id: UUID, now: datetime, *, today: date | None = None) -> Lead:
        """The lead, made by the factory API creates use too (`today`: the day the row was
        checked against, so a DNC date valid then stays valid)."""
        return new_lead(organization_id=org_id, actor_id=actor_id, now=now, changes=self.changes(now), today=today)


def _choice(raw: str, name: str, allowed: Sequence[str]) -> str:
    value = _CHOICE_NOISE.sub("_", raw.strip().lower())
    if value not in allowed:
        raise ValidationError(f"Invalid {name}.", errors=[FieldError(name, f"must be one of {', '.join(allowed)}")])
    return value


def _date(raw: str, name: str) -> date | None:
    value = raw.strip()
    if not value:
        return None
    try:
        if not _ISO_DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"Invalid {name}.", errors=[FieldError(name, "must be a date like 2026-12-31")]) from None


def _consent(raw: str) -> bool | None:
    value = raw.strip().lower()
    if not value:
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValidationError(
        "Invalid marketingConsent.", errors=[FieldError("marketingConsent", "must be yes, no, true or false")]
    )


def _money(raw: str) -> Money | None:
    value = raw.strip()
    for prefix in _CURRENCY_PREFIXES:  # "S$12,500" is how people type it in Singapore
        if value.lower().startswith(prefix):
            value = value[len(prefix) :].strip()
            break
    return fields.clean_money(value, field="estimatedValue")


def clean_row(header: HeaderMap, record: CsvRecord, today: date) -> LeadDraft | list[RowError]:
    """A record -> a draft, or every problem it has (a row is imported whole or not at all)."""
    row = record.row
    if record.problem is not None:
        return [RowError(row, None, f"The row is not valid CSV: {record.problem}.")]
    if len(record.cells) != len(header.columns):
        return [RowError(row, None, f"The row has {len(record.cells)} cells; the header has {len(header.columns)}.")]
    raw = {name: cell for name, cell in zip(header.columns, record.cells, strict=True) if name is not None}
    errors: list[RowError] = []
    values: dict[str, object] = {}

    def take(name: str, clean: Callable[[str], object]) -> None:
        if name not in raw:
            return
        try:
            values[name] = clean(raw[name])
        except ValidationError as exc:
            errors.extend(RowError(row, e.field, e.message) for e in exc.errors)

    take("firstName", lambda v: fields.clean_name(v, field="firstName"))
    take("lastName", lambda v: fields.clean_name(v, field="lastName", required=False))
    take("email", lambda v: fields.clean_email(v, field="email"))
    take("phone", lambda v: fields.clean_phone(v, field="phone"))
    take("company", lambda v: fields.clean_text(v, field="company"))
    take("companyUen", lambda v: fields.clean_uen(v, field="companyUen"))
    take("jobTitle", lambda v: fields.clean_text(v, field="jobTitle"))
    take("source", lambda v: LeadSource(_choice(v, "source", [s.value for s in LeadSource])) if v.strip() else None)
    take("tags", lambda v: tuple(fields.clean_tags(v.split(_TAG_SEPARATOR), field="tags")))
    take("estimatedValue", _money)
    take("nextFollowUp", lambda v: _date(v, "nextFollowUp"))
    take("marketingConsent", _consent)
    take("dncStatus", lambda v: DncStatus(_choice(v, "dncStatus", [s.value for s in DncStatus])) if v.strip() else None)
    take("dncCheckedAt", lambda v: _date(v, "dncCheckedAt"))
    _check_dnc(values, row, today, errors)
    if errors:
        return errors
    return LeadDraft(
        first_name=str(values["firstName"]),
        last_name=str(values.get("lastName") or ""),
        email=_opt_str(values.get("email")),
        phone=_opt_str(values.get("phone")),
        company=_opt_str(values.get("company")),
        company_uen=_opt_str(values.get("companyUen")),
        job_title=_opt_str(values.get("jobTitle")),
        source=_typed(values.get("source"), LeadSource) or LeadSource.IMPORT,
        tags=_typed(values.get("tags"), tuple) or (),
        estimated_value=_typed(values.get("estimatedValue"), Money),
        next_follow_up=_typed(values.get("nextFollowUp"), date),
        marketing_consent=_typed(values.get("marketingConsent"), bool),
        dnc_status=_typed(values.get("dncStatus"), DncStatus) or DncStatus.UNCHECKED,
        dnc_checked_at=_typed(values.get("dncCheckedAt"), date),
    )


def _check_dnc(values: dict[str, object], row: int, today: date, errors: list[RowError]) -> None:
    problem = imported_dnc_problem(
        _typed(values.get("dncStatus"), DncStatus) or DncStatus.UNCHECKED,
        _typed(values.get("dncCheckedAt"), date),
        today=today,
        date_unreadable=any(e.field == "dncCheckedAt" for e in errors),
    )
    if problem is not None:
        errors.append(RowError(row, "dncCheckedAt", problem))


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _typed(value: object, kind: type[_T]) -> _T | None:
    return value if isinstance(value, kind) else None


# ---- the plan: validation + duplicates within the file ------------------------------------------


@dataclass(frozen=True)
class PlannedRow:
    """What the file alone says about one row: its draft or errors, and whether an earlier valid
    row of the same file already has its email or phone."""

    row: int
    draft: LeadDraft | None = None
    errors: tuple[RowError, ...] = ()
    duplicate_of_row: int | None = None
    matched_on: str | None = None

    @property
    def is_candidate(self) -> bool:
        """Valid and first in the file with its contacts: to be checked against existing leads."""
        return self.draft is not None and self.duplicate_of_row is None


@dataclass(frozen=True)
class ImportPlan:
    header: HeaderMap
    rows: tuple[PlannedRow, ...]

    @property
    def total_rows(self) -> int:
        return len(self.rows)

    @property
    def valid_rows(self) -> int:
        return sum(1 for r in self.rows if r.draft is not None)


def plan_import(parsed: ParsedCsv, today: date) -> ImportPlan:
    """Deterministic for a given file and day, so a resumed import sees the rows exactly as the
    first run did (in-file duplicates point at the first valid row with that email or phone)."""
    seen: dict[str, int] = {}  # "email:<x>" / "phone:<y>" -> first row
    rows: list[PlannedRow] = []
    for record in parsed.records:
        cleaned = clean_row(parsed.header, record, today)
        if isinstance(cleaned, list):
            rows.append(PlannedRow(record.row, errors=tuple(cleaned)))
            continue
        keys = [(k, f"{k}:{v}") for k, v in (("email", cleaned.email), ("phone", cleaned.phone)) if v]
        first = next(((kind, seen[key]) for kind, key in keys if key in seen), None)
        if first is not None:
            rows.append(PlannedRow(record.row, cleaned, duplicate_of_row=first[1], matched_on=first[0]))
            continue
        for _kind, key in keys:
            seen[key] = record.row
        rows.append(PlannedRow(record.row, cleaned))
    return ImportPlan(parsed.header, tuple(rows))


def contact_keys(draft: LeadDraft) -> list[tuple[str, str]]:
    """(matchedOn, value) pairs to look up among existing leads, email first."""
    return [(k, v) for k, v in (("email", draft.email), ("phone", draft.phone)) if v]


# ---- the row report ---------------------------------------------------------------------------


@dataclass
class ImportReport:
    """Errors and duplicates listed up to REPORT_LIMIT each; the counts are always exact."""

    errors: list[RowError] = field(default_factory=list)
    duplicates: list[DuplicateRow] = field(default_factory=list)

    @classmethod
    def of(cls, entries: Sequence[ReportEntry]) -> ImportReport:
        report = cls()
        for entry in entries:
            if isinstance(entry, DuplicateRow):
                report.duplicates.append(entry)
            else:
                report.errors.append(entry)
        return report

    def add_errors(self, errors: Sequence[RowError]) -> None:
        self.errors.extend(errors[: max(0, REPORT_LIMIT - len(self.errors))])

    def add_duplicate(self, duplicate: DuplicateRow) -> None:
        if len(self.duplicates) < REPORT_LIMIT:
            self.duplicates.append(duplicate)

    def entries(self) -> list[ReportEntry]:
        """Both kinds in one list by row (the job's report, as stored and shown)."""
        merged: list[ReportEntry] = [*self.errors, *self.duplicates]
        return sorted(merged, key=lambda e: e.row)
