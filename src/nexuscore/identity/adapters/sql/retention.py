"""Retention of sign-in sessions, for the privacy context's daily purge (through identity.api).

A session has ended when it expired or was revoked, whichever came first; the purge removes
those that ended before the cutoff (their refresh tokens go with them through the foreign
key's cascade). Counted and deleted by one rule, so a preview and the purge of a day agree.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.identity.adapters.sql.tables import SessionRow


def _ended_before(cutoff: datetime) -> ColumnElement[bool]:
    return or_(SessionRow.expires_at < cutoff, SessionRow.revoked_at < cutoff)


async def count_ended_sessions(session: AsyncSession, cutoff: datetime) -> int:
    return int(await session.scalar(select(func.count()).select_from(SessionRow).where(_ended_before(cutoff))) or 0)


async def delete_ended_sessions(session: AsyncSession, cutoff: datetime) -> int:
    """Delete in the caller's transaction; returns the sessions removed."""
    result = await session.execute(delete(SessionRow).where(_ended_before(cutoff)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
