"""The platform categories' retention on SQLite and PostgreSQL (the application's role, row-level
security on): sessions that ended a year before the run's cutoff and dispatched events older
than two years go; undispatched outbox rows stay however old; the staff preview counts what
the run then removes, on a controlled clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from alembic import command
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.events.adapters.sql.tables import DomainEventRow, ProcessedEventRow
from nexuscore.identity.adapters.sql.tables import RefreshTokenRow, SessionRow, UserRow
from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.ids import new_id
from nexuscore.platform.database import bind_rls_scope, create_engine, session_maker
from nexuscore.platform.migrations import alembic_config
from nexuscore.privacy.adapters.platform_data import PlatformRetentionData
from nexuscore.privacy.adapters.tasks.retention import run_purge
from nexuscore.privacy.application.retention import preview_platform

pytestmark = pytest.mark.integration
NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
RUN_AT = datetime(2026, 12, 2, 19, 0, tzinfo=UTC)  # 03:00 of 3 December in Singapore
SESSIONS_CUTOFF = datetime(2025, 12, 2, 16, 0, tzinfo=UTC)  # 3 December 2025, 00:00 Singapore
EVENTS_CUTOFF = datetime(2024, 12, 2, 16, 0, tzinfo=UTC)  # 3 December 2024, 00:00 Singapore
ORG = UUID("01900000-0000-7000-8000-0000000000aa")


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated database: a new SQLite file, or the test PostgreSQL as the application's role."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("app_postgres_url")
        return url
    url = f"sqlite+aiosqlite:///{tmp_path / 'retention.db'}"
    command.upgrade(alembic_config(url), "head")
    return url


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    try:
        yield session_maker(engine)
    finally:
        await engine.dispose()


def _session(user_id: UUID, *, expires_at: datetime, revoked_at: datetime | None = None) -> dict[str, Any]:
    return {
        "id": new_id(),
        "user_id": user_id,
        "created_at": expires_at - timedelta(days=30),
        "last_used_at": expires_at - timedelta(days=1),
        "expires_at": expires_at,
        "ip": None,
        "user_agent": None,
        "revoked_at": revoked_at,
        "revoke_reason": "logout" if revoked_at else None,
    }


def _event(
    occurred_at: datetime,
    *,
    dispatched: bool,
    published: bool = True,
    org: UUID | None = ORG,
    event_type: str = "lead.viewed",
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "type": event_type,
        "organization_id": org,
        "actor_id": None,
        "subject": "lead:x",
        "payload": {},
        "occurred_at": occurred_at,
        "recorded_at": occurred_at,
        "published_at": occurred_at if published else None,
        "dispatched_at": occurred_at if dispatched else None,
        "redeliveries": 0,
    }


async def _seed(sessions: async_sessionmaker[AsyncSession]) -> dict[str, Any]:
    user = new_id()
    before, after = timedelta(minutes=-1), timedelta(minutes=1)
    s = {
        "expired": _session(user, expires_at=SESSIONS_CUTOFF + before),
        "revoked": _session(user, expires_at=SESSIONS_CUTOFF + timedelta(days=20), revoked_at=SESSIONS_CUTOFF + before),
        "ended_after": _session(user, expires_at=SESSIONS_CUTOFF + after),
        "revoked_after": _session(user, expires_at=NOW, revoked_at=SESSIONS_CUTOFF + after),
        "active": _session(user, expires_at=NOW + timedelta(days=30)),
    }
    e = {
        "old": _event(EVENTS_CUTOFF + before, dispatched=True),
        "old_platform": _event(EVENTS_CUTOFF + before, dispatched=True, org=None),
        "undispatched": _event(EVENTS_CUTOFF - timedelta(days=400), dispatched=False),
        "unpublished": _event(EVENTS_CUTOFF - timedelta(days=400), dispatched=False, published=False),
        "recent": _event(EVENTS_CUTOFF + after, dispatched=True),
        # A breach's incident timeline stays as long as the register does.
        "breach": _event(EVENTS_CUTOFF - timedelta(days=400), dispatched=True, event_type="privacy.breach_updated"),
    }
    async with sessions() as session, session.begin():
        await bind_rls_scope(session, system=True)
        await session.execute(
            insert(UserRow).values(
                id=user,
                email="ann@mail.sg",
                full_name="Ann Tan",
                password_hash="x",
                locale="en-SG",
                is_staff=False,
                is_active=True,
                created_at=NOW - timedelta(days=900),
                updated_at=NOW - timedelta(days=900),
            )
        )
        await session.execute(insert(SessionRow), list(s.values()))
        await session.execute(
            insert(RefreshTokenRow).values(
                id=new_id(),
                session_id=s["expired"]["id"],
                digest="d" * 64,
                issued_at=SESSIONS_CUTOFF - timedelta(days=2),
                expires_at=SESSIONS_CUTOFF + before,
                spent_at=None,
            )
        )
        await session.execute(insert(DomainEventRow), list(e.values()))
        await session.execute(
            insert(ProcessedEventRow).values(subscriber="audit", event_id=e["old"]["id"], processed_at=NOW)
        )
    return {"sessions": s, "events": e}


async def _left(sessions: async_sessionmaker[AsyncSession]) -> dict[str, Any]:
    async with sessions() as session, session.begin():
        await bind_rls_scope(session, system=True)
        return {
            "sessions": set((await session.scalars(select(SessionRow.id))).all()),
            "events": set((await session.scalars(select(DomainEventRow.id))).all()),
            "tokens": await session.scalar(select(func.count()).select_from(RefreshTokenRow)),
            "processed": await session.scalar(select(func.count()).select_from(ProcessedEventRow)),
            "purged": (
                await session.execute(
                    select(DomainEventRow.organization_id, DomainEventRow.payload).where(
                        DomainEventRow.type == "privacy.retention_purged"
                    )
                )
            ).all(),
        }


async def _preview(sessions: async_sessionmaker[AsyncSession], clock: FixedClock) -> Any:
    async with sessions() as session, session.begin():
        await bind_rls_scope(session, system=True)
        return await preview_platform(PlatformRetentionData(session), clock)


async def test_preview_and_purge_agree_on_sessions_and_events(sessions: async_sessionmaker[AsyncSession]) -> None:
    seeded = await _seed(sessions)
    clock = FixedClock(NOW)
    preview = await _preview(sessions, clock)
    assert preview.run_at == RUN_AT
    assert (preview.cutoffs.user_sessions, preview.cutoffs.audit_logs) == (SESSIONS_CUTOFF, EVENTS_CUTOFF)
    assert (preview.counts.user_sessions, preview.counts.audit_logs) == (2, 2)

    clock.set(RUN_AT)
    assert await run_purge(sessions, clock) == preview.counts.total == 4

    left = await _left(sessions)
    s, e = seeded["sessions"], seeded["events"]
    assert left["sessions"] == {s[k]["id"] for k in ("ended_after", "revoked_after", "active")}
    assert left["tokens"] == 0 and left["processed"] == 0  # they went with their session, their event
    kept = {e[k]["id"] for k in ("undispatched", "unpublished", "recent", "breach")}
    assert kept <= left["events"] and not {e["old"]["id"], e["old_platform"]["id"]} & left["events"]
    [(org, payload)] = left["purged"]
    assert org is None
    assert payload == {
        "runDay": "2026-12-03",
        "counts": {"user_sessions": 2, "audit_logs": 2},
        "cutoffs": {"user_sessions": "2025-12-03T00:00:00+08:00", "audit_logs": "2024-12-03T00:00:00+08:00"},
    }
    # The same day's run again removes nothing and records nothing.
    assert await run_purge(sessions, clock) == 0
    assert len((await _left(sessions))["purged"]) == 1
    # The next run's line is a day later: what ended a minute after this one's goes then.
    following = await _preview(sessions, clock)
    assert following.run_at == RUN_AT + timedelta(days=1)
    assert (following.counts.user_sessions, following.counts.audit_logs) == (2, 1)
