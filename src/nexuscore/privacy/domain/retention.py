"""Retention schedules (PDPA: keep personal data no longer than its purpose needs) and the
arithmetic of the daily purge.

A schedule says how many months a category of data is kept after its reference time (a lost
lead: its last change; an archived lead: its archiving; an activity: when it happened). The
purge runs once a day at 03:00 Singapore time and removes what fell out of its schedule
before the start of that Singapore day, so a preview made for the next run's day and the run
itself draw the same line, at whatever minute either happens.
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final
from uuid import UUID

from nexuscore.kernel.errors import FieldError, ValidationError
from nexuscore.privacy.domain.breaches import SINGAPORE
from nexuscore.privacy.domain.records_events import BreachRecorded, BreachUpdated

MIN_MONTHS: Final = 1
MAX_MONTHS: Final = 120
PURGE_HOUR_SGT: Final = 3  # the daily run, at 03:00 Asia/Singapore (19:00 UTC)


class RetentionCategory(enum.StrEnum):
    """What a tenant keeps about leads (its own schedule) and what the platform keeps about its
    users (platform defaults, the same for everyone)."""

    LOST_LEADS = "lost_leads"
    ARCHIVED_LEADS = "archived_leads"
    ACTIVITIES = "activities"
    USER_SESSIONS = "user_sessions"
    AUDIT_LOGS = "audit_logs"

    @property
    def tenant_scheduled(self) -> bool:
        return self in TENANT_CATEGORIES


TENANT_CATEGORIES: Final = (
    RetentionCategory.LOST_LEADS,
    RetentionCategory.ARCHIVED_LEADS,
    RetentionCategory.ACTIVITIES,
)
DEFAULT_MONTHS: Final[Mapping[RetentionCategory, int]] = {
    RetentionCategory.LOST_LEADS: 24,
    RetentionCategory.ARCHIVED_LEADS: 12,
    RetentionCategory.ACTIVITIES: 36,
    # Platform defaults: sessions a year after they end; the audit trail the 12 months an
    # access request's use-and-disclosure log covers, plus a year.
    RetentionCategory.USER_SESSIONS: 12,
    RetentionCategory.AUDIT_LOGS: 24,
}

# The audit-log default does not reach a breach's incident timeline: it is the register's
# evidence of what was known and done when (PDPC may ask for it), kept as long as the register.
KEPT_EVENT_TYPES: Final = (BreachRecorded.name, BreachUpdated.name)


@dataclass(frozen=True)
class RetentionRule:
    category: RetentionCategory
    months: int
    is_default: bool  # no tenant schedule: the platform default applies
    updated_at: datetime | None = None
    updated_by: UUID | None = None


def effective_rules(organization_overrides: Iterable[RetentionRule]) -> list[RetentionRule]:
    """Every tenant category with the tenant's months, or the default where it set none."""
    overrides = {rule.category: rule for rule in organization_overrides}
    return [
        overrides.get(category) or RetentionRule(category, DEFAULT_MONTHS[category], is_default=True)
        for category in TENANT_CATEGORIES
    ]


def platform_rules() -> list[RetentionRule]:
    return [
        RetentionRule(category, months, is_default=True)
        for category, months in DEFAULT_MONTHS.items()
        if not category.tenant_scheduled
    ]


def validate_months(category: RetentionCategory, months: int) -> None:
    if not category.tenant_scheduled:
        raise ValidationError(
            "Invalid retention schedule.",
            errors=[
                FieldError(
                    "category",
                    "is a platform default; organisations schedule lost_leads, archived_leads and activities",
                )
            ],
        )
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        raise ValidationError(
            "Invalid retention schedule.",
            errors=[FieldError("months", f"must be between {MIN_MONTHS} and {MAX_MONTHS}")],
        )


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def cutoff(run_day: date, months: int) -> datetime:
    """Data whose reference time is before this instant is removed by the run of `run_day`."""
    return datetime.combine(months_before(run_day, months), time(0), SINGAPORE)


def run_day_of(moment: datetime) -> date:
    """The Singapore day a run happening at `moment` belongs to."""
    return moment.astimezone(SINGAPORE).date()


def next_run_at(now: datetime) -> datetime:
    """The next daily run: today's 03:00 SGT if it is still ahead, else tomorrow's."""
    local = now.astimezone(SINGAPORE)
    today_run = datetime.combine(local.date(), time(PURGE_HOUR_SGT), SINGAPORE)
    run = today_run if local < today_run else today_run + timedelta(days=1)
    return run.astimezone(now.tzinfo)


@dataclass(frozen=True)
class PurgeCutoffs:
    """The instants before which each tenant category goes on one run."""

    run_day: date
    lost_leads: datetime
    archived_leads: datetime
    activities: datetime

    @classmethod
    def of(cls, run_day: date, rules: Iterable[RetentionRule]) -> PurgeCutoffs:
        months = {rule.category: rule.months for rule in rules}
        return cls(
            run_day=run_day,
            lost_leads=cutoff(run_day, months[RetentionCategory.LOST_LEADS]),
            archived_leads=cutoff(run_day, months[RetentionCategory.ARCHIVED_LEADS]),
            activities=cutoff(run_day, months[RetentionCategory.ACTIVITIES]),
        )


@dataclass(frozen=True)
class PurgeCounts:
    """What one run removes (or would remove) for one organisation: counts only."""

    lost_leads: int = 0
    archived_leads: int = 0
    activities: int = 0

    @property
    def total(self) -> int:
        return self.lost_leads + self.archived_leads + self.activities


@dataclass(frozen=True)
class PlatformPurgeCutoffs:
    """The instants before which the platform categories go on one run: sessions that ended
    before `user_sessions`, audit-trail events that happened before `audit_logs`."""

    run_day: date
    user_sessions: datetime
    audit_logs: datetime

    @classmethod
    def of(cls, run_day: date) -> PlatformPurgeCutoffs:
        return cls(
            run_day=run_day,
            user_sessions=cutoff(run_day, DEFAULT_MONTHS[RetentionCategory.USER_SESSIONS]),
            audit_logs=cutoff(run_day, DEFAULT_MONTHS[RetentionCategory.AUDIT_LOGS]),
        )


@dataclass(frozen=True)
class PlatformPurgeCounts:
    """What one run removes (or would remove) of the platform categories: counts only."""

    user_sessions: int = 0
    audit_logs: int = 0

    @property
    def total(self) -> int:
        return self.user_sessions + self.audit_logs
