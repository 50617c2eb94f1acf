"""Coalescing of lead views: at most one lead.viewed per (viewer, lead) per Singapore day.

A day, not an hour: the access bundle shows views by date, so a finer bucket would add rows
(up to 24 a day per viewer and lead) without telling the subject more; the business day is
the Singapore one, like every other date the tenant sees.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from nexuscore.kernel.clock import SINGAPORE, business_date


def view_window_start(now: datetime) -> datetime:
    """The start (UTC) of the coalescing window `now` falls in: Singapore midnight of its day."""
    return datetime.combine(business_date(now), time.min, tzinfo=SINGAPORE).astimezone(UTC)
