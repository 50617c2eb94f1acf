"""PostgreSQL row-level security on tenant tables, as the application's non-owner role."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from nexuscore.kernel.ids import new_id
from nexuscore.kernel.tenancy import Role
from nexuscore.organizations.adapters.sql.tables import InvitationRow, MembershipRow, OrganizationRow
from nexuscore.platform.database import bind_rls_scope, create_engine, session_maker

pytestmark = pytest.mark.integration
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
TABLES = (OrganizationRow, MembershipRow, InvitationRow)


@pytest.fixture
async def app_engine(app_postgres_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(app_postgres_url, pool_size=1)  # one pooled connection, reused
    try:
        yield engine
    finally:
        await engine.dispose()


async def _make_tenant(session: AsyncSession, name: str) -> tuple[object, object]:
    org_id, user_id = new_id(), new_id()
    await bind_rls_scope(session, org_id=org_id)
    session.add(
        OrganizationRow(id=org_id, name=name, country="SG", timezone="Asia/Singapore", created_at=NOW, updated_at=NOW)
    )
    await session.flush()
    session.add(MembershipRow(organization_id=org_id, user_id=user_id, role=Role.OWNER.value, joined_at=NOW))
    session.add(
        InvitationRow(
            id=new_id(),
            organization_id=org_id,
            email=f"guest@{name.lower()}.sg",
            role="member",
            invited_by=user_id,
            created_at=NOW,
            expires_at=NOW + timedelta(days=7),
        )
    )
    await session.commit()
    return org_id, user_id


async def _counts(session: AsyncSession) -> list[int]:
    return [int(await session.scalar(select(func.count()).select_from(t)) or 0) for t in TABLES]


async def test_the_app_role_is_bound_by_rls(app_engine: AsyncEngine) -> None:
    async with app_engine.connect() as conn:
        row = (
            await conn.execute(text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"))
        ).one()
        owners = await conn.scalar(
            text("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'organizations_%' AND tableowner = current_user")
        )
        forced = await conn.scalar(
            text("SELECT bool_and(relrowsecurity) FROM pg_class WHERE relname LIKE 'organizations_%' AND relkind = 'r'")
        )
    assert row == (False, False) and owners == 0 and forced is True


async def test_without_a_tenant_queries_return_no_rows(app_engine: AsyncEngine) -> None:
    sessions = session_maker(app_engine)
    async with sessions() as session:
        await _make_tenant(session, "Alpha")
    async with sessions() as session:
        assert await _counts(session) == [0, 0, 0]


async def test_a_tenant_sees_only_its_own_rows(app_engine: AsyncEngine) -> None:
    sessions = session_maker(app_engine)
    async with sessions() as session:
        a, _ = await _make_tenant(session, "Alpha")
    async with sessions() as session:
        b, _ = await _make_tenant(session, "Beta")
    async with sessions() as session:
        await bind_rls_scope(session, org_id=b)  # type: ignore[arg-type]
        assert await _counts(session) == [1, 1, 1]
        names = (await session.scalars(select(OrganizationRow.name))).all()
        assert names == ["Beta"]
        assert await session.get(OrganizationRow, a) is None


async def test_a_reused_pooled_connection_shows_nothing_of_the_previous_tenant(app_engine: AsyncEngine) -> None:
    sessions = session_maker(app_engine)
    async with sessions() as session:
        a, _ = await _make_tenant(session, "Alpha")
    async with sessions() as session:
        await bind_rls_scope(session, org_id=a)  # type: ignore[arg-type]
        first_pid = await session.scalar(text("SELECT pg_backend_pid()"))
        assert await _counts(session) == [1, 1, 1]
        await session.commit()
    async with sessions() as session:  # the same pooled connection, no tenant bound
        assert await session.scalar(text("SELECT pg_backend_pid()")) == first_pid
        assert await session.scalar(text("SELECT current_setting('app.current_org', true)")) in (None, "")
        assert await _counts(session) == [0, 0, 0]


async def test_a_write_carrying_another_tenants_id_is_refused(app_engine: AsyncEngine) -> None:
    sessions = session_maker(app_engine)
    async with sessions() as session:
        a, _ = await _make_tenant(session, "Alpha")
    async with sessions() as session:
        b, _ = await _make_tenant(session, "Beta")
    async with sessions() as session:
        await bind_rls_scope(session, org_id=b)  # type: ignore[arg-type]
        session.add(MembershipRow(organization_id=a, user_id=new_id(), role="owner", joined_at=NOW))
        with pytest.raises(DBAPIError, match="row-level security"):
            await session.flush()
    async with sessions() as session:
        await bind_rls_scope(session, org_id=b)  # type: ignore[arg-type]
        # An update aimed at A's rows from B's scope touches nothing.
        result = await session.execute(
            MembershipRow.__table__.update().where(MembershipRow.organization_id == a).values(role="viewer")
        )
        assert result.rowcount == 0  # type: ignore[attr-defined]
        await session.commit()
    async with sessions() as session:
        await bind_rls_scope(session, org_id=a)  # type: ignore[arg-type]
        assert (await session.scalars(select(MembershipRow.role))).all() == ["owner"]


async def test_a_user_sees_their_own_memberships_across_tenants_only(app_engine: AsyncEngine) -> None:
    sessions = session_maker(app_engine)
    async with sessions() as session:
        a, user_a = await _make_tenant(session, "Alpha")
    async with sessions() as session:
        await _make_tenant(session, "Beta")
    async with sessions() as session:
        await bind_rls_scope(session, user_id=user_a)  # type: ignore[arg-type]
        memberships = (await session.scalars(select(MembershipRow.organization_id))).all()
        orgs = (await session.scalars(select(OrganizationRow.id))).all()
        invitations = await session.scalar(select(func.count()).select_from(InvitationRow))
    assert memberships == [a] and orgs == [a] and invitations == 0


async def test_system_scope_sees_every_tenant(app_engine: AsyncEngine) -> None:
    sessions = session_maker(app_engine)
    for name in ("Alpha", "Beta"):
        async with sessions() as session:
            await _make_tenant(session, name)
    async with sessions() as session:
        await bind_rls_scope(session, system=True)
        assert await _counts(session) == [2, 2, 2]


async def test_tenant_events_are_visible_only_in_their_tenant(app_engine: AsyncEngine) -> None:
    from nexuscore.events.adapters.sql.store import SqlEventRecorder
    from nexuscore.events.adapters.sql.tables import DomainEventRow
    from nexuscore.kernel.clock import FixedClock
    from nexuscore.kernel.events import EventRecord

    sessions = session_maker(app_engine)
    a, b = new_id(), new_id()
    for org in (a, b, None):
        async with sessions() as session:
            if org is not None:
                await bind_rls_scope(session, org_id=org)
            await SqlEventRecorder(session, FixedClock(NOW)).append(
                EventRecord(type="org.tested", occurred_at=NOW, organization_id=org)
            )
            await session.commit()
    async with sessions() as session:
        await bind_rls_scope(session, org_id=b)
        session.add(
            DomainEventRow(
                id=new_id(), type="org.forged", organization_id=a, payload={}, occurred_at=NOW, recorded_at=NOW
            )
        )
        with pytest.raises(DBAPIError, match="row-level security"):
            await session.flush()
    async with sessions() as session:
        assert (await session.scalars(select(DomainEventRow.organization_id))).all() == [None]
    async with sessions() as session:
        await bind_rls_scope(session, org_id=a)
        assert sorted(map(str, (await session.scalars(select(DomainEventRow.organization_id))).all())) == sorted(
            [str(a), "None"]
        )
    async with sessions() as session:
        await bind_rls_scope(session, system=True)
        assert await session.scalar(select(func.count()).select_from(DomainEventRow)) == 3


async def test_every_policy_reads_the_settings_once_per_query(app_engine: AsyncEngine) -> None:
    """Migration 0007: each current_setting() sits in a scalar sub-select (an InitPlan, evaluated
    once per statement), never bare in the row filter where it would run once per row."""
    async with app_engine.connect() as conn:
        policies = (await conn.execute(text("SELECT tablename, qual, with_check FROM pg_policies"))).all()
    tables = {row.tablename for row in policies}
    assert {"organizations_organization", "events_domain_event", "leads_lead"} <= tables
    for table, *expressions in policies:
        for expression in filter(None, expressions):
            calls = expression.count("current_setting(")
            wrapped = expression.count("SELECT current_setting(") + expression.count("SELECT (NULLIF(current_setting(")
            assert calls == wrapped > 0, f"{table}: {expression}"


async def test_the_policies_keep_their_logic_under_every_scope(app_engine: AsyncEngine) -> None:
    """The 0004 rules, expression by expression: tenant, user (memberships and their organisations),
    system, and nothing when no scope or a blank one is set."""
    sessions = session_maker(app_engine)
    async with sessions() as session:
        a, user_a = await _make_tenant(session, "Alpha")
    async with sessions() as session:
        b, _ = await _make_tenant(session, "Beta")
    scopes: list[tuple[dict[str, object], list[int]]] = [
        ({}, [0, 0, 0]),
        ({"org_id": a}, [1, 1, 1]),
        ({"user_id": user_a}, [1, 1, 0]),  # their organisation and membership, no invitations
        ({"org_id": b, "user_id": user_a}, [2, 2, 1]),
        ({"system": True}, [2, 2, 2]),
        ({"system": False}, [0, 0, 0]),
    ]
    for scope, expected in scopes:
        async with sessions() as session:
            await bind_rls_scope(session, **scope)  # type: ignore[arg-type]
            assert await _counts(session) == expected, scope
    async with sessions() as session:
        await session.execute(
            text("SELECT set_config('app.current_org', '', true), set_config('app.system', '', true)")
        )
        assert await _counts(session) == [0, 0, 0]


async def test_an_invitation_read_for_update_holds_off_a_second_writer(app_engine: AsyncEngine) -> None:
    """The invitation mail handler and a revoke both read-modify-save the row; each reads it
    locked, so one waits for the other instead of saving over its change (a revoke undone)."""
    from nexuscore.kernel.clock import FixedClock
    from nexuscore.organizations.adapters.sql.repositories import SqlOrganizationsUnitOfWork

    sessions = session_maker(app_engine)
    async with sessions() as setup:
        org_id, _ = await _make_tenant(setup, "Locks")
        await bind_rls_scope(setup, org_id=org_id)
        invitation_id = await setup.scalar(select(InvitationRow.id).where(InvitationRow.organization_id == org_id))
    engine_b = create_engine(str(app_engine.url.render_as_string(hide_password=False)), pool_size=1)
    try:
        async with sessions() as first, session_maker(engine_b)() as second:
            for session in (first, second):
                await bind_rls_scope(session, org_id=org_id)
            holder = SqlOrganizationsUnitOfWork(first, FixedClock(NOW))
            assert await holder.invitations.get(org_id, invitation_id, for_update=True) is not None
            await second.execute(text("SET LOCAL lock_timeout = '200ms'"))
            waiter = SqlOrganizationsUnitOfWork(second, FixedClock(NOW))
            with pytest.raises(DBAPIError, match="lock timeout"):
                await waiter.invitations.get(org_id, invitation_id, for_update=True)
    finally:
        await engine_b.dispose()
