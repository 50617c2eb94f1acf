"""Clock port: the core asks a Clock for the time so tests can control it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

SINGAPORE = ZoneInfo("Asia/Singapore")


class Clock(Protocol):
    def now(self) -> datetime:
        """Timezone-aware current time in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def advance(self, delta: timedelta) -> None:
        self._at += delta

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at.astimezone(UTC)


def business_date(moment: datetime, tz: ZoneInfo = SINGAPORE) -> date:
    """The calendar date of a moment in the business timezone (Asia/Singapore by default)."""
    if moment.tzinfo is None:
        raise ValueError("business_date needs a timezone-aware datetime")
    return moment.astimezone(tz).date()
