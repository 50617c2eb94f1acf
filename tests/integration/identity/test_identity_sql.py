"""The identity SQL repositories and unit of work on real PostgreSQL (and one flow on SQLite)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.bootstrap.runtime import Runtime
from nexuscore.events.adapters.sql.tables import DomainEventRow
from nexuscore.identity.adapters.crypto.argon2_hasher import Argon2PasswordHasher
from nexuscore.identity.adapters.crypto.jwt_tokens import JwtAccessTokens
from nexuscore.identity.adapters.sql.repositories import SqlIdentityUnitOfWork
from nexuscore.identity.adapters.sql.tables import ActionTokenRow
from nexuscore.identity.application import accounts, mails, sessions
from nexuscore.identity.application.services import IdentityConfig, IdentityServices
from nexuscore.identity.domain.errors import InvalidCredentials, InvalidRefreshToken, InvalidToken
from nexuscore.identity.domain.events import (
    UserEmailVerified,
    UserLoggedIn,
    UserLoginFailed,
    UserRefreshTokenReused,
    UserRegistered,
)
from nexuscore.identity.domain.model import ActionPurpose, ActionToken, AuthSession, RefreshToken, User
from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.errors import Conflict
from nexuscore.kernel.paging import PageRequest
from nexuscore.kernel.tokens import digest_token, new_opaque_token
from nexuscore.platform.database import create_engine, session_maker
from nexuscore.platform.mail import RecordingMailer
from nexuscore.platform.migrations import upgrade_head
from nexuscore.platform.throttle import InMemoryThrottle

pytestmark = pytest.mark.integration

# Microseconds on purpose: PostgreSQL keeps them, and the round trip must be exact.
T0 = datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC)
CLOCK = FixedClock(T0)

Sessions = async_sessionmaker[AsyncSession]


@asynccontextmanager
async def open_uow(sessions_: Sessions) -> AsyncIterator[SqlIdentityUnitOfWork]:
    async with sessions_() as session:
        yield SqlIdentityUnitOfWork(session, CLOCK)


def make_user(email: str = "ann@example.sg", **changes: Any) -> User:
    user = User.register(email=email, full_name="Ann Lee", password_hash="$argon2id$fake", now=T0)
    for name, value in changes.items():
        setattr(user, name, value)
    return user


async def add_user(sessions_: Sessions, email: str = "ann@example.sg", **changes: Any) -> User:
    user = make_user(email, **changes)
    async with open_uow(sessions_) as uow:
        await uow.users.add(user)
        await uow.commit()
    return user


def make_session(user: User, *, at: datetime = T0, lifetime: timedelta = timedelta(days=30)) -> AuthSession:
    return AuthSession(user_id=user.id, created_at=at, last_used_at=at, expires_at=at + lifetime, ip="192.0.2.1")


def make_refresh(session: AuthSession) -> tuple[str, RefreshToken]:
    token = new_opaque_token()
    return token.raw, RefreshToken(
        session.id, token.digest, issued_at=session.created_at, expires_at=session.expires_at
    )


async def add_session(
    sessions_: Sessions, user: User, *, at: datetime = T0, lifetime: timedelta = timedelta(days=30)
) -> tuple[AuthSession, RefreshToken]:
    session = make_session(user, at=at, lifetime=lifetime)
    _, refresh = make_refresh(session)
    async with open_uow(sessions_) as uow:
        await uow.sessions.add(session, refresh)
        await uow.commit()
    return session, refresh


async def count(sessions_: Sessions, stmt: Any) -> int:
    async with sessions_() as session:
        return int(await session.scalar(stmt) or 0)


@pytest.fixture
def pg(pg_runtime: Runtime) -> Sessions:
    sessions_: Sessions = pg_runtime.sessions
    return sessions_


# --------------------------------------------------------------------------- users


async def test_user_round_trip(pg: Sessions) -> None:
    user = make_user(
        locale="zh-SG",
        email_verified_at=T0 + timedelta(minutes=1),
        marketing_consent_at=T0,
        tokens_valid_after=T0 + timedelta(seconds=5),
    )
    async with open_uow(pg) as uow:
        await uow.users.add(user)
        await uow.commit()

    async with open_uow(pg) as uow:
        by_id = await uow.users.get(user.id)
        by_email = await uow.users.get_by_email("ann@example.sg")
    assert by_id == user
    assert by_email == user
    assert by_id is not None
    assert by_id.created_at.tzinfo is not None
    assert by_id.tokens_valid_after == T0 + timedelta(seconds=5)


async def test_unknown_users_are_none(pg: Sessions) -> None:
    await add_user(pg)
    async with open_uow(pg) as uow:
        assert await uow.users.get(UUID(int=7)) is None
        assert await uow.users.get_by_email("nobody@example.sg") is None
        assert await uow.users.get_by_email("ANN@example.sg") is None  # callers normalise first


async def test_save_persists_changes(pg: Sessions) -> None:
    user = await add_user(pg)
    later = T0 + timedelta(hours=1)
    async with open_uow(pg) as uow:
        loaded = await uow.users.get(user.id)
        assert loaded is not None
        loaded.full_name = "Ann Tan"
        loaded.email = "ann.tan@example.sg"
        loaded.is_staff = True
        loaded.email_verified_at = later
        loaded.set_password("$argon2id$new", later)
        await uow.users.save(loaded)
        # The unit of work reads its own writes.
        assert (await uow.users.get(user.id)) == loaded
        await uow.commit()

    async with open_uow(pg) as uow:
        reloaded = await uow.users.get(user.id)
        assert await uow.users.get_by_email("ann@example.sg") is None
        assert await uow.users.get_by_email("ann.tan@example.sg") == reloaded
    assert reloaded is not None
    assert reloaded.full_name == "Ann Tan"
    assert reloaded.is_staff
    assert reloaded.password_hash == "$argon2id$new"
    assert reloaded.tokens_valid_after == later
    assert reloaded.updated_at == later


async def test_add_duplicate_email_is_a_conflict_and_the_transaction_survives(pg: Sessions) -> None:
    await add_user(pg)
    other = make_user("bob@example.sg")
    async with open_uow(pg) as uow:
        with pytest.raises(Conflict):
            await uow.users.add(make_user("ann@example.sg"))
        # Only the failed insert was undone (savepoint): the rest of the work still commits.
        await uow.users.add(other)
        await uow.commit()
    async with open_uow(pg) as uow:
        assert await uow.users.get(other.id) == other


async def test_save_with_an_email_taken_by_another_user_is_a_conflict(pg: Sessions) -> None:
    await add_user(pg)
    bob = await add_user(pg, "bob@example.sg")
    async with open_uow(pg) as uow:
        loaded = await uow.users.get(bob.id)
        assert loaded is not None
        loaded.email = "ann@example.sg"
        with pytest.raises(Conflict):
            await uow.users.save(loaded)
        # The transaction is still usable after the refused change, and reads see no trace of it.
        current = await uow.users.get_by_email("bob@example.sg")
        assert current is not None
        assert current.email == "bob@example.sg"
        owner = await uow.users.get_by_email("ann@example.sg")
        assert owner is not None
        assert owner.id != bob.id
        loaded.email = "bob@example.sg"
        loaded.full_name = "Bob Lim"
        await uow.users.save(loaded)
        await uow.commit()
    async with open_uow(pg) as uow:
        reloaded = await uow.users.get(bob.id)
    assert reloaded is not None
    assert (reloaded.email, reloaded.full_name) == ("bob@example.sg", "Bob Lim")


async def test_concurrent_inserts_of_one_email_give_exactly_one_conflict(pg: Sessions) -> None:
    barrier = asyncio.Barrier(2)

    async def register(name: str) -> User:
        user = make_user("race@example.sg", full_name=name)
        async with open_uow(pg) as uow:
            # Both check first and both see the email free, as two register requests would.
            assert await uow.users.get_by_email("race@example.sg") is None
            await barrier.wait()
            await uow.users.add(user)
            await uow.commit()
        return user

    results = await asyncio.wait_for(asyncio.gather(register("A"), register("B"), return_exceptions=True), 30)
    winners = [r for r in results if isinstance(r, User)]
    losers = [r for r in results if isinstance(r, BaseException)]
    assert len(winners) == 1
    assert len(losers) == 1
    assert isinstance(losers[0], Conflict), repr(losers[0])
    async with open_uow(pg) as uow:
        stored = await uow.users.get_by_email("race@example.sg")
    assert stored == winners[0]


async def test_rollback_leaves_nothing(pg: Sessions) -> None:
    user = make_user()
    session = make_session(user)
    _, refresh = make_refresh(session)
    action = ActionToken(
        user_id=user.id,
        purpose=ActionPurpose.VERIFY_EMAIL,
        digest=new_opaque_token().digest,
        created_at=T0,
        expires_at=T0 + ActionPurpose.VERIFY_EMAIL.lifetime,
    )
    async with open_uow(pg) as uow:
        await uow.users.add(user)
        await uow.sessions.add(session, refresh)
        await uow.action_tokens.add(action)
        await uow.events.append(UserRegistered(occurred_at=T0, user_id=user.id, actor_id=user.id))
        await uow.rollback()

    async with open_uow(pg) as uow:
        assert await uow.users.get(user.id) is None
        assert await uow.users.get_by_email(user.email) is None
        assert await uow.sessions.get(session.id) is None
        assert await uow.sessions.find_refresh_token(refresh.digest) is None
        assert await uow.action_tokens.find(action.digest, list(ActionPurpose)) is None
    assert await count(pg, select(func.count()).select_from(DomainEventRow)) == 0


async def test_a_session_closed_without_commit_leaves_nothing(pg: Sessions) -> None:
    user = make_user()
    async with open_uow(pg) as uow:
        await uow.users.add(user)
    async with open_uow(pg) as uow:
        assert await uow.users.get(user.id) is None


async def test_events_commit_with_the_unit_of_work(pg: Sessions) -> None:
    user = make_user()
    async with open_uow(pg) as uow:
        await uow.users.add(user)
        await uow.events.append(
            UserRegistered(occurred_at=T0, user_id=user.id, actor_id=user.id, marketing_consent=False)
        )
        await uow.commit()
    async with pg() as session:
        row = await session.scalar(select(DomainEventRow))
    assert row is not None
    assert (row.type, row.subject, row.actor_id, row.payload) == (
        UserRegistered.name,
        f"user:{user.id}",
        user.id,
        {"marketingConsent": False},
    )


# --------------------------------------------------------------------------- sessions


async def test_session_and_refresh_token_round_trip(pg: Sessions) -> None:
    user = await add_user(pg)
    session = make_session(user)
    session.user_agent = "Mozilla/5.0"
    raw, refresh = make_refresh(session)
    async with open_uow(pg) as uow:
        await uow.sessions.add(session, refresh)
        await uow.commit()
    async with open_uow(pg) as uow:
        assert await uow.sessions.get(session.id) == session
        found = await uow.sessions.find_refresh_token(digest_token(raw))
        assert await uow.sessions.find_refresh_token(digest_token(raw + "x")) is None
        assert await uow.sessions.get(UUID(int=3)) is None
    assert found == refresh

    rotated = RefreshToken(session.id, new_opaque_token().digest, T0 + timedelta(minutes=1), session.expires_at)
    async with open_uow(pg) as uow:
        await uow.sessions.add_refresh_token(rotated)
        loaded = await uow.sessions.get(session.id)
        assert loaded is not None
        loaded.last_used_at = T0 + timedelta(minutes=1)
        await uow.sessions.save(loaded)
        await uow.commit()
    async with open_uow(pg) as uow:
        assert await uow.sessions.find_refresh_token(rotated.digest) == rotated
        reloaded = await uow.sessions.get(session.id)
    assert reloaded is not None
    assert reloaded.last_used_at == T0 + timedelta(minutes=1)


async def test_list_active_skips_revoked_expired_and_other_users(pg: Sessions) -> None:
    ann = await add_user(pg)
    bob = await add_user(pg, "bob@example.sg")
    oldest, _ = await add_session(pg, ann, at=T0)
    newest, _ = await add_session(pg, ann, at=T0 + timedelta(minutes=2))
    middle, _ = await add_session(pg, ann, at=T0 + timedelta(minutes=1))
    revoked, _ = await add_session(pg, ann, at=T0 + timedelta(minutes=3))
    await add_session(pg, ann, at=T0, lifetime=timedelta(hours=1))  # expires before `now` below
    await add_session(pg, bob, at=T0)
    async with open_uow(pg) as uow:
        loaded = await uow.sessions.get(revoked.id)
        assert loaded is not None
        loaded.revoked_at, loaded.revoke_reason = T0 + timedelta(minutes=4), "logout"
        await uow.sessions.save(loaded)
        await uow.commit()

    now = T0 + timedelta(hours=2)
    async with open_uow(pg) as uow:
        active = (await uow.sessions.list_active(ann.id, now, PageRequest())).items
    assert [s.id for s in active] == [newest.id, middle.id, oldest.id]


async def test_revoke_all_keeps_the_named_session(pg: Sessions) -> None:
    ann = await add_user(pg)
    bob = await add_user(pg, "bob@example.sg")
    keep, _ = await add_session(pg, ann)
    a, _ = await add_session(pg, ann)
    b, _ = await add_session(pg, ann)
    bobs, _ = await add_session(pg, bob)
    later = T0 + timedelta(minutes=5)

    async with open_uow(pg) as uow:
        assert await uow.sessions.revoke_all(ann.id, later, "password_changed", keep=keep.id) == 2
        await uow.commit()
    async with open_uow(pg) as uow:
        assert [s.id for s in (await uow.sessions.list_active(ann.id, later, PageRequest())).items] == [keep.id]
        assert [s.id for s in (await uow.sessions.list_active(bob.id, later, PageRequest())).items] == [bobs.id]
        revoked_a = await uow.sessions.get(a.id)
        assert revoked_a is not None
        assert (revoked_a.revoked_at, revoked_a.revoke_reason) == (later, "password_changed")
        # Already revoked sessions are neither counted nor re-stamped.
        assert await uow.sessions.revoke_all(ann.id, later + timedelta(minutes=1), "logout_all") == 1
        await uow.commit()
    async with open_uow(pg) as uow:
        assert list((await uow.sessions.list_active(ann.id, later, PageRequest())).items) == []
        revoked_b = await uow.sessions.get(b.id)
    assert revoked_b is not None
    assert revoked_b.revoke_reason == "password_changed"


async def test_spend_refresh_token_is_single_use(pg: Sessions) -> None:
    user = await add_user(pg)
    _, refresh = await add_session(pg, user)
    async with open_uow(pg) as uow:
        assert await uow.sessions.spend_refresh_token(refresh.id, T0) is True
        assert await uow.sessions.spend_refresh_token(refresh.id, T0) is False
        await uow.commit()
    async with open_uow(pg) as uow:
        spent = await uow.sessions.find_refresh_token(refresh.digest)
        assert spent is not None
        assert spent.spent_at == T0
        assert await uow.sessions.spend_refresh_token(refresh.id, T0) is False


async def test_spend_refresh_token_has_a_single_winner_under_concurrency(pg: Sessions) -> None:
    user = await add_user(pg)
    _, refresh = await add_session(pg, user)
    barrier = asyncio.Barrier(2)

    async def racer() -> bool:
        async with open_uow(pg) as uow:
            token = await uow.sessions.find_refresh_token(refresh.digest)
            assert token is not None
            assert token.spent_at is None  # both read it unspent
            await barrier.wait()
            won = await uow.sessions.spend_refresh_token(token.id, T0)
            await uow.commit()
            return bool(won)

    results = await asyncio.wait_for(asyncio.gather(racer(), racer()), 30)
    assert sorted(results) == [False, True]


# --------------------------------------------------------------------------- action tokens


def make_action(user: User, purpose: ActionPurpose, **changes: Any) -> tuple[str, ActionToken]:
    token = new_opaque_token()
    action = ActionToken(
        user_id=user.id,
        purpose=purpose,
        digest=token.digest,
        created_at=T0,
        expires_at=T0 + purpose.lifetime,
        **changes,
    )
    return token.raw, action


async def test_action_token_find_by_digest_and_purpose(pg: Sessions) -> None:
    user = await add_user(pg)
    raw, change = make_action(user, ActionPurpose.CHANGE_EMAIL, new_email="ann@newmail.sg")
    async with open_uow(pg) as uow:
        await uow.action_tokens.add(change)
        await uow.commit()
    async with open_uow(pg) as uow:
        found = await uow.action_tokens.find(
            digest_token(raw), [ActionPurpose.VERIFY_EMAIL, ActionPurpose.CHANGE_EMAIL]
        )
        assert await uow.action_tokens.find(digest_token(raw), [ActionPurpose.RESET_PASSWORD]) is None
        assert await uow.action_tokens.find(digest_token("other"), list(ActionPurpose)) is None
    assert found == change
    assert found is not None
    assert found.purpose is ActionPurpose.CHANGE_EMAIL
    # Storage holds the digest, never the raw token.
    async with pg() as session:
        digests = list(await session.scalars(select(ActionTokenRow.digest)))
    assert digests == [digest_token(raw)]
    assert raw not in digests


async def test_action_token_use_is_single_use(pg: Sessions) -> None:
    user = await add_user(pg)
    _, token = make_action(user, ActionPurpose.RESET_PASSWORD)
    async with open_uow(pg) as uow:
        await uow.action_tokens.add(token)
        await uow.commit()
    async with open_uow(pg) as uow:
        assert await uow.action_tokens.use(token.id, T0 + timedelta(minutes=1)) is True
        assert await uow.action_tokens.use(token.id, T0 + timedelta(minutes=2)) is False
        await uow.commit()
    async with open_uow(pg) as uow:
        assert await uow.action_tokens.use(token.id, T0 + timedelta(minutes=3)) is False
        found = await uow.action_tokens.find(token.digest, [ActionPurpose.RESET_PASSWORD])
    assert found is not None
    assert found.used_at == T0 + timedelta(minutes=1)
    assert not found.usable(T0 + timedelta(minutes=3))


async def test_action_token_use_has_a_single_winner_under_concurrency(pg: Sessions) -> None:
    user = await add_user(pg)
    _, token = make_action(user, ActionPurpose.RESET_PASSWORD)
    async with open_uow(pg) as uow:
        await uow.action_tokens.add(token)
        await uow.commit()
    barrier = asyncio.Barrier(2)

    async def racer() -> bool:
        async with open_uow(pg) as uow:
            found = await uow.action_tokens.find(token.digest, [ActionPurpose.RESET_PASSWORD])
            assert found is not None
            assert found.usable(T0)
            await barrier.wait()
            won = await uow.action_tokens.use(found.id, T0)
            await uow.commit()
            return bool(won)

    results = await asyncio.wait_for(asyncio.gather(racer(), racer()), 30)
    assert sorted(results) == [False, True]


async def test_invalidate_spends_outstanding_tokens_of_one_purpose_and_user(pg: Sessions) -> None:
    ann = await add_user(pg)
    bob = await add_user(pg, "bob@example.sg")
    _, ann_reset_1 = make_action(ann, ActionPurpose.RESET_PASSWORD)
    _, ann_reset_2 = make_action(ann, ActionPurpose.RESET_PASSWORD)
    _, ann_used = make_action(ann, ActionPurpose.RESET_PASSWORD, used_at=T0)
    _, ann_verify = make_action(ann, ActionPurpose.VERIFY_EMAIL)
    _, bob_reset = make_action(bob, ActionPurpose.RESET_PASSWORD)
    async with open_uow(pg) as uow:
        for token in (ann_reset_1, ann_reset_2, ann_used, ann_verify, bob_reset):
            await uow.action_tokens.add(token)
        await uow.commit()

    later = T0 + timedelta(minutes=10)
    async with open_uow(pg) as uow:
        await uow.action_tokens.invalidate(ann.id, ActionPurpose.RESET_PASSWORD, later)
        await uow.commit()

    async def used_at(token: ActionToken) -> datetime | None:
        async with open_uow(pg) as uow:
            found = await uow.action_tokens.find(token.digest, [token.purpose])
        assert found is not None
        used: datetime | None = found.used_at
        return used

    assert await used_at(ann_reset_1) == later
    assert await used_at(ann_reset_2) == later
    assert await used_at(ann_used) == T0  # already used: untouched
    assert await used_at(ann_verify) is None
    assert await used_at(bob_reset) is None


# --------------------------------------------------------------------------- SQLite


async def test_register_verify_login_refresh_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/x.db"
    await asyncio.to_thread(upgrade_head, url)
    engine = create_engine(url)
    sessions_ = session_maker(engine)
    clock = FixedClock(T0)
    hasher = Argon2PasswordHasher(memory_cost_kib=8192, time_cost=1, max_threads=1)
    mailer = RecordingMailer()
    services = IdentityServices(
        hasher,
        JwtAccessTokens("sqlite-test-secret-key-123456", clock),
        InMemoryThrottle(clock),
        clock,
        mailer,
        IdentityConfig(),
    )

    @asynccontextmanager
    async def uow() -> AsyncIterator[SqlIdentityUnitOfWork]:
        async with sessions_() as session:
            yield SqlIdentityUnitOfWork(session, clock)

    try:
        async with uow() as u:
            user = await accounts.register(
                u, services, email="Ann@Example.SG", password="violet-harbour-lantern", full_name="Ann", ip="192.0.2.1"
            )
        async with uow() as u:
            with pytest.raises(Conflict):
                await accounts.register(
                    u, services, email="ann@example.sg", password="another-good-passphrase", full_name="A"
                )

        async with uow() as u:
            assert await mails.send_verification_email(u, services, user_id=user.id)
            await u.commit()
        token = mailer.sent[-1].text.split("token=", 1)[1].split()[0]
        async with uow() as u:
            await accounts.verify_email(u, services, token=token)
        async with uow() as u:
            with pytest.raises(InvalidToken):
                await accounts.verify_email(u, services, token=token)

        async with uow() as u:
            with pytest.raises(InvalidCredentials):
                await sessions.login(
                    u, services, email="ann@example.sg", password="wrong-password-1", client=sessions.ClientInfo()
                )
        clock.advance(timedelta(minutes=1))
        async with uow() as u:
            pair = await sessions.login(
                u, services, email="ANN@example.sg", password="violet-harbour-lantern", client=sessions.ClientInfo()
            )
        async with uow() as u:
            principal = await sessions.authenticate(u, services, access_token=pair.access_token)
        assert principal.user_id == user.id
        assert principal.email_verified

        async with uow() as u:
            rotated = await sessions.refresh(u, services, refresh_token=pair.refresh_token)
        clock.advance(timedelta(seconds=11))  # past the two-tabs leeway
        async with uow() as u:
            with pytest.raises(InvalidRefreshToken):
                await sessions.refresh(u, services, refresh_token=pair.refresh_token)  # reuse
        async with uow() as u:
            with pytest.raises(InvalidRefreshToken):
                await sessions.refresh(u, services, refresh_token=rotated.refresh_token)  # family revoked
            reloaded = await u.users.get(user.id)
            session = await u.sessions.get(pair.session_id)
        assert reloaded is not None
        assert reloaded.email == "ann@example.sg"
        assert reloaded.email_verified_at == T0
        assert reloaded.created_at.tzinfo is not None
        assert session is not None
        assert session.revoke_reason == "refresh_token_reuse"

        async with sessions_() as s:
            rows = list(await s.scalars(select(DomainEventRow.type).order_by(DomainEventRow.id)))
        assert rows == [
            UserRegistered.name,
            UserEmailVerified.name,
            UserLoginFailed.name,
            UserLoggedIn.name,
            UserRefreshTokenReused.name,
        ]
        async with sessions_() as s:
            payloads = [str(p) for p in await s.scalars(select(DomainEventRow.payload))]
        for secret in ("violet-harbour-lantern", token, pair.refresh_token, rotated.refresh_token, pair.access_token):
            assert not any(secret in payload for payload in payloads)
    finally:
        hasher.close()
        await engine.dispose()


@pytest.mark.parametrize("write", ["add", "save"])
async def test_an_uncommitted_user_write_is_undone_by_rollback_on_sqlite(tmp_path: Path, write: str) -> None:
    # A SAVEPOINT opened before SQLite's implicit BEGIN becomes the outermost transaction and
    # RELEASE commits it: the write would outlive a use case that then failed.
    url = f"sqlite+aiosqlite:///{tmp_path}/x.db"
    await asyncio.to_thread(upgrade_head, url)
    engine = create_engine(url)
    sessions_ = session_maker(engine)
    clock = FixedClock(T0)
    existing = User.register(email="kept@example.sg", full_name="Kept", password_hash="h", now=T0)
    try:
        async with sessions_() as session:
            uow = SqlIdentityUnitOfWork(session, clock)
            await uow.users.add(existing)
            await uow.commit()
        async with sessions_() as session:
            uow = SqlIdentityUnitOfWork(session, clock)
            assert await uow.users.get_by_email("nobody@example.sg") is None  # a read first, as use cases do
            if write == "add":
                await uow.users.add(User.register(email="ghost@example.sg", full_name="G", password_hash="h", now=T0))
            else:
                changed = await uow.users.get(existing.id)
                assert changed is not None
                changed.full_name = "Changed"
                await uow.users.save(changed)
            await uow.rollback()  # the use case failed after the write
        async with sessions_() as session:
            uow = SqlIdentityUnitOfWork(session, clock)
            assert await uow.users.get_by_email("ghost@example.sg") is None
            kept = await uow.users.get(existing.id)
            assert kept is not None and kept.full_name == "Kept"
    finally:
        await engine.dispose()
